"""The keyword index: BM25 (bm25s) over the ledger's chunk texts, with each chunk's item, date and source.

One folder per ledger version (`keywords-v<N>`), written to a temporary name and renamed, so a reader never sees
half an index. The date and source arrays also tell dense search which Chroma hits fall inside a filter.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.ledger import Ledger

PREFIX = "keywords-v"
OLD_PREFIXES = ("search-v",)  # snapshots of vectors kept by earlier versions


@dataclass
class KeywordIndex:
    chunk_ids: list[str]
    evidence_ids: list[str]
    epochs: np.ndarray
    sources: np.ndarray
    bm25: object | None
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {chunk_id: i for i, chunk_id in enumerate(self.chunk_ids)}


def tokens(texts: list[str]) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)


def build(folder: Path, ledger: Ledger) -> Path:
    """Write the index of the ledger's current version under `folder`; return its path."""
    version = ledger.version
    final = folder / f"{PREFIX}{version}"
    if final.exists():
        return final
    import bm25s

    tmp = folder / f".{PREFIX}{version}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    items = {e.id: e for e in ledger.evidence()}
    chunk_ids, evidence_ids, texts = [], [], []
    for chunk_id, evidence_id, _index, text in ledger.chunks():
        if evidence_id in items:
            chunk_ids.append(chunk_id)
            evidence_ids.append(evidence_id)
            texts.append(text)
    keys = {
        "chunk_ids": chunk_ids,
        "evidence_ids": evidence_ids,
        "epochs": [items[e].epoch for e in evidence_ids],
        "sources": [items[e].source for e in evidence_ids],
    }
    (tmp / "chunks.json").write_text(json.dumps(keys))
    if texts:
        retriever = bm25s.BM25()
        retriever.index(tokens(texts), show_progress=False)
        retriever.save(str(tmp / "bm25"), show_progress=False)
    try:
        tmp.rename(final)
    except OSError:  # another process finished the same index first
        shutil.rmtree(tmp, ignore_errors=True)
    for prefix in (PREFIX, *OLD_PREFIXES):
        for old in folder.glob(f"{prefix}*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
    return final


def load(folder: Path, ledger: Ledger) -> KeywordIndex:
    """The index of the ledger's current version, built if missing and rebuilt once if it cannot be read."""
    try:
        return _read(build(folder, ledger))
    except (OSError, ValueError, KeyError) as exc:
        damaged = folder / f"{PREFIX}{ledger.version}"
        logging.getLogger("selfreview").warning(
            f"the keyword index {damaged} could not be read ({exc}); rebuilt from the ledger"
        )
        shutil.rmtree(damaged, ignore_errors=True)
        return _read(build(folder, ledger))


def _read(path: Path) -> KeywordIndex:
    import bm25s

    keys = json.loads((path / "chunks.json").read_text())
    bm25 = bm25s.BM25.load(str(path / "bm25"), mmap=True) if (path / "bm25").exists() else None
    index = KeywordIndex(
        chunk_ids=keys["chunk_ids"],
        evidence_ids=keys["evidence_ids"],
        epochs=np.asarray(keys["epochs"], dtype=np.int64),
        sources=np.asarray(keys["sources"]),
        bm25=bm25,
    )
    if not (len(index.chunk_ids) == len(index.evidence_ids) == len(index.epochs) == len(index.sources)):
        raise ValueError("its arrays differ in length")
    return index
