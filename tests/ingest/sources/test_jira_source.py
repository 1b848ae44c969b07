"""The Jira connector over a CSV export and REST search JSON: fields, roles, stats, dates, skipped rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingest.sources import Skips, SourceOptions
from ingest.sources.jira_source import iter_records

DATA = Path(__file__).resolve().parents[2] / "data" / "jira"
BOTH = [DATA / "export.csv", DATA / "search.json"]
USER = SourceOptions(authors=["Maya Chen", "maya@acme.io"])


def ingest(paths: list[Path], options: SourceOptions = USER) -> dict[str, object]:
    skips = Skips()
    records = {r.id: r for r in iter_records(paths, options, skips)}
    assert skips.items == []
    return records


def test_csv_rows_become_tickets_with_repeated_columns_collected() -> None:
    ticket = ingest([DATA / "export.csv"])["jira:PAY-142"]

    assert ticket.title == "Migrate refunds to ledger API"
    assert ticket.kind == "ticket"
    assert ticket.native == {
        "key": "PAY-142",
        "type": "Story",
        "priority": "High",
        "status": "Done",
        "resolution": "Done",
        "labels": "payments, q1-goal",
        "sprint": "Sprint 11, Sprint 12",
        "components": "refunds, ledger",
        "created": "2026-03-02T09:15:00+00:00",  # opened and resolved, for how long it took
        "resolved": "2026-03-14T15:22:00+00:00",
    }
    assert ticket.stats == {"comments": 2, "story_points": 5, "cycle_time_days": 12.3}
    assert ticket.body.startswith(
        "Refunds call the old gateway.\nMove them to the ledger API.\n\n* p95 900ms"
    )
    assert '- Shadow traffic is clean, "ready" to switch.' in ticket.body


def test_jira_date_formats_are_read_and_the_resolution_date_wins() -> None:
    records = ingest([DATA / "export.csv"])

    assert records["jira:PAY-142"].date == "2026-03-14T15:22:00+00:00"
    assert records["jira:PAY-150"].date == "2026-03-20T10:05:00+00:00"
    assert records["jira:PAY-151"].date == "2026-03-22T09:00:00+00:00"  # unresolved: the update date


def test_roles_follow_assignee_then_reporter_and_incidents_are_their_own_kind() -> None:
    records = ingest([DATA / "export.csv"])

    assert {k: (r.kind, r.role) for k, r in records.items()} == {
        "jira:PAY-142": ("ticket", "assignee"),
        "jira:PAY-150": ("incident", "assignee"),
        "jira:PAY-151": ("ticket", "reporter"),
        "jira:PAY-160": ("ticket", "mentioned"),
    }
    assert records["jira:PAY-150"].stats["cycle_time_days"] == 0.1


def test_rest_search_json_flattens_adf_and_reads_points_sprint_and_offsets() -> None:
    records = ingest([DATA / "search.json"])

    bug = records["jira:PAY-170"]
    assert bug.body.startswith("Settlement runs twice on DST days.\ndedupe by batch id")
    assert "Verified in prod." in bug.body
    assert bug.date == "2026-03-04T17:30:00+01:00"
    assert bug.stats == {"comments": 1, "story_points": 3, "cycle_time_days": 3.4}
    assert bug.native["sprint"] == "Sprint 11"
    assert bug.url == "https://acme.atlassian.net/browse/PAY-170"
    assert (bug.role, bug.author) == ("assignee", "Maya Chen")
    assert records["jira:PAY-171"].role == "reporter"


def test_a_folder_mixes_both_formats_and_ids_are_stable() -> None:
    first = [r.to_dict() for r in iter_records(BOTH, USER, Skips())]
    second = [r.to_dict() for r in iter_records(BOTH, USER, Skips())]

    assert first == second
    assert len(first) == 6


def test_the_period_filters_by_resolution_or_update_date() -> None:
    options = SourceOptions(
        authors=["Maya Chen"],
        since=datetime(2026, 3, 10, tzinfo=UTC),
        until=datetime(2026, 3, 21, tzinfo=UTC),
    )

    assert set(ingest(BOTH, options)) == {"jira:PAY-142", "jira:PAY-150"}


def test_malformed_rows_are_named_by_the_line_they_start_on(tmp_path: Path) -> None:
    lines = (DATA / "export.csv").read_text().splitlines(keepends=True)
    # line 1 is the header, PAY-142 spans lines 2-5 (a multi-line description), PAY-150 is line 6.
    bad = (
        "Too short,PAY-999\r\n"
        "No key,,1,,Task,Done,PAY,Payments,Low,,A,B,C,yesterday-ish,,,,,,,,,,,,,,\r\n"
        "Bad date,PAY-998,1,,Task,Done,PAY,Payments,Low,,A,B,C,32/Foo/26 9:00 AM,,,,,,,,,,,,,,\r\n"
    )
    path = tmp_path / "broken.csv"
    path.write_text("".join(lines[:6]) + bad + "".join(lines[6:]))
    skips = Skips()

    records = [r.id for r in iter_records([path], USER, skips)]

    assert records == ["jira:PAY-142", "jira:PAY-150", "jira:PAY-151", "jira:PAY-160"]
    assert [s.where for s in skips.items] == [f"{path}:7", f"{path}:8", f"{path}:9"]
    assert "columns" in skips.items[0].why
    assert "no issue key" in skips.items[1].why
    assert "unreadable date" in skips.items[2].why
