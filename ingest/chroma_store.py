"""Chroma access: one collection per workspace, embedded (PersistentClient) or a `chroma run` server."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ingest.evidence import Evidence

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

COLLECTION_PREFIX = "selfreview-"


class ModelMismatch(RuntimeError):
    """The collection was embedded by another model: its vectors and the query's are not comparable."""


class StoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached: the message names it and what to do."""


def unavailable(chroma_url: str, exc: BaseException) -> StoreUnavailable:
    return StoreUnavailable(
        f"the Chroma server at {chroma_url} cannot be reached ({type(exc).__name__}: "
        f"{str(exc)[:200]}). Start it (chroma run --path DIR --port PORT) or unset "
        "SELFREVIEW_CHROMA_URL, then run the same command again (nothing is lost)"
    )


def _embedding_function_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class SelfreviewEmbeddingFunction(EmbeddingFunction[Documents]):
        """Records which model embedded a collection; vectors are always computed by selfreview itself."""

        def __init__(self, model: str = "local:all-MiniLM-L6-v2") -> None:
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
            raise ModelMismatch(
                f"this collection holds vectors of {self.model} computed by selfreview: "
                "query it with vectors, through selfreview"
            )

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
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=settings
            )
        except Exception as exc:  # noqa: BLE001 - chromadb raises ValueError or httpx errors here
            raise unavailable(chroma_url, exc) from exc
    if not path.is_dir() or replaced(path):
        forget(path)
    path.mkdir(parents=True, exist_ok=True)
    opened = chromadb.PersistentClient(path=str(path), settings=settings)
    _OPENED[str(path)] = _identity(path)
    return opened


_OPENED: dict[str, tuple[int, int] | None] = {}  # embedded store -> identity of its database file when opened


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = (path / "chroma.sqlite3").stat()
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def replaced(path: Path) -> bool:
    """Was the embedded store this process opened deleted or replaced on disk since (by another process)?"""
    key = str(path)
    return key in _OPENED and _OPENED[key] is not None and _OPENED[key] != _identity(path)


def forget(path: Path) -> None:
    """Drop this process's cached embedded store at `path` (chromadb keeps one per directory): after the
    directory was deleted or wiped, the next client opens what is on disk now."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(path)
    system = SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    if system is not None:
        with contextlib.suppress(Exception):  # its files may be gone already
            system.stop()


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
    if model and recorded and recorded != model:
        raise ModelMismatch(
            f"workspace '{workspace}' was embedded with {recorded}, but the configured embedder is {model}. "
            f"Re-embed it with: selfreview reembed --workspace {workspace}"
        )
    return coll


@contextlib.contextmanager
def answering() -> Iterator[None]:
    """A Chroma server that stops answering mid-way becomes StoreUnavailable, not a traceback."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        raise StoreUnavailable(
            f"the Chroma server stopped answering ({type(exc).__name__}: {str(exc)[:200]}). "
            "Start it again and run the same command again (nothing is lost)"
        ) from exc


def upsert(coll: Any, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict]) -> None:
    with answering():
        for start in range(0, len(ids), 500):
            end = start + 500
            coll.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=texts[start:end],
                metadatas=metadatas[start:end],
            )


def delete(coll: Any, ids: list[str]) -> None:
    with answering():
        for start in range(0, len(ids), 500):
            coll.delete(ids=ids[start : start + 500])


def all_ids(coll: Any) -> set[str]:
    ids: set[str] = set()
    offset = 0
    while True:
        with answering():
            page = coll.get(include=[], limit=5000, offset=offset)["ids"]
        ids.update(page)
        if len(page) < 5000:
            return ids
        offset += len(page)


def query(
    coll: Any, vector: np.ndarray, n: int, where: dict | None = None, ids: list[str] | None = None
) -> list[tuple[str, float]]:
    """The n nearest chunks as (chunk id, cosine similarity), best first, optionally within `where` or `ids`."""
    with answering():
        found = coll.query(
            query_embeddings=[vector], n_results=n, where=where, ids=ids, include=["distances"]
        )
    return [
        (chunk_id, 1.0 - float(distance))
        for chunk_id, distance in zip(found["ids"][0], found["distances"][0], strict=True)
    ]


def vectors(coll: Any, ids: list[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 500):
        page = coll.get(ids=ids[start : start + 500], include=["embeddings"])
        found.update(
            zip(page["ids"], (np.asarray(v, dtype=np.float32) for v in page["embeddings"]), strict=True)
        )
    return found


def pages(coll: Any, size: int = 2000) -> Iterator[dict[str, Any]]:
    """Every chunk with its document and metadata, a page at a time (to rebuild a ledger)."""
    offset = 0
    while True:
        page = coll.get(include=["documents", "metadatas"], limit=size, offset=offset)
        if not page["ids"]:
            return
        yield page
        offset += len(page["ids"])


def chunk_metadata(evidence: Evidence, index: int, origin: str, digest: str) -> dict[str, Any]:
    """A chunk's flat metadata; the first chunk also carries the whole record, so a ledger can be rebuilt."""
    flat: dict[str, Any] = {**evidence.metadata(), "chunk": index}
    if index == 0:
        flat.update(record=json.dumps(evidence.to_dict(), ensure_ascii=False), origin=origin, hash=digest)
    return flat


def fingerprint(path: Path) -> str:
    """Sizes and times of an embedded store's index files (Chroma touches chroma.sqlite3 on every open, so
    only its size counts): a change nobody recorded means someone else wrote or damaged them."""
    if not path.is_dir():
        return "missing"
    parts = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        stamp = "" if file.name.startswith("chroma.sqlite3") else f":{stat.st_mtime_ns}"
        parts.append(f"{file.relative_to(path)}:{stat.st_size}{stamp}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
