"""Jira Cloud live sync replayed from cassettes (record_mode="none"): issues you are assigned, reported or
resolved, by JQL on your accountId, read by the Jira connector with its roles; pages followed by
nextPageToken; a re-sync asks only for issues updated since the last; a 429 honoured; no token in any cassette.

Re-record against the local server (tests/ingest/live/jira_server.py):
    SELFREVIEW_RECORD=1 .venv/bin/python -m pytest tests/ingest/live/test_jira_sync.py -q
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from app.metrics import compute
from ingest.identity import Identity
from ingest.live import jira
from ingest.live.http import Client, SyncError
from ingest.live.sync import mark_synced, sync_dir
from ingest.sources import Skips, SourceOptions, connector
from tests.ingest.live.jira_server import EMAIL, MAYA, TOKEN, JiraServer
from tests.ingest.live.replay import CASSETTES, cassette

FOLDER = CASSETTES / "jira_sync"
ACCOUNT = MAYA["accountId"]
ME = Identity(names=["Maya Chen"], logins={"jira": [ACCOUNT]})


@pytest.fixture
def jira_api(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any, Any]]:
    with cassette(FOLDER, request.node.name, JiraServer) as found:
        yield found


def _sync(tmp_path: Path, base: str, waits: list[float]) -> dict[str, Any]:
    pair = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    return jira.run(tmp_path, "default", ACCOUNT, client=Client(base, pair, auth="Basic", sleep=waits.append))


def _records(folder: Path) -> dict[str, Any]:
    skips = Skips()
    found = {e.id: e for e in connector(jira.KIND)([folder], SourceOptions(identity=ME), skips)}
    assert skips.items == []
    return found


def _jql(played: Any) -> list[str]:
    return [parse_qs(urlsplit(r.uri).query)["jql"][0] for r in played.requests]


def test_a_first_sync_gives_the_records_and_roles_of_a_search_export(jira_api, tmp_path: Path) -> None:
    base, _, played = jira_api

    result = _sync(tmp_path, base, [])

    records = _records(result["folder"])
    assert {rid: (e.kind, e.role) for rid, e in records.items()} == {
        "jira:PAY-201": ("ticket", "assignee"),
        "jira:PAY-202": ("ticket", "reporter"),
        "jira:PAY-203": ("ticket", "mentioned"),
    }  # Raj's issue that Maya resolved: found, but not hers
    done = records["jira:PAY-201"]
    assert (done.date, done.url, done.stats["story_points"]) == (
        "2026-03-10T09:00:00+00:00",
        "https://acme.atlassian.net/browse/PAY-201",
        5,
    )
    assert done.body == "Idempotent refund retries.\n\nComments:\n- Shipped behind a flag."
    metrics = {m.name: m.value for m in compute(list(records.values()))}
    assert (metrics["tickets_resolved"], metrics["story_points"]) == (
        1,
        5,
    )  # only her resolved ticket's points
    assert [parse_qs(urlsplit(r.uri).query).get("nextPageToken") for r in played.requests] == [
        None,
        ["page-2"],
    ]
    assert all(f'assignee = "{ACCOUNT}"' in q and "updated >=" not in q for q in _jql(played))


def test_a_second_sync_asks_only_for_changes_since_the_last(jira_api, tmp_path: Path) -> None:
    base, _, played = jira_api
    folder = sync_dir(tmp_path, "default", "jira")
    mark_synced(folder, datetime(2026, 3, 15, 12, 0, tzinfo=UTC))

    result = _sync(tmp_path, base, [])

    assert _jql(played) == [
        f'(assignee = "{ACCOUNT}" OR reporter = "{ACCOUNT}" OR resolution CHANGED BY '
        f'"{ACCOUNT}") AND updated >= "2026-03-14 12:00" ORDER BY updated ASC'
    ]
    assert list(_records(result["folder"])) == ["jira:PAY-202"]


def test_a_429_with_retry_after_is_waited_out_and_the_sync_completes(jira_api, tmp_path: Path) -> None:
    base, server, played = jira_api
    if server:
        server.rate_limit_once()
    waits: list[float] = []

    result = _sync(tmp_path, base, waits)

    assert waits == [1.0]
    assert played.responses[0]["status"]["code"] == 429
    assert "jira:PAY-201" in _records(result["folder"])


def test_without_a_site_or_email_the_sync_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIRA_URL", raising=False)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)

    with pytest.raises(SyncError, match="set JIRA_URL .* and JIRA_EMAIL"):
        jira.client_from_env()


def test_no_cassette_holds_the_token() -> None:
    texts = [p.read_text() for p in FOLDER.glob("*.yaml")]
    pair = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()

    assert texts
    assert not any(TOKEN in t or pair in t or re.search(r"(?i)authorization", t) for t in texts)
