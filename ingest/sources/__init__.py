"""Source connectors: each module parses one format into Evidence with the same signature.

    iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]

A connector only parses. A bad record is reported with `skips.add(where, why)` (where = "file:line" or
"file#record") and parsing goes on; chunking, embedding and writing belong to the pipeline.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.evidence import Evidence

KINDS = ("git", "github", "jira", "linear", "notes", "email", "jsonl")


@dataclass
class SourceOptions:
    authors: list[str] = field(default_factory=list)  # names and emails: the user's aliases
    since: datetime | None = None
    until: datetime | None = None

    def in_period(self, when: datetime) -> bool:
        return (self.since is None or when >= self.since) and (self.until is None or when <= self.until)

    def is_user(self, who: str) -> bool:
        """True when `who` (a name, email, login or "Name <email>") matches one of the user's aliases."""
        if not self.authors:
            return True
        text = who.casefold()
        return any(alias.casefold() in text for alias in self.authors if alias.strip())


@dataclass
class Skip:
    where: str
    why: str


@dataclass
class Skips:
    items: list[Skip] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        self.items.append(Skip(where, why))


class UsageError(Exception):
    """The command cannot run at all (a path that does not exist, an unknown kind): exit code 2."""


Connector = Callable[[list[Path], SourceOptions, Skips], Iterator[Evidence]]


def connector(kind: str) -> Connector:
    if kind not in KINDS:
        raise UsageError(f"unknown source kind {kind!r}; choose one of: {', '.join(KINDS)}")
    module = importlib.import_module(f"ingest.sources.{kind}_source")
    return module.iter_records


def expand(paths: list[Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files named directly, and files under folders with one of `suffixes` (hidden folders skipped)."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in suffixes:
                    yield child
        else:
            yield path


def read_text(path: Path, skips: Skips) -> str | None:
    """File text as UTF-8 (BOM tolerated); binary or undecodable files are skipped and reported."""
    data = path.read_bytes()
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

BAD_BYTES = re.compile("[\x00\udc80-\udcff]")  # NUL, and what surrogateescape makes of bytes that are not UTF-8
NOT_UTF8 = "not UTF-8 text (another encoding or corrupted bytes)"
BINARY = "binary file, not text"


def read_text_lenient(path: Path, skips: Skips, line_records: bool = False) -> str | None:
    """Like `read_text`, but bytes that are not UTF-8 stay in the text as surrogates (see `has_bad_bytes`),
    so a connector can skip only the records that hold them and keep every good one. UTF-16 (with BOM) is
    decoded; empty files are skipped and reported, and so are binary ones unless `line_records` (a format
    of one record per line or row, where NUL-padding or a corrupt line must not cost the good records: the
    connector decides with `looks_binary` once it knows whether any record was good)."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if not data.strip():
        skips.add(str(path), "empty file")
        return None
    if not line_records and b"\x00" in data[:8192]:
        skips.add(str(path), BINARY)
        return None
    return data.decode("utf-8-sig", errors="surrogateescape")


def looks_binary(text: str) -> bool:
    return "\x00" in text[:8192]


def has_bad_bytes(value: object) -> bool:
    """True when text (or any string inside lists / dicts) holds bytes that were not UTF-8."""
    if isinstance(value, str):
        return BAD_BYTES.search(value) is not None
    if isinstance(value, dict):
        return any(has_bad_bytes(k) or has_bad_bytes(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_bad_bytes(v) for v in value)
    return False



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


def csv_rows(path: Path, text: str, skips: Skips) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """Rows of a CSV export as (first physical line, {lower-cased header: [non-empty values]}).

    The header is kept as a list, so repeated columns ("Labels", "Sprint", "Comment") collect into one list.
    A row with the wrong number of columns is skipped and named by the line it starts on.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error) as exc:
        skips.add(f"{path}:1", f"no readable CSV header ({exc or 'empty'})")
        return
    if has_bad_bytes(header):
        skips.add(str(path), BINARY if looks_binary(text) else f"CSV header: {NOT_UTF8}")
        return
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            skips.add(f"{path}:{start}", f"malformed CSV row: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            skips.add(f"{path}:{line}", f"row has {len(row)} columns, the header has {len(header)}")
            continue
        if has_bad_bytes(row):
            skips.add(f"{path}:{line}", NOT_UTF8)
            continue
        columns: dict[str, list[str]] = {}
        for name, cell in zip(header, row, strict=True):
            values = columns.setdefault(name, [])
            if cell.strip():
                values.append(cell.strip())
        yield line, columns


def first(columns: dict[str, list[str]], *names: str) -> str:
    """The first non-empty value among the given column names (lower case), else ""."""
    for name in names:
        values = columns.get(name)
        if values:
            return values[0]
    return ""
