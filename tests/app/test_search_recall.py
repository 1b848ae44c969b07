"""Search finds what a user asks for in the sample workspace (local embeddings + BM25, fused)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app import services
from app.services import parse_day
from app.settings import load

QUERIES = Path(__file__).resolve().parents[2] / "evals" / "data" / "sample_queries.yaml"


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("sample-home")
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, "sample", "local"
    workspace = services.open_workspace(settings)
    report = services.ingest_sample(settings, workspace)
    assert report.added >= 150
    assert not report.skipped, report.skipped
    return services.search_index(settings, workspace)


def test_sample_workspace_spans_all_seven_sources(sample_index) -> None:  # type: ignore[no-untyped-def]
    sources = {e.source for e in sample_index.all_evidence()}

    assert sources == {"git", "github", "jira", "linear", "notes", "email", "jsonl"}


def test_written_queries_find_their_evidence(sample_index) -> None:  # type: ignore[no-untyped-def]
    cases = yaml.safe_load(QUERIES.read_text())
    by_title: dict[str, set[str]] = {}
    for evidence in sample_index.all_evidence():
        by_title.setdefault(evidence.title, set()).add(evidence.id)
    found = expected = 0
    misses = []
    for case in cases:
        wanted = set().union(*(by_title[t] for t in case["expected_titles"]))
        hits = sample_index.search(
            case["query"],
            k=10,
            since=parse_day(case.get("since")),
            until=parse_day(case.get("until"), end=True),
            sources=[case["source"]] if case.get("source") else None,
        )
        got = wanted & {h.evidence.id for h in hits}
        found, expected = found + len(got), expected + len(wanted)
        if not got:
            misses.append(case["query"])

    assert len(cases) >= 10
    assert found / expected >= 0.75, f"recall@10 {found / expected:.2f}; nothing found for {misses}"
    assert len(misses) <= len(cases) // 10, misses


def test_filters_keep_results_inside_the_period_and_source(sample_index) -> None:  # type: ignore[no-untyped-def]
    since, until = parse_day("2026-04-01"), parse_day("2026-06-30", end=True)

    hits = sample_index.search("payments", k=20, since=since, until=until, sources=["jira", "notes"])

    assert hits
    assert all(since <= h.evidence.when <= until for h in hits)
    assert {h.evidence.source for h in hits} <= {"jira", "notes"}
    assert len({h.evidence.id for h in hits}) == len(hits)


def test_a_lone_keyword_match_outranks_chunks_dense_search_found_at_zero_similarity() -> None:
    from types import SimpleNamespace

    from app.search import HybridSearch

    ids = [f"jsonl:item-{n}" for n in range(12)]
    index = SimpleNamespace(evidence_ids=ids, chunk_ids=[f"{i}#0" for i in ids])
    search = HybridSearch(workspace=None, embedder=lambda: None)  # type: ignore[arg-type,return-value]

    fused = search._fuse(index, [(n, 0.0) for n in range(10)], [(11, 2.8)])  # type: ignore[arg-type]

    assert max(fused, key=lambda i: fused[i][0]) == "jsonl:item-11"
    assert fused["jsonl:item-0"][0] == 0.0


def test_a_criterion_the_draft_marks_missing_shows_no_bullet(sample_index) -> None:  # type: ignore[no-untyped-def]
    from app.drafting import draft
    from app.ladder import load_ladder

    result = draft(sample_index, load_ladder(services.sample_ladder()), "E5")

    by_id = {c.criterion.id: c for c in result.criteria}
    assert all(bool(c.bullets) == (c.status != "missing") for c in result.criteria), [
        (c.criterion.id, c.status, len(c.bullets)) for c in result.criteria
    ]
    # nothing in the sample is security or compliance work: a fraud pilot is not a threat model
    assert by_id["E5-TQ-2"].status == "missing"
    assert by_id["E5-TQ-2"].question
    assert sum(c.status == "covered" for c in result.criteria) >= 5
