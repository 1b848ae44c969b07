"""A local GitLab REST API (v4) for recording sync cassettes.

It answers `GET /api/v4/merge_requests` (filtered by author_username and updated_after, paged by a Link header),
`GET /api/v4/events` (the token user's contribution events, filtered by action, target_type and after) and
`GET /api/v4/projects/:id/merge_requests/:iid`, in the shapes GitLab documents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tests.ingest.live.local_api import Answer, LocalAPI

TOKEN = "glpat-test00000000000000000000"  # scrubbed from cassettes all the same
MAYA = {"id": 1, "username": "maya-chen", "name": "Maya Chen", "state": "active"}
RAJ = {"id": 2, "username": "raj-patel", "name": "Raj Patel", "state": "active"}
RENOVATE = {"id": 3, "username": "renovate-bot", "name": "Renovate Bot", "state": "active"}


def _mr(
    iid: int, title: str, author: dict, updated: str, merged: str | None, merger: dict | None
) -> dict[str, Any]:
    web = f"https://gitlab.com/acme/payments/-/merge_requests/{iid}"
    return {
        "id": 9000 + iid,
        "iid": iid,
        "project_id": 42,
        "title": title,
        "description": f"{title}.",
        "state": "merged" if merged else "opened",
        "created_at": "2026-03-01T09:00:00.000Z",
        "updated_at": updated,
        "merged_at": merged,
        "closed_at": None,
        "merged_by": merger,
        "merge_user": merger,
        "author": author,
        "assignees": [author],
        "reviewers": [MAYA] if author != MAYA else [],
        "labels": ["payments"],
        "draft": False,
        "user_notes_count": 2,
        "web_url": web,
        "references": {"short": f"!{iid}", "relative": f"!{iid}", "full": f"acme/payments!{iid}"},
    }


MRS = {
    101: _mr(101, "Idempotent refunds", MAYA, "2026-03-10T09:00:00.000Z", "2026-03-10T09:00:00.000Z", MAYA),
    102: _mr(102, "Settlement streaming", MAYA, "2026-03-20T09:00:00.000Z", None, None),
    110: _mr(110, "Ledger export", RAJ, "2026-03-12T09:00:00.000Z", "2026-03-12T09:00:00.000Z", RAJ),
    120: _mr(
        120,
        "Update dependency urllib3 to v2.6",
        RENOVATE,
        "2026-03-13T10:00:00.000Z",
        "2026-03-13T10:00:00.000Z",
        MAYA,
    ),
}


def _event(event_id: int, action: str, iid: int, when: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "project_id": 42,
        "action_name": action,
        "target_id": 9000 + iid,
        "target_iid": iid,
        "target_type": "MergeRequest",
        "author_id": 1,
        "target_title": MRS[iid]["title"],
        "created_at": when,
        "author": MAYA,
        "author_username": "maya-chen",
    }


EVENTS = {
    "approved": [_event(7001, "approved", 110, "2026-03-11T15:00:00.000Z")],
    "merged": [
        _event(7002, "accepted", 101, "2026-03-10T09:00:00.000Z"),
        _event(7003, "accepted", 120, "2026-03-13T10:00:00.000Z"),
    ],
}


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class GitLabServer(LocalAPI):
    authorization = f"Bearer {TOKEN}"

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        one = {k: v[0] for k, v in query.items()}
        if path == "/api/v4/merge_requests":
            found = [mr for mr in MRS.values() if mr["author"]["username"] == one.get("author_username")]
            if "updated_after" in one:
                found = [mr for mr in found if _stamp(mr["updated_at"]) >= _stamp(one["updated_after"])]
            found.sort(key=lambda mr: mr["updated_at"])
            if "updated_after" not in one and len(found) > 1:  # a first sync: one per page, to be followed
                page = int(one.get("page", "1"))
                link = (
                    {}
                    if page == len(found)
                    else {
                        "Link": f"<{self.base_url}/api/v4/merge_requests?author_username="
                        f'maya-chen&order_by=updated_at&page={page + 1}&per_page=1&scope=all&sort=asc&state=all>; rel="next"'
                    }
                )
                return 200, found[page - 1 : page], link
            return 200, found, {}
        if path == "/api/v4/events":
            found = list(EVENTS.get(one.get("action", ""), []))
            if "after" in one:
                found = [
                    e for e in found if _stamp(e["created_at"]).date() > date.fromisoformat(one["after"])
                ]
            return 200, found, {}
        if path.startswith("/api/v4/projects/42/merge_requests/"):
            iid = int(path.rsplit("/", 1)[1])
            return (200, MRS[iid], {}) if iid in MRS else (404, {"message": "404 Not found"}, {})
        return 404, {"message": "404 Not found"}, {}
