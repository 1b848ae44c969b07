"""The verification gate: only retrieved citations, only grounded numbers, 'led' only for owned work."""

from __future__ import annotations

from app.gate import exportable, held_back_because, verify
from app.model import Bullet, Metric
from ingest.evidence import Evidence


def item(ident: str, title: str, role: str = "author", body: str = "", **stats: float) -> Evidence:
    return Evidence(
        id=ident,
        source="jira",
        kind="ticket",
        title=title,
        date="2026-03-01T00:00:00+00:00",
        body=body,
        role=role,
        stats=stats,
    )


REFUND = item("jira:PAY-142", "Cache refund lookups", body="p95 latency down 38% after the cache")
MERGED = item("git:r@abc123def456", "Merge pull request #9 from lee/retries", role="merger")
RETRIEVED = {e.id: e for e in (REFUND, MERGED)}
ROLLOUT = {
    "git:r@abc123def456": item(
        "git:r@abc123def456",
        "Merge pull request #9 from lee/retries",
        role="merger",
        body="Retries rollout: retry budget for every service.",
    )
}


def test_phantom_citations_are_removed_and_flagged() -> None:
    bullet = Bullet("Cut refund p95 latency 38% by caching lookups", ["jira:PAY-142", "jira:PAY-999"])

    checked = verify(bullet, RETRIEVED)

    assert checked.evidence == ["jira:PAY-142"]
    assert "phantom citation removed: jira:PAY-999" in checked.flags


def test_a_number_in_the_cited_evidence_is_grounded_and_an_invented_one_is_not() -> None:
    bullet = Bullet("Cut refund p95 latency 38% and saved $12,000 a month", ["jira:PAY-142"])

    checked = verify(bullet, RETRIEVED)

    assert [(n.text, n.grounded, n.evidence) for n in checked.numbers] == [
        ("38%", True, "jira:PAY-142"),
        ("$12,000", False, None),
    ]
    assert "ungrounded number: $12,000" in checked.flags


def test_a_number_from_uncited_evidence_does_not_count() -> None:
    bullet = Bullet("Cut refund p95 latency 38%", ["git:r@abc123def456"])

    checked = verify(bullet, RETRIEVED)

    assert checked.numbers[0].grounded is False


def test_led_on_a_merger_only_item_fails_the_role_check() -> None:
    checked = verify(Bullet("Led the retries rollout", ["git:r@abc123def456"]), RETRIEVED)

    assert checked.role_ok is False
    assert any(flag.startswith("role check: 'Led'") and "merger" in flag for flag in checked.flags)
    assert verify(Bullet("Led the refund cache", ["jira:PAY-142"]), RETRIEVED).role_ok is True


def test_metric_citation_stands_only_when_its_ids_are_in_the_period() -> None:
    metrics = [
        Metric("prs_reviewed_or_merged", 41, ["git:r@abc123def456"]),
        Metric("commits", 12, ["git:elsewhere@1"]),
    ]
    bullet = Bullet(
        "Merged 41 PRs and authored 12 commits", ["metric:prs_reviewed_or_merged", "metric:commits"]
    )

    checked = verify(bullet, RETRIEVED, metrics, period_ids={"git:r@abc123def456"})

    assert checked.evidence == ["metric:prs_reviewed_or_merged"]
    assert [(n.text, n.grounded) for n in checked.numbers] == [("41", True), ("12", False)]


def test_export_holds_back_a_bullet_with_an_ungrounded_number_whole() -> None:
    checked = verify(
        Bullet("Cut refund p95 latency 38% by caching lookups (saving $12,000 a month)", ["jira:PAY-142"]),
        RETRIEVED,
    )

    assert exportable(checked) is None  # nothing is cut out of it: the page and the export agree
    assert held_back_because(checked) == "a number in it is not backed by the evidence it cites: $12,000"


def test_export_keeps_a_clean_bullet_as_it_is() -> None:
    checked = verify(Bullet("Cut refund p95 latency 38% by caching lookups", ["jira:PAY-142"]), RETRIEVED)

    assert exportable(checked) == checked


def test_export_drops_a_bullet_that_is_nothing_but_an_invented_number() -> None:
    checked = verify(Bullet("Saved $12,000", ["jira:PAY-142"]), RETRIEVED)

    assert exportable(checked) is None


def test_export_rewrites_an_unearned_ownership_verb_when_the_sentence_still_reads() -> None:
    checked = verify(Bullet("Led the retries rollout", ["git:r@abc123def456"]), ROLLOUT)

    exported = exportable(checked)

    assert exported is not None
    assert exported.text == "Contributed to the retries rollout"


def test_a_softened_verb_keeps_its_grammar() -> None:
    checked = verify(
        Bullet("Sped up the retries rollout by leading and shipping the rollout", ["git:r@abc123def456"]),
        ROLLOUT,
    )

    exported = exportable(checked)

    assert exported is not None
    assert (
        exported.text == "Sped up the retries rollout by contributing to the rollout"
    )  # not "by contributed to"


def test_export_drops_a_bullet_with_no_citation_left() -> None:
    checked = verify(Bullet("Cut latency", ["jira:NOPE-1"]), RETRIEVED)

    assert exportable(checked) is None
