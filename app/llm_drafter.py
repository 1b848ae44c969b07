"""The LLM drafter: evidence as numbered data blocks -> `draft_bullets` prompt -> bullets with citations.

Also home to what the ask and rewrite paths share: evidence blocks (redacted, escaped, fitted to the token
budget), the metrics list, and `complete_json` (parse a structured reply, one repair try, egress lines).
Numbers are not checked here: the verification gate checks both drafters' bullets the same way.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app import budget, egress, prompting
from app.llm import ChatModel, LLMError
from app.model import Bullet, Criterion, Hit, Metric
from app.redact import redact

log = logging.getLogger(__name__)

BULLETS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bullets": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "evidence": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["text", "evidence"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["bullets"],
    "additionalProperties": False,
}
REPAIR = (
    "Your last reply was not valid JSON for the required schema ({error}). Reply again with only the "
    "corrected JSON object: no prose, no code fences."
)
_TAG = re.compile(r"<(/?)(evidence)", re.IGNORECASE)
# An inline citation: [3], [3, 4], [jira:PAY-142] (a source prefix, a colon and no spaces).
_CITE = re.compile(r"\s*\[((?:\d+|[a-z]+:[^\]\s,]+)(?:\s*,\s*(?:\d+|[a-z]+:[^\]\s,]+))*)\]")


@dataclass
class EvidenceBlocks:
    """Rendered evidence for one request: the text, the ids in block order (block n = ids[n-1])."""

    text: str
    ids: list[str] = field(default_factory=list)
    redactions: int = 0
    dropped: int = 0

    def resolve(self, ref: str) -> str:
        """'[2]' / '2' / 'n=2' -> the id of block 2; an id stays itself; an unknown number stays as given."""
        ref = ref.strip().strip("[]#").strip()
        number = ref.removeprefix("n=").strip('"')
        if number.isdigit() and 1 <= int(number) <= len(self.ids):
            return self.ids[int(number) - 1]
        return ref


def _escape(text: str) -> str:
    """Evidence text cannot open or close a block: `<evidence`/`</evidence` inside it become `&lt;...`."""
    return _TAG.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)


def _block(n: int, hit: Hit) -> tuple[str, int]:
    e = hit.evidence
    title, body = redact(" ".join(e.title.split())), redact(e.body or hit.snippet)
    stats = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in e.stats.items())
    head = [
        f"title: {_escape(title.text)}",
        f"date: {e.date[:10]}",
        f"source: {e.source} {e.kind}",
        f"my role: {e.role}",
    ] + ([f"stats: {stats}"] if stats else [])
    text = budget.truncate(_escape(body.text.strip()), budget.BLOCK_LIMIT)
    ident = e.id.replace('"', "'")
    return (
        f'<evidence n="{n}" id="{ident}">\n' + "\n".join(head) + f"\ntext:\n{text}\n</evidence>",
        title.count + body.count,
    )


def evidence_blocks(hits: Sequence[Hit], token_budget: int = budget.EVIDENCE_BUDGET) -> EvidenceBlocks:
    """Numbered, delimited, redacted evidence blocks, best-ranked first, fitted to `token_budget`."""
    rendered = [_block(n, hit) for n, hit in enumerate(hits, start=1)]
    fitted = budget.fit(list(zip(hits, rendered, strict=True)), lambda pair: pair[1][0], token_budget)
    if fitted.dropped:
        log.info(fitted.note())
    return EvidenceBlocks(
        text="\n\n".join(text for _, (text, _) in fitted.kept) or "(no evidence found)",
        ids=[hit.evidence.id for hit, _ in fitted.kept],
        redactions=sum(count for _, (_, count) in fitted.kept),
        dropped=fitted.dropped,
    )


def metrics_text(metrics: Sequence[Metric]) -> str:
    lines = []
    for m in metrics:
        value = f"{m.value:g}" if isinstance(m.value, float) else str(m.value)
        about = f" ({m.label})" if m.label else ""
        count = len(m.evidence)
        lines.append(
            f"- {m.name} = {value}{(' ' + m.unit) if m.unit else ''}{about}; "
            f"counted from {count} evidence item{'' if count == 1 else 's'}"
        )
    return "\n".join(lines) or "(none)"


def criterion_text(criterion: Criterion) -> str:
    label = criterion.extra.get("label") or criterion.area
    return f"{criterion.id} ({label}, level {criterion.level}): {criterion.text}"


def parse_json(reply: str) -> Any:
    """The JSON value in a reply, tolerating code fences and prose around one object. Raises ValueError."""
    text = reply.strip()
    if text.startswith("```"):
        text = re.sub(r"\A```[a-zA-Z]*\s*|\s*```\Z", "", text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except json.JSONDecodeError:
                pass
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc


def complete_json(
    chat: ChatModel,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    validate: Callable[[Any], Any],
    *,
    purpose: str,
    evidence_ids: Sequence[str] = (),
    redactions: int = 0,
) -> Any | None:
    """Ask for JSON; on an invalid reply send the error back once; None when it still fails (egress logged)."""
    for attempt in (1, 2):
        tokens = budget.count_message_tokens(messages)
        fields = {
            "purpose": purpose,
            "evidence_ids": evidence_ids,
            "redactions": redactions,
            "prompt_tokens": tokens,
            "try": attempt,
        }
        try:
            reply = chat.complete(messages, schema)
        except LLMError as exc:
            log.warning("%s request failed: %s", purpose, exc)
            egress.record_for(chat, **fields, outcome=f"error: {exc}")
            return None
        try:
            value = validate(parse_json(reply))
        except ValueError as exc:
            log.warning("%s reply %d was not valid JSON: %s", purpose, attempt, exc)
            egress.record_for(chat, **fields, outcome=f"invalid-json: {exc}")
            messages = [
                *messages,
                {"role": "assistant", "content": reply},
                {"role": "user", "content": REPAIR.format(error=exc)},
            ]
            continue
        egress.record_for(chat, **fields, outcome="ok")
        return value
    return None


def _bullets(value: Any, blocks: EvidenceBlocks) -> list[Bullet]:
    if not isinstance(value, dict) or not isinstance(value.get("bullets"), list):
        raise ValueError('expected an object {"bullets": [...]}')
    bullets = []
    for index, item in enumerate(value["bullets"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise ValueError(f'bullet {index} needs a non-empty "text" string')
        cited = item.get("evidence", [])
        if not isinstance(cited, list) or not all(isinstance(c, str | int) for c in cited):
            raise ValueError(f'bullet {index}: "evidence" must be a list of evidence ids')
        inline = [ref for m in _CITE.finditer(item["text"]) for ref in m.group(1).split(",")]
        text = " ".join(_CITE.sub("", item["text"]).split())
        ids = [blocks.resolve(str(ref)) for ref in [*cited, *inline]]
        bullets.append(Bullet(text=text, evidence=list(dict.fromkeys(i for i in ids if i))))
    return bullets


def draft_bullets(
    chat: ChatModel, criterion: Criterion, hits: Sequence[Hit], metrics: Sequence[Metric]
) -> list[Bullet] | None:
    """Bullets for one criterion, written by the LLM; None means "use the offline drafter" (reason logged).

    Citations given as block numbers ("[1]", "1") are mapped back to evidence ids. Numbers are not
    verified here, and ids the model made up are kept for the gate to flag and remove.
    """
    blocks = evidence_blocks(hits)
    messages = prompting.render(
        "draft_bullets",
        criterion=criterion_text(criterion),
        evidence=blocks.text,
        metrics=metrics_text(metrics),
    )
    return complete_json(
        chat,
        messages,
        BULLETS_SCHEMA,
        lambda value: _bullets(value, blocks),
        purpose="draft",
        evidence_ids=blocks.ids,
        redactions=blocks.redactions,
    )
