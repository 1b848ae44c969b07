"""Date and source filters on Chroma-served search: over-fetched, pushed down as ids or as a `where`, the same
hits, all inside the filter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import search
from app.search import HybridSearch
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl

SOURCES = ["jira", "github", "notes"]
FILTERS = {
    "wide": (datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC), ["jira", "github"]),
    "narrow": (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC), ["notes"]),
    "source only": (None, None, ["github"]),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> HybridSearch:
    home = tmp_path_factory.mktemp("filtered")
    records = [
        evidence_record(
            n,
            source=SOURCES[n % 3],
            id=f"{SOURCES[n % 3]}:item-{n}",
            title=f"Refund ledger change {n} for payments",
        )
        for n in range(600)
    ]
    workspace = Workspace(home, "default")
    ingest(workspace, FakeEmbedder(), "jsonl", [write_jsonl(home / "a.jsonl", records)])
    return HybridSearch(workspace, FakeEmbedder)


def hits(
    index: HybridSearch, mode: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, str]]:
    index.filtering = "pushdown" if mode.startswith("pushdown") else "overfetch"
    monkeypatch.setattr(search, "IDS_LIMIT", 0 if mode == "pushdown as where" else 2000)
    since, until, sources = FILTERS[name]
    return [
        (h.evidence.id, h.evidence.source, h.evidence.date)
        for h in index.search("refund ledger payments", 10, since, until, sources)
    ]


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_way_of_filtering_returns_the_same_hits_inside_the_filter(
    index: HybridSearch, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    since, until, sources = FILTERS[name]
    found = {
        mode: hits(index, mode, name, monkeypatch)
        for mode in ("overfetch", "pushdown as ids", "pushdown as where")
    }

    assert len(found["overfetch"]) == 10
    assert found["overfetch"] == found["pushdown as ids"] == found["pushdown as where"]
    for _, source, date in found["overfetch"]:
        assert source in sources
        when = datetime.fromisoformat(date)
        assert since is None or when >= since
        assert until is None or when <= until


def test_a_filter_nothing_matches_returns_nothing(index: HybridSearch) -> None:
    assert index.search("refund", 10, datetime(2030, 1, 1, tzinfo=UTC), None, ["jira"]) == []
