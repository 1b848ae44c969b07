"""Which embedder the settings choose (local MiniLM, an OpenAI-compatible endpoint, the fake), and the endpoint
embedder itself: it redacts and logs every request like any other request that leaves the machine."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embeddings import LOCAL_FLOAT, Embedder, EmbeddingError, FakeEmbedder, LocalEmbedder


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


def from_settings(settings: Any, keep: str = "") -> Embedder:
    """The embedder the settings choose: `local` (default), `local-float`, `openai` (the configured endpoint) or
    `fake`. `local` is the int8 MiniLM for a new workspace; `keep` (the model a workspace was built with) keeps
    a workspace built with the float model on it, so nothing needs re-embedding."""
    match settings.embedding:
        case "local":
            return LocalEmbedder(settings.home / "models", int8=keep != LOCAL_FLOAT)
        case "local-float":
            return LocalEmbedder(settings.home / "models")
        case "local-int8":  # said explicitly: int8 even for a workspace built with the float model
            return LocalEmbedder(settings.home / "models", int8=True)
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
    raise EmbeddingError(
        f"unknown embedding backend {settings.embedding!r}: use local, local-float, local-int8, openai or fake"
    )
