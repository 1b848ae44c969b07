"""Export a draft, the one way every face does it: as text, Markdown, plain text or .docx, or one criterion's field.

Which bullets may be exported, and in what words, is the gate's export policy: a bullet with an unbacked number,
an unsupported claim or a broken sentence is held back whole, and the export says how many and why; an unearned
"led" becomes "contributed to". `held_back` lists the same bullets for the page, so both always agree. A document
is clean by default (no evidence ids, no criterion without a bullet); options put them back.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from app.gate import exportable, held_back_because
from app.model import Bullet, NumberCheck

Format = Literal["text", "markdown", "plain", "docx"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "plain", "docx")
NO_EVIDENCE = "(no evidence yet)"


@dataclass(frozen=True)
class Options:
    format: Format = "plain"  # text: short criterion titles in capitals, as a terminal shows them
    ids: bool = False  # evidence ids after each bullet
    empty: bool = False  # criteria with no bullet, marked "(no evidence yet)"
    field_limit: int | None = None  # characters per criterion, cut at a word boundary
    coverage: bool = False  # a closing "Cited X of Y evidence items." line
    criterion: str | None = None  # only this criterion's bullets: what to paste into its field
    title: str = "Self-review"  # the .docx document's heading


@dataclass
class Section:
    criterion: str
    title: str
    bullets: list[str] = field(default_factory=list)
    cut: bool = False


# --- the export policy ---------------------------------------------------------------------------------------


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
    payload = _payload(draft)
    out = []
    for criterion in payload.get("criteria", []):
        for raw in criterion.get("bullets", []):
            bullet = _bullet(raw)
            if exportable(bullet) is None:
                reason = held_back_because(bullet) or "its ownership verb cannot be softened into a sentence"
                out.append({"criterion": criterion.get("id", ""), "text": raw["text"], "reason": reason})
    return out


def truncate(text: str, limit: int | None) -> tuple[str, bool]:
    """Cut at a word boundary so the field fits `limit` characters; say whether it was cut."""
    if not limit or len(text) <= limit:
        return text, False
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…", True


# --- the document ------------------------------------------------------------------------------------------


def _payload(draft: Any) -> dict[str, Any]:
    return draft.to_json() if hasattr(draft, "to_json") else draft


def sections(draft: Any, options: Options) -> list[Section]:
    """One section per criterion with the bullets the export policy lets through, as they will read."""
    out = []
    for criterion in _payload(draft).get("criteria", []):
        bullets, _ = exportable_bullets(criterion)
        lines = [
            b["text"]
            + (f" [{', '.join(b.get('evidence', []))}]" if options.ids and b.get("evidence") else "")
            for b in bullets
        ]
        if not lines and not options.empty:
            continue
        section = Section(criterion.get("id", ""), criterion.get("text") or criterion.get("id", ""))
        body, section.cut = truncate("\n".join(f"- {line}" for line in lines), options.field_limit)
        section.bullets = [line.removeprefix("- ") for line in body.splitlines() if line]
        out.append(section)
    return out


def notes(draft: Any, options: Options, parts: list[Section]) -> list[str]:
    """What the reader of the export should know: coverage if asked, held-back bullets and shortened sections,
    never silent."""
    payload = _payload(draft)
    lines = []
    coverage = payload.get("coverage") or {}
    if options.coverage and coverage:
        lines.append(f"Cited {coverage.get('cited', 0)} of {coverage.get('available', 0)} evidence items.")
    if held := held_back(payload):
        kinds = Counter(h["reason"].split(":")[0] for h in held)
        why = "; ".join(f"{n} because {reason}" for reason, n in kinds.items())
        lines.append(f"{len(held)} bullet(s) held back, not in this export: {why}.")
    if cut := sum(s.cut for s in parts):
        lines.append(f"{cut} section(s) shortened to {options.field_limit} characters.")
    return lines


def document(draft: Any, options: Options | None = None) -> str | bytes:
    """The draft in `options.format` (bytes for .docx), or one criterion's bullets when `options.criterion`."""
    options = options or Options()
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r}: use one of {', '.join(FORMATS)}")
    if options.criterion is not None:
        return criterion_field(draft, options)
    parts = sections(draft, options)
    if options.format == "docx":
        return _docx(parts, notes(draft, options, parts), options.title)
    lines: list[str] = []
    for part in parts:
        lines += [_heading(part.title, options.format), *_body(part.bullets, options.format), ""]
    said = notes(draft, options, parts)
    if options.format == "markdown":
        said = [f"_{note}_\n" for note in said]
    return "\n".join(lines + said).strip() + "\n"


def criterion_field(draft: Any, options: Options) -> str:
    """One criterion's exportable bullets, to paste into that criterion's field of a review tool ("" if none)."""
    if options.format == "docx":
        raise ValueError("one criterion is exported as text to paste, not as .docx")
    for part in sections(draft, Options(ids=options.ids, empty=True, field_limit=options.field_limit)):
        if part.criterion == options.criterion:
            return "\n".join(f"- {b}" for b in part.bullets)
    raise ValueError(f"the draft has no criterion {options.criterion!r}")


def _heading(title: str, form: Format) -> str:
    if form == "markdown":
        return f"## {title}"
    return title.upper() if form == "text" and len(title) < 60 else title


def _body(bullets: list[str], form: Format) -> list[str]:
    if not bullets:
        return [f"_{NO_EVIDENCE}_" if form == "markdown" else NO_EVIDENCE]
    return [f"- {b}" for b in bullets]


def _docx(parts: list[Section], said: list[str], title: str) -> bytes:
    """A Word document: the title, a heading per criterion, its bullets as a bulleted list, the notes."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for part in parts:
        document.add_heading(part.title, level=2)
        if not part.bullets:
            document.add_paragraph(NO_EVIDENCE)
        for bullet in part.bullets:
            document.add_paragraph(bullet, style="List Bullet")
    for note in said:
        document.add_paragraph(note).runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
