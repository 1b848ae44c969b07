"""Answers for the Ask page as a stream of text pieces, then the citations: the one ask path (app.ask), streamed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app import ask as asking
from app.index import EvidenceIndex
from app.model import Answer

PIECE = re.compile(r"\S+\s*|\s+")


@dataclass
class Streamed:
    """Filled in while the pieces are read: the whole text, its citations, the mode, what went wrong."""

    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "offline"
    note: str = ""


def stream(
    index: EvidenceIndex,
    question: str,
    since: datetime | None,
    until: datetime | None,
    chat: Any,
    out: Streamed,
) -> Iterator[str]:
    """Yield the answer in pieces; `out` holds the full text and citations once the generator is done.

    Answers computed from fields, and "nothing found", are streamed word by word, as is the offline answer.
    With an LLM, an open question is answered by its stream; if the stream fails before anything is shown,
    the offline answer from the same evidence replaces it.
    """
    prepared = asking.prepare(index, question, since, until)
    if chat is None or prepared.answer is not None:
        yield from _words(asking.offline_answer(prepared), out)
        return
    from app.llm import LLMError
    from app.llm_ask import cited, stream_answer

    out.mode = "llm"
    try:
        for piece in stream_answer(chat, question, prepared.hits, prepared.metrics):
            out.text += piece
            yield piece
    except LLMError as exc:
        if out.text:
            out.note = f"The answer stopped early: {exc}"
        else:
            out.note = f"The LLM could not answer ({exc}); this is the offline answer."
            yield from _words(asking.offline_answer(prepared), out)
            return
    by_id = {h.evidence.id: h for h in prepared.hits}
    out.citations = [
        asking.citation(by_id[i].evidence, by_id[i].snippet) for i in cited(out.text, list(by_id))
    ]


def _words(answer: Answer, out: Streamed) -> Iterator[str]:
    out.mode, out.citations = answer.mode, answer.citations
    for piece in PIECE.findall(answer.answer):
        out.text += piece
        yield piece
