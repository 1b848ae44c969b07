"""kill -9 at any moment of an ingest, run it again: every item is in the store exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.settings import load
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace, WorkspaceBusy
from tests.conftest import evidence_record, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def start_ingest(source: Path, home: Path) -> subprocess.Popen:
    env = {**os.environ, "SELFREVIEW_HOME": str(home), "SELFREVIEW_EMBEDDING": "fake"}
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", "jsonl", str(source), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def assert_exactly_once(home: Path, expected_ids: set[str]) -> None:
    workspace = Workspace(home, "default")
    ledger_ids = {e.id for e in workspace.evidence()}
    chroma = workspace.collection().get(include=["metadatas"])
    assert ledger_ids == expected_ids
    assert len(chroma["ids"]) == len(set(chroma["ids"]))
    assert {m["evidence_id"] for m in chroma["metadatas"]} == expected_ids
    assert set(chroma["ids"]) == workspace.ledger.all_chunk_ids()
    assert workspace.ledger.pending() == []


def test_killed_ingests_resume_and_store_every_item_exactly_once(tmp_path: Path) -> None:
    records = [evidence_record(n, body=f"Item {n}. " + "detail " * (n % 300)) for n in range(1500)]
    source = write_jsonl(tmp_path / "year.jsonl", records)
    timing_home = tmp_path / "timing"
    started = time.monotonic()
    assert start_ingest(source, timing_home).wait(timeout=600) == 0
    full = time.monotonic() - started

    home = tmp_path / "home"
    killed = 0
    for fraction in (0.15, 0.3, 0.45, 0.6, 0.75):
        process = start_ingest(source, home)
        time.sleep(full * fraction)
        process.send_signal(signal.SIGKILL)
        killed += process.wait(timeout=30) == -signal.SIGKILL
    final = start_ingest(source, home)
    out, err = final.communicate(timeout=600)

    assert final.returncode == 0, err.decode()
    assert killed >= 3, "the kills came after the runs had finished: nothing was tested"
    assert_exactly_once(home, {r["id"] for r in records})


def test_damaged_index_is_detected_and_rebuilt_from_the_ledger(tmp_path: Path) -> None:
    home = load().home
    workspace = Workspace(home, "default")
    records = [evidence_record(n) for n in range(1500)]
    ingest(workspace, FakeEmbedder(), "jsonl", [write_jsonl(tmp_path / "a.jsonl", records)])
    workspace.close()
    index_files = list((home / "workspaces" / "default" / "chroma").rglob("data_level0.bin"))
    assert index_files, "Chroma wrote no HNSW index to damage"
    for path in index_files:
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 3)
    reopened = Workspace(home, "default")
    reopened.ledger.put("dirty", "1")  # what a killed writer leaves behind

    report = ingest(reopened, FakeEmbedder(), "jsonl", [tmp_path / "a.jsonl"])

    assert "rebuilt from the ledger" in report.recovered
    assert report.unchanged == 1500
    assert_exactly_once(home, {r["id"] for r in records})


def test_second_writer_fails_within_seconds_with_a_clear_message(tmp_path: Path) -> None:
    home = load().home
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from ingest.store import Workspace; "
            "w = Workspace(Path(sys.argv[1]), 'default'); w._acquire(); print('locked', flush=True); time.sleep(60)",
            str(home),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        source = write_jsonl(tmp_path / "a.jsonl", [evidence_record(1)])
        started = time.monotonic()
        with pytest.raises(WorkspaceBusy, match="another selfreview process"):
            ingest(Workspace(home, "default"), FakeEmbedder(), "jsonl", [source])
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
