"""Source connectors: each module parses one format into Evidence with the same signature.

    iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]

A connector only parses. A bad record is reported with `skips.add(where, why)` (where = "file:line" or
"file#record") and parsing goes on; chunking, embedding and writing belong to the pipeline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence
from ingest.identity import Identity
from ingest.sources.reading import (  # noqa: F401 - shared by the connectors
    BAD_BYTES,
    BINARY,
    NOT_UTF8,
    decode,
    has_bad_bytes,
    looks_binary,
    read_bytes,
)
from ingest.sources.structured import decode_json, load_json, load_yaml  # noqa: F401
from ingest.sources.tables import csv_rows  # noqa: F401


@dataclass
class SourceOptions:
    authors: list[str] = field(default_factory=list)  # names, emails or logins given for this run (--author)
    since: datetime | None = None
    until: datetime | None = None
    identity: Identity | None = None  # who the user is (`selfreview me`); `authors` are added to it
    date_format: str = ""  # how to read ambiguous day/month dates, e.g. "dd.MM.yyyy" (--date-format)
    tally: dict[str, int] = field(default_factory=dict)  # "yours" / "others": filled as records are read

    def in_period(self, when: datetime) -> bool:
        return (self.since is None or when >= self.since) and (self.until is None or when <= self.until)

    @functools.cached_property
    def me(self) -> Identity:
        return (self.identity or Identity()).with_aliases(self.authors)

    @property
    def knows_user(self) -> bool:
        return not self.me.is_empty()

    def is_user(self, who: str, service: str | None = None) -> bool:
        """True when `who` (a name, email, login, account id or "Name <email>") is the user, matched exactly
        after normalisation; with no identity at all, everything is taken as the user's (and reported so)."""
        if not self.knows_user:
            return True
        return self.me.matches(who, service)


@dataclass
class Skip:
    where: str
    why: str


@dataclass
class Skips:
    """Records skipped, each named with why, and notes on records read in a way worth checking (another
    encoding, front matter left out): a note is not a skip."""

    items: list[Skip] = field(default_factory=list)
    notes: list[Skip] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        if Skip(where, why) not in self.items[-20:]:  # the same place for the same reason is named once
            self.items.append(Skip(where, why))

    def note(self, where: str, what: str) -> None:
        self.notes.append(Skip(where, what))


class UsageError(Exception):
    """The command cannot run at all (a path that does not exist, an unknown kind): exit code 2."""


Connector = Callable[[list[Path], SourceOptions, Skips], Iterator[Evidence]]


def connector(kind: str) -> Connector:
    if kind not in SOURCES:
        raise UsageError(f"unknown source kind {kind!r}; choose one of: {', '.join(KINDS)}")
    return _files_checked(_tallied(SOURCES[kind]()))


# Each source's parser, imported when first used: a command starts without loading every connector.
def _git() -> Connector:
    from ingest.sources.git_source import iter_records

    return iter_records


def _github() -> Connector:
    from ingest.sources.github_source import iter_records

    return iter_records


def _jira() -> Connector:
    from ingest.sources.jira_source import iter_records

    return iter_records


def _linear() -> Connector:
    from ingest.sources.linear_source import iter_records

    return iter_records


def _notes() -> Connector:
    from ingest.sources.notes_source import iter_records

    return iter_records


def _email() -> Connector:
    from ingest.sources.email_source import iter_records

    return iter_records


def _jsonl() -> Connector:
    from ingest.sources.jsonl_source import iter_records

    return iter_records


SOURCES: dict[str, Callable[[], Connector]] = {
    "git": _git,
    "github": _github,
    "jira": _jira,
    "linear": _linear,
    "notes": _notes,
    "email": _email,
    "jsonl": _jsonl,
}
KINDS = tuple(SOURCES)


def _files_checked(parse: Connector) -> Connector:
    """The connector, refusing a FIFO, device or socket named in place of a file before anything is read
    (reading one would hang, or read forever), whatever the connector does with its paths."""

    def run(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
        from ingest.sources.reading import special_file

        for path in paths:
            if what := special_file(path):
                raise UsageError(
                    f"{path}: {what}, not a file or folder; save the data to a file and ingest that"
                )
        yield from parse(paths, options, skips)

    return run


def records_or_skip(skips: Skips, where: str, build: Callable[..., Any], *args: Any) -> list[Evidence]:
    """`build(*args)` (one Evidence, None, or an iterable of them) as a list; a record that fails the checks
    every Evidence passes (too large, a number that is not finite, a date out of range) is a named skip."""
    try:
        built = build(*args)
        return [] if built is None else [built] if isinstance(built, Evidence) else list(built)
    except ValueError as exc:
        skips.add(where, str(exc))
        return []


def _tallied(parse: Connector) -> Connector:
    """The connector, counting the records that are the user's (any role but "mentioned") and others'."""

    def run(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
        for evidence in parse(paths, options, skips):
            key = "others" if evidence.role == "mentioned" else "yours"
            options.tally[key] = options.tally.get(key, 0) + 1
            yield evidence

    return run


def expand(paths: list[Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files named directly, and files under folders with one of `suffixes` (hidden folders skipped)."""
    from ingest.sources.reading import special_file

    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if what := special_file(path):  # checked without opening: reading a FIFO or a device would hang
            raise UsageError(f"{path}: {what}, not a file or folder; save the data to a file and ingest that")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in suffixes:
                    yield child
        else:
            yield path


def read_text(path: Path, skips: Skips) -> str | None:
    """File text as UTF-8 (BOM tolerated); binary or undecodable files are skipped and reported."""
    data = read_bytes(path, skips)
    if data is None:
        return None
    if not data.strip():
        skips.add(str(path), "empty file")
        return None
    if b"\x00" in data[:8192]:
        skips.add(str(path), "binary file, not text")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        skips.add(f"{path}:{line}", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return None


# Small helpers shared by the connectors -------------------------------------------------------------


def read_text_lenient(path: Path, skips: Skips, line_records: bool = False) -> str | None:
    """The file's text, decoded as `reading.decode` does: UTF-16 with or without a byte-order mark, UTF-8, and
    lines in Windows-1252 taken so with a note; bytes that read as neither stay as surrogates (see
    `has_bad_bytes`), so a connector skips only the records holding them. Special, unreadable, oversized,
    empty and (unless `line_records`) binary files are skipped and named. With `line_records` (one record per
    line or row, where NUL-padding or a corrupt line must not cost the good records) the connector decides
    with `looks_binary` once it knows whether any record was good."""
    data = read_bytes(path, skips)
    if data is None:
        return None
    if not data.strip():
        skips.add(str(path), "empty file")
        return None
    text = decode(path, data, skips)
    if not line_records and looks_binary(text):
        skips.add(str(path), BINARY)
        return None
    return text


def iso_date(value: object) -> str | None:
    """A source's date text -> ISO 8601 with offset; None when empty. Raises ValueError when unreadable.

    Besides what `normalize_date` reads, this accepts JavaScript's Date.toString() as Linear exports it
    ("Mon Jan 15 2024 10:00:00 GMT+0100 (Central European Standard Time)").
    """
    from ingest.evidence import normalize_date

    text = str(value or "").strip()
    if not text:
        return None
    if "GMT" in text:
        text = re.sub(r"\s*\([^)]*\)\s*$", "", text).replace("GMT", " ")
    try:
        return normalize_date(text)
    except (ValueError, OverflowError, TypeError) as exc:
        raise ValueError(f"unreadable date {value!r}") from exc


def span(start: str | None, end: str | None, unit_seconds: float) -> float | None:
    """Time from `start` to `end` (ISO strings) in the given unit, one decimal; None when unknown."""
    if not start or not end:
        return None
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return round(seconds / unit_seconds, 1) if seconds >= 0 else None


def first(columns: dict[str, list[str]], *names: str) -> str:
    """The first non-empty value among the given column names (lower case), else ""."""
    for name in names:
        values = columns.get(name)
        if values:
            return values[0]
    return ""
