"""The Linear connector over a real-shaped CSV export: fields, estimates, roles, dates and bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingest.sources import Skips, SourceOptions
from ingest.sources.linear_source import iter_records

DATA = Path(__file__).resolve().parents[2] / "data" / "linear"
USER = SourceOptions(authors=["maya chen"])


def ingest(paths: list[Path], options: SourceOptions = USER) -> dict[str, object]:
    skips = Skips()
    records = {r.id: r for r in iter_records(paths, options, skips)}
    assert skips.items == []
    return records


def test_an_issue_becomes_a_ticket_with_estimate_cycle_and_completion_date() -> None:
    ticket = ingest([DATA])["linear:ENG-481"]

    assert (ticket.kind, ticket.role, ticket.title) == ("ticket", "assignee", "Cache exchange rates")
    assert ticket.body.endswith("Now cached for 60s: 40% fewer calls.")
    assert ticket.stats == {"story_points": 3, "cycle_time_days": 4.0}
    assert ticket.date == "2026-03-06T09:00:00+00:00"
    assert ticket.native == {
        "key": "ENG-481",
        "status": "Done",
        "priority": "High",
        "project": "Payments v2",
        "labels": "performance, payments",
        "cycle": "14",
        "team": "Engineering",
        "created": "2026-03-02T09:00:00+00:00",  # opened and completed, for how long it took
        "resolved": "2026-03-06T09:00:00+00:00",
    }


def test_javascript_dates_and_cancellations_are_read_with_their_offset() -> None:
    spike = ingest([DATA])["linear:ENG-482"]

    assert spike.date == "2026-03-11T10:00:00+01:00"
    assert spike.role == "reporter"
    assert spike.stats == {}


def test_roles_period_and_stable_ids() -> None:
    options = SourceOptions(authors=["Maya Chen"], since=datetime(2026, 3, 10, tzinfo=UTC))

    records = ingest([DATA / "issues.csv"], options)

    assert {k: r.role for k, r in records.items()} == {
        "linear:ENG-482": "reporter",
        "linear:ENG-490": "mentioned",
    }
    assert [r.to_dict() for r in iter_records([DATA], USER, Skips())] == [
        r.to_dict() for r in iter_records([DATA], USER, Skips())
    ]


def test_a_row_with_a_bad_estimate_is_skipped_by_line(tmp_path: Path) -> None:
    text = (DATA / "issues.csv").read_text()
    path = tmp_path / "linear.csv"
    path.write_text(text.replace('"","3","High"', '"","lots","High"').replace(",3,High,", ",lots,High,"))
    skips = Skips()

    records = [r.id for r in iter_records([path], USER, skips)]

    assert records == ["linear:ENG-482", "linear:ENG-490"]
    assert [(s.where, s.why) for s in skips.items] == [
        (f"{path}:2", "ENG-481: estimate is not a number: 'lots'")
    ]
