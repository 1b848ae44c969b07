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
from ingest.sources.note_dates import (  # noqa: F401 - find_date is this connector's to offer
    DATE_FORMS,
    QUARTER_LINE,
    default_year,
    file_date,
    find_date,
    first_date,
    impossible_date,
    last_day,
    nearest_year,
    page_name,
    quarter_of,
)
from ingest.sources.structured import YamlRefused

SUFFIXES = (".md", ".markdown", ".txt")
UNDATED = "(Undated: dated by the file.)"
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


def _front_matter(path: Path, text: str, skips: Skips) -> tuple[dict[str, Any], str, int]:
    """YAML front matter, the text after it, and how many lines it took. Front matter that cannot be read
    (broken, YAML aliases, an impossible date) is named and left out; the notes under it are still read."""
    if not text.startswith("---"):
        return {}, text, 0
    end = re.search(r"^(---|\.\.\.)\s*$", text[3:], re.MULTILINE)
    if not end or text[3:4] not in ("\n", "\r"):
        return {}, text, 0
    try:
        meta = load_yaml(text[3 : 3 + end.start()]) or {}
    except YamlRefused as exc:
        skips.add(f"{path}:1", f"front matter not read ({exc}); the notes below it were read")
        meta = {}
    head = text[: 3 + end.end()]
    return (meta if isinstance(meta, dict) else {}), text[3 + end.end() :], head.count("\n")


def _heading(line: str, plain_text: bool) -> str | None:
    """A Markdown heading's text; in plain text, a short line that starts with a date."""
    match = HEADING.match(line)
    if match:
        return match.group(2).strip()
    stripped = line.strip()
    text = re.sub(r"^week of\s+", "", stripped, flags=re.IGNORECASE)
    if (
        plain_text
        and len(stripped) < 80
        and (any(form.match(text) for form in DATE_FORMS) or QUARTER_LINE.match(stripped))
    ):
        return stripped
    return None


def _split(path: Path, text: str, meta: dict[str, Any], first_line: int) -> list[Entry]:
    file_year = default_year(path, meta, text)
    latest = last_day(path)
    entries = [Entry(page_name(path), None, line=first_line)]
    in_code, plain = False, path.suffix.lower() == ".txt"
    for number, line in enumerate(text.split("\n"), first_line):
        if FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else _heading(line, plain)
        if heading:
            before = _last_date(entries)
            found, inferred, impossible = first_date(heading, file_year or (before or latest).year)
            if found and inferred and not file_year:
                found = nearest_year(found, before or latest, latest)
            if found or impossible:
                entries.append(Entry(heading, found, inferred, number, impossible=impossible))
                continue
        entries[-1].lines.append(line)
    return entries


def _last_date(entries: list[Entry]) -> date | None:
    return next((e.when for e in reversed(entries) if e.when), None)


def _kind(path: Path, title: str) -> str:
    if "brag" in path.name.lower():
        return "brag"
    return "one-on-one" if ONE_ON_ONE.search(path.name) or ONE_ON_ONE.search(title) else "note"


def file_key(path: Path) -> str:
    """`<file name>@<digest of its full path>`: the file's part of its entries' ids."""
    return f"{path.name}@{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}"


def _file_records(
    path: Path, rel: str, text: str, options: SourceOptions, skips: Skips
) -> Iterator[Evidence]:
    meta, text, offset = _front_matter(path, text, skips)
    used: dict[str, int] = {}
    for entry in _split(path, text.replace("\r\n", "\n").replace("\r", "\n"), meta, offset + 1):
        if entry.impossible:
            skips.add(
                f"{path}:{entry.line}",
                f"impossible date {entry.impossible!r}: that month has no such "
                "day; fix the heading and ingest again",
            )
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
            when, body, extra = file_date(path, meta, text), f"{UNDATED}\n{body}", {"date_inferred": "file"}
        elif entry.year_inferred:
            extra = {"date_inferred": "year"}
        if entry.when and (quarter := quarter_of(entry.title)):
            extra["period"] = f"{entry.when.year}-Q{quarter}"
        try:
            evidence = Evidence(
                id=f"notes:{file_key(path)}#{suffix}",
                source="notes",
                kind=_kind(path, entry.title),
                title=entry.title,
                date=datetime(when.year, when.month, when.day, tzinfo=UTC).isoformat(),
                body=body,
                author=options.authors[0] if options.authors else "",
                role="author",
                native={"path": rel, "entry": suffix},
                extra=extra,
            )
        except ValueError as exc:  # too large
            skips.add(f"{path}:{entry.line}", str(exc))
            continue
        yield evidence
