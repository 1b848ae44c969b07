"""A local Jira Cloud REST API for recording sync cassettes.

It answers `GET /rest/api/3/search/jql` (the enhanced JQL search: pages by nextPageToken and isLast, `names`
with expand=names), reading the account id and an `updated >= "yyyy-MM-dd HH:mm"` clause from the JQL, in
the shapes Atlassian documents (user objects with accountId, descriptions and comments in ADF).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tests.ingest.live.local_api import Answer, LocalAPI

EMAIL, TOKEN = "maya@acme.io", "ATATT3xFfGF0test000000000000"  # scrubbed from cassettes all the same
MAYA = {
    "accountId": "5b10ac8d82e05b22cc7d4ef5",
    "displayName": "Maya Chen",
    "accountType": "atlassian",
    "active": True,
}
RAJ = {
    "accountId": "5b10a2844c20165700ede21g",
    "displayName": "Raj Patel",
    "accountType": "atlassian",
    "active": True,
}
SITE = "https://acme.atlassian.net"  # what `self` links name: the site, wherever the API answers
NAMES = {
    "summary": "Summary",
    "status": "Status",
    "customfield_10016": "Story point estimate",
    "customfield_10020": "Sprint",
    "resolutiondate": "Resolved",
}


def _doc(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def _issue(
    base: str,
    number: int,
    summary: str,
    assignee: dict,
    reporter: dict,
    status: str,
    resolution: str | None,
    updated: str,
    points: float | None,
) -> dict[str, Any]:
    resolved = updated if resolution else None
    return {
        "expand": "",
        "id": str(10000 + number),
        "self": f"{base}/rest/api/3/issue/{10000 + number}",
        "key": f"PAY-{number}",
        "fields": {
            "summary": summary,
            "description": _doc(f"{summary}."),
            "issuetype": {"name": "Story"},
            "priority": {"name": "High"},
            "status": {"name": status},
            "resolution": {"name": resolution} if resolution else None,
            "assignee": assignee,
            "reporter": reporter,
            "created": "2026-03-02T09:00:00.000+0000",
            "updated": updated,
            "resolutiondate": resolved,
            "labels": ["payments"],
            "components": [],
            "customfield_10016": points,
            "customfield_10020": [{"id": 5, "name": "Sprint 5", "state": "closed"}],
            "parent": None,
            "comment": {
                "comments": [{"body": _doc("Shipped behind a flag."), "author": assignee}],
                "total": 1,
            },
        },
    }


def issues() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(issue, who resolved it): PAY-203 is Raj's, resolved by Maya (`resolution CHANGED BY` finds it)."""
    return [
        (
            _issue(
                SITE,
                201,
                "Idempotent refund retries",
                MAYA,
                RAJ,
                "Done",
                "Done",
                "2026-03-10T09:00:00.000+0000",
                5,
            ),
            MAYA,
        ),
        (
            _issue(
                SITE,
                202,
                "Settlement report for finance",
                RAJ,
                MAYA,
                "In Progress",
                None,
                "2026-03-20T09:00:00.000+0000",
                3,
            ),
            {},
        ),
        (
            _issue(
                SITE, 203, "Payout retries alert", RAJ, RAJ, "Done", "Done", "2026-03-09T09:00:00.000+0000", 2
            ),
            MAYA,
        ),
    ]


class JiraServer(LocalAPI):
    authorization = "Basic bWF5YUBhY21lLmlvOkFUQVRUM3hGZkdGMHRlc3QwMDAwMDAwMDAwMDA="

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        if path != "/rest/api/3/search/jql":
            return 404, {"errorMessages": ["Not found"]}, {}
        one = {k: v[0] for k, v in query.items()}
        jql = one.get("jql", "")
        who = MAYA["accountId"]
        found = [
            i
            for i, resolver in issues()
            if who in jql
            and who
            in (
                i["fields"]["assignee"]["accountId"],
                i["fields"]["reporter"]["accountId"],
                resolver.get("accountId"),
            )
        ]
        since = re.search(r'updated >= "(\d{4}-\d\d-\d\d \d\d:\d\d)"', jql)
        if since:
            moment = datetime.strptime(since.group(1), "%Y-%m-%d %H:%M")
            found = [
                i for i in found if datetime.strptime(i["fields"]["updated"][:16], "%Y-%m-%dT%H:%M") >= moment
            ]
        page = {"issues": found, "names": NAMES if one.get("expand") == "names" else {}, "isLast": True}
        if not since and len(found) > 2:  # a first sync: two per page, the second page by its token
            if one.get("nextPageToken") == "page-2":
                page["issues"] = found[2:]
            else:
                page |= {"issues": found[:2], "nextPageToken": "page-2", "isLast": False}
        return 200, page, {}
