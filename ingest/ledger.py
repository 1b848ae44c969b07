"""The ledger: a SQLite record of every ingested item, its chunks' text and whether Chroma holds them (sync state).

Vectors live in Chroma only. An item is `pending` from the moment it is staged until Chroma confirms its
chunks, then `stored`; whatever is pending when a run is cut short is embedded and written by the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.chunking import Chunk
from ingest.evidence import Evidence

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, hash TEXT NOT NULL, evidence TEXT NOT NULL,
    epoch INTEGER NOT NULL, source TEXT NOT NULL, state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, evidence_id TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_evidence ON chunks (evidence_id);
CREATE INDEX IF NOT EXISTS items_by_state ON items (state);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
BATCH = 500


class LedgerDamaged(RuntimeError):
    """The ledger file cannot be read as a database: `selfreview repair` rebuilds it."""


def damage_message(path: Path, workspace: str, detail: str) -> str:
    return (
        f"the ledger of workspace '{workspace}' is damaged ({path}: {detail}). Nothing was changed. "
        f"Rebuild it from the Chroma store or the last backup with: selfreview repair --workspace {workspace}"
    )


class Ledger:
    def __init__(self, path: Path, workspace: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.workspace = path, workspace or path.parent.name
        self.vector_lookup: Callable[[list[str]], dict[str, bytes]] | None = None
        self.db = sqlite3.connect(path, timeout=5, isolation_level=None)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if not self._unchanged_since_checked():
                problem = self.db.execute("PRAGMA quick_check(1)").fetchone()[0]
                if problem != "ok":
                    raise sqlite3.DatabaseError(problem)
            self.db.executescript(SCHEMA)
            self._drop_vectors()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            raise LedgerDamaged(damage_message(path, self.workspace, str(exc))) from exc

    def _drop_vectors(self) -> None:
        """Ledgers written before Chroma served retrieval kept a copy of every vector: drop it."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(chunks)")}
        if "vector" in columns:
            self.db.execute("ALTER TABLE chunks DROP COLUMN vector")

    def close(self) -> None:
        self.db.close()
        with contextlib.suppress(OSError):  # after the close: its checkpoint is in the file
            self._checked_path.write_text(self._stamp())

    # --- damage check: SQLite's quick_check reads every page (1 s at 100k chunks), so it runs only when
    # the file changed since a ledger last closed it cleanly (a killed run, a damaged or replaced file).
    @property
    def _checked_path(self) -> Path:
        return self.path.with_name(self.path.name + ".checked")

    def _stamp(self) -> str:
        stat = self.path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    def _unchanged_since_checked(self) -> bool:
        try:
            return self._checked_path.read_text() == self._stamp()
        except OSError:
            return False

    def share_across_threads(self) -> None:
        """Reopen the connection so any thread may read through it (a UI runs each page run in its own thread;
        SQLite is built serialized here). Writes still go through a writer's own Ledger, never this one."""
        self.db.close()
        self.db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")

    # --- meta -------------------------------------------------------------------------------------
    def get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def version(self) -> int:
        return int(self.get("version", "0"))

    def bump_version(self) -> None:
        self.put("version", str(self.version + 1))

    # --- items ------------------------------------------------------------------------------------
    def states(self) -> dict[str, tuple[str, str]]:
        """id -> (hash, state) for every item."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT id, hash, state FROM items")}

    def chunk_ids(self, evidence_id: str) -> list[str]:
        rows = self.db.execute("SELECT id FROM chunks WHERE evidence_id = ? ORDER BY idx", (evidence_id,))
        return [row[0] for row in rows]

    def all_chunk_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM chunks")}

    def stage(self, origin: str, staged: list[tuple[Evidence, str, list[Chunk]]]) -> None:
        """Record items and their chunks as `pending` (not yet confirmed in Chroma), in one transaction."""
        with self._transaction():
            for evidence, digest, chunks in staged:
                self.db.execute("DELETE FROM chunks WHERE evidence_id = ?", (evidence.id,))
                self.db.execute(
                    "INSERT OR REPLACE INTO items (id, origin, hash, evidence, epoch, source, state) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'pending')",
                    (
                        evidence.id,
                        origin,
                        digest,
                        json.dumps(evidence.to_dict(), ensure_ascii=False),
                        evidence.epoch,
                        evidence.source,
                    ),
                )
                self.db.executemany(
                    "INSERT INTO chunks (id, evidence_id, idx, text) VALUES (?, ?, ?, ?)",
                    [(c.id, c.evidence_id, c.index, c.text) for c in chunks],
                )

    def mark_stored(self, ids: list[str]) -> None:
        with self._transaction():
            self.db.executemany("UPDATE items SET state = 'stored' WHERE id = ?", [(i,) for i in ids])

    def mark_pending(self, ids: list[str]) -> None:
        """These items must be written to Chroma again (their chunks are missing there)."""
        with self._transaction():
            self.db.executemany("UPDATE items SET state = 'pending' WHERE id = ?", [(i,) for i in ids])

    def mark_all_pending(self) -> None:
        """Every item must be written to Chroma again (a new embedding model)."""
        self.db.execute("UPDATE items SET state = 'pending'")

    def pending(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM items WHERE state = 'pending' ORDER BY id")]

    def ids_from(self, origin: str) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM items WHERE origin = ?", (origin,))}

    def origins(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, origin FROM items").fetchall())

    def remove(self, ids: list[str]) -> None:
        with self._transaction():
            for evidence_id in ids:
                self.db.execute("DELETE FROM chunks WHERE evidence_id = ?", (evidence_id,))
                self.db.execute("DELETE FROM items WHERE id = ?", (evidence_id,))

    def evidence(self, since: int | None = None, until: int | None = None) -> list[Evidence]:
        query, args = "SELECT evidence FROM items WHERE 1=1", list[int]()
        if since is not None:
            query, args = query + " AND epoch >= ?", [*args, since]
        if until is not None:
            query, args = query + " AND epoch <= ?", [*args, until]
        rows = self.db.execute(query + " ORDER BY epoch, id", args)
        return [Evidence.from_dict(json.loads(row[0])) for row in rows]

    def records(self, ids: list[str]) -> dict[str, Evidence]:
        """The evidence items with these ids (those that exist)."""
        found: dict[str, Evidence] = {}
        for batch in _batches(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(batch))
            for (raw,) in self.db.execute(f"SELECT evidence FROM items WHERE id IN ({marks})", batch):
                evidence = Evidence.from_dict(json.loads(raw))
                found[evidence.id] = evidence
        return found

    def item_rows(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """id -> (origin, hash) for these items."""
        rows: dict[str, tuple[str, str]] = {}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            for item_id, origin, digest in self.db.execute(
                f"SELECT id, origin, hash FROM items WHERE id IN ({marks})", batch
            ):
                rows[item_id] = (origin, digest)
        return rows

    def count(self) -> tuple[int, int]:
        items = self.db.execute("SELECT count(*) FROM items").fetchone()[0]
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return items, chunks

    def chunks(self, evidence_ids: list[str] | None = None) -> Iterator[tuple[str, str, int, str]]:
        """(chunk id, evidence id, index, text), all (by chunk id) or for the given items."""
        if evidence_ids is None:
            yield from self.db.execute("SELECT id, evidence_id, idx, text FROM chunks ORDER BY id")
            return
        for batch in _batches(evidence_ids):
            marks = ",".join("?" * len(batch))
            yield from self.db.execute(
                f"SELECT id, evidence_id, idx, text FROM chunks WHERE evidence_id IN ({marks}) ORDER BY id",
                batch,
            )

    def chunk_texts(self, chunk_ids: list[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for batch in _batches(chunk_ids):
            marks = ",".join("?" * len(batch))
            texts.update(
                self.db.execute(f"SELECT id, text FROM chunks WHERE id IN ({marks})", batch).fetchall()
            )
        return texts

    def chunk_rows(self, evidence_ids: list[str]) -> Iterator[tuple[str, str, int, str, bytes]]:
        """(chunk id, evidence id, index, text, vector bytes) with each vector read from Chroma."""
        rows = list(self.chunks(evidence_ids))
        vectors = self.vector_lookup([row[0] for row in rows]) if self.vector_lookup and rows else {}
        for chunk_id, evidence_id, index, text in rows:
            if chunk_id in vectors:
                yield chunk_id, evidence_id, index, text, vectors[chunk_id]

    # --- rebuilding -------------------------------------------------------------------------------
    def restore(self, rows: list[tuple[Evidence, str, str, list[Chunk]]]) -> None:
        """Write items recovered from elsewhere as `stored`: (evidence, origin, hash, chunks)."""
        with self._transaction():
            for evidence, origin, digest, chunks in rows:
                self.db.execute(
                    "INSERT OR REPLACE INTO items (id, origin, hash, evidence, epoch, source, state) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'stored')",
                    (
                        evidence.id,
                        origin,
                        digest,
                        json.dumps(evidence.to_dict(), ensure_ascii=False),
                        evidence.epoch,
                        evidence.source,
                    ),
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO chunks (id, evidence_id, idx, text) VALUES (?, ?, ?, ?)",
                    [(c.id, c.evidence_id, c.index, c.text) for c in chunks],
                )

    def backup(self, dest: Path) -> None:
        """Copy the ledger to `dest` consistently (SQLite's online backup), replacing it atomically."""
        partial = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(partial)
        try:
            self.db.backup(target)
        finally:
            target.close()
        os.replace(partial, dest)

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
