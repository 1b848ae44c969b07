"""Dates that need more than one value to read: day/month order per file, daily-note names, mtime years."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ingest.sources.dates import AmbiguousDates, date_in_name, day_first, latest_day, reorder


def test_the_order_comes_from_an_unambiguous_value_in_the_same_file() -> None:
    assert day_first(["03.02.2026 09:00", "24.03.2026 08:00"]) is True
    assert day_first(["02/03/2026", "12/24/2026"]) is False
    assert day_first(["14/Mar/26 3:22 PM", "2026-03-14T10:00:00Z"]) is None


def test_undecidable_or_contradictory_files_need_a_date_format() -> None:
    with pytest.raises(AmbiguousDates, match="pass --date-format"):
        day_first(["03.02.2026", "04.05.2026"])
    with pytest.raises(AmbiguousDates, match="reads both ways"):
        day_first(["13.02.2026", "02.13.2026"])
    assert day_first(["03.02.2026"], "MM/dd/yyyy") is False


def test_reorder_writes_iso_so_no_parser_guesses() -> None:
    assert reorder("11.02.2026 16:30", True) == "2026-02-11 16:30"
    assert reorder("02/11/26", False) == "2026-02-11"
    assert reorder("14/Mar/26 3:22 PM", True) == "14/Mar/26 3:22 PM"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("2026_03_14", date(2026, 3, 14)),
        ("14-03-2026", date(2026, 3, 14)),
        ("03-14-2026", date(2026, 3, 14)),
        ("Standup 20260314", date(2026, 3, 14)),
        ("ideas", None),
    ],
)
def test_daily_note_names_carry_their_date(stem: str, expected: date | None) -> None:
    assert date_in_name(stem) == expected


def test_a_day_from_mtime_is_never_in_the_future() -> None:
    future = datetime(2031, 5, 1, tzinfo=UTC).timestamp()
    past = datetime(2025, 11, 3, 15, 0, tzinfo=UTC).timestamp()

    assert latest_day(future, today=date(2026, 3, 14)) == date(2026, 3, 14)
    assert latest_day(past, today=date(2026, 3, 14)) == date(2025, 11, 3)
