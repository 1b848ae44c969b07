"""The in-memory index behaves like the real one: one hit per item, best first, within the filters."""

from __future__ import annotations

from datetime import UTC, datetime

from app.fakes import InMemoryIndex
from ingest.evidence import Evidence


def item(ident: str, title: str, source: str = "jira", date: str = "2026-03-01") -> Evidence:
    return Evidence(id=ident, source=source, kind="ticket", title=title, date=f"{date}T00:00:00+00:00")


INDEX = InMemoryIndex(
    [
        item("jira:1", "Refund cache in Redis"),
        item("jira:2", "Refund retries"),
        item("git:3", "Refund cache eviction", source="git", date="2025-06-01"),
        item("jira:4", "Team offsite"),
    ]
)


def test_search_ranks_by_term_overlap_and_skips_unrelated_items() -> None:
    hits = INDEX.search("refund cache", k=10)

    assert [h.evidence.id for h in hits][:2] in (["jira:1", "git:3"], ["git:3", "jira:1"])
    assert "jira:4" not in [h.evidence.id for h in hits]
    assert hits[0].score >= hits[-1].score > 0


def test_filters_by_period_and_source() -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)

    assert [h.evidence.id for h in INDEX.search("refund", since=since)] == ["jira:2", "jira:1"] or {
        h.evidence.id for h in INDEX.search("refund", since=since)
    } == {"jira:1", "jira:2"}
    assert [h.evidence.id for h in INDEX.search("refund", sources=["git"])] == ["git:3"]
    assert [e.id for e in INDEX.all_evidence(until=since)] == ["git:3"]
