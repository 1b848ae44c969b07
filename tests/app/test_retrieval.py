"""Retrieval for a criterion prefers what the user did, drops weak matches, and finds forgotten wins."""

from __future__ import annotations

from datetime import UTC, datetime

from app.fakes import InMemoryIndex
from app.model import Criterion, Hit
from app.retrieval import criterion_query, forgotten_wins, rerank, retrieve
from ingest.evidence import Evidence


def item(ident: str, title: str, role: str = "author", kind: str = "ticket", date: str = "2026-03-01",
         **fields: object) -> Evidence:
    return Evidence(id=ident, source="jira", kind=kind, title=title, role=role, date=f"{date}T00:00:00+00:00",
                    **fields)  # type: ignore[arg-type]


def test_query_uses_the_criterion_signals_and_its_themes() -> None:
    criterion = Criterion("c", "People", "L3", "I mentor others", {"signals": ["pairing sessions"]})

    query = criterion_query(criterion)

    assert "pairing sessions" in query
    assert "review" in query


def test_owned_work_ranks_above_the_same_match_where_the_user_was_mentioned() -> None:
    hits = [Hit(item("jira:1", "refund cache", role="mentioned"), 5.0, ""),
            Hit(item("jira:2", "refund cache", role="assignee"), 5.0, ""),
            Hit(item("jira:3", "refund cache", role="reviewer", kind="pr"), 5.0, "")]

    ranked = rerank(hits, "refund cache")

    assert [r.evidence.id for r in ranked] == ["jira:2", "jira:3", "jira:1"]


def test_weak_matches_are_dropped() -> None:
    hits = [Hit(item("jira:1", "refund cache rollout"), 10.0, ""), Hit(item("jira:2", "refund"), 1.0, ""),
            Hit(item("jira:3", "offsite planning"), 9.0, "")]

    ranked = rerank(hits, "refund cache rollout")

    assert [r.evidence.id for r in ranked] == ["jira:1"]


def test_retrieve_stays_inside_the_period() -> None:
    index = InMemoryIndex([item("jira:old", "refund cache", date="2025-01-01"), item("jira:new", "refund cache")])
    criterion = Criterion("c", "Delivery", "L3", "refund cache")

    ranked = retrieve(index, criterion, since=datetime(2026, 1, 1, tzinfo=UTC))

    assert [r.evidence.id for r in ranked] == ["jira:new"]


def test_forgotten_wins_are_high_signal_items_not_cited() -> None:
    evidence = [
        item("jira:OPS-1", "Checkout outage", role="assignee", kind="incident"),
        item("email:k", "Thanks!", role="recipient", kind="kudos", author="Priya"),
        item("jira:PAY-9", "Fraud check bypass", role="assignee", native={"priority": "Highest", "status": "Done"}),
        item("git:big", "Rewrite ledger", kind="commit", stats={"insertions": 900, "deletions": 100}),
        item("git:small", "Fix typo", kind="commit", stats={"insertions": 1, "deletions": 1}),
        item("jira:PAY-10", "Low thing", role="assignee", native={"priority": "Low", "status": "Done"}),
    ]

    wins = forgotten_wins(evidence, cited_ids={"jira:OPS-1"})

    assert [w["id"] for w in wins] == ["email:k", "jira:PAY-9", "git:big"]
    assert wins[0]["why"] == "kudos from Priya"


def test_for_a_people_criterion_solo_work_counts_only_when_it_speaks_of_people_work() -> None:
    hits = [
        Hit(item("git:1", "Level up the team's parser error messages for less-experienced contributors",
                 kind="commit"), 9.0, ""),
        Hit(item("notes:2", "Mentored less-experienced engineers through their first parser review",
                 kind="note"), 8.0, ""),
        Hit(item("git:3", "Merge pull request #12 from sam/parser: less-experienced contributor guide",
                 role="merger", kind="pr", author="Sam Lee", native={"pr_author": "Sam Lee"}), 8.0, ""),
    ]

    ranked = rerank(hits, "I level up less-experienced engineers and contributors", prefer_review=True)
    strong = {r.evidence.id for r in ranked if r.strong}

    assert "git:1" not in strong  # a commit about error messages is no evidence of mentoring
    assert "notes:2" in strong
    assert {r.evidence.id for r in ranked} >= {"git:1", "notes:2"}  # still retrieved, just not counted


def test_an_item_sharing_only_ladder_boilerplate_words_is_not_a_match() -> None:
    hits = [Hit(item("git:1", "Revert the sort exception", kind="commit",
                     body="The same resulting value occurs regardless of the method."), 9.0, ""),
            Hit(item("jira:2", "Customer value dashboard", body="Delivered the dashboard customers asked for."),
                8.0, "")]

    ranked = rerank(hits, "I deliver customer value")

    assert [r.evidence.id for r in ranked] == ["jira:2"]
