"""`selfreview search --json`: the contract's fields, one result per item, filters."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import evidence_record, write_jsonl
from tests.ingest.test_pipeline import run_cli


def test_search_json_has_the_contract_fields_and_honours_filters(
    tmp_path: Path, fake_embedding: None
) -> None:
    long_body = " ".join(["Refund idempotency keys stop double refunds."] * 120)
    records = [
        evidence_record(1, title="Refund idempotency keys", body=long_body, date="2026-02-10T09:00:00+00:00"),
        evidence_record(
            2, title="Refund retries dashboard", date="2026-07-01T09:00:00+00:00", source="notes"
        ),
        evidence_record(3, title="Quarterly planning", date="2026-03-01T09:00:00+00:00"),
    ]
    run_cli("ingest", "jsonl", str(write_jsonl(tmp_path / "a.jsonl", records)), "--json")

    everything = json.loads(run_cli("search", "refund idempotency", "--json").stdout)["results"]
    february = json.loads(
        run_cli("search", "refund", "--json", "--since", "2026-02-01", "--until", "2026-02-28").stdout
    )["results"]
    notes_only = json.loads(run_cli("search", "refund", "--json", "--source", "notes").stdout)["results"]

    assert everything[0]["id"] == "jsonl:item-1"
    assert set(everything[0]) >= {
        "id",
        "source",
        "kind",
        "title",
        "date",
        "url",
        "score",
        "native",
        "snippet",
    }
    assert len([r for r in everything if r["id"] == "jsonl:item-1"]) == 1  # many chunks, one result
    assert "idempotency" in everything[0]["snippet"].lower()
    assert [r["id"] for r in february] == ["jsonl:item-1"]
    assert [r["id"] for r in notes_only] == ["jsonl:item-2"]


def test_draft_text_goes_to_stdout_and_the_questions_and_forgotten_wins_to_stderr(
    tmp_path: Path, fake_embedding: None
) -> None:
    records = [
        evidence_record(1, title="Shipped refund idempotency keys", body="Shipped refund idempotency keys."),
        evidence_record(
            2,
            kind="pr",
            role="author",
            title="Rewrite the ledger export job",
            body="Moved the nightly ledger export to streaming.",
            stats={"insertions": 900, "deletions": 400},
        ),
    ]
    run_cli("ingest", "jsonl", str(write_jsonl(tmp_path / "a.jsonl", records)), "--json")
    ladder = tmp_path / "ladder.yaml"
    ladder.write_text(
        "name: Test ladder\nlevels:\n  - id: L4\ncriteria:\n"
        "  - id: ship\n    level: L4\n    text: I shipped refund idempotency keys.\n"
        "  - id: hire\n    level: L4\n    text: I interview candidates for the hiring committee.\n"
    )

    result = run_cli("draft", "--ladder", str(ladder), "--level", "L4")

    assert result.returncode == 0, result.stderr
    assert "refund idempotency" in result.stdout.lower()
    assert "Questions for thin and missing criteria" not in result.stdout  # a redirected draft stays clean
    assert "[missing] Do you have notes on how you interview candidates" in result.stderr
    assert "Not cited yet" in result.stderr
    assert "Rewrote the ledger export job (PAY-2, +900/−400 lines) [jsonl:item-2]" in result.stderr
    assert "(PAY-1, 1 story point, in progress)" in result.stdout  # one point, not "1 story points"
