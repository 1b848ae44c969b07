"""Ingest as a user sees it: idempotent sync, updates, prune, exit codes and the --json contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import load
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def chroma_ids(workspace: Workspace) -> list[str]:
    return workspace.collection().get(include=[])["ids"]


def test_second_run_reports_everything_unchanged_and_embeds_nothing(
    tmp_path: Path, fake_embedding: None
) -> None:
    source = write_jsonl(tmp_path / "work.jsonl", [evidence_record(n) for n in range(30)])

    first = run_cli("ingest", "jsonl", str(source), "--json")
    second = run_cli("ingest", "jsonl", str(source), "--json")

    assert first.returncode == 0, first.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert (one["added"], one["unchanged"]) == (30, 0)
    assert (two["added"], two["updated"], two["unchanged"], two["chunks"]) == (0, 0, 30, 0)
    assert set(one) >= {"added", "updated", "unchanged", "removed", "chunks", "skipped", "seconds"}


def test_changed_item_replaces_its_old_chunks(tmp_path: Path) -> None:
    workspace = Workspace(load().home, "w")
    long_body = " ".join(f"paragraph {i} about the ledger migration and its rollout." for i in range(200))
    source = write_jsonl(tmp_path / "a.jsonl", [evidence_record(1, body=long_body), evidence_record(2)])
    ingest(workspace, FakeEmbedder(), "jsonl", [source])
    assert len(chroma_ids(workspace)) > 3

    write_jsonl(source, [evidence_record(1, body="Now short."), evidence_record(2)])
    report = ingest(workspace, FakeEmbedder(), "jsonl", [source])

    assert (report.updated, report.unchanged) == (1, 1)
    assert sorted(chroma_ids(workspace)) == ["jsonl:item-1#0", "jsonl:item-2#0"]
    assert (
        workspace.collection()
        .get(ids=["jsonl:item-1#0"])["documents"][0]
        .endswith("Now short.\nstory points: 1")
    )


def test_prune_removes_items_that_disappeared_from_the_source(tmp_path: Path) -> None:
    workspace = Workspace(load().home, "w")
    source = write_jsonl(tmp_path / "a.jsonl", [evidence_record(n) for n in range(5)])
    ingest(workspace, FakeEmbedder(), "jsonl", [source])
    write_jsonl(source, [evidence_record(n) for n in range(3)])

    kept = ingest(workspace, FakeEmbedder(), "jsonl", [source])
    pruned = ingest(workspace, FakeEmbedder(), "jsonl", [source], prune=True)

    assert kept.removed == 0
    assert pruned.removed == 2
    assert sorted(e.id for e in workspace.evidence()) == [f"jsonl:item-{n}" for n in range(3)]
    assert len(chroma_ids(workspace)) == 3


def test_bad_records_are_skipped_by_line_and_exit_code_says_so(tmp_path: Path, fake_embedding: None) -> None:
    source = tmp_path / "mixed.jsonl"
    good = [json.dumps(evidence_record(n)) for n in range(3)]
    source.write_text("\n".join([good[0], "{not json", good[1], json.dumps({"id": "x"}), good[2]]) + "\n")

    result = run_cli("ingest", "jsonl", str(source), "--json")

    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert payload["added"] == 3
    assert [s["where"] for s in payload["skipped"]] == [f"{source}:2", f"{source}:4"]


def test_usage_errors_exit_2_with_a_message_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"

    result = run_cli("ingest", "jsonl", str(missing), "--json")

    assert result.returncode == 2
    assert str(missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_querying_with_another_embedding_model_fails_with_the_reembed_command(tmp_path: Path) -> None:
    workspace = Workspace(load().home, "w")
    source = write_jsonl(tmp_path / "a.jsonl", [evidence_record(1)])
    ingest(workspace, FakeEmbedder(), "jsonl", [source])

    class Other(FakeEmbedder):
        name = "other:model"

    write_jsonl(source, [evidence_record(1), evidence_record(2)])
    with pytest.raises(Exception, match="selfreview reembed --workspace w"):
        ingest(workspace, Other(), "jsonl", [source])
