"""Forgotten wins: the high-signal work a draft left out."""

from __future__ import annotations

from app.retrieval import forgotten_wins
from ingest.evidence import Evidence


def item(
    ident: str,
    title: str,
    role: str = "author",
    kind: str = "ticket",
    date: str = "2026-03-01",
    **fields: object,
) -> Evidence:
    return Evidence(
        id=ident, source="jira", kind=kind, title=title, role=role, date=f"{date}T00:00:00+00:00", **fields
    )  # type: ignore[arg-type]


def test_forgotten_wins_are_high_signal_items_not_cited() -> None:
    evidence = [
        item("jira:OPS-1", "Checkout outage", role="assignee", kind="incident"),
        item("email:k", "Thanks!", role="recipient", kind="kudos", author="Priya"),
        item(
            "jira:PAY-9",
            "Fraud check bypass",
            role="assignee",
            native={"priority": "Highest", "status": "Done"},
        ),
        item("git:big", "Rewrite ledger", kind="commit", stats={"insertions": 900, "deletions": 100}),
        item("git:small", "Fix typo", kind="commit", stats={"insertions": 1, "deletions": 1}),
        item("jira:PAY-10", "Low thing", role="assignee", native={"priority": "Low", "status": "Done"}),
    ]

    wins = forgotten_wins(evidence, cited_ids={"jira:OPS-1"})

    assert [w["id"] for w in wins] == ["email:k", "jira:PAY-9", "git:big"]
    assert wins[0]["why"] == "kudos from Priya"
