"""How a note entry is dated: dated headings and quarters, a year taken from the file's name, the entry
before or the file's last change (never later than that, nor than today), and the date of a file's undated
text from its front matter, a Notion or Logseq date property, or a daily note's name, before its mtime."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ingest.sources.dates import date_in_name, latest_day

MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_FORMS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{DAY}\s+{MONTH}(?:,?\s+{YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{MONTH}\s+{DAY}(?!\d)(?:,?\s+{YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{MONTH}\s+{YEAR}\b", re.IGNORECASE),
]
# "Q2 2026", "2026 Q2", "2026-Q2", "Q2": a quarter's section, dated its first day
QUARTER = re.compile(
    r"(?<!\w)(?:(?P<year>(?:19|20)\d\d)[\s-]?)?Q(?P<q>[1-4])(?!\w)(?:[\s/-]+(?P<year2>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
QUARTER_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d\d[\s-]?)?Q[1-4](?:[\s/-]+(?:19|20)\d\d)?\s*:?\s*$", re.IGNORECASE
)
NOTION_ID = re.compile(
    r"\s+[0-9a-f]{32}$", re.IGNORECASE
)  # Notion appends the page id to an exported file's name
# A date property near the top of a page: Notion ("Created: March 14, 2026 9:30 AM"), Logseq ("date:: ...")
DATE_PROPERTY = re.compile(
    r"^\s*(?:date|created|created time|created at|meeting date|day)\s*::?\s*(.+)$", re.IGNORECASE
)


def find_date(text: str, year: int | None = None) -> tuple[date | None, bool]:
    """The first date written in `text` ("2026-03-14", "14 Mar 2026", "Week of March 3", "March 2026").

    A day and month without a year take `year`; returns (date, whether the year was inferred). A day that
    the month does not have ("31 Feb 2026") is no date at all, never read as another form ("Feb 2026").
    """
    found, inferred, _ = first_date(text, year)
    return found, inferred


def impossible_date(text: str, year: int | None = None) -> str:
    """The date written in `text` when it names a day its month does not have ("31 Feb 2026"), else ""."""
    return first_date(text, year)[2]


def first_date(text: str, year: int | None) -> tuple[date | None, bool, str]:
    for form in DATE_FORMS:
        for match in form.finditer(text):
            parts = match.groupdict()
            month = int(parts["mon"]) if parts["mon"].isdigit() else _month(parts["mon"])
            found_year = int(parts["year"]) if parts.get("year") else year
            if found_year is None:
                continue
            try:
                return date(found_year, month, int(parts.get("day") or 1)), not parts.get("year"), ""
            except ValueError:
                return None, False, match.group(0)  # "31 Feb", "45 March", "2026-13-01"
    quarter = QUARTER.search(text)
    if quarter:
        named = quarter.group("year") or quarter.group("year2")
        found_year = int(named) if named else year
        if found_year is not None:
            return date(found_year, 3 * int(quarter.group("q")) - 2, 1), not named, ""
    return None, False, ""


def _month(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()
    ) + 1


def file_date(path: Path, meta: dict[str, Any], text: str) -> date:
    """The date of a file's undated text: its front matter, a date property at its top (Notion, Logseq), its
    name (`2026-03-14`, `14-03-2026`, Logseq's `2026_03_14`, "Retro March 2026"), else its mtime (never
    later than today)."""
    value = meta.get("date") or meta.get("created")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    stem = page_name(path)
    named = date_in_name(stem)
    for candidate in (str(value or ""), date_property(text)):
        found, inferred = find_date(candidate)
        if found and not inferred:
            return found
    if named:
        return named
    found, inferred = find_date(stem)
    if found and not inferred:
        return found
    return last_day(path)


def page_name(path: Path) -> str:
    """The file's name without its suffix and without the page id Notion appends (`Retro 1a2b...32 hex`)."""
    return NOTION_ID.sub("", path.stem)


def date_property(text: str) -> str:
    """The value of a date property among a page's first lines (`Created: March 14, 2026`, `date:: ...`)."""
    for line in text.lstrip("\n").split("\n")[:12]:
        match = DATE_PROPERTY.match(line)
        if match:
            return match.group(1)
    return ""


def last_day(path: Path) -> date:
    """The file's mtime day, never later than today (a clock ahead, a copy from the future)."""
    return latest_day(path.stat().st_mtime)


def default_year(path: Path, meta: dict[str, Any], text: str) -> int | None:
    """A year the file states: in its name (a Notion page id's digits are not one), front matter or a date
    property. None when only the mtime could say."""
    stem = page_name(path)
    named = date_in_name(stem)
    if named:
        return named.year
    year = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stem)
    if year:
        return int(year.group(1))
    for candidate in (str(meta.get("date") or meta.get("created") or ""), date_property(text)):
        found, inferred = find_date(candidate)
        if found and not inferred:
            return found.year
    return None


def nearest_year(found: date, anchor: date, latest: date) -> date:
    """`found` (its year inferred) moved to the year that puts it nearest `anchor` (the entry before, or the
    file's last change), never after `latest`: "Dec 28" after "Jan 4 2026" is 2025, "Nov 10" in a file last
    changed in March 2026 is November 2025, not a future November."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(found.replace(year=year))
        except ValueError:  # 29 Feb
            continue
    past = [c for c in candidates if c <= latest] or [min(candidates)]
    return min(past, key=lambda c: abs((c - anchor).days))


def quarter_of(title: str) -> str:
    """ "2" when the entry's heading names a quarter ("Q2 2026") and no day or month."""
    if any(form.search(title) for form in DATE_FORMS):
        return ""
    match = QUARTER.search(title)
    return match.group("q") if match else ""
