"""Live-sync cassettes: recorded against a local API server with SELFREVIEW_RECORD=1, else replayed with
record_mode="none". The Authorization header is never written; responses keep only the headers pagination
and rate limits are read from; the server's random address becomes a fixed one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
REPLAY = "http://127.0.0.1:8098"  # nothing listens there during replay
KEPT = {
    "content-type",
    "link",
    "retry-after",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-limit",
}


def recording() -> bool:
    return os.environ.get("SELFREVIEW_RECORD") == "1"


def recorder(folder: Path, record: bool, live_base: str) -> Any:
    import vcr

    def request(req: Any) -> Any:
        parts = urlsplit(req.uri)
        req.uri = urlunsplit((parts.scheme, urlsplit(REPLAY).netloc, parts.path, parts.query, ""))
        for name in list(req.headers):
            if name.lower() in ("user-agent", "host", "cookie"):
                del req.headers[name]
        return req

    def response(resp: dict[str, Any]) -> dict[str, Any]:
        resp["headers"] = {
            k: [v.replace(live_base, REPLAY) for v in vs]
            for k, vs in resp["headers"].items()
            if k.lower() in KEPT
        }
        resp["body"]["string"] = resp["body"]["string"].replace(live_base.encode(), REPLAY.encode())
        return resp

    return vcr.VCR(
        cassette_library_dir=str(folder),
        record_mode="once" if record else "none",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        filter_headers=["authorization"],
        before_record_request=request,
        before_record_response=response,
    )


@contextmanager
def cassette(folder: Path, name: str, server_factory: Callable[[], Any]) -> Iterator[tuple[str, Any, Any]]:
    """(base url, the live server when recording, the cassette) for one test."""
    record = recording()
    path = folder / f"{name}.yaml"
    if record:
        path.unlink(missing_ok=True)
    elif not path.is_file():
        pytest.fail(f"cassette {path.name} is missing: record it with SELFREVIEW_RECORD=1")
    server = server_factory().start() if record else None
    base = server.base_url if server else REPLAY
    try:
        with recorder(folder, record, base).use_cassette(str(path)) as played:
            yield base, server, played
            if not record:
                assert played.all_played, "the sync made fewer requests than the cassette recorded"
    finally:
        if server:
            server.stop()
