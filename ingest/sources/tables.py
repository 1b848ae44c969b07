"""CSV exports: the delimiter sniffed (comma, semicolon, tab, pipe; Excel's `sep=` line), quoting read strictly,
and a row whose quote never closes named by its line without swallowing the good rows after it."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingest.sources.reading import BINARY, NOT_UTF8, has_bad_bytes, looks_binary

if TYPE_CHECKING:
    from pathlib import Path

    from ingest.sources import Skips

DELIMITERS = (",", ";", "\t", "|")
EXCEL_SEP = re.compile(r"^sep=(.)\s*$")
QUOTED = re.compile(r'"(?:[^"]|"")*"')
FIELD_LIMIT = 1_000_000  # characters in one cell; csv's own default (131,072) is below a long description


def csv_rows(
    path: Path, text: str, skips: Skips, short_ok: bool = False
) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """Rows of a CSV export as (first physical line, {lower-cased header: [non-empty values]}).

    The header is kept as a list, so repeated columns ("Labels", "Sprint", "Comment") collect into one list.
    A row with the wrong number of columns is skipped and named by the line it starts on; with `short_ok`, a
    row one column short (exports that drop a trailing empty field) has that last column empty. A row that
    runs on over the lines after it (a quote that never closes) is named, and those lines are read again as
    rows of their own, so a broken quote costs only its own row.
    """
    lines = list(io.StringIO(text, newline=""))
    pos, delimiter = 0, _sniff(lines[0] if lines else "")
    if lines and (sep := EXCEL_SEP.match(lines[0])):
        pos, delimiter = 1, sep.group(1)
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    header: list[str] | None = None
    named_until = 0  # lines up to here belong to a row already named: their fragments are not named again
    while pos < len(lines):
        reader = csv.reader(itertools.islice(lines, pos, None), delimiter=delimiter, strict=True)
        base, pos = pos, len(lines)
        while True:
            line = base + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if header is None:
                    skips.add(f"{path}:{line}", f"no readable CSV header ({exc})")
                    return
                if line > named_until:
                    skips.add(f"{path}:{line}", f"malformed CSV row: {exc}")
                named_until, pos = max(named_until, base + reader.line_num), line
                break
            end = base + reader.line_num
            if header is None:
                header = [name.strip().lower() for name in row]
                if has_bad_bytes(header):
                    skips.add(str(path), BINARY if looks_binary(text) else f"CSV header: {NOT_UTF8}")
                    return
                continue
            if not any(cell.strip() for cell in row):
                continue
            if short_ok and len(row) == len(header) - 1:
                row = [*row, ""]
            if len(row) != len(header):
                if line > named_until:
                    skips.add(f"{path}:{line}", f"row has {len(row)} columns, the header has {len(header)}")
                if end > line:  # it ran over later lines: read them again on their own
                    named_until, pos = max(named_until, end), line
                    break
                continue
            if has_bad_bytes(row):
                skips.add(f"{path}:{line}", NOT_UTF8)
                continue
            yield line, _columns(header, row)
    if header is None:
        skips.add(f"{path}:1", "no readable CSV header (empty)")


def _columns(header: list[str], row: list[str]) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for name, cell in zip(header, row, strict=True):
        values = columns.setdefault(name, [])
        if cell.strip():
            values.append(cell.strip())
    return columns


def _sniff(header: str) -> str:
    """The delimiter the header line uses most, outside quotes; a comma on a tie or when none is used."""
    bare = QUOTED.sub("", header)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
