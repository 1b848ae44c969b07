"""Dates whose reading depends on more than one value: day/month order per file, and dates from file names.

`03.04.2026` is the 3rd of April in one export and March 4th in another: the order is decided from the
file's unambiguous values (a day above 12), or given with `--date-format`, never guessed silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

NUMERIC = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?=$|[\sT,])(.*)$")
# Daily-note file names: 2026-03-14, 2026_03_14 (Logseq), 2026.03.14, 14-03-2026, 14.03.2026, 20260314
_YEAR_FIRST = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")
_YEAR_LAST = re.compile(r"(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.]((?:19|20)\d\d)(?!\d)")
_COMPACT = re.compile(r"(?<![0-9a-f])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9a-f])")


class AmbiguousDates(ValueError):
    """Numeric dates that could be read day-first or month-first, with nothing in the file to decide."""


def order_from_format(date_format: str) -> bool | None:
    """`--date-format` ("dd.MM.yyyy", "MM/dd/yy", "%d/%m/%Y") -> day first? None when it says nothing."""
    text = date_format.replace("%", "")
    day, month = text.find("d"), max(text.find("M"), text.find("m"))
    if day < 0 or month < 0:
        return None
    return day < month


def day_first(values: Iterable[str], date_format: str = "") -> bool | None:
    """Day first (True), month first (False), or None when no value is numeric day/month.

    Raises AmbiguousDates when numeric values exist but none decides the order (or they disagree) and no
    `date_format` is given."""
    given = order_from_format(date_format) if date_format else None
    if given is not None:
        return given
    firsts, seconds, numeric = False, False, 0
    for value in values:
        match = NUMERIC.match(str(value or ""))
        if not match:
            continue
        numeric += 1
        firsts |= int(match.group(1)) > 12
        seconds |= int(match.group(3)) > 12
    if not numeric:
        return None
    if firsts != seconds:
        return firsts
    example = next(v for v in values if NUMERIC.match(str(v or "")))
    why = "the file reads both ways" if firsts else "no day above 12 decides the order"
    raise AmbiguousDates(
        f"dates like {example!r} could be day-first or month-first ({why}); pass "
        "--date-format dd.MM.yyyy or --date-format MM/dd/yyyy"
    )


def reorder(value: str, dayfirst: bool | None) -> str:
    """A numeric day/month date rewritten as ISO (yyyy-mm-dd + the rest), so no parser guesses its order."""
    match = NUMERIC.match(str(value or ""))
    if not match or dayfirst is None:
        return value
    a, _, b, year, rest = match.groups()
    day, month = (a, b) if dayfirst else (b, a)
    full = int(year) + (2000 if len(year) == 2 else 0)
    return f"{full:04d}-{int(month):02d}-{int(day):02d}{rest.rstrip(',') if rest.strip() else ''}"


def date_in_name(stem: str) -> date | None:
    """The date a daily note's file name carries: `2026-03-14`, `2026_03_14`, `14-03-2026`, `20260314`.

    Day-first for `dd-mm-yyyy` unless the second number cannot be a month."""
    for pattern, order in ((_YEAR_FIRST, "ymd"), (_YEAR_LAST, "dmy"), (_COMPACT, "ymd")):
        for match in pattern.finditer(stem):
            parts = [int(p) for p in match.groups()]
            if order == "ymd":
                year, month, day = parts
            else:
                day, month, year = parts
                if month > 12 >= day:
                    day, month = month, day
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def latest_day(mtime: float, today: date | None = None) -> date:
    """The last day a file's undated notes can be from: its mtime's day, never later than today."""
    return min(datetime.fromtimestamp(mtime, UTC).date(), today or datetime.now(UTC).date())
