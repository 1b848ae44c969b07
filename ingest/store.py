"""A workspace on disk: its ledger, its Chroma collection, the one-writer lock and crash recovery."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from ingest import chroma_store
from ingest.evidence import Evidence
from ingest.ledger import Ledger

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
LOCK_WAIT_SECONDS = 3.0


class WorkspaceBusy(RuntimeError):
    """Another ingest is writing this workspace."""


class WorkspaceError(ValueError):
    """A workspace name or location is not usable."""


def workspaces_root(home: Path) -> Path:
    return home / "workspaces"


def list_workspaces(home: Path) -> list[str]:
    root = workspaces_root(home)
    return sorted(p.name for p in root.iterdir() if (p / "ledger.sqlite").exists()) if root.is_dir() else []


def delete_workspace(home: Path, name: str, chroma_url: str = "") -> None:
    ws = Workspace(home, name, chroma_url=chroma_url)
    with ws.writer():
        if chroma_url:
            with contextlib.suppress(Exception):  # a missing collection is already deleted
                ws.chroma().delete_collection(chroma_store.collection_name(name))
        ws.ledger.close()
    shutil.rmtree(ws.dir)


class Workspace:
    def __init__(self, home: Path, name: str, chroma_url: str = "", embedder_name: str = "") -> None:
        if not NAME.match(name):
            raise WorkspaceError(f"workspace name {name!r}: use letters, digits, '.', '_' or '-' (max 63)")
        self.home, self.name, self.chroma_url = home, name, chroma_url
        self.dir = workspaces_root(home) / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ledger = Ledger(self.dir / "ledger.sqlite")
        self.embedder_name = embedder_name or self.ledger.get("embedder")
        self._chroma: Any = None
        self._collection: Any = None
        self._lock_handle: Any = None

    # --- one writer at a time ---------------------------------------------------------------------
    def writer(self) -> _WriterLock:
        return _WriterLock(self)

    def _acquire(self) -> None:
        handle = (self.dir / "write.lock").open("a+")
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise WorkspaceBusy(
                        f"workspace '{self.name}' is being written by another selfreview process "
                        f"(lock: {self.dir / 'write.lock'}); wait for it to finish and run this again"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_handle = handle

    def _release(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def is_locked(self) -> bool:
        if self._lock_handle is not None:
            return True
        with (self.dir / "write.lock").open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False

    # --- Chroma -----------------------------------------------------------------------------------
    @property
    def chroma_path(self) -> Path:
        return self.dir / "chroma"

    def chroma(self) -> Any:
        if self._chroma is None:
            self._chroma = chroma_store.client(self.chroma_url, self.chroma_path)
        return self._chroma

    def collection(self) -> Any:
        if self._collection is None:
            self._collection = chroma_store.collection(self.chroma(), self.name, self.embedder_name)
        return self._collection

    def check_embedder(self, name: str) -> None:
        recorded = self.ledger.get("embedder")
        if recorded and recorded != name:
            raise chroma_store.ModelMismatch(
                f"workspace '{self.name}' was embedded with {recorded}, but the configured embedder is "
                f"{name}. Re-embed it with: selfreview reembed --workspace {self.name}"
            )
        self.embedder_name = name

    # --- crash recovery ---------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.ledger.get("dirty", "0") == "1"

    def recover(self, progress: Any = None) -> str:
        """After an interrupted write: check the index in a subprocess (a segfault cannot be caught),
        rebuild it from the ledger if it is damaged, then make Chroma hold exactly the ledger's chunks.
        Returns what was done, in words ('' when there was nothing to recover)."""
        rebuilt = False
        if not self.chroma_url and self.chroma_path.exists() and not index_is_healthy(self):
            self._chroma = self._collection = None
            shutil.rmtree(self.chroma_path)
            rebuilt = True
        completed = self.reconcile(progress)
        done = []
        if rebuilt:
            done.append("the damaged Chroma index was rebuilt from the ledger")
        if completed:
            done.append(f"{completed} item{'s' if completed != 1 else ''} staged by the interrupted run "
                        "made searchable")
        return "; ".join(done)

    def reconcile(self, progress: Any = None) -> int:
        """Make Chroma hold exactly the ledger's chunks; returns how many items had to be written."""
        coll = self.collection()
        in_chroma = chroma_store.all_ids(coll)
        wanted = {row[0] for row in self.ledger.db.execute("SELECT id FROM chunks")}
        chroma_store.delete(coll, sorted(in_chroma - wanted))
        missing = sorted(wanted - in_chroma)
        evidence_ids = sorted({chunk_id.rsplit("#", 1)[0] for chunk_id in missing} | set(self.ledger.pending()))
        self.push(evidence_ids, progress)
        self.ledger.mark_stored(self.ledger.pending())
        return len(evidence_ids)

    def push(self, evidence_ids: list[str], progress: Any = None) -> None:
        """Write the ledger's chunks of these items to Chroma (upsert: safe to repeat)."""
        if not evidence_ids:
            return
        items = {e.id: e for e in self.ledger.evidence() if e.id in set(evidence_ids)}
        ids, texts, metas, vectors = [], [], [], []
        for chunk_id, evidence_id, index, text, blob in self.ledger.chunk_rows(evidence_ids):
            evidence = items.get(evidence_id)
            if evidence is None:
                continue
            ids.append(chunk_id)
            texts.append(text)
            metas.append({**evidence.metadata(), "chunk": index})
            vectors.append(np.frombuffer(blob, dtype=np.float32))
        if ids:
            chroma_store.upsert(self.collection(), ids, np.vstack(vectors), texts, metas)
        if progress is not None:
            progress(len(evidence_ids))

    def evidence(self, since: int | None = None, until: int | None = None) -> list[Evidence]:
        return self.ledger.evidence(since, until)

    def summary(self) -> dict[str, Any]:
        items, chunks = self.ledger.count()
        return {"workspace": self.name, "items": items, "chunks": chunks,
                "embedder": self.ledger.get("embedder"), "version": self.ledger.version}

    def close(self) -> None:
        self._release()
        self.ledger.close()


class _WriterLock:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def __enter__(self) -> Workspace:
        self.workspace._acquire()
        return self.workspace

    def __exit__(self, *exc: object) -> None:
        self.workspace._release()


def index_is_healthy(workspace: Workspace) -> bool:
    """Open the collection, count it and query it in a child process; False if that fails or crashes."""
    result = subprocess.run(
        [sys.executable, "-m", "ingest.check", str(workspace.chroma_path),
         chroma_store.collection_name(workspace.name)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    if result.returncode != 0:
        return False
    try:
        return json.loads(result.stdout.strip().splitlines()[-1]).get("ok", False)
    except (ValueError, IndexError):
        return False
