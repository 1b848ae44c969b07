"""What the user's work is about, once per draft or answer: units of work, their vectors and their kinds of work.

Unit and criterion texts are embedded with the workspace's model (the float MiniLM for an int8 one); vectors are
cached by model and text in the workspace folder, so only new or changed units are embedded again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app import policy, units, work_kinds
from app.units import Unit
from ingest.embeddings import LOCAL_FLOAT, LOCAL_INT8, LocalEmbedder
from ingest.evidence import Evidence

Embed = Callable[[list[str]], np.ndarray]


class VectorCache:
    """Text -> vector for one model, kept in the workspace folder (written only when something new was embedded).

    Two stores: what the workspace is made of (units, criteria, kinds of work), and one-off texts (a bullet being
    checked, a question's subject), of which only the PASSING_MAX most recently used are kept, so drafting again
    and again never grows the folder without bound."""

    PASSING_MAX = 4000

    def __init__(self, embed: Embed, model: str, folder: Path | None) -> None:
        self._embed = embed
        self.model = model
        stem = f"vectors-{hashlib.sha1(model.encode()).hexdigest()[:10]}"
        self._path = folder / f"{stem}.npz" if folder else None
        self._passing_path = folder / f"{stem}-passing.npz" if folder else None
        self._vectors = _read(self._path)
        self._passing = _read(self._passing_path)  # oldest use first
        for path, vectors in ((self._path, self._vectors), (self._passing_path, self._passing)):
            if vectors and not _one_matrix(path):
                _write(path, vectors)  # an older cache, rewritten once in the faster layout

    @property
    def name(self) -> str:
        """The model's name (what callers that cache by embedder key on)."""
        return self.model

    def embed_passing(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts, keep=False)

    def embed(self, texts: list[str], keep: bool = True) -> np.ndarray:
        """Vectors of the texts, embedding only those not seen before; `keep=False` for one-off texts."""
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = list(
            dict.fromkeys(
                t
                for t, k in zip(texts, keys, strict=True)
                if k not in self._vectors and (keep or k not in self._passing)
            )
        )
        store = self._vectors if keep else self._passing
        if todo:
            for text, vector in zip(todo, self._embed(todo), strict=True):
                store[hashlib.sha1(text.encode()).hexdigest()] = np.asarray(vector, dtype=np.float32)
        if not keep:
            for k in keys:  # most recently used last
                if k in self._passing:
                    self._passing[k] = self._passing.pop(k)
            while len(self._passing) > self.PASSING_MAX:
                self._passing.pop(next(iter(self._passing)))
        if todo:
            _write(self._path if keep else self._passing_path, store)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([self._vectors[k] if k in self._vectors else self._passing[k] for k in keys])


def _read(path: Path | None) -> dict[str, np.ndarray]:
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path) as stored:
            if {"keys", "matrix"} <= set(stored.files):
                return dict(zip(stored["keys"].tolist(), stored["matrix"], strict=True))
            return {key: stored[key] for key in stored.files}  # one array per text (older caches)
    except (OSError, ValueError):
        return {}  # a damaged cache is rebuilt, never trusted


def _one_matrix(path: Path | None) -> bool:
    try:
        with np.load(path) as stored:  # type: ignore[arg-type]
            return {"keys", "matrix"} <= set(stored.files)
    except (OSError, ValueError, TypeError):
        return False


def _write(path: Path | None, vectors: dict[str, np.ndarray]) -> None:
    """One matrix and its keys: read back in one go (a file of one array per text took 0.5 s to open)."""
    if path is None or not vectors:
        return
    tmp = path.with_suffix(".tmp.npz")
    try:
        np.savez(tmp, keys=np.array(list(vectors)), matrix=np.vstack(list(vectors.values())))
        tmp.replace(path)
    except (OSError, ValueError):
        tmp.unlink(missing_ok=True)


@dataclass
class KindSpace:
    names: list[str]
    descriptions: np.ndarray  # one row per kind
    examples: list[np.ndarray]  # per kind, one row per example title


@dataclass
class Understanding:
    units: list[Unit]
    vectors: np.ndarray  # one row per unit, L2-normalised
    kinds: KindSpace
    cache: VectorCache

    def unit_of(self) -> dict[str, Unit]:
        """Evidence id -> the unit it belongs to."""
        return {i: u for u in self.units for i in u.ids}


def kind_space(cache: VectorCache) -> KindSpace:
    kinds = work_kinds.KINDS
    descriptions = cache.embed([k.description for k in kinds])
    examples = [cache.embed(list(k.examples)) for k in kinds]
    return KindSpace([k.name for k in kinds], descriptions, examples)


def understand(evidence: Iterable[Evidence], cache: VectorCache) -> Understanding:
    built = units.build(evidence)
    space = kind_space(cache)
    vectors = _normalised(cache.embed([u.text() for u in built])) if built else np.zeros((0, 1), np.float32)
    for unit, vector in zip(built, vectors, strict=True):
        unit.labels = work_kinds.structural_labels(unit)
        for name, why in meaning_labels(vector, space).items():
            unit.labels.setdefault(name, why)
    return Understanding(built, vectors, space, cache)


def meaning_labels(vector: np.ndarray, space: KindSpace) -> dict[str, str]:
    """Kinds whose example titles the unit reads like (the closest, and any within LABEL_MARGIN of it)."""
    closeness = [float(np.max(examples @ vector)) if len(examples) else 0.0 for examples in space.examples]
    best = max(closeness, default=0.0)
    return {
        name: f"reads like {work_kinds.BY_NAME[name].title} work ({score:.2f})"
        for name, score in zip(space.names, closeness, strict=True)
        if score >= policy.LABEL_MIN and score >= best - policy.LABEL_MARGIN
    }


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


@functools.lru_cache(maxsize=2)
def _float_model_at(models: Path) -> LocalEmbedder:
    return LocalEmbedder(models)


def _float_model(index: object) -> LocalEmbedder:
    """The float model, from the models folder of the index's data directory."""
    return _float_model_at(Path(index.workspace.home) / "models")  # type: ignore[attr-defined]


def workspace_dir(index: object) -> Path | None:
    """The folder of the index's workspace, where per-workspace caches live (None for in-memory indexes)."""
    folder = getattr(getattr(index, "workspace", None), "dir", None)
    return folder if isinstance(folder, Path) else None


def cache_for(index: object) -> VectorCache:
    """The vector cache of the index's workspace and model; a hashed bag-of-words model for in-memory indexes.

    Meaning is read with the float MiniLM for a workspace searched with the int8 one: the constants of
    app/policy.py were measured on the float model, and the int8 model's 0.7% of noise moves drafts that sit
    near them (evals/results/understanding.md); search itself loses nothing with int8 (evals/results/build.md)."""
    embedder_of = getattr(index, "embedder", None)
    if callable(embedder_of):
        named = getattr(index, "embedder_name", None)
        name = named() if callable(named) else None
        if name == LOCAL_INT8:
            return VectorCache(_float_model(index).embed, LOCAL_FLOAT, workspace_dir(index))
        if name:  # the model loads only if something is not cached yet
            return VectorCache(lambda texts: embedder_of().embed(texts), name, workspace_dir(index))
        embedder = embedder_of()
        return VectorCache(embedder.embed, embedder.name, workspace_dir(index))
    from ingest.embeddings import FakeEmbedder

    fake = FakeEmbedder()
    return VectorCache(fake.embed, fake.name, None)
