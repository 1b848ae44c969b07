"""Shared fixtures: every test gets its own SELFREVIEW_HOME; no test touches the user's data or the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def selfreview_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SELFREVIEW_HOME", str(home))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SELFREVIEW_CHROMA_URL",
        "SELFREVIEW_WORKSPACE",
        "SELFREVIEW_EMBEDDING",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def minilm(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real local model (all-MiniLM-L6-v2 on onnxruntime), loaded once: for tests about meaning."""
    from ingest.embeddings import LocalEmbedder

    return LocalEmbedder(tmp_path_factory.mktemp("models"))


@pytest.fixture
def fake_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashed bag-of-words vectors: for tests about the pipeline, not about retrieval quality."""
    monkeypatch.setenv("SELFREVIEW_EMBEDDING", "fake")


def evidence_record(n: int, **overrides: object) -> dict:
    record = {
        "id": f"jsonl:item-{n}",
        "source": "jsonl",
        "kind": "ticket",
        "title": f"Ticket number {n} about payments",
        "body": f"Work item {n}: reduced refund latency.",
        "author": "Maya Chen",
        "date": f"2026-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}T10:00:00+00:00",
        "role": "assignee",
        "native": {"key": f"PAY-{n}"},
        "stats": {"story_points": n % 8},
    }
    record.update(overrides)
    return record


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def llm_endpoint(request: pytest.FixtureRequest):
    """The LLM endpoint of a cassette test: its cassette replayed (default), or the scripted local server
    recorded into it when SELFREVIEW_RECORD=1 (tests/record_cassettes.py, tests/llm_server.py)."""
    from tests.record_cassettes import endpoint

    with endpoint(request.path.stem, request.node.name) as llm:
        yield llm
