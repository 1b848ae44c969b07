"""Jira Cloud live sync: issues you are assigned, reported or resolved, by JQL on your accountId through the
enhanced search API (`/rest/api/3/search/jql`, pages by `nextPageToken`); a re-sync asks only for issues
updated since the last one. The pages are saved as one search result that the Jira connector reads, so
records and roles match a REST search export."""

from __future__ import annotations

import base64
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.live.http import Client, SyncError
from ingest.live.sync import save_document

SEARCH = "/rest/api/3/search/jql"
# JQL reads dates in the time zone of the user's Jira profile, which the token does not tell: a day's overlap.
OVERLAP = timedelta(days=1)
KIND = "jira"
PAGES = 200


def jql(account_id: str, since: datetime | None) -> str:
    who = account_id.replace("\\", "\\\\").replace('"', '\\"')
    query = f'(assignee = "{who}" OR reporter = "{who}" OR resolution CHANGED BY "{who}")'
    if since:
        query += f' AND updated >= "{(since - OVERLAP).strftime("%Y-%m-%d %H:%M")}"'
    return query + " ORDER BY updated ASC"


def fetch(client: Client, account_id: str, since: datetime | None) -> dict[str, Any]:
    """Every page's issues in one search result: {"issues": [...], "names": {field id: field name}}."""
    params: dict[str, Any] = {
        "jql": jql(account_id, since),
        "maxResults": 100,
        "fields": "*all",
        "expand": "names",
    }
    issues: list[Any] = []
    names: dict[str, Any] = {}
    for _ in range(PAGES):
        page = client.get_json(SEARCH, params)
        issues += page.get("issues") or []
        names |= page.get("names") or {}
        token = page.get("nextPageToken")
        if page.get("isLast", not token) or not token:
            break
        params = {**params, "nextPageToken": token}
    return {"issues": issues, "names": names}


def client_from_env() -> Client:
    """JIRA_URL (your site), JIRA_EMAIL and the API token (JIRA_API_TOKEN or the keyring): Basic auth."""
    from ingest.live.sync import token

    site, email = os.environ.get("JIRA_URL", "").rstrip("/"), os.environ.get("JIRA_EMAIL", "").strip()
    if not site or not email:
        raise SyncError(
            "set JIRA_URL (e.g. https://acme.atlassian.net) and JIRA_EMAIL (the account the API "
            "token belongs to)"
        )
    pair = base64.b64encode(f"{email}:{token('jira')}".encode()).decode()
    return Client(site, pair, auth="Basic")


def run(
    home: Path,
    workspace: str,
    login: str,
    full: bool = False,
    client: Client | None = None,
    identity: Any = None,
) -> dict[str, Any]:
    """One sync into the workspace's sync folder: {"folder", "files", "since", "waits", "kind"}. `login` is
    the user's Jira accountId."""
    from ingest.live.sync import last_sync, mark_synced, now, sync_dir

    folder = sync_dir(home, workspace, "jira")
    since = None if full else last_sync(folder)
    started = now()
    client = client or client_from_env()
    try:
        found = fetch(client, login, since)
    finally:
        client.close()
    files = [save_document(folder, "issues", found, started)] if found["issues"] else []
    mark_synced(folder, started)
    return {"folder": folder, "files": files, "since": since, "waits": client.waits, "kind": KIND}
