"""A local GitHub REST API for recording sync cassettes (stdlib, 127.0.0.1, a random port).

It answers with the documented shapes of `GET /search/issues` (paginated by a Link header),
`GET /repos/{owner}/{repo}/pulls/{n}` and `.../pulls/{n}/reviews`. A query with `updated:>=` gets only what
changed since; `rate_limit_once()` makes the next request a 429 with Retry-After: 1.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghp_test0000000000000000000000000000000000"  # scrubbed from cassettes all the same
USER = {"login": "maya-chen", "id": 1, "type": "User"}
RAJ = {"login": "raj-patel", "id": 2, "type": "User"}
BOT = {"login": "dependabot[bot]", "id": 3, "type": "Bot"}


def _pr(base: str, number: int, title: str, user: dict, updated: str, merged: str | None) -> dict[str, Any]:
    api = f"{base}/repos/acme/payments/issues/{number}"
    return {
        "url": api,
        "html_url": f"https://github.com/acme/payments/pull/{number}",
        "number": number,
        "title": title,
        "user": user,
        "labels": [],
        "state": "closed" if merged else "open",
        "comments": 1,
        "created_at": "2026-03-01T09:00:00Z",
        "updated_at": updated,
        "closed_at": merged,
        "body": "",
        "pull_request": {
            "url": f"{base}/repos/acme/payments/pulls/{number}",
            "html_url": f"https://github.com/acme/payments/pull/{number}",
            "merged_at": merged,
        },
    }


def _issue(base: str, number: int, title: str, reason: str, updated: str) -> dict[str, Any]:
    return {
        "url": f"{base}/repos/acme/payments/issues/{number}",
        "html_url": f"https://github.com/acme/payments/issues/{number}",
        "number": number,
        "title": title,
        "user": RAJ,
        "assignees": [USER],
        "labels": [],
        "state": "closed",
        "state_reason": reason,
        "comments": 0,
        "created_at": "2026-03-02T09:00:00Z",
        "updated_at": updated,
        "closed_at": "2026-03-09T09:00:00Z",
        "body": "",
    }


class GitHubServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.limited = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def rate_limit_once(self) -> None:
        self.limited += 1

    def start(self) -> GitHubServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        base = self.base_url
        if path == "/search/issues":
            q = query.get("q", [""])[0]
            page = int(query.get("page", ["1"])[0])
            since = "updated:>=" in q
            if "author:maya-chen" in q and "type:pr" in q and "-author" not in q:
                items = [
                    _pr(
                        base, 501, "Idempotent refunds", USER, "2026-03-10T09:00:00Z", "2026-03-10T09:00:00Z"
                    ),
                    _pr(base, 502, "Settlement streaming", USER, "2026-03-20T09:00:00Z", None),
                ]
                items = items[1:] if since else items
                if not since and page == 1:
                    link = f'<{base}/search/issues?q={q.replace(" ", "+")}&per_page=1&page=2>; rel="next"'
                    return (
                        200,
                        {"total_count": 2, "incomplete_results": False, "items": items[:1]},
                        {"Link": link},
                    )
                items = items[1:] if not since else items
            elif "reviewed-by:maya-chen" in q:
                items = (
                    []
                    if since
                    else [
                        _pr(base, 510, "Ledger export", RAJ, "2026-03-11T09:00:00Z", "2026-03-12T09:00:00Z")
                    ]
                )
            elif "is:merged" in q:
                items = (
                    []
                    if since
                    else [_pr(base, 520, "Bump urllib3", BOT, "2026-03-13T09:00:00Z", "2026-03-13T10:00:00Z")]
                )
            elif "assignee:maya-chen" in q:
                items = [
                    _issue(base, 530, "Payouts stuck", "completed", "2026-03-09T09:00:00Z"),
                    _issue(base, 531, "Rewrite in Rust", "not_planned", "2026-03-09T09:00:00Z"),
                ]
                items = [] if since else items
            else:
                items = []
            return 200, {"total_count": len(items), "incomplete_results": False, "items": items}, {}
        if path == "/repos/acme/payments/pulls/510/reviews":
            return (
                200,
                [
                    {
                        "id": 9001,
                        "user": USER,
                        "state": "APPROVED",
                        "body": "Looks right.",
                        "submitted_at": "2026-03-11T15:00:00Z",
                        "html_url": "https://github.com/acme/payments/pull/510#pullrequestreview-9001",
                        "pull_request_url": f"{base}/repos/acme/payments/pulls/510",
                    }
                ],
                {},
            )
        if path == "/repos/acme/payments/pulls/520":
            pr = _pr(base, 520, "Bump urllib3", BOT, "2026-03-13T09:00:00Z", "2026-03-13T10:00:00Z")
            pr.pop("pull_request")
            pr |= {
                "url": f"{base}/repos/acme/payments/pulls/520",
                "merged_at": "2026-03-13T10:00:00Z",
                "merged_by": USER,
                "additions": 2,
                "deletions": 2,
                "changed_files": 1,
            }
            return 200, pr, {}
        return 404, {"message": "Not Found"}, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                parts = urlsplit(self.path)
                server.requests.append(self.path)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"message": "Bad credentials"}, {})
                elif server.limited:
                    server.limited -= 1
                    self._send(429, {"message": "API rate limit exceeded"}, {"Retry-After": "1"})
                else:
                    self._send(*server.answer(parts.path, parse_qs(parts.query)))

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
