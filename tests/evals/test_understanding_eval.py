"""The understanding eval's report: one section per embedding model, and how far two models' drafts agree."""

from __future__ import annotations

from evals.understanding import agreement, citations, kept_sections

EARLIER = """# Understanding evals

## Embedding model: local (2026-11-30)

| corpus | hit |
| httpx | 0.57 |

## Embedding model: local-float (2026-11-30)

| corpus | hit |
| httpx | 0.53 |

## Agreement between the two models

| run | pairs |
"""


def test_a_run_of_one_model_keeps_the_other_models_section_and_drops_the_stale_agreement():
    kept = kept_sections(EARLIER, ["local"])

    assert list(kept) == ["local-float"]
    assert "| httpx | 0.53 |" in kept["local-float"]
    assert "0.57" not in kept["local-float"]
    assert "Agreement" not in kept["local-float"]


def test_a_run_of_both_models_keeps_nothing_from_before():
    assert kept_sections(EARLIER, ["local", "local-float"]) == {}


def test_citations_map_git_ids_to_commits_and_skip_computed_metrics():
    payload = {
        "criteria": [
            {"id": "c1", "bullets": [{"evidence": ["git:repo@abcdef1234567890", "metric:prs_merged"]}]},
            {"id": "c2", "bullets": []},
        ]
    }

    pairs, spoken = citations(payload, {})

    assert pairs == {("c1", "abcdef123456")}
    assert spoken == {"c1"}


def test_agreement_counts_shared_citations_and_criteria_only_one_model_speaks_for():
    first = {"httpx IC3": ({("c1", "a"), ("c1", "b"), ("c2", "c")}, {"c1", "c2"})}
    second = {"httpx IC3": ({("c1", "a"), ("c3", "d")}, {"c1", "c3"})}

    table = agreement(first, second)

    assert "| httpx IC3 | 0.25 (1/4) | 2 |" in table


def test_the_llm_path_is_scored_with_the_configured_model_and_says_what_fell_back(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from app.llm import OpenAIChat
    from app.settings import Settings
    from evals.understanding import measure, write_llm_report
    from tests.llm_server import API_KEY, MODEL, LLMServer, ok

    monkeypatch.setenv("SELFREVIEW_HOME", str(tmp_path / "home"))
    with LLMServer() as server:
        server.otherwise = ok("I would rather not say.")  # no usable verdicts: every criterion falls back
        settings = Settings(
            home=tmp_path / "home", openai_base_url=server.base_url, openai_api_key=API_KEY, chat_model=MODEL
        )
        rows, _ = measure("local", OpenAIChat(settings), corpora=("sample",))
        asked, url = len(server.requests), server.base_url

    report = write_llm_report(OpenAIChat(settings), rows, tmp_path / "understanding_llm.md")

    assert asked > 0  # the model was asked to judge the candidates
    ((corpus, _, level, result, status, _),) = rows
    assert (corpus, level) == ("sample", "E5")
    assert status.endswith("(0/8 by the model)")
    assert result["hit n"] == "7/7"  # the offline fallback, scored the same way
    assert f"LLM path, {MODEL} at {url}" in report
    assert API_KEY not in report
