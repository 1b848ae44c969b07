"""The browser's background ingest goes through the ingest use case the CLI calls (one ingest session), and keeps
what a job promises: per-file results, Cancel taking back everything the job added, a job that cannot open its
workspace failing with the reason instead of running forever."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app import jobs, usecases
from app.cli import main
from app.ingest_session import IngestSession
from app.settings import load
from ingest.embeddings import FakeEmbedder
from ingest.sources import SourceOptions
from ingest.store import WorkspacePaths
from tests.app.test_usecases import ROOT, _imports
from tests.conftest import evidence_record, write_jsonl

Call = tuple[str, list[Path], dict[str, Any]]


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Every sync an ingest session runs, recorded with its kind, paths and hooks, then run as usual."""
    seen: list[Call] = []
    real = IngestSession.ingest

    def spy(self: IngestSession, kind: str, paths: list[Path], *args: Any, **kwargs: Any) -> Any:
        seen.append((kind, list(paths), kwargs))
        return real(self, kind, paths, *args, **kwargs)

    monkeypatch.setattr(IngestSession, "ingest", spy)
    return seen


def wait(job: jobs.Job, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while job.state == "running":
        assert time.monotonic() < deadline, job.status()
        time.sleep(0.02)


def records(tmp_path: Path, name: str, first: int, count: int) -> Path:
    rows = [
        evidence_record(first + n, id=f"jsonl:{name}-{n}", title=f"{name} item {n}") for n in range(count)
    ]
    return write_jsonl(tmp_path / f"{name}.jsonl", rows)


def test_the_cli_and_the_background_job_ingest_through_the_same_use_case(
    tmp_path: Path, fake_embedding: None, sessions: list[Call]
) -> None:
    from_cli = records(tmp_path, "cli", 1, 2)
    uploads = [
        jobs.Upload(records(tmp_path, n, 10 * (i + 1), 3), f"{n}.jsonl", "jsonl") for i, n in enumerate("ab")
    ]

    assert main(["ingest", "jsonl", str(from_cli), "--json"]) == 0
    job = jobs.start(load(), "default", uploads, SourceOptions())
    wait(job)

    assert job.state == "finished", job.error
    assert [(kind, paths) for kind, paths, _ in sessions] == [
        ("jsonl", [from_cli]),
        ("jsonl", [uploads[0].path]),
        ("jsonl", [uploads[1].path]),
    ]
    for _, _, hooks in sessions[1:]:  # the job watches each file by chunk through the use case's hooks
        assert hooks["progress"] is not None
        assert callable(hooks["embed_with"])
    assert [r["report"]["added"] for r in job.results] == [3, 3]
    assert job.chunks_done == 6
    held = {e.id for e in usecases.open_index(load()).all_evidence()}
    assert held == {"jsonl:cli-0", "jsonl:cli-1"} | {f"jsonl:{n}-{i}" for n in "ab" for i in range(3)}


def test_the_job_never_opens_the_workspace_or_runs_the_pipeline_itself() -> None:
    bypasses = {
        "app.services",
        "app.evidence_removal",
        "ingest.pipeline.ingest",
        "ingest.store",
        "ingest.store.Workspace",
        "sqlite3",
    }
    text = (ROOT / "app" / "jobs.py").read_text(encoding="utf-8")

    found = sorted(_imports(ROOT / "app" / "jobs.py") & bypasses)
    found += [call for call in ("open_workspace(", "Workspace(", ".db.execute") if call in text]

    assert found == []


class SlowEmbedder(FakeEmbedder):
    """Hashed words at about 200 chunks a second: an ingest that lasts long enough to cancel."""

    def embed(self, texts: list[str]) -> np.ndarray:
        time.sleep(0.005 * len(texts))
        return super().embed(texts)


def test_cancel_in_the_second_file_takes_back_the_first_files_items_too(
    tmp_path: Path, fake_embedding: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import services

    settings = load()
    kept = records(tmp_path, "kept", 1, 2)
    usecases.ingest(settings, "jsonl", [kept], SourceOptions())
    monkeypatch.setattr(services, "embedder_factory", lambda settings, workspace=None: SlowEmbedder)
    small, large = records(tmp_path, "small", 100, 3), records(tmp_path, "large", 200, 400)
    job = jobs.start(
        settings,
        "default",
        [jobs.Upload(small, "small.jsonl", "jsonl"), jobs.Upload(large, "large.jsonl", "jsonl")],
        SourceOptions(),
    )
    while not (job.current == "large.jsonl" and job.chunks_done > 40):
        assert job.state == "running", job.error
        time.sleep(0.01)
    job.cancel()
    started = time.monotonic()
    wait(job)

    assert time.monotonic() - started < 5
    assert job.state == "cancelled"
    assert job.results[0]["report"]["added"] == 3  # the first file was done when Cancel came
    assert job.removed_on_cancel >= 3
    index = usecases.open_index(settings)
    assert {e.id for e in index.all_evidence()} == {"jsonl:kept-0", "jsonl:kept-1"}
    assert not [h for h in index.search("small item", k=10) if h.evidence.id.startswith("jsonl:small")]
    assert jobs.history(settings.home, "default")[0]["state"] == "cancelled"


def test_a_job_whose_workspace_cannot_be_opened_fails_with_the_reason(
    tmp_path: Path, fake_embedding: None
) -> None:
    settings = load()
    usecases.create_workspace(settings, "damaged")
    WorkspacePaths(settings.home, "damaged").ledger.write_bytes(b"not a database" * 100)

    job = jobs.start(
        settings, "damaged", [jobs.Upload(records(tmp_path, "a", 1, 2), "a.jsonl", "jsonl")], SourceOptions()
    )
    wait(job, 10)

    assert job.state == "failed"
    assert "ledger of workspace 'damaged' is damaged" in job.error
    assert "selfreview repair --workspace damaged" in job.error
    assert jobs.history(settings.home, "damaged")[0]["state"] == "failed"


def test_a_file_that_fails_is_named_in_its_result_and_the_next_file_is_still_read(
    tmp_path: Path, fake_embedding: None
) -> None:
    missing = tmp_path / "gone.jsonl"
    good = records(tmp_path, "good", 1, 2)

    job = jobs.start(
        load(),
        "default",
        [jobs.Upload(missing, "gone.jsonl", "jsonl"), jobs.Upload(good, "good.jsonl", "jsonl")],
        SourceOptions(),
    )
    wait(job)

    assert job.state == "finished", job.error
    assert job.results[0]["report"] is None
    assert "gone.jsonl" in job.results[0]["error"]
    assert job.results[1]["report"]["added"] == 2


def test_removing_a_past_ingest_takes_out_only_its_files_items(tmp_path: Path, fake_embedding: None) -> None:
    settings = load()
    usecases.ingest(settings, "jsonl", [records(tmp_path, "kept", 1, 2)], SourceOptions())
    job = jobs.start(
        settings, "default", [jobs.Upload(records(tmp_path, "a", 10, 3), "a.jsonl", "jsonl")], SourceOptions()
    )
    wait(job)

    assert jobs.remove_ingest(settings, "default", job.id) == 3

    assert {e.id for e in usecases.open_index(settings).all_evidence()} == {"jsonl:kept-0", "jsonl:kept-1"}
    assert jobs.history(settings.home, "default")[0]["removed"] == 3
