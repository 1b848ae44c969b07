"""Evidence about a question's topic: hybrid search finds candidates, closeness in meaning decides what is kept.

An item is about the topic when the embedding of the topic and the item's closest stored chunk are close
(cosine >= MEANING_FLOOR), or when the item names every word of the topic and is still reasonably close
(cosine >= MENTION_FLOOR: a short topic such as "troubleshooting guide" scores low against a long item that is
exactly about it). Anything else is at most "the closest thing", never the answer. Without stored vectors (the
in-memory index of tests), an item is about the topic when it names every word of it.

The floors were measured on the labeled questions of evals/data/ask_httpx.yaml and evals/data/sample_questions.yaml
(all-MiniLM-L6-v2): items that answer a question scored 0.31-0.79 against its topic (0.31 only with every topic
word present), the best item of questions with no answer 0.13-0.36 (evals/results/ask_rewrite.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from app.fakes import searchable_text
from app.index import EvidenceIndex
from app.model import Hit
from app.text import terms
from ingest.chunking import chunk
from ingest.evidence import Evidence

MEANING_FLOOR = 0.40
MENTION_FLOOR = 0.25
CANDIDATES = 24


@dataclass
class Scored:
    """An item weighed against the topic: its closeness in meaning and whether it names every topic word."""

    hit: Hit
    meaning: float | None  # cosine to the topic; None when the index has no vectors
    mentioned: bool
    names_all: bool = True  # names every version and code name of the topic ("0.15.3", "Layout/LineLength")

    @property
    def evidence(self) -> Evidence:
        return self.hit.evidence

    @property
    def about(self) -> bool:
        if not self.names_all:  # a topic naming a version or a cop is never about another one
            return False
        if self.meaning is None:
            return self.mentioned
        return self.meaning >= MEANING_FLOOR or (self.mentioned and self.meaning >= MENTION_FLOOR)

    @property
    def weight(self) -> float:
        return (self.meaning if self.meaning is not None else 0.0) + (0.15 if self.mentioned else 0.0)


def meaning(index: EvidenceIndex, text: str, items: Iterable[Evidence]) -> dict[str, float] | None:
    """Cosine of `text` to each item's closest chunk; None when the index has no embedding model.

    The vectors are the stored ones when the store gives them back, else the item's chunks (the very texts
    ingest embedded) embedded now and kept for the life of the process.
    """
    embedder_of = getattr(index, "embedder", None)
    wanted = {e.id: e for e in items}
    if not callable(embedder_of) or not text.strip():
        return None
    if not wanted:
        return {}
    embedder = embedder_of()
    if str(getattr(embedder, "name", "")).startswith("fake:"):
        return None  # hashed words carry no meaning: keep what names the topic
    vector = np.asarray(embedder.embed([text])[0], dtype=np.float32)
    best: dict[str, float] = {}
    for evidence_id, chunk_vector in _vectors(index, embedder, list(wanted.values())):
        best[evidence_id] = max(best.get(evidence_id, -1.0), float(chunk_vector @ vector))
    return best


_EMBEDDED: dict[tuple[str, str], np.ndarray] = {}


def _vectors(index: EvidenceIndex, embedder: Any, items: list[Evidence]) -> Iterator[tuple[str, np.ndarray]]:
    found: set[str] = set()
    ledger = getattr(getattr(index, "workspace", None), "ledger", None)
    try:
        rows = list(ledger.chunk_rows([e.id for e in items])) if ledger is not None else []
    except Exception:  # noqa: BLE001 - a store that cannot give vectors back: embed the chunks instead
        rows = []
    for row in rows:
        found.add(row[1])
        yield row[1], np.frombuffer(row[-1], dtype=np.float32)
    name = str(getattr(embedder, "name", ""))
    chunks = [c for e in items if e.id not in found for c in chunk(e)]
    todo = list(dict.fromkeys(c.text for c in chunks if (name, c.text) not in _EMBEDDED))
    if todo:
        for chunk_text, chunk_vector in zip(todo, embedder.embed(todo), strict=True):
            _EMBEDDED[(name, chunk_text)] = np.asarray(chunk_vector, dtype=np.float32)
    for c in chunks:
        yield c.evidence_id, _EMBEDDED[(name, c.text)]


def mentions(topic: str, evidence: Evidence) -> bool:
    """Does the item name the topic, in its text or the files it touched: every content word of it (stemmed), or,
    when the topic has number-like tokens ("0.15.3", "v2", "http2"), every one of them as written and at least one
    of its words ("cutting the 0.15.3 release" names "Release 0.15.3")?"""
    wanted = set(terms(topic))
    text = _text(evidence)
    if literals(topic):
        return names_all(topic, evidence) and (not wanted or bool(wanted & set(terms(text))))
    return bool(wanted) and wanted <= set(terms(text))


def literals(text: str) -> set[str]:
    """The names in `text` that only their own spelling matches: versions and numbered names ("0.15.3", "v2.1",
    "http2"), which words() leaves out, and namespaced code names ("Layout/LineLength")."""
    return {t.lower() for t in _LITERAL.findall(text)} | {t.lower() for t in _CODE_NAME.findall(text)}


def names_all(topic: str, evidence: Evidence) -> bool:
    """Does the item name every version and code name of the topic, as written, and every proper name it spells
    as one ("SOCKS", "WebSocket", "PoolLimits"), in any case? A topic naming one is never about an item that does
    not: "SOCKS proxy support" is not "no proxy support"."""
    wanted = literals(topic)
    text = _text(evidence)
    if wanted and not wanted <= literals(text):
        return False
    lowered = text.lower()  # within a word too: "HTTP" is in "HTTPProxy"
    return all(name.lower() in lowered for name in _NAMED.findall(topic))


def _text(evidence: Evidence) -> str:
    return f"{searchable_text(evidence)} {' '.join(evidence.extra.get('files') or [])}"


_LITERAL = re.compile(r"(?<![\w.])(?=[\w.-]*\d)[A-Za-z0-9][\w.-]*[A-Za-z0-9](?![\w])|(?<![\w.])\d(?![\w.])")
_CODE_NAME = re.compile(r"(?<![\w/])[A-Z][A-Za-z0-9]*(?:/[A-Z][A-Za-z0-9]*)+(?![\w/])")
# A proper name spelled as one: an acronym of four or more capitals, or a CamelCase word
_NAMED = re.compile(
    r"(?<![\w/.-])(?:[A-Z]{4,}s?|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z]+(?:[A-Z][a-z0-9]*)+)(?![\w/.-])"
)


def weigh(index: EvidenceIndex, topic: str, hits: list[Hit]) -> list[Scored]:
    """Each hit weighed against the topic, most about it first."""
    scores = meaning(index, topic, (h.evidence for h in hits))
    scored = [
        Scored(
            h,
            None if scores is None else scores.get(h.evidence.id, 0.0),
            mentions(topic, h.evidence),
            names_all(topic, h.evidence),
        )
        for h in hits
    ]
    scored.sort(key=lambda s: (-s.about, -s.weight, -s.hit.score, s.evidence.id))
    return scored


def find(
    index: EvidenceIndex,
    topic: str,
    since: datetime | None = None,
    until: datetime | None = None,
    within: list[Evidence] | None = None,
) -> list[Scored]:
    """Candidates for the topic (hybrid search, or every item of `within`), weighed, most about it first."""
    if within is not None:
        hits = [Hit(e, 0.0, _snippet(e)) for e in within]
    else:
        hits = index.search(topic, k=CANDIDATES, since=since, until=until)
    return weigh(index, topic, hits)


def _snippet(evidence: Evidence) -> str:
    text = " ".join((evidence.body or evidence.title).split())
    return text if len(text) <= 320 else text[:319].rstrip() + "…"
