"""`selfreview repair`: a damaged ledger rebuilt from the Chroma store (plus the last backup), then Chroma checked.

Every completed write leaves `ledger.backup.sqlite` beside the ledger, and the first chunk of every item in
Chroma carries the item's whole record, its origin and hash: between them a ledger can be rebuilt without
re-reading any source. The damaged file is kept beside the new one (`ledger.damaged-<time>.sqlite`).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import chroma_store, keywords, sync
from ingest.chunking import Chunk
from ingest.embeddings import Embedder
from ingest.evidence import Evidence
from ingest.ledger import Ledger, LedgerDamaged
from ingest.store import Workspace, index_is_healthy, workspaces_root


class NothingToRepairFrom(RuntimeError):
    """Neither Chroma nor a backup holds the workspace's items."""


@dataclass
class RepairReport:
    workspace: str
    ledger: str = "sound"  # sound | rebuilt
    from_chroma: int = 0
    from_backup: int = 0
    store: str = ""
    kept_damaged: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def repair(home: Path, name: str, chroma_url: str, embedder: Callable[[], Embedder]) -> RepairReport:
    report = RepairReport(name)
    folder = workspaces_root(home) / name
    try:
        Ledger(folder / "ledger.sqlite", name).close()
    except LedgerDamaged as exc:
        report.notes.append(str(exc).split(". Nothing was changed")[0])
        _rebuild_ledger(folder, name, chroma_url, report)
    workspace = Workspace(home, name, chroma_url=chroma_url)
    try:
        with workspace.writer():
            report.store = sync.ensure(workspace, embedder) or "Chroma holds every chunk the ledger lists"
            keywords.build(workspace.dir, workspace.ledger)
            workspace.backup_ledger()
    finally:
        workspace.close()
    return report


def _rebuild_ledger(folder: Path, name: str, chroma_url: str, report: RepairReport) -> None:
    path = folder / "ledger.sqlite"
    kept = folder / f"ledger.damaged-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            shutil.move(f"{path}{suffix}", f"{kept}{suffix}")
    report.kept_damaged, report.ledger = str(kept), "rebuilt"
    from_chroma, model = _records_in_chroma(folder, name, chroma_url, report)
    from_backup, backup_model = _records_in_backup(folder / "ledger.backup.sqlite", report)
    model = model or backup_model
    if not from_chroma and not from_backup:
        raise NothingToRepairFrom(
            f"workspace '{name}': neither the Chroma store nor a ledger backup holds its items; the damaged "
            f"ledger is kept as {kept}. Run your `selfreview ingest` commands again to rebuild it"
        )
    ledger = Ledger(path, name)
    try:
        ledger.restore(list(from_chroma.values()))
        report.from_chroma = len(from_chroma)
        extra = [row for item_id, row in from_backup.items() if item_id not in from_chroma]
        if extra:  # in the backup only: staged as pending, so the store check writes them to Chroma
            ledger.restore(extra)
            ledger.mark_pending([row[0].id for row in extra])
        report.from_backup = len(extra)
        if model:
            ledger.put("embedder", model)
        ledger.put("dirty", "1")
    finally:
        ledger.close()


def _records_in_chroma(
    folder: Path, name: str, chroma_url: str, report: RepairReport
) -> tuple[dict[str, tuple[Evidence, str, str, list[Chunk]]], str]:
    """Items whose records Chroma holds: id -> (evidence, origin, hash, chunks); and the model recorded."""
    embedded = folder / "chroma"
    if not chroma_url and (not embedded.is_dir() or not index_is_healthy(embedded, name)):
        report.notes.append("the Chroma store is missing or damaged: it cannot be read")
        return {}, ""
    try:
        client = chroma_store.client(chroma_url, folder / "chroma")
        chroma_store.embedding_function("register")
        coll = client.get_collection(chroma_store.collection_name(name))
    except Exception as exc:  # noqa: BLE001 - a missing collection or server: nothing to read there
        report.notes.append(f"the Chroma collection cannot be read ({type(exc).__name__})")
        return {}, ""
    heads: dict[str, dict[str, Any]] = {}
    chunks: dict[str, list[Chunk]] = {}
    for page in chroma_store.pages(coll):
        for chunk_id, text, meta in zip(page["ids"], page["documents"], page["metadatas"], strict=True):
            evidence_id = str(meta.get("evidence_id", chunk_id.rsplit("#", 1)[0]))
            chunks.setdefault(evidence_id, []).append(
                Chunk(chunk_id, evidence_id, int(meta.get("chunk", 0)), text)
            )
            if "record" in meta:
                heads[evidence_id] = meta
    rows = {}
    for evidence_id, meta in heads.items():
        evidence = Evidence.from_dict(json.loads(meta["record"]))
        rows[evidence_id] = (
            evidence,
            str(meta.get("origin", "")),
            str(meta.get("hash", "")),
            sorted(chunks[evidence_id], key=lambda c: c.index),
        )
    if len(chunks) > len(rows):
        report.notes.append(
            f"{len(chunks) - len(rows)} items in Chroma carry no record (written by an older "
            "version); the backup or a new ingest restores them"
        )
    return rows, str((coll.metadata or {}).get("embedding_model", ""))


def _records_in_backup(
    path: Path, report: RepairReport
) -> tuple[dict[str, tuple[Evidence, str, str, list[Chunk]]], str]:
    """Items the last backup holds, as _records_in_chroma, and the model it records."""
    if not path.exists():
        return {}, ""
    try:
        backup = Ledger(path, path.parent.name)
    except (LedgerDamaged, sqlite3.DatabaseError):
        report.notes.append(f"the ledger backup {path} is damaged too")
        return {}, ""
    try:
        items = {e.id: e for e in backup.evidence()}
        origins = backup.item_rows(list(items))
        chunks: dict[str, list[Chunk]] = {}
        for chunk_id, evidence_id, index, text in backup.chunks(list(items)):
            chunks.setdefault(evidence_id, []).append(Chunk(chunk_id, evidence_id, index, text))
        rows = {
            item_id: (evidence, *origins[item_id], sorted(chunks.get(item_id, []), key=lambda c: c.index))
            for item_id, evidence in items.items()
        }
        return rows, backup.get("embedder")
    finally:
        backup.close()
