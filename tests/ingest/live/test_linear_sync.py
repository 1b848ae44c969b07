"""Linear live sync replayed from cassettes (record_mode="none"): issues assigned to or created by the API key's
owner, as the Linear CSV connector reads them (same Evidence, same roles); cursor pages followed; a re-sync
asks only for issues updated since the last; Linear's RATELIMITED answer waited out; no key in any cassette.

Re-record against the local server (tests/ingest/live/linear_server.py):
    SELFREVIEW_RECORD=1 .venv/bin/python -m pytest tests/ingest/live/test_linear_sync.py -q
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.identity import Identity
from ingest.live import linear
from ingest.live.http import Client, rate_limit_wait
from ingest.live.sync import mark_synced, sync_dir
from ingest.sources import Skips, SourceOptions, connector
from tests.ingest.live.linear_server import TOKEN, LinearServer
from tests.ingest.live.replay import CASSETTES, cassette

FOLDER = CASSETTES / "linear_sync"
CSV = Path(__file__).resolve().parents[2] / "data" / "linear" / "issues.csv"


@pytest.fixture
def linear_api(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any, Any]]:
    with cassette(FOLDER, request.node.name, LinearServer) as found:
        yield found


def _sync(tmp_path: Path, base: str, waits: list[float]) -> dict[str, Any]:
    return linear.run(tmp_path, "default", client=Client(base, TOKEN, auth="", sleep=waits.append))


def _records(folder: Path) -> dict[str, Any]:
    skips = Skips()
    found = {e.id: e for e in connector(linear.KIND)([folder], SourceOptions(), skips)}
    assert skips.items == []
    return found


def _filters(played: Any) -> list[Any]:
    bodies = [json.loads(r.body) for r in played.requests]
    return [b["variables"]["filter"] for b in bodies if "issues" in b["query"]]


def test_a_first_sync_gives_the_records_and_roles_of_a_csv_export(linear_api, tmp_path: Path) -> None:
    base, _, played = linear_api

    result = _sync(tmp_path, base, [])

    records = _records(result["folder"])
    assert {rid: (e.kind, e.role) for rid, e in records.items()} == {
        "linear:ENG-481": ("ticket", "assignee"),
        "linear:ENG-482": ("ticket", "reporter"),
        "linear:ENG-495": ("ticket", "reporter"),
    }  # ENG-490 is Raj's alone: not asked for
    assert len(_filters(played)) == 2  # the second page was followed by its cursor
    assert not any("and" in f for f in _filters(played))


def test_a_synced_issue_is_the_evidence_its_csv_export_gives(linear_api, tmp_path: Path) -> None:
    base, _, _ = linear_api
    maya = SourceOptions(identity=Identity(names=["Maya Chen"]))

    synced = _records(_sync(tmp_path, base, [])["folder"])["linear:ENG-481"]
    exported = next(e for e in connector("linear")([CSV], maya, Skips()) if e.id == "linear:ENG-481")

    assert synced.url == "https://linear.app/acme/issue/eng-481"  # the API gives the link an export lacks
    assert {**synced.to_dict(), "url": ""} == {**exported.to_dict(), "url": ""}


def test_a_second_sync_asks_only_for_changes_since_the_last(linear_api, tmp_path: Path) -> None:
    base, _, played = linear_api
    mark_synced(sync_dir(tmp_path, "default", "linear"), datetime(2026, 3, 15, 12, 0, tzinfo=UTC))

    result = _sync(tmp_path, base, [])

    (only,) = _filters(played)
    assert only["and"][1] == {"updatedAt": {"gte": "2026-03-15T11:00:00Z"}}
    assert list(_records(result["folder"])) == ["linear:ENG-495"]


def test_a_ratelimited_answer_is_waited_out_and_the_sync_completes(linear_api, tmp_path: Path) -> None:
    base, server, played = linear_api
    if server:
        server.rate_limit_once()
    waits: list[float] = []

    result = _sync(tmp_path, base, waits)

    assert played.responses[0]["status"]["code"] == 400
    assert "RATELIMITED" in str(played.responses[0]["body"]["string"])
    assert len(waits) == 1  # the reset header is not kept in cassettes: its reading is tested below
    assert "linear:ENG-481" in _records(result["folder"])


def test_linear_reset_time_is_read_in_milliseconds() -> None:
    answer = httpx.Response(
        400,
        json={"errors": [{"extensions": {"code": "RATELIMITED"}}]},
        headers={"X-RateLimit-Requests-Reset": "1773576030000"},
    )

    assert rate_limit_wait(answer, now=lambda: 1773576000.0) == 31.0
    assert rate_limit_wait(httpx.Response(400, json={"errors": [{"message": "bad filter"}]})) is None


def test_no_cassette_holds_the_key() -> None:
    texts = [p.read_text() for p in FOLDER.glob("*.yaml")]

    assert texts
    assert not any(TOKEN in t or re.search(r"(?i)authorization", t) for t in texts)
