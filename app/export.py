"""A draft as a document to hand in: Markdown, plain text or .docx, clean by default (no evidence ids, no
criterion without a bullet; options put them back). Which bullets may be exported, and in what words, is the
export policy's decision (app.render over app.gate); this module only lays the result out."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from app import render


@dataclass
class Options:
    ids: bool = False  # evidence ids after each bullet
    empty: bool = False  # criteria with no bullet, marked "(no evidence yet)"
    field_limit: int | None = None  # characters per criterion, cut at a word boundary


@dataclass
class Section:
    criterion: str
    title: str
    bullets: list[str] = field(default_factory=list)
    cut: bool = False


def sections(payload: dict[str, Any], options: Options) -> list[Section]:
    """One section per criterion with the bullets the export policy lets through, as they will read."""
    out = []
    for criterion in payload.get("criteria", []):
        bullets, _ = render.exportable_bullets(criterion)
        lines = [
            b["text"]
            + (f" [{', '.join(b.get('evidence', []))}]" if options.ids and b.get("evidence") else "")
            for b in bullets
        ]
        if not lines and not options.empty:
            continue
        section = Section(criterion.get("id", ""), criterion.get("text") or criterion.get("id", ""))
        body, section.cut = render.truncate("\n".join(f"- {line}" for line in lines), options.field_limit)
        section.bullets = [line.removeprefix("- ") for line in body.splitlines() if line]
        out.append(section)
    return out


def footer(payload: dict[str, Any], options: Options, parts: list[Section]) -> list[str]:
    """What the reader of the export should know: held-back bullets and shortened sections, never silent."""
    lines = []
    held = render.held_back(payload)
    if held:
        lines.append(
            f"{len(held)} bullet(s) held back, not in this export: "
            + "; ".join(sorted({h["reason"].split(":")[0] for h in held}))
            + "."
        )
    cut = sum(s.cut for s in parts)
    if cut:
        lines.append(f"{cut} section(s) shortened to {options.field_limit} characters.")
    return lines


def markdown(payload: dict[str, Any], options: Options | None = None) -> str:
    options = options or Options()
    parts = sections(payload, options)
    lines: list[str] = []
    for part in parts:
        lines += [f"## {part.title}", *([f"- {b}" for b in part.bullets] or ["_(no evidence yet)_"]), ""]
    notes = footer(payload, options, parts)
    return "\n".join(lines + [f"_{n}_" for n in notes]).strip() + "\n"


def plain(payload: dict[str, Any], options: Options | None = None) -> str:
    options = options or Options()
    parts = sections(payload, options)
    lines: list[str] = []
    for part in parts:
        lines += [part.title, *([f"- {b}" for b in part.bullets] or ["(no evidence yet)"]), ""]
    return "\n".join(lines + footer(payload, options, parts)).strip() + "\n"


def criterion_text(section: Section) -> str:
    """One criterion's bullets, to paste into that criterion's field of a review tool."""
    return "\n".join(f"- {b}" for b in section.bullets)


def docx(payload: dict[str, Any], title: str, options: Options | None = None) -> bytes:
    """A Word document: the title, a heading per criterion, its bullets as a bulleted list, the notes."""
    from docx import Document

    options = options or Options()
    parts = sections(payload, options)
    document = Document()
    document.add_heading(title, level=1)
    for part in parts:
        document.add_heading(part.title, level=2)
        if not part.bullets:
            document.add_paragraph("(no evidence yet)")
        for bullet in part.bullets:
            document.add_paragraph(bullet, style="List Bullet")
    for note in footer(payload, options, parts):
        document.add_paragraph(note).runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
