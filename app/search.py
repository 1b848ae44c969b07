"""Hybrid search: dense top-k from the workspace's Chroma collection + BM25 (bm25s), score-fused, one hit per item.

Weighted score fusion (min-max normalised scores summed) is the default: on the labeled queries in evals/
it matched reciprocal rank fusion on the sample workspace and beat it on the rubocop history (evals/results).

Date and source filters on the dense side, two ways (evals/results/scale.md measures both):
- `overfetch` (default): when that costs less than sending the filter's chunk ids, an unfiltered Chroma query
  for enough neighbours that CANDIDATES of them fall inside the filter (the filter's share of chunks is known
  from the keyword index), kept or dropped in-process;
  when too few survive, a second query asks SECOND_ROUND times as many (up to SECOND_LIMIT) if that is
  cheaper than the list of ids; then, or when the filter keeps under MIN_SHARE of the chunks, it is pushed down;
- `pushdown`: the filter goes to Chroma as the list of chunk ids inside it (up to IDS_LIMIT), else as a
  `where` on the chunk's epoch and source. Measured at 100k chunks: the `where` 2.7 s, a list of 27k ids
  about 50 ms, as much as asking 4,000 neighbours (a listed id costs a seventh of a neighbour, NEIGHBOUR_COST).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np

from app.model import Hit
from ingest import chroma_store, keywords, sync
from ingest.embeddings import Embedder
from ingest.evidence import Evidence
from ingest.store import Workspace

RRF_K = 60
CANDIDATES = 100
MARGIN = 1.5  # the first over-fetch asks 1.5 times the neighbours that would keep CANDIDATES on average
OVERFETCH_LIMIT = 1000  # neighbours the first over-fetch asks of Chroma at most
SECOND_ROUND = 8  # the second over-fetch asks 8 times the first ...
SECOND_LIMIT = 4000  # ... and at most this many neighbours
NEIGHBOUR_COST = 7  # an asked neighbour costs Chroma about as much as 7 chunk ids in an `ids` list
MIN_SHARE = 0.1  # below this share of chunks inside the filter, push the filter down at once
ENOUGH_PER_HIT = 3  # an over-fetch that kept 3 candidates per requested hit (or CANDIDATES) is used as is
IDS_LIMIT = 200_000  # a filter keeping at most this many chunks goes down as Chroma `ids`, else as a `where`
SNIPPET_CHARS = 320
log = logging.getLogger("selfreview")


def build_snapshot(workspace: Workspace) -> None:
    """Build the keyword index of the ledger's current version (ingest does this; kept for callers)."""
    keywords.build(workspace.dir, workspace.ledger)


class HybridSearch:
    """The workspace's EvidenceIndex. The embedder loads lazily: BM25-only work never pays for it."""

    def __init__(
        self,
        workspace: Workspace,
        embedder: Callable[[], Embedder],
        fusion: str = "weighted",
        filtering: str = "overfetch",
    ) -> None:
        self.workspace = workspace
        self._embedder_factory = embedder
        self._embedder: Embedder | None = None
        self._keywords: keywords.KeywordIndex | None = None
        self._version = -1
        self.fusion = fusion
        self.filtering = filtering
        self.notices: list[str] = []  # what opening the workspace had to repair, for the UI to show
        self.pushed_down = 0  # dense queries whose filter went to Chroma (for the benchmark)
        self._evidence_cache: dict[str, Evidence] = {}
        self._query_vectors: dict[str, np.ndarray] = {}

    def prepare(self, queries: list[str]) -> None:
        """Embed many queries in one batch (a draft asks one per criterion): one forward pass, not dozens."""
        todo = [q for q in dict.fromkeys(queries) if q.strip() and q not in self._query_vectors]
        if todo:
            self._query_vectors.update(zip(todo, self.embedder().embed(todo), strict=True))

    def _current(self) -> keywords.KeywordIndex:
        version = self.workspace.ledger.version
        if self._keywords is None or version != self._version:
            notice = sync.check_on_open(self.workspace, self.embedder)
            if notice:
                self.notices.append(f"workspace '{self.workspace.name}': {notice}")
                log.warning(self.notices[-1])
            version = self.workspace.ledger.version
            self._keywords = keywords.load(self.workspace.dir, self.workspace.ledger)
            self._version = version
            self._evidence_cache = {}
        return self._keywords

    def embedder_name(self) -> str | None:
        """The model the workspace's vectors come from, without loading it (None when nothing is recorded yet)."""
        if self._embedder is not None:
            return self._embedder.name
        return self.workspace.ledger.get("embedder") or None

    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._embedder_factory()
            self.workspace.check_embedder(self._embedder.name) if self.workspace.ledger.get(
                "embedder"
            ) else None
        return self._embedder

    def search(
        self,
        query: str,
        k: int = 10,
        since: datetime | None = None,
        until: datetime | None = None,
        sources: list[str] | None = None,
    ) -> list[Hit]:
        index = self._current()
        if not index.chunk_ids or not query.strip():
            return []
        mask = np.ones(len(index.chunk_ids), dtype=bool)
        if since is not None:
            mask &= index.epochs >= int(since.timestamp())
        if until is not None:
            mask &= index.epochs <= int(until.timestamp())
        if sources:
            mask &= np.isin(index.sources, sources)
        if not mask.any():
            return []
        dense = self._dense(index, query, k, mask, since, until, sources) if self.fusion != "bm25" else []
        lexical = self._lexical(index, query, mask) if self.fusion != "dense" else []
        fused = self._fuse(index, dense, lexical)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]
        items = self._load([evidence_id for evidence_id, _ in ranked])
        texts = self.workspace.ledger.chunk_texts([best for _, (_, best) in ranked])
        return [
            Hit(items[evidence_id], score, _snippet(texts.get(best, "")))
            for evidence_id, (score, best) in ranked
            if evidence_id in items
        ]

    def _query_vector(self, query: str) -> np.ndarray:
        vector = self._query_vectors.get(query)
        return vector if vector is not None else self.embedder().embed([query])[0]

    def _dense(
        self,
        index: keywords.KeywordIndex,
        query: str,
        k: int,
        mask: np.ndarray,
        since: datetime | None,
        until: datetime | None,
        sources: list[str] | None,
    ) -> list[tuple[int, float]]:
        """(position in the keyword index, cosine) of the best chunks inside the filter, best first."""
        vector = self._query_vector(query)
        total, inside = len(index.chunk_ids), int(mask.sum())
        wanted = min(CANDIDATES, inside)
        coll = self.workspace.collection()
        if inside == total:
            return _positions(index, chroma_store.query(coll, vector, wanted), mask)
        share = inside / total
        fetch = min(total, math.ceil(wanted / share * MARGIN))
        listing = inside / NEIGHBOUR_COST  # what sending the filter's ids costs, in asked neighbours
        if self.filtering == "overfetch" and share >= MIN_SHARE and fetch <= min(OVERFETCH_LIMIT, listing):
            second = min(total, SECOND_LIMIT, fetch * SECOND_ROUND)
            rounds = [fetch] + ([second] if second > fetch and second * NEIGHBOUR_COST <= inside else [])
            for asked in rounds:
                kept = _positions(index, chroma_store.query(coll, vector, asked), mask)
                if len(kept) >= min(wanted, ENOUGH_PER_HIT * k) or asked == total:
                    return kept[:wanted]
        self.pushed_down += 1
        if inside <= IDS_LIMIT:
            ids = [index.chunk_ids[i] for i in np.flatnonzero(mask)]
            return _positions(index, chroma_store.query(coll, vector, wanted, ids=ids), mask)
        found = chroma_store.query(coll, vector, wanted, where=_where(since, until, sources))
        return _positions(index, found, mask)

    def _lexical(self, index: keywords.KeywordIndex, query: str, mask: np.ndarray) -> list[tuple[int, float]]:
        if index.bm25 is None:
            return []
        tokens = keywords.tokens([query])
        if not tokens or not tokens[0]:
            return []
        top = min(CANDIDATES, len(index.chunk_ids))
        docs, scores = index.bm25.retrieve(  # type: ignore[attr-defined]
            tokens,
            k=top,
            show_progress=False,
            weight_mask=mask.astype(np.float32),
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def _fuse(
        self, index: keywords.KeywordIndex, dense: list[tuple[int, float]], lexical: list[tuple[int, float]]
    ) -> dict[str, tuple[float, str]]:
        """Evidence id -> (fused score, best chunk id); each list contributes its best chunk per item.

        `weighted` (default) sums min-max normalised scores (Bruch et al.); `rrf` sums 1/(60 + rank);
        `dense` and `bm25` use one list alone (for evals)."""
        lists = {"dense": [dense], "bm25": [lexical]}.get(self.fusion, [dense, lexical])
        fused: dict[str, tuple[float, str]] = {}
        for ranking in lists:
            if not ranking:
                continue
            top, low = ranking[0][1], min(score for _, score in ranking)
            seen: set[str] = set()
            for position, score in ranking:
                evidence_id = index.evidence_ids[position]
                if evidence_id in seen:
                    continue
                seen.add(evidence_id)
                if self.fusion == "weighted":  # a list whose scores are all equal ranks nothing: only a
                    # positive score counts then (a lone BM25 hit does; chunks at cosine 0 to the query do not)
                    gain = (score - low) / (top - low) if top > low else float(score > 0)
                else:
                    gain = 1.0 / (RRF_K + len(seen))
                total, best = fused.get(evidence_id, (0.0, index.chunk_ids[position]))
                fused[evidence_id] = (total + gain, best)
        return fused

    def _load(self, ids: list[str]) -> dict[str, Evidence]:
        missing = [i for i in ids if i not in self._evidence_cache]
        if missing:
            self._evidence_cache.update(self.workspace.ledger.records(missing))
        return {i: self._evidence_cache[i] for i in ids if i in self._evidence_cache}

    def closeness(self, text: str, evidence_ids: list[str]) -> dict[str, float]:
        """Cosine of `text` to each item's closest stored chunk (vectors read from Chroma)."""
        if not evidence_ids or not text.strip():
            return {}
        vector = self._query_vector(text)
        best: dict[str, float] = {}
        for _chunk, evidence_id, _idx, _text, blob in self.workspace.ledger.chunk_rows(evidence_ids):
            score = float(np.frombuffer(blob, dtype=np.float32) @ vector)
            best[evidence_id] = max(best.get(evidence_id, -1.0), score)
        return best

    def all_evidence(self, since: datetime | None = None, until: datetime | None = None) -> list[Evidence]:
        return self.workspace.evidence(
            int(since.timestamp()) if since else None, int(until.timestamp()) if until else None
        )


def _positions(
    index: keywords.KeywordIndex, found: list[tuple[str, float]], mask: np.ndarray
) -> list[tuple[int, float]]:
    """Chroma's hits as keyword-index positions inside the filter (chunks the ledger no longer has drop out)."""
    kept = []
    for chunk_id, score in found:
        position = index.position.get(chunk_id)
        if position is not None and mask[position]:
            kept.append((position, score))
    return kept


def _where(
    since: datetime | None, until: datetime | None, sources: list[str] | None
) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if since is not None:
        clauses.append({"epoch": {"$gte": int(since.timestamp())}})
    if until is not None:
        clauses.append({"epoch": {"$lte": int(until.timestamp())}})
    if sources:
        clauses.append({"source": {"$in": list(sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _snippet(chunk_text: str) -> str:
    body = chunk_text.split("\n", 2)[2] if chunk_text.count("\n") >= 2 else chunk_text
    body = " ".join(body.split())
    return body if len(body) <= SNIPPET_CHARS else body[: SNIPPET_CHARS - 1].rstrip() + "…"
