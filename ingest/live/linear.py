"""Linear live sync: issues assigned to you or created by you, through Linear's GraphQL API (cursor pages);
a re-sync asks only for issues updated since the last one.

Each issue is read into the columns of Linear's CSV export and made Evidence by the Linear connector itself,
so records and roles are those of a CSV export; they are written one per line for the jsonl connector.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence
from ingest.identity import Identity, update
from ingest.live.http import Client, SyncError
from ingest.live.sync import save_evidence
from ingest.sources import SourceOptions
from ingest.sources.linear_source import _evidence as csv_row_evidence

API = "https://api.linear.app"
OVERLAP = timedelta(hours=1)
KIND = "jsonl"
PAGES = 200
VIEWER = "query Viewer { viewer { id name displayName email } }"
ISSUES = """query Issues($filter: IssueFilter, $after: String) {
  issues(first: 50, after: $after, filter: $filter, orderBy: updatedAt) {
    nodes { identifier title description url priorityLabel estimate createdAt updatedAt completedAt canceledAt
            state { name } assignee { id name email } creator { id name email } team { name }
            project { name } labels { nodes { name } } cycle { number } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def graphql(client: Client, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = client.post_json("/graphql", {"query": query, "variables": variables or {}})
    if answer.get("errors") and not answer.get("data"):
        raise SyncError(f"Linear refused the query: {answer['errors'][0].get('message', 'error')}")
    return answer["data"]


def fetch(client: Client, since: datetime | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the token's user, the issues assigned to or created by them, changed since `since`)."""
    viewer = graphql(client, VIEWER)["viewer"]
    mine: dict[str, Any] = {
        "or": [{"assignee": {"id": {"eq": viewer["id"]}}}, {"creator": {"id": {"eq": viewer["id"]}}}]
    }
    if since:
        mine = {"and": [mine, {"updatedAt": {"gte": (since - OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")}}]}
    issues: list[dict[str, Any]] = []
    after = None
    for _ in range(PAGES):
        page = graphql(client, ISSUES, {"filter": mine, "after": after})["issues"]
        issues += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return viewer, issues


def columns(issue: dict[str, Any]) -> dict[str, list[str]]:
    """A GraphQL issue as the (lower-cased) columns of Linear's CSV export."""

    def name(value: Any, key: str = "name") -> str:
        return str(value.get(key) or "") if isinstance(value, dict) else ""

    estimate = issue.get("estimate")
    values = {
        "id": issue.get("identifier"),
        "title": issue.get("title"),
        "description": issue.get("description"),
        "status": name(issue.get("state")),
        "priority": issue.get("priorityLabel"),
        "estimate": "" if estimate is None else str(estimate),
        "project": name(issue.get("project")),
        "team": name(issue.get("team")),
        "assignee": name(issue.get("assignee")),
        "creator": name(issue.get("creator")),
        "cycle number": name(issue.get("cycle"), "number"),
        "created": issue.get("createdAt"),
        "updated": issue.get("updatedAt"),
        "completed": issue.get("completedAt"),
        "canceled": issue.get("canceledAt"),
        "url": issue.get("url"),
    }
    cols = {key: [str(value)] for key, value in values.items() if value not in (None, "")}
    labels = [name(label) for label in (issue.get("labels") or {}).get("nodes") or []]
    if labels:
        cols["labels"] = labels
    return cols


def evidence(
    viewer: dict[str, Any], issues: list[dict[str, Any]], identity: Identity | None
) -> tuple[list[Evidence], list[dict[str, str]]]:
    """Evidence as the CSV connector makes it, and the issues it could not read ({"where", "why"}); the
    token's user (their Linear name and email) is the user."""
    aliases = [v for v in (viewer.get("name"), viewer.get("email")) if v]
    options = SourceOptions(identity=update(identity or Identity(), {"linear": aliases}, []))
    records, skipped = [], []
    for issue in issues:
        try:
            records.append(csv_row_evidence(columns(issue), options))
        except ValueError as exc:
            skipped.append({"where": f"linear:{issue.get('identifier') or '?'}", "why": str(exc)})
    return records, skipped


def run(
    home: Path,
    workspace: str,
    login: str = "",
    full: bool = False,
    client: Client | None = None,
    identity: Identity | None = None,
) -> dict[str, Any]:
    """One sync into the workspace's sync folder: {"folder", "files", "since", "waits", "kind"}. The user is
    the API key's owner, so no login is needed."""
    from ingest.live.sync import last_sync, mark_synced, now, sync_dir, token

    folder = sync_dir(home, workspace, "linear")
    since = None if full else last_sync(folder)
    started = now()
    if client is None:
        key = token("linear")  # personal API keys go bare in the Authorization header, OAuth tokens as Bearer
        client = Client(
            os.environ.get("SELFREVIEW_LINEAR_API", API),
            key,
            auth="" if key.startswith("lin_api_") else "Bearer",
        )
    try:
        viewer, issues = fetch(client, since)
    finally:
        client.close()
    records, skipped = evidence(viewer, issues, identity)
    written = save_evidence(folder, "issues", records, started)
    mark_synced(folder, started)
    return {
        "folder": folder,
        "files": [written] if written else [],
        "since": since,
        "waits": client.waits,
        "kind": KIND,
        "skipped": skipped,
    }
