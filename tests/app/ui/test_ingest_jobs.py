"""Ingest as a background job: kinds read from the content, per-file summaries, cancel, history and removal."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from app import jobs, kinds, services
from app.settings import load
from ingest.embeddings import FakeEmbedder
from ingest.sources import SourceOptions
from tests.app.ui.conftest import WORKSPACE, texts, unescape
from tests.app.ui.test_evidence import finish_ingest, open_panel
from tests.conftest import evidence_record, write_jsonl

DATA = Path(__file__).resolve().parents[2] / "data" / "ui"


def upload(at, name: str, kind: str = "detect"):
    at.selectbox(key="upload_kind").select(kind).run()
    at.file_uploader(key=f"upload_files_{kind}").upload(name, (DATA / name).read_bytes(), "text/plain").run()
    at.button(key="upload_go").click().run()
    return finish_ingest(at)


def item_count(at) -> str:
    return at.metric[0].value


def test_a_wrong_kind_upload_is_refused_in_red_naming_the_columns(app, workspace):
    at = open_panel(app("evidence"), "ev_add")
    upload(at, "linear-tickets.csv", "jira")
    assert not at.exception
    refusal = unescape(at.error[0].value)
    assert refusal.startswith(
        "linear-tickets.csv looks like a Linear export (columns ID, Title, Team, Status"
    )
    assert "not a Jira export" in refusal
    assert "Issue key" in refusal
    assert not at.success
    assert item_count(at) == "12"


def test_a_file_of_no_known_kind_names_what_was_found(app, workspace):
    at = open_panel(app("evidence"), "ev_add")
    upload(at, "unknown.csv")
    assert "unknown.csv: cannot tell what kind of export this is (found columns foo, bar, baz)" in unescape(
        at.error[0].value
    )
    assert item_count(at) == "12"


def test_the_kind_is_read_from_the_content_and_the_summary_says_what_happened(app, workspace):
    at = open_panel(app("evidence"), "ev_add")
    upload(at, "brag.md")
    assert "brag.md (notes): 2 added, 0 updated, 0 unchanged" in unescape(texts(at))
    assert item_count(at) == "14"
    at.button(key="upload_go").click().run()  # the same file again: nothing new, and not in green
    finish_ingest(at)
    assert not at.success
    assert "brag.md (notes): nothing new, every item was already here" in unescape(texts(at))


def test_remove_an_ingest_takes_out_its_items(app, workspace):
    at = open_panel(app("evidence"), "ev_add")
    upload(at, "brag.md")
    assert item_count(at) == "14"
    at.session_state["ev_history"] = True
    at.run()
    remove = next(b for b in at.button if b.key and b.key.startswith("history_remove_"))
    remove.click().run()
    assert not at.exception
    assert "Removed 2 item(s) that came from brag.md." in unescape(texts(at))
    assert item_count(at) == "12"
    assert "removed (2 items)" in unescape(texts(at))


def test_delete_one_item_from_the_table(app, workspace):
    at = app("evidence")
    at.segmented_control(key="ev_view").set_value("All evidence").run()
    at.text_input(key="ev_filter_text").input("refund retry").run()
    at.session_state["ev_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="ev_delete_github:acme/pay#21").click().run()
    assert not at.exception
    assert "Deleted “Reviewed the refund retry queue design” (github:acme/pay#21)" in unescape(texts(at))
    assert item_count(at) == "11"


class SlowEmbedder(FakeEmbedder):
    """Hashed words at about 200 chunks a second: a large ingest that lasts long enough to cancel."""

    def embed(self, texts: list[str]) -> np.ndarray:
        time.sleep(0.005 * len(texts))
        return super().embed(texts)


@pytest.fixture
def slow_embedding(monkeypatch: pytest.MonkeyPatch, ui_env: Path) -> None:
    monkeypatch.setattr(services, "embedder_factory", lambda settings, workspace=None: SlowEmbedder)


def large_file(tmp_path: Path, count: int) -> Path:
    rows = [
        evidence_record(1000 + n, id=f"jsonl:bulk-{n}", title=f"Bulk item {n} about ledgers")
        for n in range(count)
    ]
    return write_jsonl(tmp_path / "bulk.jsonl", rows)


def wait(job: jobs.Job, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while job.state == "running":
        assert time.monotonic() < deadline, job.status()
        time.sleep(0.05)


def test_cancel_removes_what_the_job_added_and_keeps_the_rest(workspace, slow_embedding, tmp_path):
    settings = load()
    before = set(services.open_workspace(settings, WORKSPACE).ledger.states())
    job = jobs.start(
        settings, WORKSPACE, [jobs.Upload(large_file(tmp_path, 600), "bulk.jsonl", "jsonl")], SourceOptions()
    )
    while job.chunks_done < 64:
        assert job.state == "running", job.error
        time.sleep(0.02)
    job.cancel()
    wait(job)
    assert job.state == "cancelled"
    assert job.removed_on_cancel > 0
    ws = services.open_workspace(settings, WORKSPACE)
    assert set(ws.ledger.states()) == before
    index = services.search_index(settings, ws)
    assert not [
        h for h in index.search("Bulk item about ledgers", k=20) if h.evidence.id.startswith("jsonl:bulk")
    ]
    assert jobs.history(settings.home, WORKSPACE)[0]["state"] == "cancelled"


def test_progress_moves_by_chunk_with_an_eta_and_starts_at_once(workspace, slow_embedding, tmp_path):
    job = jobs.start(
        load(), WORKSPACE, [jobs.Upload(large_file(tmp_path, 300), "bulk.jsonl", "jsonl")], SourceOptions()
    )
    seen = set()
    while job.state == "running":
        seen.add(job.chunks_done)
        if job.eta_seconds() is not None:
            assert "left" in job.status()
        time.sleep(0.02)
    assert job.first_progress is not None
    assert job.first_progress - job.started < 2.0
    assert len([c for c in seen if 0 < c < 300]) >= 5  # many updates inside the 64-item batches
    assert job.state == "finished", job.error
    assert job.results[0]["report"]["added"] == 300


def test_a_second_ingest_into_the_same_workspace_waits_its_turn(workspace, slow_embedding, tmp_path):
    settings = load()
    first = jobs.start(
        settings, WORKSPACE, [jobs.Upload(large_file(tmp_path, 300), "bulk.jsonl", "jsonl")], SourceOptions()
    )
    with pytest.raises(ValueError, match="already running"):
        jobs.start(
            settings,
            WORKSPACE,
            [jobs.Upload(large_file(tmp_path, 3), "bulk.jsonl", "jsonl")],
            SourceOptions(),
        )
    first.cancel()
    wait(first)


@pytest.mark.parametrize(
    ("name", "kind"), [("linear-tickets.csv", "linear"), ("brag.md", "notes"), ("unknown.csv", None)]
)
def test_kinds_are_read_from_the_content(name, kind):
    assert kinds.detect(DATA / name).kind == kind


def test_evidence_jsonl_and_github_json_are_told_apart(tmp_path):
    lines = write_jsonl(tmp_path / "x.json", [evidence_record(1)])
    assert kinds.detect(lines).kind == "jsonl"
    prs = tmp_path / "prs.json"
    prs.write_text(json.dumps([{"number": 7, "title": "Fix", "mergedAt": "2026-01-02T00:00:00Z"}]))
    assert kinds.detect(prs).kind == "github"
    assert kinds.refusal("prs.json", "jsonl", kinds.detect(prs)).startswith(
        "prs.json looks like a GitHub export"
    )
