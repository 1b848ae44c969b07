"""The jsonl connector: the Evidence schema one JSON object per line, for anything the other sources miss."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingest.evidence import Evidence
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


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in expand(paths, (".jsonl", ".ndjson")):
        text = read_text_lenient(path, skips, line_records=True)
        if text is None:
            continue
        local, good = Skips(), 0
        for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): JSON strings may hold U+2028
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
    if has_bad_bytes(line):
        skips.add(where, NOT_UTF8)
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        skips.add(where, f"broken JSON: {exc.msg} (column {exc.colno})")
        return None
    except RecursionError:
        skips.add(where, "broken JSON: nested too deeply")
        return None
    try:
        return Evidence.from_dict(record)
    except (ValueError, TypeError, OverflowError) as exc:
        skips.add(where, f"invalid record: {exc}")
        return None
