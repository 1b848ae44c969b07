"""Chroma access: one collection per workspace, embedded (PersistentClient) or a `chroma run` server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

COLLECTION_PREFIX = "selfreview-"


class ModelMismatch(RuntimeError):
    """The collection was embedded by another model: its vectors and the query's are not comparable."""


def _embedding_function_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class SelfreviewEmbeddingFunction(EmbeddingFunction[Documents]):
        """Records which model embedded a collection; vectors are always computed by selfreview itself."""

        def __init__(self, model: str = "local:all-MiniLM-L6-v2") -> None:
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
            if self.model != "local:all-MiniLM-L6-v2":
                raise ModelMismatch(f"collection embedded with {self.model}; query it through selfreview")
            from app.settings import load
            from ingest.embeddings import LocalEmbedder

            return list(LocalEmbedder(load().home / "models").embed(list(input)))

        @staticmethod
        def name() -> str:
            return "selfreview"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.model}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> SelfreviewEmbeddingFunction:
            return SelfreviewEmbeddingFunction(config.get("model", "local:all-MiniLM-L6-v2"))

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

    return SelfreviewEmbeddingFunction


_EF_CLASS: type | None = None


def embedding_function(model: str) -> Any:
    global _EF_CLASS
    if _EF_CLASS is None:
        _EF_CLASS = _embedding_function_class()
    return _EF_CLASS(model)


def client(chroma_url: str, path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        if not url.hostname:
            raise ValueError(f"SELFREVIEW_CHROMA_URL={chroma_url!r} is not http://host:port")
        return chromadb.HttpClient(
            host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def collection_name(workspace: str) -> str:
    return f"{COLLECTION_PREFIX}{workspace}"


def collection(chroma: Any, workspace: str, model: str) -> Any:
    """Get or create the workspace's collection; refuse one embedded by another model."""
    name = collection_name(workspace)
    coll = chroma.get_or_create_collection(
        name,
        embedding_function=embedding_function(model),
        metadata={"hnsw:space": "cosine", "embedding_model": model},
    )
    recorded = (coll.metadata or {}).get("embedding_model", model)
    if recorded != model:
        raise ModelMismatch(
            f"workspace '{workspace}' was embedded with {recorded}, but the configured embedder is {model}. "
            f"Re-embed it with: selfreview reembed --workspace {workspace}"
        )
    return coll


def upsert(coll: Any, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict]) -> None:
    for start in range(0, len(ids), 500):
        end = start + 500
        coll.upsert(ids=ids[start:end], embeddings=vectors[start:end], documents=texts[start:end],
                    metadatas=metadatas[start:end])


def delete(coll: Any, ids: list[str]) -> None:
    for start in range(0, len(ids), 500):
        coll.delete(ids=ids[start : start + 500])


def all_ids(coll: Any) -> set[str]:
    ids: set[str] = set()
    offset = 0
    while True:
        page = coll.get(include=[], limit=5000, offset=offset)["ids"]
        ids.update(page)
        if len(page) < 5000:
            return ids
        offset += len(page)
