"""GitHub live sync: PRs authored, PRs reviewed (with the reviews given), PRs merged for others, and issues,
through the REST search API; a re-sync asks only for what was updated since the last one."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.live.http import Client
from ingest.live.sync import save_pages

API = "https://api.github.com"
OVERLAP = timedelta(hours=1)  # a re-sync looks back this much: a change during the last run is not missed


def queries(login: str, since: datetime | None) -> dict[str, str]:
    """Search queries, named by the file they are saved to ("review" in a name marks PRs the user reviewed)."""
    updated = f" updated:>={(since - OVERLAP).strftime('%Y-%m-%dT%H:%M:%SZ')}" if since else ""
    return {
        "prs-authored": f"type:pr author:{login}{updated}",
        "prs-reviewed": f"type:pr reviewed-by:{login} -author:{login}{updated}",
        "prs-involved-merged": f"type:pr is:merged involves:{login} -author:{login}{updated}",
        "issues-assigned": f"type:issue assignee:{login}{updated}",
        "issues-authored": f"type:issue author:{login}{updated}",
    }


def sync(client: Client, login: str, folder: Path, since: datetime | None, started: datetime) -> list[Path]:
    """Fetch into `folder`; returns the files written (none when nothing changed)."""
    written: list[Path] = []
    found: dict[str, list[dict[str, Any]]] = {}
    for name, query in queries(login, since).items():
        pages = list(
            client.pages("/search/issues", {"q": query, "per_page": 100, "sort": "updated", "order": "asc"})
        )
        found[name] = [item for page in pages for item in page.get("items", [])]
        written.append(save_pages(folder, name, pages, started))  # type: ignore[arg-type]
    reviews = [client.get_json(f"{_api_path(pr)}/reviews", {"per_page": 100}) for pr in found["prs-reviewed"]]
    written.append(save_pages(folder, "reviews", reviews, started))  # type: ignore[arg-type]
    merged = [client.get_json(_api_path(pr)) for pr in found["prs-involved-merged"]]
    written.append(save_pages(folder, "merged-prs", merged, started))  # type: ignore[arg-type]
    return [path for path in written if path is not None]


def _api_path(item: dict[str, Any]) -> str:
    """/repos/OWNER/NAME/pulls/N from a search result's API url."""
    url = str(item.get("pull_request", {}).get("url") or item.get("url") or "")
    return "/repos/" + url.split("/repos/", 1)[-1].replace("/issues/", "/pulls/")


def run(
    home: Path,
    workspace: str,
    login: str,
    full: bool = False,
    client: Client | None = None,
    identity: Any = None,
) -> dict[str, Any]:
    """One sync into the workspace's sync folder: {"folder", "files", "since", "waits"}. Roles are decided when
    the GitHub connector reads the pages, so `identity` is not needed here."""
    import os

    from ingest.live.sync import last_sync, mark_synced, now, sync_dir, token

    folder = sync_dir(home, workspace, "github")
    since = None if full else last_sync(folder)
    started = now()
    client = client or Client(os.environ.get("SELFREVIEW_GITHUB_API", API), token("github"))
    try:
        files = sync(client, login, folder, since, started)
    finally:
        client.close()
    mark_synced(folder, started)
    return {"folder": folder, "files": files, "since": since, "waits": client.waits}
