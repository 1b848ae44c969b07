"""A local stand-in for a service's API (stdlib, 127.0.0.1, a random port) to record live-sync cassettes.

Subclasses answer `answer(method, path, query, body)` with the service's documented response shapes; every
request is kept in `requests`, a wrong Authorization header gets a 401, and `rate_limit_once()` makes the next
request the service's rate-limit answer (`limited_answer`).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, Any, dict[str, str]]


class LocalAPI:
    authorization = ""  # the exact header value expected

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.limited = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def rate_limit_once(self) -> None:
        self.limited += 1

    def start(self) -> LocalAPI:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        raise NotImplementedError

    def limited_answer(self) -> Answer:
        return 429, {"message": "429 Too Many Requests"}, {"Retry-After": "1"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                server.requests.append((method, self.path, body))
                if self.headers.get("Authorization") != server.authorization:
                    self._send(401, {"message": "401 Unauthorized"}, {})
                elif server.limited:
                    server.limited -= 1
                    self._send(*server.limited_answer())
                else:
                    self._send(*server.answer(method, parts.path, parse_qs(parts.query), body))

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
