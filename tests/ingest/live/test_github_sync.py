"""GitHub live sync replayed from cassettes (record_mode="none"): records and roles, pagination, a re-sync that
asks only for changes, a 429 honoured, and no token in any cassette.

Re-record against the local server (tests/ingest/live/github_server.py):
    SELFREVIEW_RECORD=1 .venv/bin/python -m pytest tests/ingest/live -q
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest

from app.metrics import compute
from ingest.identity import Identity
from ingest.live import github
from ingest.live.http import Client
from ingest.live.sync import mark_synced, sync_dir
from ingest.sources import Skips, SourceOptions
from ingest.sources.github_source import iter_records
from tests.ingest.live.github_server import TOKEN, GitHubServer

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "github_sync"
REPLAY = "http://127.0.0.1:8098"
MAYA = SourceOptions(identity=Identity(logins={"github": ["maya-chen"]}))


def _vcr(record: bool, live_base: str) -> Any:
    import vcr

    def request(req: Any) -> Any:
        parts = urlsplit(req.uri)
        req.uri = urlunsplit((parts.scheme, urlsplit(REPLAY).netloc, parts.path, parts.query, ""))
        for name in list(req.headers):
            if name.lower() in ("user-agent", "host", "cookie"):
                del req.headers[name]
        return req

    def response(resp: dict[str, Any]) -> dict[str, Any]:
        keep = {"content-type", "link", "retry-after", "x-ratelimit-remaining", "x-ratelimit-reset"}
        resp["headers"] = {
            k: [v.replace(live_base, REPLAY) for v in vs]
            for k, vs in resp["headers"].items()
            if k.lower() in keep
        }
        resp["body"]["string"] = resp["body"]["string"].replace(live_base.encode(), REPLAY.encode())
        return resp

    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="once" if record else "none",
        match_on=["method", "scheme", "host", "port", "path", "query"],
        filter_headers=["authorization"],
        before_record_request=request,
        before_record_response=response,
    )


@pytest.fixture
def github_api(request: pytest.FixtureRequest) -> Iterator[tuple[str, GitHubServer | None, Any]]:
    """(base url, the live server when recording, the cassette)."""
    record = os.environ.get("SELFREVIEW_RECORD") == "1"
    path = CASSETTES / f"{request.node.name}.yaml"
    if record:
        path.unlink(missing_ok=True)
    elif not path.is_file():
        pytest.fail(f"cassette {path.name} is missing: record it with SELFREVIEW_RECORD=1")
    server = GitHubServer().start() if record else None
    base = server.base_url if server else REPLAY
    try:
        with _vcr(record, base).use_cassette(str(path)) as cassette:
            yield base, server, cassette
            if not record:
                assert cassette.all_played, "the sync made fewer requests than the cassette recorded"
    finally:
        if server:
            server.stop()


def _client(base: str, waits: list[float]) -> Client:
    return Client(base, TOKEN, sleep=waits.append)


def _records(folder: Path) -> dict[str, Any]:
    skips = Skips()
    found = {e.id: e for e in iter_records([folder], MAYA, skips)}
    assert skips.items == []
    return found


def _queries(cassette: Any) -> list[str]:
    return [
        parse_qs(urlsplit(r.uri).query).get("q", [""])[0]
        for r in cassette.requests
        if urlsplit(r.uri).path == "/search/issues"
    ]


def test_a_first_sync_gives_the_records_and_roles_the_file_connector_gives(
    github_api, tmp_path: Path
) -> None:
    base, _, cassette = github_api
    folder = sync_dir(tmp_path, "default", "github")

    github.run(tmp_path, "default", "maya-chen", client=_client(base, []))

    roles = {rid: (e.kind, e.role) for rid, e in _records(folder).items()}
    assert roles == {
        "github:acme/payments#501": ("pr", "author"),
        "github:acme/payments#502": ("pr", "author"),
        "github:acme/payments#510": ("pr", "reviewer"),
        "github:acme/payments#520": ("pr", "merger"),
        "github:acme/payments#510/review/9001": ("review", "reviewer"),
        "github:acme/payments#530": ("issue", "assignee"),
        "github:acme/payments#531": ("issue", "assignee"),
    }
    metrics = {m.name: m.value for m in compute(list(_records(folder).values()))}
    assert (metrics["prs_authored"], metrics["tickets_resolved"]) == (1, 1)  # 502 is open; 531 not planned
    assert sum("page=2" in r.uri for r in cassette.requests) == 1  # the second page was followed
    assert not any("updated:>=" in q for q in _queries(cassette))


def test_a_second_sync_asks_only_for_changes_since_the_last(github_api, tmp_path: Path) -> None:
    base, _, cassette = github_api
    folder = sync_dir(tmp_path, "default", "github")
    mark_synced(folder, datetime(2026, 3, 15, 12, 0, tzinfo=UTC))

    result = github.run(tmp_path, "default", "maya-chen", client=_client(base, []))

    queries = _queries(cassette)
    assert queries
    assert all("updated:>=2026-03-15T11:00:00Z" in q for q in queries)  # an hour of overlap
    assert [p.name.split("-", 1)[1] for p in result["files"]] == ["prs-authored.json"]
    assert list(_records(folder)) == ["github:acme/payments#502"]


def test_a_429_with_retry_after_is_waited_out_and_the_sync_completes(github_api, tmp_path: Path) -> None:
    base, server, cassette = github_api
    if server:
        server.rate_limit_once()
    waits: list[float] = []

    github.run(tmp_path, "default", "maya-chen", client=_client(base, waits))

    assert waits == [1.0]
    assert cassette.responses[0]["status"]["code"] == 429
    assert "github:acme/payments#501" in _records(sync_dir(tmp_path, "default", "github"))


def test_no_cassette_holds_the_token() -> None:
    texts = [p.read_text() for p in CASSETTES.glob("*.yaml")]

    assert texts
    assert not any(TOKEN in t or re.search(r"(?i)authorization", t) for t in texts)
