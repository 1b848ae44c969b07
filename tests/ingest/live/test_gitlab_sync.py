"""GitLab live sync replayed from cassettes (record_mode="none"): merge requests authored, approvals given and
merge requests merged for others, with the roles a GitHub PR gets; pages followed; a re-sync asks only for
changes; a 429 honoured; no token in any cassette.

Re-record against the local server (tests/ingest/live/gitlab_server.py):
    SELFREVIEW_RECORD=1 .venv/bin/python -m pytest tests/ingest/live/test_gitlab_sync.py -q
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from app.metrics import compute
from ingest.identity import Identity
from ingest.live import gitlab
from ingest.live.http import Client
from ingest.live.sync import mark_synced, sync_dir
from ingest.sources import Skips, SourceOptions, connector
from tests.ingest.live.gitlab_server import TOKEN, GitLabServer
from tests.ingest.live.replay import CASSETTES, cassette

FOLDER = CASSETTES / "gitlab_sync"
MAYA = Identity(names=["Maya Chen"], logins={"gitlab": ["maya-chen"]})


@pytest.fixture
def gitlab_api(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any, Any]]:
    with cassette(FOLDER, request.node.name, GitLabServer) as found:
        yield found


def _sync(tmp_path: Path, base: str, waits: list[float]) -> dict[str, Any]:
    return gitlab.run(
        tmp_path, "default", "maya-chen", client=Client(base, TOKEN, sleep=waits.append), identity=MAYA
    )


def _records(folder: Path) -> dict[str, Any]:
    skips = Skips()
    found = {e.id: e for e in connector(gitlab.KIND)([folder], SourceOptions(identity=MAYA), skips)}
    assert skips.items == []
    return found


def _params(played: Any, path: str) -> list[dict[str, str]]:
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(r.uri).query).items()}
        for r in played.requests
        if urlsplit(r.uri).path == path
    ]


def test_a_first_sync_gives_merge_requests_approvals_and_merges_with_their_roles(
    gitlab_api, tmp_path: Path
) -> None:
    base, _, played = gitlab_api

    result = _sync(tmp_path, base, [])

    records = _records(result["folder"])
    assert {rid: (e.kind, e.role) for rid, e in records.items()} == {
        "gitlab:acme/payments!101": ("pr", "author"),
        "gitlab:acme/payments!102": ("pr", "author"),
        "gitlab:acme/payments!110": ("pr", "reviewer"),
        "gitlab:acme/payments!120": ("pr", "merger"),
        "gitlab:acme/payments!110/approval/7001": ("review", "reviewer"),
    }
    approval = records["gitlab:acme/payments!110/approval/7001"]
    assert (approval.date, approval.url) == (
        "2026-03-11T15:00:00+00:00",
        "https://gitlab.com/acme/payments/-/merge_requests/110",
    )
    metrics = {m.name: m.value for m in compute(list(records.values()))}
    assert (
        metrics["prs_authored"],
        metrics["prs_reviewed_or_merged"],
        metrics["bot_prs_reviewed_or_merged"],
        metrics["review_authors"],
    ) == (1, 1, 1, 1)  # !102 is open; !120 is Renovate's; Raj is one person
    assert records["gitlab:acme/payments!120"].extra["bot_author"] is True
    assert sum("page=2" in r.uri for r in played.requests) == 1  # the second page was followed
    assert not any(
        "updated_after" in p or "after" in p
        for p in _params(played, "/api/v4/merge_requests") + _params(played, "/api/v4/events")
    )


def test_a_second_sync_asks_only_for_changes_since_the_last(gitlab_api, tmp_path: Path) -> None:
    base, _, played = gitlab_api
    folder = sync_dir(tmp_path, "default", "gitlab")
    mark_synced(folder, datetime(2026, 3, 15, 12, 0, tzinfo=UTC))

    result = _sync(tmp_path, base, [])

    assert [p["updated_after"] for p in _params(played, "/api/v4/merge_requests")] == ["2026-03-15T11:00:00Z"]
    assert [p["after"] for p in _params(played, "/api/v4/events")] == ["2026-03-14", "2026-03-14"]
    assert not any("/projects/" in r.uri for r in played.requests)  # no merge request fetched again
    assert list(_records(result["folder"])) == ["gitlab:acme/payments!102"]


def test_a_429_with_retry_after_is_waited_out_and_the_sync_completes(gitlab_api, tmp_path: Path) -> None:
    base, server, played = gitlab_api
    if server:
        server.rate_limit_once()
    waits: list[float] = []

    result = _sync(tmp_path, base, waits)

    assert waits == [1.0]
    assert played.responses[0]["status"]["code"] == 429
    assert "gitlab:acme/payments!101" in _records(result["folder"])


def test_no_cassette_holds_the_token() -> None:
    texts = [p.read_text() for p in FOLDER.glob("*.yaml")]

    assert texts
    assert not any(TOKEN in t or re.search(r"(?i)authorization", t) for t in texts)
