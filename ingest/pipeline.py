"""The ingest pipeline: parse a source, skip what is unchanged, chunk, embed, stage in the ledger, write Chroma."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ingest import chroma_store, keywords, sync
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
    stages: dict[str, float] = field(default_factory=dict)  # seconds spent per stage

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] = round(self.stages.get(stage, 0.0) + time.perf_counter() - started, 4)


class Progress(Protocol):
    """What the pipeline reports as it goes; the CLI draws a bar, the UI a progress widget."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class Silent:
    """Progress that nobody watches (--json, tests, background work that reports elsewhere)."""

    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


def origin_key(kind: str, paths: list[Path]) -> str:
    return kind + ":" + "|".join(sorted(str(p.resolve()) for p in paths))


def _factory(embedder: Embedder | Callable[[], Embedder]) -> Callable[[], Embedder]:
    if hasattr(embedder, "embed"):
        return lambda: embedder  # type: ignore[return-value]
    return embedder


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
    progress = progress or Silent()
    report = IngestReport()
    skips = Skips()
    parse = connector(kind)
    records: dict[str, Evidence] = {}
    with report.timed("parse"):
        for evidence in parse(paths, options or SourceOptions(), skips):
            records[evidence.id] = evidence  # a record seen twice in one run counts once: the last wins
    report.skipped = [{"where": s.where, "why": s.why} for s in skips.items]
    report.notes = [{"where": s.where, "what": s.why} for s in skips.notes]
    model = _factory(embedder)

    with workspace.writer():
        ledger = workspace.ledger
        with report.timed("store check"):
            report.recovered = sync.ensure(workspace, model, progress)
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
            with report.timed("model load"):
                loaded = model()
            workspace.check_embedder(loaded.name)
            ledger.put("dirty", "1")
            ledger.put("embedder", loaded.name)
            report.chunks, report.embedded = _write(
                workspace, loaded, origin, changed, progress, report, chroma_ready
            )
            chroma_ready()
            if gone:
                chunk_ids = [cid for evidence_id in gone for cid in ledger.chunk_ids(evidence_id)]
                with report.timed("chroma"):
                    chroma_store.delete(workspace.collection(), chunk_ids)
                with report.timed("ledger"):
                    ledger.remove(gone)
                report.removed = len(gone)
            sync.settle(workspace)
        with report.timed("keyword index"):
            keywords.build(workspace.dir, ledger)
        if changed or gone:
            with report.timed("ledger backup"):
                workspace.backup_ledger()
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
        workspace.collection()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="open-chroma")
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future.result


def _write(
    workspace: Workspace,
    embedder: Embedder,
    origin: str,
    changed: list[tuple[Evidence, str]],
    progress: Progress,
    report: IngestReport,
    chroma_ready: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Per batch: chunk and embed, stage in the ledger (pending), write Chroma, then mark stored.

    Chroma writes one batch on a thread while the next batch embeds; a batch is marked stored only once its
    write returned, so a run cut short leaves it pending for the next run to redo."""
    ledger = workspace.ledger
    writer: _ChromaWriter | None = None
    progress.stage("embedding", len(changed))
    total_chunks = embedded = 0
    try:
        for start in range(0, len(changed), BATCH_ITEMS):
            batch = changed[start : start + BATCH_ITEMS]
            with report.timed("chunk"):
                chunked = [(evidence, digest, chunk(evidence)) for evidence, digest in batch]
            texts = [c.text for _, _, chunks in chunked for c in chunks]
            with report.timed("embed"):
                vectors = embedder.embed(texts)
            embedded += len(texts)
            with report.timed("ledger"):
                stale: list[str] = []
                for evidence, _, chunks in chunked:
                    new_ids = {c.id for c in chunks}
                    stale.extend(cid for cid in ledger.chunk_ids(evidence.id) if cid not in new_ids)
                ledger.stage(origin, chunked)
            if writer is None:
                with report.timed("chroma open"):
                    if chroma_ready is not None:
                        chroma_ready()
                    writer = _ChromaWriter(workspace.collection(), report)
            ids = [c.id for _, _, chunks in chunked for c in chunks]
            metadatas = [
                chroma_store.chunk_metadata(evidence, c.index, origin, digest)
                for evidence, digest, chunks in chunked
                for c in chunks
            ]
            _confirm(writer, ledger, progress, report)
            writer.submit([evidence.id for evidence, _ in batch], stale, ids, vectors, texts, metadatas)
            total_chunks += len(ids)
        if writer is not None:
            _confirm(writer, ledger, progress, report)
    finally:
        if writer is not None:
            writer.close()
    return total_chunks, embedded


def _confirm(writer: _ChromaWriter, ledger: Any, progress: Progress, report: IngestReport) -> None:
    """Wait for the batch being written (re-raising what the write raised), then mark its items stored."""
    with report.timed("chroma wait"):
        written = writer.wait()
    if written:
        with report.timed("ledger"):
            ledger.mark_stored(written)
        progress.advance(len(written))


class _ChromaWriter:
    """One Chroma write at a time on its own thread; `chroma` in the stage times is the thread's busy time."""

    def __init__(self, collection: Any, report: IngestReport) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.collection, self.report = collection, report
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write")
        self.pending: Future[list[str]] | None = None

    def submit(self, items: list[str], stale: list[str], *chunks: Any) -> None:
        self.pending = self.pool.submit(self._write, items, stale, *chunks)

    def _write(self, items: list[str], stale: list[str], *chunks: Any) -> list[str]:
        with self.report.timed("chroma"):
            if stale:
                chroma_store.delete(self.collection, stale)
            chroma_store.upsert(self.collection, *chunks)
        return items

    def wait(self) -> list[str]:
        pending, self.pending = self.pending, None
        return pending.result() if pending is not None else []

    def close(self) -> None:
        self.pool.shutdown(wait=True)  # a write under way finishes (its items stay pending if not confirmed)


def reembed(workspace: Workspace, embedder: Embedder, progress: Progress | None = None) -> IngestReport:
    """Embed every item of the workspace again with `embedder` (after changing the embedding model).

    Every item is marked pending first, so a run cut short is resumed by the next reembed. An ingest or a search
    finishes it too once the old model's collection is dropped; before that they refuse and name this command."""
    started = time.perf_counter()
    report = IngestReport()
    with workspace.writer():
        ledger = workspace.ledger
        resuming = ledger.get("reembedding") == embedder.name and bool(ledger.pending())
        if not resuming:
            ledger.put("dirty", "1")
            ledger.put("reembedding", embedder.name)
            ledger.put("embedder", embedder.name)
            ledger.mark_all_pending()
        workspace.embedder_name = embedder.name
        if not resuming or workspace.collection_model() != embedder.name:
            workspace.drop_collection()
        with report.timed("embed and write"):
            report.updated, report.chunks = sync.write_pending(workspace, lambda: embedder, progress)
        report.embedded = report.chunks
        report.recovered = "resumed an interrupted reembed" if resuming else ""
        sync.settle(workspace)
        ledger.put("reembedding", "")
        with report.timed("keyword index"):
            keywords.build(workspace.dir, ledger)
        workspace.backup_ledger()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
