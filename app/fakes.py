"""In-memory stand-ins for tests, evals and fallbacks: a token-overlap BM25 EvidenceIndex (and no network)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime

from app.metrics import in_period
from app.model import Hit
from app.text import terms
from ingest.embeddings import Embedder, FakeEmbedder
from ingest.evidence import Evidence

SNIPPET_CHARS = 320


_KIND_WORDS = {"pr": "pr pull request", "review": "review pull request", "kudos": "kudos thanks"}
_ROLE_WORDS = {
    "reviewer": "reviewed review",
    "merger": "merged merge",
    "assignee": "assigned",
    "recipient": "received",
    "reporter": "reported",
}


def searchable_text(evidence: Evidence) -> str:
    """What an item is found by: title, body, kind, the user's role and descriptive native fields (type, ...)."""
    native = " ".join(
        str(evidence.native.get(k, "")) for k in ("type", "labels", "components", "epic", "key")
    )
    kind = _KIND_WORDS.get(evidence.kind, evidence.kind)
    return f"{evidence.title}\n{evidence.body}\n{kind} {_ROLE_WORDS.get(evidence.role, '')} {native}"


class InMemoryIndex:
    """EvidenceIndex over a list of Evidence, scored with BM25 on lightly stemmed tokens."""

    def __init__(
        self, evidence: list[Evidence], k1: float = 1.2, b: float = 0.75, embedder: Embedder | None = None
    ) -> None:
        self.evidence = sorted(evidence, key=lambda e: e.when)
        self._embedder = embedder
        self.k1, self.b = k1, b
        self._docs = [Counter(terms(searchable_text(e))) for e in self.evidence]
        self._lengths = [sum(d.values()) for d in self._docs]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        self._df: Counter[str] = Counter()
        for doc in self._docs:
            self._df.update(doc.keys())

    def embedder(self) -> Embedder:
        """The model units and criteria are compared with (a hashed bag of words unless one is given)."""
        if self._embedder is None:
            self._embedder = FakeEmbedder()
        return self._embedder

    def _idf(self, term: str) -> float:
        n, df = len(self._docs), self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(
        self,
        query: str,
        k: int = 10,
        since: datetime | None = None,
        until: datetime | None = None,
        sources: list[str] | None = None,
    ) -> list[Hit]:
        wanted = set(terms(query))
        scored: list[tuple[float, int]] = []
        for i, (item, doc) in enumerate(zip(self.evidence, self._docs, strict=True)):
            if not in_period(item, since, until) or (sources and item.source not in sources):
                continue
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * self._lengths[i] / self._avg)
            for term in wanted & doc.keys():
                tf = doc[term]
                score += self._idf(term) * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scored.append((score, i))
        scored.sort(key=lambda pair: (-pair[0], self.evidence[pair[1]].id))
        return [Hit(self.evidence[i], score, _snippet(self.evidence[i])) for score, i in scored[:k]]

    def all_evidence(self, since: datetime | None = None, until: datetime | None = None) -> list[Evidence]:
        return [e for e in self.evidence if in_period(e, since, until)]


def _snippet(evidence: Evidence) -> str:
    text = " ".join((evidence.body or evidence.title).split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"
