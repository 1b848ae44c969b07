"""Correctness of filtered search at scale: hits outside the filter, and dense recall@10 against exact search.

Exact = brute-force cosine over every vector the store holds (read back from Chroma), restricted to the chunks
inside the filter, top 10. Dense = the chunks `HybridSearch._dense` returns for the same query vector and
filter (over-fetched or pushed down, as configured), its first 10. recall@10 = the share of those 10 inside
the filter scoring at least the exact 10th best (so a tie between replicated items is not counted as a miss).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

TIE = 1e-5  # replicated items embed alike: a chunk scoring as high as the exact 10th is as good as it


def store_vectors(index: Any) -> np.ndarray:
    """Every chunk's vector in keyword-index order, read from the workspace's Chroma collection."""
    keyword_index = index._current()
    coll = index.workspace.collection()
    matrix = np.zeros((len(keyword_index.chunk_ids), 384), dtype=np.float32)
    found = np.zeros(len(keyword_index.chunk_ids), dtype=bool)
    offset = 0
    while True:
        page = coll.get(include=["embeddings"], limit=5000, offset=offset)
        if not page["ids"]:
            break
        for chunk_id, vector in zip(page["ids"], page["embeddings"], strict=True):
            position = keyword_index.position.get(chunk_id)
            if position is not None:
                matrix[position], found[position] = vector, True
        offset += len(page["ids"])
    if not found.all():
        raise RuntimeError(f"{int((~found).sum())} chunks of the ledger have no vector in Chroma")
    return matrix


def filter_mask(
    index: Any, since: datetime | None, until: datetime | None, sources: list[str] | None
) -> np.ndarray:
    keyword_index = index._current()
    mask = np.ones(len(keyword_index.chunk_ids), dtype=bool)
    if since is not None:
        mask &= keyword_index.epochs >= int(since.timestamp())
    if until is not None:
        mask &= keyword_index.epochs <= int(until.timestamp())
    if sources:
        mask &= np.isin(keyword_index.sources, sources)
    return mask


def check(
    index: Any,
    matrix: np.ndarray,
    queries: list[str],
    since: datetime | None,
    until: datetime | None,
    sources: list[str] | None,
) -> dict[str, Any]:
    """Mean dense recall@10 against exact filtered search, and how many returned hits fall outside the filter."""
    keyword_index = index._current()
    mask = filter_mask(index, since, until, sources)
    low = int(since.timestamp()) if since else None
    high = int(until.timestamp()) if until else None
    recalls, outside, returned = [], 0, 0
    for query in queries:
        vector = index._query_vector(query)
        scores = np.where(mask, matrix @ vector, -np.inf)
        wanted = min(10, int(mask.sum()))
        tenth = float(np.sort(scores)[-wanted])  # the exact 10th best score inside the filter
        dense = index._dense(keyword_index, query, 10, mask, since, until, sources)
        good = sum(1 for position, _ in dense[:10] if mask[position] and scores[position] >= tenth - TIE)
        recalls.append(good / max(1, wanted))
        for hit in index.search(query, 10, since, until, sources):
            returned += 1
            epoch = hit.evidence.epoch
            inside = (low is None or epoch >= low) and (high is None or epoch <= high)
            outside += not (inside and (not sources or hit.evidence.source in sources))
    return {
        "recall_at_10": round(float(np.mean(recalls)), 3),
        "min_recall_at_10": round(float(np.min(recalls)), 3),
        "queries": len(queries),
        "hits_checked": returned,
        "hits_outside_filter": outside,
    }
