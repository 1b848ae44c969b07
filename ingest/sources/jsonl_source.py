"""The jsonl connector: the Evidence schema one JSON object per line, for anything the other sources miss."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingest.evidence import MAX_RECORD_CHARS, Evidence
from ingest.sources import (
    BINARY,
    NOT_UTF8,
    Skips,
    SourceOptions,
    expand,
    has_bad_bytes,
    looks_binary,
    read_text_lenient,
)
from ingest.sources.structured import MAX_JSON_DEPTH, json_depth


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in expand(paths, (".jsonl", ".ndjson")):
        text = read_text_lenient(path, skips, line_records=True)
        if text is None:
            continue
        local, good = Skips(), 0
        # \n ends a line (\r\n too: JSON ignores the \r), a lone \r only in a file with no \n at all (old Mac
        # files); not splitlines(): JSON strings may hold U+2028
        for number, line in enumerate(text.split("\n" if "\n" in text else "\r"), 1):
            if not line.strip():
                continue
            evidence = _record(line, f"{path}:{number}", local)
            good += evidence is not None
            if evidence is not None and options.in_period(evidence.when):
                yield evidence
        if not good and looks_binary(text):
            skips.add(str(path), BINARY)  # one line for a binary file, not one per garbage "line"
        else:
            skips.items.extend(local.items)


def _record(line: str, where: str, skips: Skips) -> Evidence | None:
    line = line.strip("\x00")  # NUL padding (a preallocated or crashed write) is never part of a JSON line
    if has_bad_bytes(line):
        skips.add(where, NOT_UTF8)
        return None
    if (
        len(line) > 6 * MAX_RECORD_CHARS
    ):  # not parsed: even if all of it were escapes, its text is over the limit
        skips.add(
            where,
            f"record too large: a line of {len(line):,} characters (the limit is "
            f"{MAX_RECORD_CHARS:,} characters of title and body)",
        )
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        skips.add(where, f"broken JSON: {exc.msg} (column {exc.colno})")
        return None
    except RecursionError:
        skips.add(where, f"nested more than {MAX_JSON_DEPTH} levels deep")
        return None
    if json_depth(record) > MAX_JSON_DEPTH:
        skips.add(where, f"nested more than {MAX_JSON_DEPTH} levels deep")
        return None
    try:
        return Evidence.from_dict(record)
    except (ValueError, TypeError, OverflowError) as exc:
        skips.add(where, f"invalid record: {exc}")
        return None
