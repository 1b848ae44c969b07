"""A workspace on disk: where everything it owns lives, its ledger, its Chroma collection, the one-writer lock and
the index health check."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from ingest import chroma_store
from ingest.evidence import Evidence
from ingest.layout import NAME, WorkspaceError, WorkspacePaths, workspaces_root  # noqa: F401 - NAME, WorkspaceError: re-exported
from ingest.ledger import Ledger

LOCK_WAIT_SECONDS = 3.0


class WorkspaceBusy(RuntimeError):
    """Another ingest is writing this workspace."""


def list_workspaces(home: Path) -> list[str]:
    root = workspaces_root(home)
    return sorted(p.name for p in root.iterdir() if (p / "ledger.sqlite").exists()) if root.is_dir() else []


def delete_workspace(home: Path, name: str, chroma_url: str = "") -> list[Path]:
    """Remove everything the workspace owns; returns the paths that existed and are now gone."""
    ws = Workspace(home, name, chroma_url=chroma_url)
    with ws.writer():
        if chroma_url:
            with contextlib.suppress(Exception):  # a missing collection is already deleted
                ws.chroma().delete_collection(chroma_store.collection_name(name))
        ws.ledger.close()
    removed = []
    for path in ws.paths.owned():
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(path)
    return removed


class Workspace:
    def __init__(self, home: Path, name: str, chroma_url: str = "", embedder_name: str = "") -> None:
        self.paths = WorkspacePaths(home, name)
        self.home, self.name, self.chroma_url = home, name, chroma_url
        self.dir = self.paths.dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ledger = Ledger(self.paths.ledger, name)
        self.ledger.vector_lookup = self.chunk_vectors
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

    def try_acquire(self) -> bool:
        """Take the writer lock if no one holds it; never wait."""
        if self._lock_handle is not None:
            return False
        handle = (self.dir / "write.lock").open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._lock_handle = handle
        return True

    def release(self) -> None:
        self._release()

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
            with chroma_store.answering():
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

    def collection_model(self) -> str:
        """The embedding model the workspace's collection records ('' when there is no collection)."""
        try:
            coll = self.chroma().get_collection(
                chroma_store.collection_name(self.name),
                embedding_function=chroma_store.embedding_function(self.embedder_name),
            )
        except Exception:  # noqa: BLE001 - chromadb raises NotFoundError or ValueError for a missing one
            return ""
        return str((coll.metadata or {}).get("embedding_model", ""))

    def drop_collection(self) -> None:
        with contextlib.suppress(Exception):  # nothing to delete
            self.chroma().delete_collection(chroma_store.collection_name(self.name))
        self._collection = None

    def backup_ledger(self) -> None:
        """Keep a copy of the ledger after each completed write, for `selfreview repair`."""
        self.ledger.backup(self.backup_path)

    @property
    def backup_path(self) -> Path:
        return self.dir / "ledger.backup.sqlite"

    def forget_chroma(self) -> None:
        """Drop the open client and collection (before the store is wiped or the collection replaced)."""
        self._chroma = self._collection = None

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, bytes]:
        """Stored vectors of these chunks, read from Chroma."""
        found = chroma_store.vectors(self.collection(), chunk_ids)
        return {chunk_id: vector.astype(np.float32).tobytes() for chunk_id, vector in found.items()}

    @property
    def dirty(self) -> bool:
        """A write started and did not finish: the next writer completes it."""
        return self.ledger.get("dirty", "0") == "1"

    def evidence(self, since: int | None = None, until: int | None = None) -> list[Evidence]:
        return self.ledger.evidence(since, until)

    def summary(self) -> dict[str, Any]:
        items, chunks = self.ledger.count()
        return {
            "workspace": self.name,
            "items": items,
            "chunks": chunks,
            "embedder": self.ledger.get("embedder"),
            "version": self.ledger.version,
        }

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


def _die_with_parent() -> None:
    """In the check's child: die when the parent dies. A check left running after its ingest was killed would
    read (and compact) the store while the next run writes it: Chroma is not safe across processes."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def index_is_healthy(chroma_path: Path, workspace: str) -> bool:
    """Open the collection, count it and query it in a child process; False if that fails or crashes."""
    result = subprocess.run(
        [sys.executable, "-m", "ingest.check", str(chroma_path), chroma_store.collection_name(workspace)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        preexec_fn=_die_with_parent,
    )
    if result.returncode != 0:
        return False
    try:
        return json.loads(result.stdout.strip().splitlines()[-1]).get("ok", False)
    except (ValueError, IndexError):
        return False
