"""The ingest pipeline: parse a source, skip what is unchanged, chunk, embed and write ledger then Chroma."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import chunk
from ingest.embeddings import Embedder
from ingest.evidence import Evidence
from ingest.sources import Skips, SourceOptions, connector
from ingest.store import Workspace

BATCH_ITEMS = 64


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)  # read, but worth a look (another encoding)
    seconds: float = 0.0
    embedded: int = 0
    recovered: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Progress:
    """What the pipeline reports as it goes; the CLI draws a bar, the UI a progress widget."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


def origin_key(kind: str, paths: list[Path]) -> str:
    return kind + ":" + "|".join(sorted(str(p.resolve()) for p in paths))


def ingest(
    workspace: Workspace,
    embedder: Embedder | Callable[[], Embedder],
    kind: str,
    paths: list[Path],
    options: SourceOptions | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Sync one source into the workspace. Safe to interrupt at any point and run again."""
    started = time.perf_counter()
    progress = progress or Progress()
    report = IngestReport()
    skips = Skips()
    parse = connector(kind)
    records: dict[str, Evidence] = {}
    for evidence in parse(paths, options or SourceOptions(), skips):
        records[evidence.id] = evidence  # a record seen twice in one run counts once: the last wins
    report.skipped = [{"where": s.where, "why": s.why} for s in skips.items]
    report.notes = [{"where": s.where, "what": s.why} for s in skips.notes]

    with workspace.writer():
        ledger = workspace.ledger
        interrupted = workspace.dirty
        if interrupted:
            report.recovered = workspace.recover() or "nothing was lost"
        known = ledger.states()
        changed: list[tuple[Evidence, str]] = []
        for evidence in records.values():
            digest = evidence.content_hash()
            previous = known.get(evidence.id)
            if previous is not None and previous[0] == digest and previous[1] == "stored":
                report.unchanged += 1
            else:
                changed.append((evidence, digest))
                if previous is None:
                    report.added += 1
                else:
                    report.updated += 1
        origin = origin_key(kind, paths)
        gone = sorted(ledger.ids_from(origin) - set(records)) if prune else []
        if changed or gone:
            chroma_ready = _open_in_background(workspace)
            model = embedder() if callable(embedder) and not hasattr(embedder, "embed") else embedder
            workspace.check_embedder(model.name)  # type: ignore[union-attr]
            ledger.set("dirty", "1")
            ledger.set("embedder", model.name)  # type: ignore[union-attr]
            report.chunks, report.embedded = _write(  # type: ignore[arg-type]
                workspace, model, origin, changed, progress, chroma_ready)
            chroma_ready()
            if gone:
                from ingest import chroma_store

                chunk_ids = [cid for evidence_id in gone for cid in ledger.chunk_ids(evidence_id)]
                chroma_store.delete(workspace.collection(), chunk_ids)
                ledger.remove(gone)
                report.removed = len(gone)
        if changed or gone or interrupted:
            ledger.bump_version()  # a new version: search reads what the recovery or this run wrote
            ledger.set("dirty", "0")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _open_in_background(workspace: Workspace) -> Callable[[], None]:
    """Open the Chroma client (~1.4 s, mostly importing chromadb) and load the tokenizer's encoding on a
    thread while the embedding model loads and the first batch embeds. Returns the wait for it, which
    re-raises whatever the opening raised."""
    from concurrent.futures import ThreadPoolExecutor

    from ingest.chunking import encoding

    def work() -> None:
        encoding()
        workspace.chroma()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="open-chroma")
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future.result


def _write(
    workspace: Workspace, embedder: Embedder, origin: str, changed: list[tuple[Evidence, str]], progress: Progress,
    chroma_ready: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Per batch: chunk and embed, stage in the ledger, upsert into Chroma, then mark stored."""
    from ingest import chroma_store

    ledger = workspace.ledger
    collection = None
    progress.stage("embedding", len(changed))
    total_chunks = embedded = 0
    for start in range(0, len(changed), BATCH_ITEMS):
        batch = changed[start : start + BATCH_ITEMS]
        chunked = [(evidence, digest, chunk(evidence)) for evidence, digest in batch]
        texts = [c.text for _, _, chunks in chunked for c in chunks]
        vectors = embedder.embed(texts)
        embedded += len(texts)
        staged, offset = [], 0
        stale: list[str] = []
        for evidence, digest, chunks in chunked:
            staged.append((evidence, digest, chunks, vectors[offset : offset + len(chunks)]))
            offset += len(chunks)
            new_ids = {c.id for c in chunks}
            stale.extend(cid for cid in ledger.chunk_ids(evidence.id) if cid not in new_ids)
        ledger.stage(origin, staged)
        if collection is None:
            if chroma_ready is not None:
                chroma_ready()
            collection = workspace.collection()
        if stale:
            chroma_store.delete(collection, stale)
        ids = [c.id for _, _, chunks in chunked for c in chunks]
        metadatas = [{**evidence.metadata(), "chunk": c.index} for evidence, _, chunks in chunked for c in chunks]
        chroma_store.upsert(collection, ids, vectors, texts, metadatas)
        ledger.mark_stored([evidence.id for evidence, _ in batch])
        total_chunks += len(ids)
        progress.advance(len(batch))
    return total_chunks, embedded


def reembed(workspace: Workspace, embedder: Embedder, progress: Progress | None = None) -> IngestReport:
    """Embed every item of the workspace again with `embedder` (after changing the embedding model)."""
    from ingest import chroma_store

    started = time.perf_counter()
    report = IngestReport()
    with workspace.writer():
        ledger = workspace.ledger
        ledger.set("dirty", "1")
        with contextlib.suppress(Exception):  # nothing to delete
            workspace.chroma().delete_collection(chroma_store.collection_name(workspace.name))
        workspace._collection = None
        workspace.embedder_name = embedder.name
        ledger.set("embedder", embedder.name)
        origins = dict(ledger.db.execute("SELECT id, origin FROM items").fetchall())
        by_origin: dict[str, list[tuple[Evidence, str]]] = {}
        for evidence in ledger.evidence():
            by_origin.setdefault(origins[evidence.id], []).append((evidence, evidence.content_hash()))
        for origin, items in by_origin.items():
            chunks, embedded = _write(workspace, embedder, origin, items, progress or Progress())
            report.chunks += chunks
            report.embedded += embedded
            report.updated += len(items)
        ledger.bump_version()
        ledger.set("dirty", "0")
    report.seconds = round(time.perf_counter() - started, 3)
    return report
