"""Export a draft as Markdown or plain text through the gate's export policy: a bullet with an unbacked number,
an unsupported claim or a broken sentence is held back whole, and the export says how many and why; an unearned
"led" becomes "contributed to". `held_back` lists the same bullets for the page, so both always agree."""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.gate import exportable, held_back_because
from app.model import Bullet, NumberCheck


def _bullet(raw: dict[str, Any]) -> Bullet:
    return Bullet(
        text=raw["text"],
        evidence=list(raw.get("evidence", [])),
        numbers=[
            NumberCheck(n["text"], bool(n.get("grounded")), n.get("evidence")) for n in raw.get("numbers", [])
        ],
        flags=list(raw.get("flags", [])),
        role_ok=raw.get("role_ok", True),
    )


def exportable_bullets(criterion: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """(bullets as they may be exported, how many were held back entirely)."""
    keep = []
    for raw in criterion.get("bullets", []):
        safe = exportable(_bullet(raw))
        if safe is not None:
            keep.append({**raw, "text": safe.text, "evidence": safe.evidence})
    return keep, len(criterion.get("bullets", [])) - len(keep)


def held_back(draft: Any) -> list[dict[str, str]]:
    """Every bullet the export leaves out: {"criterion", "text", "reason"}, in draft order."""
    payload = draft.to_json() if hasattr(draft, "to_json") else draft
    out = []
    for criterion in payload.get("criteria", []):
        for raw in criterion.get("bullets", []):
            bullet = _bullet(raw)
            if exportable(bullet) is None:
                reason = held_back_because(bullet) or "its ownership verb cannot be softened into a sentence"
                out.append({"criterion": criterion.get("id", ""), "text": raw["text"], "reason": reason})
    return out


def _held_note(held: list[dict[str, str]]) -> str:
    kinds = Counter(h["reason"].split(":")[0] for h in held)
    why = "; ".join(f"{n} because {reason}" for reason, n in kinds.items())
    return f"{len(held)} bullet(s) held back, not in this export: {why}."


def truncate(text: str, limit: int | None) -> tuple[str, bool]:
    """Cut at a word boundary so the field fits `limit` characters; say whether it was cut."""
    if not limit or len(text) <= limit:
        return text, False
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…", True


def draft_text(
    draft: Any, markdown: bool = False, field_limit: int | None = None, citations: bool = True
) -> str:
    """The draft as text to paste: one section per criterion, bullets with their evidence ids."""
    payload = draft.to_json() if hasattr(draft, "to_json") else draft
    lines: list[str] = []
    cut = 0
    for criterion in payload.get("criteria", []):
        bullets, _ = exportable_bullets(criterion)
        title = criterion.get("text", criterion.get("id", ""))
        lines.append(f"## {title}" if markdown else title.upper() if len(title) < 60 else title)
        if not bullets:
            lines.append("_(no evidence yet)_" if markdown else "(no evidence yet)")
        field: list[str] = []
        for bullet in bullets:
            refs = (
                f" [{', '.join(bullet.get('evidence', []))}]" if citations and bullet.get("evidence") else ""
            )
            field.append(f"- {bullet['text']}{refs}")
        body, was_cut = truncate("\n".join(field), field_limit)
        cut += was_cut
        if body:
            lines.append(body)
        lines.append("")
    coverage = payload.get("coverage", {})
    if coverage:
        lines.append(f"Cited {coverage.get('cited', 0)} of {coverage.get('available', 0)} evidence items.")
    if held := held_back(payload):
        lines.append(_held_note(held))
    if cut:
        lines.append(f"{cut} section(s) shortened to {field_limit} characters.")
    return "\n".join(lines).rstrip() + "\n"


def draft_followups(draft: Any, wins: int = 5) -> str:
    """What would make the draft stronger, for the person (not part of the export): a question for every thin
    or missing criterion, and high-signal items the draft did not cite."""
    payload = draft.to_json() if hasattr(draft, "to_json") else draft
    lines: list[str] = []
    for criterion in payload.get("criteria", []):
        if criterion.get("status") in ("thin", "missing") and criterion.get("question"):
            lines.append(f"- [{criterion['status']}] {criterion['question']}")
    if lines:
        lines.insert(0, "Questions for thin and missing criteria:")
    forgotten = payload.get("forgotten_wins", [])[:wins]
    if forgotten:
        lines += (
            ["", "Not cited yet (large changes, incidents, praise):"]
            if lines
            else ["Not cited yet (large changes, incidents, praise):"]
        )
        for win in forgotten:
            why = "" if win.get("summary") and win["why"].startswith("a large change") else f" ({win['why']})"
            lines.append(f"- {win['date'][:10]} {win.get('summary') or win['title']}{why} [{win['id']}]")
    return "\n".join(lines)
