"""The notes connector: Markdown / text files and folders (brag docs, 1:1 notes, Obsidian) -> dated entries.

An entry's id is `notes:<file name>@<digest of the file's full path>#<date>`: the same file ingested again
from the same place keeps its ids, and two files that share a name (two `retro.md` in different folders)
never share an id, so neither can replace the other's evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence
from ingest.sources import NOT_UTF8, Skips, SourceOptions, expand, has_bad_bytes, load_yaml, read_text_lenient
from ingest.sources.structured import YamlRefused

SUFFIXES = (".md", ".markdown", ".txt")
UNDATED = "(Undated: dated by the file.)"
MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_FORMS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{DAY}\s+{MONTH}(?:,?\s+{YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{MONTH}\s+{DAY}(?!\d)(?:,?\s+{YEAR})?\b", re.IGNORECASE),
    re.compile(rf"\b{MONTH}\s+{YEAR}\b", re.IGNORECASE),
]
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
ONE_ON_ONE = re.compile(r"1-1|1:1|one-on-one|1on1", re.IGNORECASE)


@dataclass
class Entry:
    title: str
    when: date | None  # None: dated by the file
    year_inferred: bool = False
    line: int = 1
    lines: list[str] = field(default_factory=list)
    impossible: str = ""  # a heading dated a day that does not exist ("31 Feb 2026"): the entry is skipped


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for root in paths:
        for path in expand([root], SUFFIXES):
            text = read_text_lenient(path, skips)
            if text is None:
                continue
            rel = path.relative_to(root).as_posix() if root.is_dir() else path.name
            for evidence in _file_records(path, rel, text, options, skips):
                if options.in_period(evidence.when):
                    yield evidence


def find_date(text: str, year: int | None = None) -> tuple[date | None, bool]:
    """The first date written in `text` ("2026-03-14", "14 Mar 2026", "Week of March 3", "March 2026").

    A day and month without a year take `year`; returns (date, whether the year was inferred). A day that
    the month does not have ("31 Feb 2026") is no date at all, never read as another form ("Feb 2026").
    """
    found, inferred, _ = _first_date(text, year)
    return found, inferred


def impossible_date(text: str, year: int | None = None) -> str:
    """The date written in `text` when it names a day its month does not have ("31 Feb 2026"), else ""."""
    return _first_date(text, year)[2]


def _first_date(text: str, year: int | None) -> tuple[date | None, bool, str]:
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
    return None, False, ""


def _month(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()) + 1


def _front_matter(path: Path, text: str, skips: Skips) -> tuple[dict[str, Any], str, int]:
    """YAML front matter, the text after it, and how many lines it took. Front matter that cannot be read
    (broken, YAML aliases, an impossible date) is named and left out; the notes under it are still read."""
    if not text.startswith("---"):
        return {}, text, 0
    end = re.search(r"^(---|\.\.\.)\s*$", text[3:], re.MULTILINE)
    if not end or text[3:4] not in ("\n", "\r"):
        return {}, text, 0
    try:
        meta = load_yaml(text[3:3 + end.start()]) or {}
    except YamlRefused as exc:
        skips.add(f"{path}:1", f"front matter not read ({exc}); the notes below it were read")
        meta = {}
    head = text[:3 + end.end()]
    return (meta if isinstance(meta, dict) else {}), text[3 + end.end():], head.count("\n")


def _file_date(path: Path, meta: dict[str, Any]) -> date:
    value = meta.get("date") or meta.get("created")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for text in (str(value or ""), path.stem):
        found, inferred = find_date(text)
        if found and not inferred:
            return found
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date()


def _default_year(path: Path, meta: dict[str, Any]) -> int | None:
    named = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", path.stem)
    if named:
        return int(named.group(1))
    found, _ = find_date(str(meta.get("date") or meta.get("created") or ""))
    return found.year if found else None


def _heading(line: str, plain_text: bool) -> str | None:
    """A Markdown heading's text; in plain text, a short line that starts with a date."""
    match = HEADING.match(line)
    if match:
        return match.group(2).strip()
    stripped = line.strip()
    text = re.sub(r"^week of\s+", "", stripped, flags=re.IGNORECASE)
    if plain_text and len(stripped) < 80 and any(form.match(text) for form in DATE_FORMS):
        return stripped
    return None


def _split(path: Path, text: str, meta: dict[str, Any], first_line: int) -> list[Entry]:
    file_year = _default_year(path, meta)
    mtime_year = datetime.fromtimestamp(path.stat().st_mtime, UTC).year
    entries = [Entry(path.stem, None, line=first_line)]
    in_code, plain = False, path.suffix.lower() == ".txt"
    for number, line in enumerate(text.split("\n"), first_line):
        if FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else _heading(line, plain)
        if heading:
            found, inferred, impossible = _first_date(heading, file_year or _last_year(entries) or mtime_year)
            if found or impossible:
                entries.append(Entry(heading, found, inferred, number, impossible=impossible))
                continue
        entries[-1].lines.append(line)
    return entries


def _last_year(entries: list[Entry]) -> int | None:
    return next((e.when.year for e in reversed(entries) if e.when), None)


def _kind(path: Path, title: str) -> str:
    if "brag" in path.name.lower():
        return "brag"
    return "one-on-one" if ONE_ON_ONE.search(path.name) or ONE_ON_ONE.search(title) else "note"


def file_key(path: Path) -> str:
    """`<file name>@<digest of its full path>`: the file's part of its entries' ids."""
    return f"{path.name}@{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}"


def _file_records(path: Path, rel: str, text: str, options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    meta, text, offset = _front_matter(path, text, skips)
    used: dict[str, int] = {}
    for entry in _split(path, text.replace("\r\n", "\n"), meta, offset + 1):
        if entry.impossible:
            skips.add(f"{path}:{entry.line}", f"impossible date {entry.impossible!r}: that month has no such "
                                              "day; fix the heading and ingest again")
            continue
        key = entry.when.isoformat() if entry.when else "0"
        used[key] = used.get(key, 0) + 1  # counted first, so filling or fixing an entry moves no other id
        suffix = key if used[key] == 1 else f"{key}~{used[key]}"
        body = "\n".join(entry.lines).strip()
        if not re.sub(r"(?m)^#{1,6}\s.*$", "", body).strip():
            continue  # a heading with nothing under it (or a file's bare title) says nothing
        if has_bad_bytes(body) or has_bad_bytes(entry.title):
            skips.add(f"{path}:{entry.line}", NOT_UTF8)
            continue
        when, extra = entry.when, {}
        if when is None:
            when, body, extra = _file_date(path, meta), f"{UNDATED}\n{body}", {"date_inferred": "file"}
        elif entry.year_inferred:
            extra = {"date_inferred": "year"}
        try:
            evidence = Evidence(
                id=f"notes:{file_key(path)}#{suffix}", source="notes", kind=_kind(path, entry.title),
                title=entry.title, date=datetime(when.year, when.month, when.day, tzinfo=UTC).isoformat(),
                body=body, author=options.authors[0] if options.authors else "", role="author",
                native={"path": rel, "entry": suffix}, extra=extra,
            )
        except ValueError as exc:  # too large
            skips.add(f"{path}:{entry.line}", str(exc))
            continue
        yield evidence
