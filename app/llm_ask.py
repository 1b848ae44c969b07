"""LLM answers to questions about past work: whole (`answer`) or streamed (`stream_answer`), with citations.

The model cites evidence as [id] or by block number [n]; numbers are rewritten to ids, also mid-stream.
Citations returned are only ids of evidence that was sent: anything else the model names stays in the text
for the caller's checks, but is never returned as a receipt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

from app import budget, egress, prompting
from app.llm import ChatModel, LLMError, StreamCutError
from app.llm_drafter import EvidenceBlocks, evidence_blocks, metrics_text
from app.model import Hit, Metric
from app.redact import redact

log = logging.getLogger(__name__)

NOTHING_FOUND = "I found nothing in your evidence about that."
_REF = re.compile(r"\[(\s*(?:\d+|[a-z]+:[^\]\s,]+)(?:\s*[,;]\s*(?:\d+|[a-z]+:[^\]\s,]+))*\s*)\]")
_HOLD = 80  # characters of an unclosed "[..." held back while streaming, to rewrite [n] whole


def _request(
    question: str, hits: Sequence[Hit], metrics: Sequence[Metric]
) -> tuple[EvidenceBlocks, list[dict[str, str]], int]:
    blocks = evidence_blocks(hits)
    asked = redact(question)
    messages = prompting.render(
        "ask", question=asked.text, evidence=blocks.text, metrics=metrics_text(metrics)
    )
    return blocks, messages, blocks.redactions + asked.count


def cite_ids(text: str, blocks: EvidenceBlocks) -> str:
    """[2] -> [jira:PAY-142]; [1, 3] -> [id1][id3]; ids and unknown numbers are left as written."""

    def replace(match: re.Match[str]) -> str:
        refs = [ref for ref in re.split(r"[,;]", match.group(1)) if ref.strip()]
        return "".join(f"[{blocks.resolve(ref)}]" for ref in refs)

    return _REF.sub(replace, text)


def cited(text: str, ids: Sequence[str]) -> list[str]:
    """Ids cited as [id] in `text`, in order of first appearance, keeping only those in `ids`."""
    known = set(ids)
    found = [ref.strip() for m in _REF.finditer(text) for ref in re.split(r"[,;]", m.group(1))]
    return list(dict.fromkeys(ref for ref in found if ref in known))


def answer(
    chat: ChatModel, question: str, hits: Sequence[Hit], metrics: Sequence[Metric] = ()
) -> tuple[str, list[str]] | None:
    """(answer text with [id] citations, cited ids); None when the LLM failed (reason logged): answer offline."""
    if not hits:
        return NOTHING_FOUND, []
    blocks, messages, redactions = _request(question, hits, metrics)
    fields = {
        "purpose": "ask",
        "evidence_ids": blocks.ids,
        "redactions": redactions,
        "prompt_tokens": budget.count_message_tokens(messages),
    }
    try:
        reply = chat.complete(messages)
    except LLMError as exc:
        log.warning("ask request failed: %s", exc)
        egress.record_for(chat, **fields, outcome=f"error: {exc}")
        return None
    egress.record_for(chat, **fields, outcome="ok")
    text = cite_ids(reply.strip(), blocks)
    return text, cited(text, blocks.ids)


def stream_answer(
    chat: ChatModel, question: str, hits: Sequence[Hit], metrics: Sequence[Metric] = ()
) -> Iterator[str]:
    """The answer as text chunks, citations already as [id]: collect them and call `cited(text, ids)`.

    Raises LLMError (StreamCutError when the stream broke after some text was shown: the chunks so far are
    all yielded first) with a message fit for the user.
    """
    if not hits:
        yield NOTHING_FOUND
        return
    blocks, messages, redactions = _request(question, hits, metrics)
    outcome, pending = "stopped by the reader", ""
    try:
        for chunk in chat.stream(messages):
            text = pending + chunk
            start = text.rfind("[")
            hold = start != -1 and "]" not in text[start:] and len(text) - start < _HOLD
            pending, text = (text[start:], text[:start]) if hold else ("", text)
            if text:
                yield cite_ids(text, blocks)
        outcome = "ok"
    except StreamCutError as exc:
        outcome = f"cut: {exc}"
        if pending:
            yield cite_ids(pending, blocks)
        raise
    except LLMError as exc:
        outcome = f"error: {exc}"
        raise
    finally:
        egress.record_for(
            chat,
            purpose="ask",
            evidence_ids=blocks.ids,
            redactions=redactions,
            prompt_tokens=budget.count_message_tokens(messages),
            outcome=outcome,
            streamed=True,
        )
    if pending:
        yield cite_ids(pending, blocks)
