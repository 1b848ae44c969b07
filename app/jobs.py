"""Ingest as a background job owned by the application, not a page: a thread of the app's process that keeps
running when the user changes page, reports progress by chunk with an ETA, can be cancelled (what it added is
removed again), and leaves an entry in the workspace's ingest history that can be removed later."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app import usecases
from app.drafts import read_json, write_json_atomic
from app.settings import Settings
from ingest.embeddings import Embedder
from ingest.layout import WorkspacePaths
from ingest.pipeline import Progress, origin_key
from ingest.sources import SourceOptions

if TYPE_CHECKING:
    from app.ingest_session import IngestSession

EMBED_STEP = 16  # chunks embedded between two progress updates (and cancel checks)
HISTORY_KEEP = 200


class Cancelled(Exception):
    """The user cancelled the ingest."""


@dataclass
class Upload:
    path: Path
    name: str  # as the user knows it ("notes.md")
    kind: str


@dataclass
class Job:
    id: str
    home: Path
    workspace: str
    files: list[Upload]
    state: str = "running"  # running | finished | cancelled | failed
    current: str = ""  # the file being read
    items_total: int = 0
    items_done: int = 0
    batch_items: int = 0
    batch_chunks: int = 0
    batch_chunks_done: int = 0
    chunks_done: int = 0
    started: float = field(default_factory=time.monotonic)
    first_progress: float | None = None
    embedding_started: float | None = None
    finished: float | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    removed_on_cancel: int = 0
    cancel_requested: threading.Event = field(default_factory=threading.Event)

    def fraction(self) -> float:
        if self.state != "running":
            return 1.0
        if not self.items_total:
            return 0.0
        within = self.batch_items * self.batch_chunks_done / self.batch_chunks if self.batch_chunks else 0
        return min(1.0, (self.items_done + within) / self.items_total)

    def eta_seconds(self) -> float | None:
        """Seconds left at the rate so far (None until some chunks are embedded)."""
        done = self.fraction()
        if self.embedding_started is None or done <= 0 or done >= 1:
            return None
        spent = time.monotonic() - self.embedding_started
        return spent * (1 - done) / done

    def status(self) -> str:
        if self.state != "running":
            return {"finished": "Finished", "cancelled": "Cancelled", "failed": "Failed"}[self.state]
        if not self.items_total:
            return f"Reading {self.current}…"
        eta = self.eta_seconds()
        left = f", about {_duration(eta)} left" if eta is not None else ""
        return (
            f"{self.current}: {self.items_done} of {self.items_total} items, {self.chunks_done} chunks "
            f"embedded{left}"
        )

    def cancel(self) -> None:
        self.cancel_requested.set()

    def check(self) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled

    def touched(self) -> None:
        if self.first_progress is None:
            self.first_progress = time.monotonic()


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


class _JobProgress(Progress):
    def __init__(self, job: Job) -> None:
        self.job = job

    def stage(self, name: str, total: int) -> None:
        self.job.items_total, self.job.items_done = total, 0
        self.job.embedding_started = self.job.embedding_started or time.monotonic()
        self.job.touched()
        self.job.check()

    def advance(self, count: int = 1) -> None:
        self.job.items_done += count
        self.job.batch_chunks = self.job.batch_chunks_done = 0
        self.job.touched()
        self.job.check()


class _CountingEmbedder:
    """The configured embedder, embedding in small steps so progress moves by chunk and Cancel acts quickly."""

    def __init__(self, inner: Any, job: Job) -> None:
        self.inner, self.job = inner, job
        self.name, self.dimensions = inner.name, getattr(inner, "dimensions", 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        job = self.job
        job.batch_items = min(64, max(job.items_total - job.items_done, 0))
        job.batch_chunks, job.batch_chunks_done = len(texts), 0
        parts = []
        for start in range(0, len(texts), EMBED_STEP):
            job.check()
            parts.append(self.inner.embed(texts[start : start + EMBED_STEP]))
            step = len(texts[start : start + EMBED_STEP])
            job.batch_chunks_done += step
            job.chunks_done += step
            job.touched()
        return np.vstack(parts) if parts else self.inner.embed(texts)


# --- the registry: jobs live as long as the app's process ---------------------------------------------------

_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def start(settings: Settings, workspace: str, files: list[Upload], options: SourceOptions) -> Job:
    """Start ingesting `files` into `workspace` on a thread; refused while another job writes it."""
    WorkspacePaths(settings.home, workspace)  # a bad name raises WorkspaceError before anything starts
    with _lock:
        if (running := active(settings.home, workspace)) is not None:
            raise ValueError(
                f"an ingest into this workspace is already running ({running.status()}): wait for "
                "it or cancel it first"
            )
        job = Job(uuid.uuid4().hex[:12], settings.home, workspace, files)
        _jobs[job.id] = job
    threading.Thread(target=_run, args=(job, settings, options), name=f"ingest-{job.id}", daemon=True).start()
    return job


def get(job_id: str) -> Job | None:
    return _jobs.get(job_id)


def active(home: Path, workspace: str) -> Job | None:
    return next(
        (j for j in _jobs.values() if j.home == home and j.workspace == workspace and j.state == "running"),
        None,
    )


def latest(home: Path, workspace: str) -> Job | None:
    mine = [j for j in _jobs.values() if j.home == home and j.workspace == workspace]
    return max(mine, key=lambda j: j.started) if mine else None


def _run(job: Job, settings: Settings, options: SourceOptions) -> None:
    """The job's files, one after another, through the ingest use case the CLI calls: one session, so Cancel can
    take back what the whole job added, and the keyword index is rebuilt once at the end, whatever happened.
    The job reads as ended only once its workspace is closed and its history entry written."""
    state = "failed"
    try:
        with usecases.ingest_session(settings, job.workspace, undoable=True) as session:
            try:
                for upload in job.files:
                    _ingest_one(job, session, upload, options)
                state = "finished"
            except Cancelled:
                job.removed_on_cancel, state = session.take_back(), "cancelled"
    except Exception as exc:  # noqa: BLE001 - shown on the page
        job.error, state = str(exc), "failed"
    finally:
        job.finished = time.monotonic()
        try:
            _remember(job, state)
        finally:
            job.state = state


def _ingest_one(job: Job, session: IngestSession, upload: Upload, options: SourceOptions) -> None:
    """One file's sync; its failure is that file's summary and the job goes on (Cancel stops the job)."""
    job.current, job.items_total, job.items_done = upload.name, 0, 0
    job.touched()

    def counting(embedder: Embedder) -> Embedder:
        return _CountingEmbedder(embedder, job)

    try:
        report = session.ingest(
            upload.kind, [upload.path], options, progress=_JobProgress(job), embed_with=counting
        )
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's summary
        job.results.append(_result(upload, None, str(exc)))
        return
    job.results.append(_result(upload, report.to_json(), ""))


def _result(upload: Upload, report: dict[str, Any] | None, error: str) -> dict[str, Any]:
    return {
        "name": upload.name,
        "kind": upload.kind,
        "origin": origin_key(upload.kind, [upload.path]),
        "report": report,
        "error": error,
    }


# --- the ingest history of a workspace ----------------------------------------------------------------------


def history_path(home: Path, workspace: str) -> Path:
    return WorkspacePaths(home, workspace).ingest_history


def history(home: Path, workspace: str) -> list[dict[str, Any]]:
    """Past ingests, newest first: {"id", "time", "state", "files": [{"name", "kind", "origin", "report"...}]}."""
    saved = read_json(history_path(home, workspace))
    return [e for e in saved if isinstance(e, dict)] if isinstance(saved, list) else []


def _remember(job: Job, state: str) -> None:
    entry = {
        "id": job.id,
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "state": state,
        "files": job.results,
        "removed_on_cancel": job.removed_on_cancel,
        "error": job.error,
    }
    with _lock:
        entries = [entry, *history(job.home, job.workspace)][:HISTORY_KEEP]
        write_json_atomic(history_path(job.home, job.workspace), entries)


def remove_ingest(settings: Settings, workspace: str, entry_id: str) -> int:
    """Remove every item that came from the files of one past ingest; returns how many were removed."""
    entries = history(settings.home, workspace)
    entry = next((e for e in entries if e.get("id") == entry_id), None)
    if entry is None:
        raise ValueError("that ingest is no longer in this workspace's history")
    origins = [str(f.get("origin", "")) for f in entry.get("files", []) if f.get("origin")]
    removed = usecases.remove_ingested(settings, origins, workspace)
    entry["state"], entry["removed"] = "removed", removed
    write_json_atomic(history_path(settings.home, workspace), entries)
    return removed
