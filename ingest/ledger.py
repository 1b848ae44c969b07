"""The ledger: a SQLite record of every ingested item, its chunks and their vectors, from which Chroma can be rebuilt."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.chunking import Chunk
from ingest.evidence import Evidence

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, hash TEXT NOT NULL, evidence TEXT NOT NULL,
    epoch INTEGER NOT NULL, source TEXT NOT NULL, state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, evidence_id TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_evidence ON chunks (evidence_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class StoredChunk:
    id: str
    evidence_id: str
    text: str


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=5, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # --- meta -------------------------------------------------------------------------------------
    def get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def version(self) -> int:
        return int(self.get("version", "0"))

    def bump_version(self) -> None:
        self.set("version", str(self.version + 1))

    # --- items ------------------------------------------------------------------------------------
    def states(self) -> dict[str, tuple[str, str]]:
        """id -> (hash, state) for every item."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT id, hash, state FROM items")}

    def chunk_ids(self, evidence_id: str) -> list[str]:
        rows = self.db.execute("SELECT id FROM chunks WHERE evidence_id = ? ORDER BY idx", (evidence_id,))
        return [row[0] for row in rows]

    def stage(self, origin: str, staged: list[tuple[Evidence, str, list[Chunk], np.ndarray]]) -> None:
        """Record items and their chunks as `pending` (not yet confirmed in Chroma), in one transaction."""
        with self._transaction():
            for evidence, digest, chunks, vectors in staged:
                self.db.execute("DELETE FROM chunks WHERE evidence_id = ?", (evidence.id,))
                self.db.execute(
                    "INSERT OR REPLACE INTO items (id, origin, hash, evidence, epoch, source, state) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'pending')",
                    (evidence.id, origin, digest, json.dumps(evidence.to_dict(), ensure_ascii=False),
                     evidence.epoch, evidence.source),
                )
                self.db.executemany(
                    "INSERT INTO chunks (id, evidence_id, idx, text, vector) VALUES (?, ?, ?, ?, ?)",
                    [(c.id, c.evidence_id, c.index, c.text, v.astype(np.float32).tobytes())
                     for c, v in zip(chunks, vectors, strict=True)],
                )

    def mark_stored(self, ids: list[str]) -> None:
        with self._transaction():
            self.db.executemany("UPDATE items SET state = 'stored' WHERE id = ?", [(i,) for i in ids])

    def pending(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM items WHERE state = 'pending'")]

    def ids_from(self, origin: str) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM items WHERE origin = ?", (origin,))}

    def remove(self, ids: list[str]) -> None:
        with self._transaction():
            for evidence_id in ids:
                self.db.execute("DELETE FROM chunks WHERE evidence_id = ?", (evidence_id,))
                self.db.execute("DELETE FROM items WHERE id = ?", (evidence_id,))

    def evidence(self, since: int | None = None, until: int | None = None) -> list[Evidence]:
        query, args = "SELECT evidence FROM items WHERE 1=1", []
        if since is not None:
            query, args = query + " AND epoch >= ?", [*args, since]
        if until is not None:
            query, args = query + " AND epoch <= ?", [*args, until]
        rows = self.db.execute(query + " ORDER BY epoch, id", args)
        return [Evidence.from_dict(json.loads(row[0])) for row in rows]

    def count(self) -> tuple[int, int]:
        items = self.db.execute("SELECT count(*) FROM items").fetchone()[0]
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return items, chunks

    def chunk_rows(self, evidence_ids: list[str] | None = None) -> Iterator[tuple[str, str, int, str, bytes]]:
        """(chunk id, evidence id, index, text, vector bytes), all or for the given items."""
        if evidence_ids is None:
            yield from self.db.execute("SELECT id, evidence_id, idx, text, vector FROM chunks ORDER BY id")
            return
        for start in range(0, len(evidence_ids), 500):
            batch = evidence_ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from self.db.execute(
                f"SELECT id, evidence_id, idx, text, vector FROM chunks WHERE evidence_id IN ({marks})", batch
            )

    def _transaction(self):  # type: ignore[no-untyped-def]
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:  # type: ignore[no-untyped-def]
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
