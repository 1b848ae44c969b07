"""Filtered dense search finds the same chunks as an exact search inside the filter, when the over-fetch finds
enough, when it falls back to pushing the filter down, and when the filter keeps more chunks than fit a list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from app import search
from app.search import HybridSearch
from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl
from tests.ingest.test_server_mode import free_port, start_server, stop_server

QUERY = "refund ledger payments"


def workspace_of(home: Path, chroma_url: str = "") -> HybridSearch:
    """540 jira items close to the query, 60 notes further from it (sharing one or two of its words)."""
    records = []
    for n in range(600):
        if n % 10 == 0:
            words = ["refund", "ledger"][: 1 + n % 20 // 10]
            title = f"Planning note {n} on {' '.join(words)} and hiring"
            records.append(evidence_record(n, source="notes", id=f"notes:{n}", title=title, body=""))
        else:
            title = f"Refund ledger change {n} for payments"
            records.append(evidence_record(n, source="jira", id=f"jira:{n}", title=title, body=""))
    workspace = Workspace(home, "default", chroma_url=chroma_url)
    ingest(workspace, FakeEmbedder(), "jsonl", [write_jsonl(home / "a.jsonl", records)])
    return HybridSearch(workspace, FakeEmbedder)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> HybridSearch:
    return workspace_of(tmp_path_factory.mktemp("dense"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridSearch]:
    home = tmp_path_factory.mktemp("served")
    process = start_server(home / "server", port := free_port())
    try:
        yield workspace_of(home, f"http://127.0.0.1:{port}")
    finally:
        stop_server(process)


def exact_and_dense(
    index: HybridSearch, since: datetime | None, sources: list[str]
) -> tuple[np.ndarray, list[tuple[int, float]], np.ndarray]:
    """Exact cosine of every chunk (vectors read back from Chroma), the dense side's list, the filter mask."""
    keyword_index = index._current()
    page = index.workspace.collection().get(include=["embeddings"])
    matrix = np.zeros((len(keyword_index.chunk_ids), FakeEmbedder.dimensions), dtype=np.float32)
    for chunk_id, vector in zip(page["ids"], page["embeddings"], strict=True):
        matrix[keyword_index.position[chunk_id]] = vector
    mask = np.isin(keyword_index.sources, sources)
    if since is not None:
        mask &= keyword_index.epochs >= int(since.timestamp())
    scores = matrix @ index._query_vector(QUERY)
    dense = index._dense(keyword_index, QUERY, 10, mask, since, None, sources)
    return scores, dense, mask


def assert_exact_top_ten(scores: np.ndarray, dense: list[tuple[int, float]], mask: np.ndarray) -> None:
    tenth = np.sort(scores[mask])[-10]
    assert len(dense) >= 10
    assert all(mask[position] for position, _ in dense)
    assert all(scores[position] >= tenth - 1e-5 for position, _ in dense[:10])


def test_an_overfetch_that_finds_too_few_inside_the_filter_falls_back_to_an_exact_answer(
    index: HybridSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 20)  # 600 chunks: make the over-fetch smaller than the corpus
    index.filtering, index.pushed_down = "overfetch", 0
    scores, dense, mask = exact_and_dense(index, None, ["notes"])

    assert index.pushed_down == 1
    assert_exact_top_ten(scores, dense, mask)


def test_a_filter_keeping_most_chunks_is_answered_by_the_overfetch(
    index: HybridSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "NEIGHBOUR_COST", 1)  # as in a store big enough that its id list costs more
    index.filtering, index.pushed_down = "overfetch", 0
    scores, dense, mask = exact_and_dense(index, datetime(2026, 3, 1, tzinfo=UTC), ["jira"])

    assert index.pushed_down == 0
    assert_exact_top_ten(scores, dense, mask)


def test_a_filter_whose_id_list_costs_less_than_the_overfetch_goes_down_at_once(index: HybridSearch) -> None:
    index.filtering, index.pushed_down = "overfetch", 0

    scores, dense, mask = exact_and_dense(index, datetime(2026, 3, 1, tzinfo=UTC), ["jira"])

    assert (
        index.pushed_down == 1
    )  # 600 chunks: listing the filter's ids is cheaper than asking for neighbours
    assert_exact_top_ten(scores, dense, mask)


@pytest.mark.parametrize("limit", [0, 100_000])
def test_a_pushed_down_filter_finds_the_exact_top_ten_as_a_list_of_ids_or_a_where(
    index: HybridSearch, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "IDS_LIMIT", limit)
    index.filtering = "pushdown"
    scores, dense, mask = exact_and_dense(index, datetime(2026, 3, 1, tzinfo=UTC), ["jira", "notes"])

    assert_exact_top_ten(scores, dense, mask)


@pytest.mark.server
@pytest.mark.parametrize("filtering", ["overfetch", "pushdown"])
def test_a_chroma_server_answers_a_filtered_search_with_the_exact_top_ten(
    served: HybridSearch, filtering: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 20)
    served.filtering = filtering
    scores, dense, mask = exact_and_dense(served, None, ["notes"])

    assert_exact_top_ten(scores, dense, mask)
