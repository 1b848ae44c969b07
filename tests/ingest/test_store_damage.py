"""Damage to the store is noticed on open and repaired: Chroma rebuilt from the ledger, the ledger from Chroma or
its backup, a killed reembed resumed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.search import HybridSearch
from app.settings import load
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl
from tests.ingest.test_pipeline import ROOT, run_cli

FAKE = {"SELFREVIEW_EMBEDDING": "fake"}


def records(count: int) -> list[dict]:
    return [
        evidence_record(n, title=f"Ticket {n} about subject{n}x", body=f"Work on subject{n}x only.")
        for n in range(count)
    ]


def ingested(tmp_path: Path, count: int = 30) -> tuple[Workspace, list[dict], Path]:
    workspace = Workspace(load().home, "default")
    items = records(count)
    source = write_jsonl(tmp_path / "a.jsonl", items)
    ingest(workspace, FakeEmbedder(), "jsonl", [source])
    return workspace, items, source


def found_by_unique_query(index: HybridSearch, items: list[dict]) -> int:
    """How many items are among the first ten hits of a search for the word only they contain (dense search is
    approximate: with hashed-word vectors near ties swap neighbours, and one item in 200 fell to fourth)."""
    return sum(
        item["id"] in {hit.evidence.id for hit in index.search(f"subject{n}x", k=10)}
        for n, item in enumerate(items)
    )


def test_deleted_chroma_directory_is_noticed_on_open_and_rebuilt_from_the_ledger(tmp_path: Path) -> None:
    workspace, items, _ = ingested(tmp_path)
    workspace.close()
    shutil.rmtree(workspace.chroma_path)

    index = HybridSearch(Workspace(load().home, "default"), FakeEmbedder)

    assert found_by_unique_query(index, items) == len(items)
    assert any("missing" in notice and "rebuilt from the ledger" in notice for notice in index.notices)


def test_chroma_holding_fewer_chunks_than_the_ledger_is_noticed_and_completed(tmp_path: Path) -> None:
    workspace, items, source = ingested(tmp_path)
    workspace.collection().delete(ids=[f"{item['id']}#0" for item in items[:7]])

    report = ingest(workspace, FakeEmbedder(), "jsonl", [source])

    assert "holds 23 chunks, the ledger 30" in report.recovered
    assert "7 items re-embedded" in report.recovered
    assert found_by_unique_query(HybridSearch(workspace, FakeEmbedder), items) == len(items)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_ledger_is_named_and_repair_rebuilds_it_from_chroma(tmp_path: Path, damage: str) -> None:
    workspace, items, _ = ingested(tmp_path, 200)
    workspace.close()
    ledger = workspace.dir / "ledger.sqlite"
    if damage == "garbage":
        ledger.write_bytes(b"\x13garbage" * 4096)
    else:
        with ledger.open("r+b") as handle:
            handle.truncate(ledger.stat().st_size // 2)

    broken = run_cli("search", "subject3x", "--json", env=FAKE)
    repaired = run_cli("repair", env=FAKE)
    search = run_cli("search", "subject3x", "--json", env=FAKE)

    assert broken.returncode == 2
    assert "selfreview repair --workspace default" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert repaired.returncode == 0, repaired.stderr
    assert "ledger rebuilt (200 items from Chroma" in repaired.stdout
    assert json.loads(search.stdout)["results"][0]["id"] == items[3]["id"]
    assert list(workspace.dir.glob("ledger.damaged-*.sqlite")), "the damaged ledger was not kept"


def test_ledger_and_chroma_both_lost_are_rebuilt_from_the_ledger_backup(tmp_path: Path) -> None:
    workspace, items, _ = ingested(tmp_path)
    workspace.close()
    (workspace.dir / "ledger.sqlite").write_bytes(b"not a database at all" * 100)
    shutil.rmtree(workspace.chroma_path)

    repaired = run_cli("repair", "--json", env=FAKE)

    report = json.loads(repaired.stdout)
    assert (report["ledger"], report["from_chroma"], report["from_backup"]) == ("rebuilt", 0, 30)
    index = HybridSearch(Workspace(load().home, "default"), FakeEmbedder)
    assert found_by_unique_query(index, items) == len(items)


def test_killed_reembed_resumes_and_search_finds_every_item(tmp_path: Path) -> None:
    workspace, items, _ = ingested(tmp_path, 200)  # four batches of 64 items
    workspace.close()

    killed = subprocess.run(
        [sys.executable, "-m", "tests.ingest.killed_run", "marked-stored", "reembed"],
        cwd=ROOT,
        env={**os.environ, **FAKE},
        capture_output=True,
        timeout=300,
    )
    resumed = run_cli("reembed", "--json", env=FAKE)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert json.loads(resumed.stdout)["recovered"] == "resumed an interrupted reembed"
    assert json.loads(resumed.stdout)["updated"] == 200 - 64
    reopened = Workspace(load().home, "default")
    assert reopened.collection().count() == 200
    assert found_by_unique_query(HybridSearch(reopened, FakeEmbedder), items) == len(items)
