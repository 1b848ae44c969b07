"""`selfreview ingest` on bad input, as a user runs it: valid JSON out, skips named, notes shown, exit codes true."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import evidence_record, write_jsonl
from tests.ingest.test_pipeline import run_cli

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def test_non_finite_points_and_impossible_dates_are_named_and_the_json_report_is_valid(
    fake_embedding: None,
) -> None:
    done = run_cli("ingest", "jira", str(BAD / "odd_numbers.csv"), "--json")

    report = json.loads(done.stdout)  # NaN anywhere would make this raise
    assert done.returncode == 1
    assert report["added"] == 2
    assert [s["where"] for s in report["skipped"]] == [f"{BAD / 'odd_numbers.csv'}:{n}" for n in (3, 4, 5)]
    metrics = json.loads(run_cli("metrics", "--json").stdout)["metrics"]
    assert "NaN" not in json.dumps(metrics)


def test_a_latin1_file_is_read_with_a_note_and_exits_0(fake_embedding: None) -> None:
    done = run_cli("ingest", "notes", str(BAD / "latin1.md"), "--json")
    text = run_cli("ingest", "notes", str(BAD / "latin1.md"), "-w", "again")

    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["added"] == 2
    assert report["skipped"] == []
    assert [n["where"] for n in report["notes"]] == [f"{BAD / 'latin1.md'}:4"]
    assert "read as Windows-1252" in report["notes"][0]["what"]
    assert text.returncode == 0
    assert f"read {BAD / 'latin1.md'}:4: not UTF-8: read as Windows-1252" in text.stderr


def test_a_fifo_is_a_usage_error_that_returns_at_once(tmp_path: Path, fake_embedding: None) -> None:
    fifo = tmp_path / "work.jsonl"
    os.mkfifo(fifo)

    done = run_cli("ingest", "jsonl", str(fifo), "--json")

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"].endswith(
        "a named pipe (FIFO), not a file or folder; save the data to a file and ingest that"
    )
    assert "Traceback" not in done.stderr


def test_deep_json_and_a_huge_record_cost_only_themselves(tmp_path: Path, fake_embedding: None) -> None:
    deep = json.dumps(evidence_record(2))[:-1] + ', "extra": ' + "[" * 600 + "]" * 600 + "}"
    huge = json.dumps(evidence_record(3, body="refund " * 200_000))
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join([json.dumps(evidence_record(1)), deep, huge, json.dumps(evidence_record(4))]))

    done = run_cli("ingest", "jsonl", str(source), "--json")
    found = json.loads(run_cli("search", "payments ticket", "--json").stdout)["results"]

    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report["added"] == 2
    assert [s["where"] for s in report["skipped"]] == [f"{source}:2", f"{source}:3"]
    assert {r["id"] for r in found} == {"jsonl:item-1", "jsonl:item-4"}


def test_clean_input_still_exits_0(tmp_path: Path, fake_embedding: None) -> None:
    done = run_cli("ingest", "jsonl", str(write_jsonl(tmp_path / "ok.jsonl", [evidence_record(1)])), "--json")

    assert done.returncode == 0
    assert json.loads(done.stdout)["notes"] == []
