"""Keeping Chroma in step with the ledger: write pending items, notice a store that disagrees, rebuild it.

Checked whenever a workspace is opened for writing, and by search when the ledger's version changes:
- embedded: the index files' fingerprint differs from the one recorded after the last write -> the index is
  opened in a child process first (a damaged HNSW file can segfault), and wiped if it fails;
- any store: Chroma's chunk count differs from the ledger's, or an interrupted run left items pending.
Whatever is missing is embedded again from the ledger's text and written; chunks the ledger does not know
are deleted. Costs on a healthy store: one count and a few stats.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

from ingest import chroma_store
from ingest.embeddings import Embedder
from ingest.store import Workspace, index_is_healthy

BATCH_ITEMS = 64


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def disagreement(workspace: Workspace) -> str:
    """Why Chroma may not hold what the ledger says ('' when the cheap checks pass)."""
    items, chunks = workspace.ledger.count()
    if not items:
        return ""  # nothing recorded: nothing Chroma could be missing
    if not workspace.chroma_url:
        if not workspace.chroma_path.is_dir():
            return f"the Chroma directory {workspace.chroma_path} is missing" if chunks else ""
        current = chroma_store.fingerprint(workspace.chroma_path)
        if workspace.ledger.get("chroma_fingerprint") == current:
            return ""  # untouched since this program last wrote it
        if not index_is_healthy(workspace.chroma_path, workspace.name):
            return f"the Chroma index in {workspace.chroma_path} is damaged"
    with chroma_store.answering():
        held = workspace.collection().count()
    if held != chunks:
        where = workspace.chroma_url or str(workspace.chroma_path)
        return f"Chroma ({where}) holds {_plural(held, 'chunk')}, the ledger {chunks}"
    if not workspace.chroma_url:  # as the files are now: opening the store may have compacted its log
        workspace.ledger.put("chroma_fingerprint", chroma_store.fingerprint(workspace.chroma_path))
    return ""


def ensure(workspace: Workspace, embedder: Callable[[], Embedder], progress: Any = None) -> str:
    """With the writer lock held: make Chroma hold exactly the ledger's chunks. Returns what was done, in
    words, or '' when nothing had to be."""
    ledger = workspace.ledger
    interrupted = workspace.dirty or bool(ledger.pending())
    reason = disagreement(workspace)
    if not reason and not interrupted:
        return ""
    if reason and not workspace.chroma_url:
        workspace.forget_chroma()
        chroma_store.forget(workspace.chroma_path)
        if reason.endswith("is damaged"):
            shutil.rmtree(workspace.chroma_path, ignore_errors=True)
    ledger.put("dirty", "1")
    in_chroma = chroma_store.all_ids(workspace.collection())
    wanted = ledger.all_chunk_ids()
    chroma_store.delete(workspace.collection(), sorted(in_chroma - wanted))
    lost = {chunk_id.rsplit("#", 1)[0] for chunk_id in wanted - in_chroma}
    if lost:
        ledger.mark_pending(sorted(lost))
    written, _ = write_pending(workspace, embedder, progress)
    settle(workspace)
    done = []
    if reason:
        done.append(f"{reason}: rebuilt from the ledger")
    if written:
        done.append(f"{_plural(written, 'item')} re-embedded and written to Chroma")
    return "; ".join(done) or "nothing was lost"


def write_pending(
    workspace: Workspace, embedder: Callable[[], Embedder], progress: Any = None
) -> tuple[int, int]:
    """Embed every pending item's chunks from the ledger's text, write them to Chroma, mark them stored.
    Returns (items, chunks) written."""
    ledger = workspace.ledger
    pending = ledger.pending()
    if not pending:
        return 0, 0
    model = embedder()
    workspace.check_embedder(model.name)
    ledger.put("embedder", model.name)
    origins = ledger.item_rows(pending)
    chunks = 0
    if progress is not None:
        progress.stage("writing to Chroma", len(pending))
    for start in range(0, len(pending), BATCH_ITEMS):
        batch = pending[start : start + BATCH_ITEMS]
        records = ledger.records(batch)
        rows = [row for row in ledger.chunks(batch) if row[1] in records]
        texts = [text for _, _, _, text in rows]
        vectors = model.embed(texts)
        metadatas = [
            chroma_store.chunk_metadata(records[evidence_id], index, *origins[evidence_id])
            for _, evidence_id, index, _ in rows
        ]
        chroma_store.upsert(workspace.collection(), [row[0] for row in rows], vectors, texts, metadatas)
        ledger.mark_stored(batch)
        chunks += len(rows)
        if progress is not None:
            progress.advance(len(batch))
    return len(pending), chunks


def settle(workspace: Workspace) -> None:
    """After a completed write: a new version for search, the store's fingerprint, the interrupted mark off."""
    ledger = workspace.ledger
    ledger.bump_version()
    if not workspace.chroma_url:
        ledger.put("chroma_fingerprint", chroma_store.fingerprint(workspace.chroma_path))
    ledger.put("dirty", "0")


def check_on_open(workspace: Workspace, embedder: Callable[[], Embedder]) -> str:
    """For readers: if no one is writing, check the store and rebuild what is missing. Returns the notice."""
    if not workspace.chroma_url and chroma_store.replaced(workspace.chroma_path):
        workspace.forget_chroma()  # rebuilt by another process since this one opened it
    if not workspace.try_acquire():
        return ""  # a writer is at work: it checks and completes the store itself
    try:
        return ensure(workspace, embedder)
    finally:
        workspace.release()
