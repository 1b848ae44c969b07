"""Ingest never lies: after a kill -9 or a Ctrl-C, the rerun makes every item searchable and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.search import HybridSearch
from app.settings import load
from ingest import chroma_store
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl
from tests.ingest.killed_run import POINTS
from tests.ingest.test_pipeline import run_cli

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["zephyr", "quokka", "marmalade", "obsidian", "tangerine", "walrus", "lantern"]


def unique_records(count: int) -> list[dict]:
    return [
        evidence_record(n, title=f"Ticket {n} about {WORDS[n]}", body=f"Only this one mentions {WORDS[n]}.")
        for n in range(count)
    ]


def found_first(index: HybridSearch, records: list[dict]) -> int:
    """How many items come first in a search for the word only they contain."""
    return sum(
        bool(hits := index.search(WORDS[n], k=3)) and hits[0].evidence.id == record["id"]
        for n, record in enumerate(records)
    )


def test_ctrl_c_during_the_chroma_write_is_completed_by_the_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace(load().home, "default")
    records = unique_records(5)
    source = write_jsonl(tmp_path / "a.jsonl", records)
    index = HybridSearch(workspace, FakeEmbedder)
    assert index.search("anything") == []  # a search before the run: the empty workspace is read once

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(chroma_store, "upsert", interrupted)
        with pytest.raises(KeyboardInterrupt):
            ingest(workspace, FakeEmbedder(), "jsonl", [source])
    rerun = ingest(workspace, FakeEmbedder(), "jsonl", [source])
    after = ingest(workspace, FakeEmbedder(), "jsonl", [source])

    assert "5 items" in rerun.recovered
    assert rerun.unchanged == 5
    assert not workspace.dirty
    assert found_first(index, records) == 5
    assert after.recovered == ""


@pytest.mark.parametrize("point", sorted(POINTS))
def test_kill_9_at_each_point_of_an_ingest_then_rerun_finds_every_item(tmp_path: Path, point: str) -> None:
    home = load().home
    records = unique_records(5)
    source = write_jsonl(tmp_path / "a.jsonl", records)
    env = {**os.environ, "SELFREVIEW_EMBEDDING": "fake"}
    killed = subprocess.run(
        [sys.executable, "-m", "tests.ingest.killed_run", point, "ingest", "jsonl", str(source), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    rerun = run_cli("ingest", "jsonl", str(source), "--json", env={"SELFREVIEW_EMBEDDING": "fake"})
    again = run_cli("ingest", "jsonl", str(source), "--json", env={"SELFREVIEW_EMBEDDING": "fake"})
    searches = [run_cli("search", WORDS[n], "--json", env={"SELFREVIEW_EMBEDDING": "fake"}) for n in range(5)]

    report = json.loads(rerun.stdout)
    assert rerun.returncode == 0, rerun.stderr
    assert report["recovered"], "the rerun did not say it recovered an interrupted run"
    assert json.loads(again.stdout)["recovered"] == ""
    assert all(s.returncode == 0 for s in searches), [s.stderr for s in searches]
    assert [json.loads(s.stdout)["results"][0]["id"] for s in searches] == [r["id"] for r in records]
    assert not Workspace(home, "default").dirty
