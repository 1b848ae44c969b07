"""The two local models: new workspaces search with int8, a float workspace stays float, meaning is read in float."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import services
from app.settings import load
from app.understanding import cache_for
from ingest.embeddings import LOCAL_FLOAT, LOCAL_INT8


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes.md"
    notes.write_text("# 2026-03-02\nShipped the refund retry queue with Aisha.\n")
    return notes


def _ingest(settings, tmp_path: Path, name: str) -> None:
    workspace = services.open_workspace(settings, name)
    services.ingest_paths(settings, workspace, "notes", [_notes(tmp_path)])
    workspace.close()


@pytest.fixture
def settings(tmp_path: Path):
    settings = load()
    settings.home, settings.embedding = tmp_path / "home", "local"
    return settings


def test_a_new_workspace_is_built_with_the_int8_model_and_searched_with_it(settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path, "fresh")

    index = services.search_index(settings, services.open_workspace(settings, "fresh"))
    hits = index.search("refund retries")

    assert index.embedder_name() == LOCAL_INT8
    assert hits
    assert "refund" in hits[0].evidence.body.lower()
    index.workspace.close()


def test_a_workspace_built_with_the_float_model_stays_on_it_under_the_default(
    settings, tmp_path: Path
) -> None:
    settings.embedding = "local-float"
    _ingest(settings, tmp_path, "old")
    settings.embedding = "local"

    index = services.search_index(settings, services.open_workspace(settings, "old"))
    hits = index.search("refund retries")  # no ModelMismatch: the float model is picked for it

    assert index.embedder().name == LOCAL_FLOAT
    assert hits
    _ingest(settings, tmp_path, "old")  # a later ingest keeps it on the float model too
    assert services.open_workspace(settings, "old").ledger.get("embedder") == LOCAL_FLOAT
    index.workspace.close()


def test_meaning_is_read_with_the_float_model_for_an_int8_workspace(settings, tmp_path: Path) -> None:
    from ingest.embeddings import LocalEmbedder

    _ingest(settings, tmp_path, "fresh")
    index = services.search_index(settings, services.open_workspace(settings, "fresh"))
    text = ["Shipped the refund retry queue"]

    meaning = cache_for(index).embed(text)[0]

    exact = LocalEmbedder(settings.home / "models").embed(text)[0]
    quantized = LocalEmbedder(settings.home / "models", int8=True).embed(text)[0]
    assert cache_for(index).name == LOCAL_FLOAT
    assert float(meaning @ exact) > 0.99999
    assert float(meaning @ quantized) < 0.9999  # the two models differ: the check above can tell them apart
    index.workspace.close()


def test_repair_of_a_float_workspace_re_embeds_with_the_float_model(settings, tmp_path: Path) -> None:
    import shutil

    from app import usecases

    settings.embedding = "local-float"
    _ingest(settings, tmp_path, "old")
    workspace = services.open_workspace(settings, "old")
    folder, chroma = workspace.dir, workspace.chroma_path
    workspace.close()
    (folder / "ledger.sqlite").write_bytes(b"not a database at all" * 100)
    shutil.rmtree(chroma)
    settings.embedding, settings.workspace = "local", "old"

    report = usecases.repair(settings)  # the ledger from its backup, Chroma re-embedded from it

    assert report.from_backup == 1
    index = services.search_index(settings, services.open_workspace(settings, "old"))
    assert index.embedder_name() == LOCAL_FLOAT
    assert index.search("refund retries")
    index.workspace.close()
