"""A local Linear GraphQL API for recording sync cassettes.

It answers `POST /graphql` for the `viewer` query and the `issues` query (filter on assignee / creator id and
`updatedAt.gte`, cursor pages with pageInfo), in the shapes Linear's schema documents. A personal API key goes
bare in the Authorization header; a rate limit is HTTP 400 with the GraphQL error code RATELIMITED.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from tests.ingest.live.local_api import Answer, LocalAPI

TOKEN = "lin_api_test000000000000000000000000000000"  # scrubbed from cassettes all the same
MAYA = {"id": "u-maya", "name": "Maya Chen", "displayName": "maya", "email": "maya@acme.io"}
RAJ = {"id": "u-raj", "name": "Raj Patel", "displayName": "raj", "email": "raj@acme.io"}


def _person(user: dict | None) -> dict[str, Any] | None:
    return {k: user[k] for k in ("id", "name", "email")} if user else None


def _issue(
    key: str, title: str, assignee: dict | None, creator: dict, state: str, updated: str, **more: Any
) -> dict[str, Any]:
    person = _person
    return {
        "identifier": key,
        "title": title,
        "description": more.get("description"),
        "url": f"https://linear.app/acme/issue/{key.lower()}",
        "priorityLabel": more.get("priority", "High"),
        "estimate": more.get("estimate"),
        "createdAt": more.get("created", "2026-03-02T09:00:00.000Z"),
        "updatedAt": updated,
        "completedAt": more.get("completed"),
        "canceledAt": more.get("canceled"),
        "state": {"name": state},
        "assignee": person(assignee),
        "creator": person(creator),
        "team": {"name": "Engineering"},
        "project": {"name": more["project"]} if "project" in more else None,
        "labels": {"nodes": [{"name": n} for n in more.get("labels", [])]},
        "cycle": {"number": more["cycle"]} if "cycle" in more else None,
    }


# ENG-481 is the issue tests/data/linear/issues.csv exports, field for field.
ISSUES = [
    _issue(
        "ENG-481",
        "Cache exchange rates",
        MAYA,
        RAJ,
        "Done",
        "2026-03-06T12:00:00.000Z",
        description="Rates were fetched per request.\n\nNow cached for 60s: 40% fewer calls.",
        estimate=3,
        created="2026-03-02T09:00:00.000Z",
        completed="2026-03-06T09:00:00.000Z",
        project="Payments v2",
        labels=["performance, payments"],
        cycle=14,
    ),
    _issue(
        "ENG-482",
        "Spike: ledger sharding",
        None,
        MAYA,
        "Canceled",
        "2026-03-10T09:00:00.000Z",
        priority="Low",
        created="2026-03-09T09:00:00.000Z",
        canceled="2026-03-11T09:00:00.000Z",
    ),
    _issue(
        "ENG-495",
        "Settlement report export",
        RAJ,
        MAYA,
        "In Progress",
        "2026-03-20T09:00:00.000Z",
        estimate=2,
    ),
    _issue("ENG-490", "Rotate API keys", RAJ, RAJ, "In Progress", "2026-03-21T09:00:00.000Z"),
]


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _mine(issue: dict[str, Any], viewer: str) -> bool:
    return any((issue[k] or {}).get("id") == viewer for k in ("assignee", "creator"))


class LinearServer(LocalAPI):
    authorization = TOKEN

    def limited_answer(self) -> Answer:
        reset = str(int(time.time() * 1000) + 1000)  # epoch milliseconds
        return (
            400,
            {
                "errors": [
                    {
                        "message": "Rate limit exceeded",
                        "extensions": {"code": "RATELIMITED", "statusCode": 429},
                    }
                ]
            },
            {"X-RateLimit-Requests-Reset": reset},
        )

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        if method != "POST" or path != "/graphql" or not isinstance(body, dict):
            return 404, {"errors": [{"message": "Not found"}]}, {}
        if "viewer" in body["query"]:
            return 200, {"data": {"viewer": MAYA}}, {}
        variables = body.get("variables") or {}
        rules = variables.get("filter") or {}
        since = None
        if "and" in rules:
            rules, since = rules["and"][0], rules["and"][1]["updatedAt"]["gte"]
        viewer = rules["or"][0]["assignee"]["id"]["eq"]
        found = [
            i
            for i in ISSUES
            if _mine(i, viewer) and (since is None or _stamp(i["updatedAt"]) >= _stamp(since))
        ]
        found.sort(key=lambda i: i["updatedAt"])
        start = int(variables.get("after") or 0)
        size = 2 if since is None else 50  # a first sync: two per page, to be followed
        page = found[start : start + size]
        more = start + size < len(found)
        return (
            200,
            {
                "data": {
                    "issues": {
                        "nodes": page,
                        "pageInfo": {"hasNextPage": more, "endCursor": str(start + size) if more else None},
                    }
                }
            },
            {},
        )
