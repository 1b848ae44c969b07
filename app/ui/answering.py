"""Answers for the Ask page as a stream of text pieces, then the citations (offline: the extractive answer)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app import ask as asking
from app import timephrases
from app.metrics import compute
from app.search import HybridSearch

PIECE = re.compile(r"\S+\s*|\s+")
COUNTING = re.compile(r"\bhow many\b|\bhow much\b|\bnumber of\b|\bcount\b", re.IGNORECASE)


@dataclass
class Streamed:
    """Filled in while the pieces are read: the whole text, its citations, the mode, what went wrong."""

    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "offline"
    note: str = ""


def stream(index: HybridSearch, question: str, since: datetime | None, until: datetime | None, chat: Any,
           out: Streamed) -> Iterator[str]:
    """Yield the answer in pieces; `out` holds the full text and citations once the generator is done.

    Offline, or for a count (computed by code), the extractive answer is streamed word by word. With an LLM,
    its streamed answer; if the stream fails before anything is shown, the offline answer replaces it.
    """
    if chat is None or COUNTING.search(question):
        yield from _offline(index, question, since, until, out)
        return
    from app.llm import LLMError
    from app.llm_ask import cited, stream_answer

    period = timephrases.parse(question)
    if since is None and until is None:
        since, until = period.since, period.until
    query = period.rest if period.phrase else question
    evidence = index.all_evidence(since, until)
    hits = asking.relevant(index, query, evidence, since, until)
    if not hits:
        yield from _offline(index, question, since, until, out)
        return
    out.mode = "llm"
    try:
        for piece in stream_answer(chat, question, hits, compute(evidence, since, until)):
            out.text += piece
            yield piece
    except LLMError as exc:
        if out.text:
            out.note = f"The answer stopped early: {exc}"
        else:
            out.note = f"The LLM could not answer ({exc}); this is the offline answer."
            yield from _offline(index, question, since, until, out)
            return
    by_id = {h.evidence.id: h for h in hits}
    out.citations = [asking.citation(by_id[i].evidence, by_id[i].snippet)
                     for i in cited(out.text, list(by_id))]


def _offline(index: HybridSearch, question: str, since: datetime | None, until: datetime | None,
             out: Streamed) -> Iterator[str]:
    answer = asking.ask(index, question, since, until, chat=None)
    out.mode, out.citations = answer.mode, answer.citations
    for piece in PIECE.findall(answer.answer):
        out.text += piece
        yield piece
