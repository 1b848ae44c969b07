"""Numbers in text are claims with values and units; ids and dates are not; rounding still matches."""

from __future__ import annotations

import pytest

from app.model import Metric
from app.numbers import extract, grounded
from ingest.evidence import Evidence


def values(text: str) -> list[tuple[float, str]]:
    return [(n.value, n.unit) for n in extract(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saved 1,200 requests", [(1200, "")]),
        ("Saved 1200 requests", [(1200, "")]),
        ("Saved 1.2k requests", [(1200, "")]),
        ("Cut p95 latency 38%", [(38, "%")]),
        ("Made it 2x faster", [(2, "x")]),
        ("Saved $12,400", [(12400, "USD")]),
        ("Shipped 3 weeks early", [(3 * 604800, "s")]),
        ("Now 840 ms", [(0.84, "s")]),
        ("Reached 99.95% uptime", [(99.95, "%")]),
        ("Fixed three flaky tests", [(3, "")]),
    ],
)
def test_numbers_are_read_with_normalised_values_and_units(text: str, expected: list) -> None:
    found = values(text)

    assert [unit for _, unit in found] == [unit for _, unit in expected]
    assert [value for value, _ in found] == pytest.approx([value for value, _ in expected])


@pytest.mark.parametrize(
    "text",
    [
        "Closed PAY-142 and #9363",
        "Released v1.2.3 and 2.4.1",
        "Shipped on 2026-03-14",
        "Planned for Q2 and H1",
        "Done in 2021",
        "Deployed at 10:30 am",
        "Launched on March 14",
        "Fixed `Style/Rule9` in commit 41928e862cdd",
        "Cut p95 for IC3",
    ],
)
def test_ids_dates_versions_and_times_are_not_claims(text: str) -> None:
    assert extract(text) == []


def test_spans_point_at_the_number_text() -> None:
    text = "Cut latency 38% and saved $12,400"

    found = extract(text)

    assert [text[slice(*n.span)] for n in found] == ["38%", "$12,400"]


def evidence(title: str = "", body: str = "", **stats: float) -> Evidence:
    return Evidence(
        id="jira:PAY-1",
        source="jira",
        kind="ticket",
        title=title,
        date="2026-03-01T00:00:00+00:00",
        body=body,
        stats=stats,
    )


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("cut latency 38%", evidence(body="p95 went down 38.1% after the cache")),
        ("about 1.2k requests", evidence(body="1,234 requests a second")),
        ("1.2k requests", evidence(body="1,234 requests a second")),
        ("now 840 ms", evidence(body="now 0.84 s at p95")),
        ("merged in 3 days", evidence(cycle_time_hours=70)),
        ("+257 lines", evidence(insertions=257)),
        ("over 40 tickets", evidence(body="41 tickets closed")),
    ],
)
def test_rounded_and_converted_numbers_are_grounded(claim: str, source: Evidence) -> None:
    [number] = extract(claim)

    assert grounded(number, [source]) == "jira:PAY-1"


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("cut latency 38.5%", evidence(body="p95 went down 38% after the cache")),
        ("cut latency 40%", evidence(body="p95 went down 38%")),
        ("1.3k requests", evidence(body="1,234 requests")),
        ("saved $12,400", evidence(body="saved 12,400 hours")),
    ],
)
def test_invented_or_more_precise_numbers_are_not_grounded(claim: str, source: Evidence) -> None:
    [number] = extract(claim)

    assert grounded(number, [source]) is None


def test_a_metric_value_grounds_a_count() -> None:
    [number] = extract("merged 41 PRs")

    assert (
        grounded(number, [], [Metric("prs_reviewed_or_merged", 41, ["git:a"])])
        == "metric:prs_reviewed_or_merged"
    )
