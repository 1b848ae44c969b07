"""An answer shown while it is written: the same path as app.ask (prepare, then the fields' answer, the LLM's or
the offline one), with the LLM's text passed on as it streams and a note when it stops early or fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import ask as asking
from app.index import EvidenceIndex
from app.model import Answer


@dataclass
class Listener:
    """Who watches the answer being written: `shown` gets the whole text so far each time it grows; `note` is
    set when the LLM stopped early (the text is what it wrote) or failed (the offline answer replaced it)."""

    shown: Callable[[str], object]
    note: str = ""


def answer(
    index: EvidenceIndex,
    question: str,
    since: datetime | None,
    until: datetime | None,
    chat: Any,
    listener: Listener,
) -> Answer:
    """Answers computed from fields, "nothing found" and the offline answer are shown whole; with an LLM, an
    open question is answered by its stream, and if the stream fails before any text, by the offline answer."""
    prepared = asking.prepare(index, question, since, until)
    if chat is None or prepared.answer is not None:
        return _whole(asking.offline_answer(prepared), listener)
    from app.llm import LLMError
    from app.llm_ask import cited, stream_answer

    text = ""
    try:
        for piece in stream_answer(chat, question, prepared.hits, prepared.metrics):
            text += piece
            listener.shown(text)
    except LLMError as exc:
        if not text:
            listener.note = f"The LLM could not answer ({exc}); this is the offline answer."
            return _whole(asking.offline_answer(prepared), listener)
        listener.note = f"The answer stopped early: {exc}"
    by_id = {h.evidence.id: h for h in prepared.hits}
    citations = [asking.citation(by_id[i].evidence, by_id[i].snippet) for i in cited(text, list(by_id))]
    return Answer(text, citations, "llm", *prepared.period())


def _whole(result: Answer, listener: Listener) -> Answer:
    listener.shown(result.answer)
    return result
