"""What the CLI prints around a draft: the follow-up questions and forgotten wins (on stderr, not part of the
export). The export itself, and the policy of what it holds back, is app.export's; `draft_text` is the CLI's call to it
(evidence ids, every criterion, the coverage line), kept under the name earlier callers use."""

from __future__ import annotations

from typing import Any

from app.export import Options, document, exportable_bullets, held_back, truncate

__all__ = ["draft_followups", "draft_text", "exportable_bullets", "held_back", "truncate"]


def draft_text(
    draft: Any, markdown: bool = False, field_limit: int | None = None, citations: bool = True
) -> str:
    """The draft as text to paste, as `selfreview draft` prints it: one section per criterion, bullets with
    their evidence ids, a criterion with no bullet marked, coverage, and what was held back or shortened."""
    options = Options(
        format="markdown" if markdown else "text",
        ids=citations,
        empty=True,
        field_limit=field_limit,
        coverage=True,
    )
    return str(document(draft, options))


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
