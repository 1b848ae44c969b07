"""Chunking: short items whole, long ones split, title/date/source carried into every chunk."""

from __future__ import annotations

from ingest.chunking import CHUNK_TOKENS, chunk, encoding
from ingest.evidence import Evidence


def make(body: str) -> Evidence:
    return Evidence(
        id="jira:PAY-142",
        source="jira",
        kind="ticket",
        title="Ledger migration cutover",
        date="2026-03-14T10:00:00+00:00",
        body=body,
        stats={"story_points": 8},
    )


def test_short_item_is_one_chunk_with_title_date_source_and_stats() -> None:
    chunks = chunk(make("Moved 1.2k merchants to the new ledger."))

    assert len(chunks) == 1
    text = chunks[0].text
    assert text.startswith("Ledger migration cutover\n[jira ticket, 2026-03-14, author]")
    assert "1.2k merchants" in text
    assert "story points: 8" in text


def test_long_item_splits_into_windows_that_each_carry_the_header_and_fit_the_model() -> None:
    body = " ".join(f"Step {i}: migrated shard {i} and verified balances." for i in range(300))

    chunks = chunk(make(body))

    assert len(chunks) > 5
    assert [c.id for c in chunks] == [f"jira:PAY-142#{i}" for i in range(len(chunks))]
    assert all(c.text.startswith("Ledger migration cutover\n[jira ticket, 2026-03-14") for c in chunks)
    assert all(len(encoding().encode(c.text)) <= CHUNK_TOKENS + 5 for c in chunks)
    assert "Step 299" in chunks[-1].text


def test_facts_about_the_people_in_someone_elses_change_are_not_searched_as_words() -> None:
    item = make("Fraud rules for the checkout.")
    item.stats |= {"insertions": 40, "author_prior_changes": 0, "user_commits": 2}

    text = chunk(item)[0].text

    assert "insertions: 40" in text
    assert "prior" not in text
    assert "user commits" not in text
