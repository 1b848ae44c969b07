"""The jsonl connector: Evidence records one per line, unknown fields kept, dates normalized, bad lines named."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sources import Skips, SourceOptions, UsageError
from ingest.sources.jsonl_source import iter_records
from tests.conftest import evidence_record, write_jsonl

DATA = Path(__file__).resolve().parents[2] / "data" / "jsonl"


def ingest(paths: list[Path], options: SourceOptions | None = None) -> tuple[dict[str, object], Skips]:
    skips = Skips()
    return {r.id: r for r in iter_records(paths, options or SourceOptions(), skips)}, skips


def test_records_are_read_with_unknown_fields_kept_and_blank_lines_ignored() -> None:
    records, skips = ingest([DATA])

    doc = records["jsonl:design-doc-ledger"]
    assert skips.items == []
    assert list(records) == ["jsonl:design-doc-ledger", "jsonl:talk-dst", "jsonl:oncall-march"]
    assert doc.extra == {"team": "payments", "tags": ["design", "ledger"]}
    assert doc.to_dict()["tags"] == ["design", "ledger"]
    assert doc.stats == {"reviewers": 4}


def test_dates_are_normalized_to_iso_with_an_offset() -> None:
    records, _ = ingest([DATA / "evidence.jsonl"])

    assert records["jsonl:talk-dst"].date == "2026-03-26T00:00:00+00:00"
    assert records["jsonl:oncall-march"].date == "2026-03-30T08:00:00+00:00"
    assert records["jsonl:design-doc-ledger"].date == "2026-02-18T10:00:00+01:00"
    assert records["jsonl:talk-dst"].role == "owner"


def test_the_period_filter_applies() -> None:
    options = SourceOptions(since=datetime(2026, 3, 1, tzinfo=UTC), until=datetime(2026, 3, 28, tzinfo=UTC))

    records, _ = ingest([DATA], options)

    assert list(records) == ["jsonl:talk-dst"]


def test_broken_and_invalid_lines_are_skipped_with_their_line_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(evidence_record(1)),
        '{"id": "jsonl:x", "title": ',
        json.dumps(evidence_record(2, date="")),
        "[1, 2]",
        json.dumps(evidence_record(3, stats={"points": "five"})),
        "",
        json.dumps(evidence_record(4, title="Line\u2028separator inside"), ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n")

    records, skips = ingest([path])

    assert list(records) == ["jsonl:item-1", "jsonl:item-4"]
    assert [s.where for s in skips.items] == [f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert skips.items[0].why.startswith("broken JSON")
    assert "missing required field(s): date" in skips.items[1].why
    assert "not a JSON object" in skips.items[2].why
    assert "stats.points is not a number" in skips.items[3].why


def test_the_same_file_gives_the_same_records_twice(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", [evidence_record(n) for n in range(20)])

    first, _ = ingest([path])
    second, _ = ingest([path])

    assert [r.content_hash() for r in first.values()] == [r.content_hash() for r in second.values()]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        list(iter_records([tmp_path / "missing.jsonl"], SourceOptions(), Skips()))
