"""GitLab live sync: merge requests authored, approvals given and merge requests merged for others, through the
REST API (v4); a re-sync asks only for what changed since the last one.

No file connector reads GitLab's API shapes, so the fetched merge requests and approvals are written as
Evidence (one JSON object per line) that the jsonl connector ingests: the same kinds and roles as a GitHub PR
and review (author, reviewer, merger; bots never the user).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence, Role
from ingest.identity import Identity, update
from ingest.live.http import Client
from ingest.live.sync import save_evidence
from ingest.people import is_bot_user
from ingest.sources import SourceOptions, iso_date, span

API = "https://gitlab.com"
OVERLAP = timedelta(
    hours=1
)  # `updated_after` looks back this much: a change during the last run is not missed
KIND = "jsonl"  # the connector that reads what this sync writes


def fetch(client: Client, login: str, since: datetime | None) -> dict[str, list[dict[str, Any]]]:
    """{"authored": MRs, "approved": (event, MR) pairs, "merged": (event, MR) pairs} changed since `since`."""
    params: dict[str, Any] = {
        "scope": "all",
        "state": "all",
        "author_username": login,
        "per_page": 100,
        "order_by": "updated_at",
        "sort": "asc",
    }
    events: dict[str, Any] = {"target_type": "merge_request", "per_page": 100, "sort": "asc"}
    if since:
        params["updated_after"] = (since - OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        events["after"] = (since - timedelta(days=1)).strftime(
            "%Y-%m-%d"
        )  # a day, exclusive: events are dated
    authored = [mr for page in client.pages("/api/v4/merge_requests", params) for mr in page]
    found: dict[str, list[dict[str, Any]]] = {"authored": authored}
    cache: dict[tuple[int, int], dict[str, Any]] = {(mr["project_id"], mr["iid"]): mr for mr in authored}
    for action in ("approved", "merged"):
        pairs = []
        for page in client.pages("/api/v4/events", {**events, "action": action}):
            for event in page:
                key = (int(event["project_id"]), int(event["target_iid"]))
                if key not in cache:
                    cache[key] = client.get_json(f"/api/v4/projects/{key[0]}/merge_requests/{key[1]}")
                pairs.append({"event": event, "merge_request": cache[key]})
        found[action] = pairs
    return found


def evidence(
    found: dict[str, list[dict[str, Any]]], options: SourceOptions
) -> tuple[list[Evidence], list[dict[str, str]]]:
    """The merge requests (author / merger / reviewer) and the approvals given, one Evidence each, and what
    could not be read ({"where", "why"})."""
    approved = {
        _key(p["merge_request"]): p
        for p in found["approved"]
        if not _is_me(p["merge_request"].get("author"), options)
    }
    merged = {_key(p["merge_request"]): p for p in found["merged"]}
    requests = {_key(mr): mr for mr in found["authored"]}
    requests |= {key: p["merge_request"] for key, p in {**approved, **merged}.items() if key not in requests}
    records: list[Evidence] = []
    skipped: list[dict[str, str]] = []
    builds: list[tuple[dict[str, Any], Callable[[], Evidence]]] = [
        (mr, functools.partial(_merge_request, mr, options, key in approved)) for key, mr in requests.items()
    ]
    builds += [
        (p["merge_request"], functools.partial(_approval, p["event"], p["merge_request"]))
        for p in approved.values()
    ]
    for mr, build in builds:
        try:
            records.append(build())
        except (ValueError, KeyError, TypeError) as exc:
            skipped.append(
                {"where": str(mr.get("web_url") or f"merge request {mr.get('iid')}"), "why": str(exc)}
            )
    return records, skipped


def _key(mr: dict[str, Any]) -> tuple[int, int]:
    return int(mr["project_id"]), int(mr["iid"])


def _is_me(user: Any, options: SourceOptions) -> bool:
    if not isinstance(user, dict) or is_bot_user(user) or user.get("bot") is True:
        return False
    return any(options.is_user(str(user[k]), "gitlab") for k in ("username", "name", "email") if user.get(k))


def _repo(mr: dict[str, Any]) -> str:
    full = str((mr.get("references") or {}).get("full") or "")
    return (
        full.rsplit("!", 1)[0]
        if "!" in full
        else str(mr.get("web_url", "")).split("/-/")[0].split("/", 3)[-1]
    )


def _merge_request(mr: dict[str, Any], options: SourceOptions, approved: bool) -> Evidence:
    author, merger = mr.get("author") or {}, mr.get("merge_user") or mr.get("merged_by")
    login = str(author.get("username") or "")
    role: Role = "mentioned"
    shown = login
    if _is_me(author, options):
        role = "author"
    elif merger and _is_me(merger, options):
        role, shown = "merger", str(merger.get("username") or "")
    elif approved:
        role = "reviewer"
    created, merged = iso_date(mr.get("created_at")), iso_date(mr.get("merged_at"))
    state = {"opened": "open", "locked": "open"}.get(str(mr.get("state")), str(mr.get("state") or ""))
    labels = [str(label) for label in mr.get("labels") or []]
    stats: dict[str, float] = {"comments": int(mr.get("user_notes_count") or 0)}
    cycle = span(created, merged, 3600)
    if cycle is not None:
        stats["cycle_time_hours"] = cycle
    # whose merge request it was, bots included: metrics count a bot's merge request apart from people's
    extra: dict[str, Any] = {"pr_commit_authors": [login] if login else []}
    if labels:
        extra["labels"] = labels
    if is_bot_user(author) or author.get("bot") is True:
        extra["bot_author"] = True
    repo, number = _repo(mr), int(mr["iid"])
    return Evidence(
        id=f"gitlab:{repo}!{number}",
        source="gitlab",
        kind="pr",
        title=str(mr.get("title") or f"!{number}"),
        date=merged or iso_date(mr.get("closed_at")) or created or "",
        body=str(mr.get("description") or ""),
        author=shown,
        url=str(mr.get("web_url") or ""),
        role=role,
        native={
            "repo": repo,
            "number": number,
            "pr_number": number,
            "state": state,
            "labels": ", ".join(labels),
        },
        stats=stats,
        extra=extra,
    )


def _approval(event: dict[str, Any], mr: dict[str, Any]) -> Evidence:
    repo, number = _repo(mr), int(mr["iid"])
    who = str((event.get("author") or {}).get("username") or event.get("author_username") or "")
    return Evidence(
        id=f"gitlab:{repo}!{number}/approval/{event['id']}",
        source="gitlab",
        kind="review",
        title=f"Review of !{number}: approved ({mr.get('title') or event.get('target_title') or ''})",
        date=iso_date(event.get("created_at")) or "",
        author=who,
        url=str(mr.get("web_url") or ""),
        role="reviewer",
        native={"repo": repo, "pr_number": number, "review_id": str(event["id"]), "state": "approved"},
    )


def run(
    home: Path,
    workspace: str,
    login: str,
    full: bool = False,
    client: Client | None = None,
    identity: Identity | None = None,
) -> dict[str, Any]:
    """One sync into the workspace's sync folder: {"folder", "files", "since", "waits", "kind"}."""
    from ingest.live.sync import last_sync, mark_synced, now, sync_dir, token

    folder = sync_dir(home, workspace, "gitlab")
    since = None if full else last_sync(folder)
    started = now()
    client = client or Client(os.environ.get("GITLAB_URL", API).rstrip("/"), token("gitlab"))
    options = SourceOptions(identity=update(identity or Identity(), {"gitlab": [login]}, []))
    try:
        records, skipped = evidence(fetch(client, login, since), options)
    finally:
        client.close()
    written = save_evidence(folder, "merge-requests", records, started)
    mark_synced(folder, started)
    return {
        "folder": folder,
        "files": [written] if written else [],
        "since": since,
        "waits": client.waits,
        "kind": KIND,
        "skipped": skipped,
    }
