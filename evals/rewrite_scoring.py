"""Scoring a rewrite against a written acceptable one (evals/data/rewrite_sentences.yaml): explicit checks.

Grammar is judged by checks, not by a model: every `must` phrase (a grammatical span of the hand-written rewrite)
appears, no `must_not` phrase (broken forms such as "supported the team migrate") does, no word is doubled, the
brackets and quotes balance, and the text starts with a capital letter.
"""

from __future__ import annotations

import re
from typing import Any

from app.lint import hedges


def score(case: dict[str, Any], result: dict[str, Any], known_ids: set[str]) -> tuple[bool, str]:
    """(acceptable, why not) for one sentence; `result` is the `selfreview rewrite --json` object."""
    text = result["text"]
    if not result["preserved"]:
        return False, f"facts not preserved: {result.get('reason')}"
    found = hedges(text)
    if found:
        return False, f"hedge kept: {found[0].text!r}"
    lower = text.lower()
    missing = [m for m in case.get("must", []) if m.lower() not in lower]
    if missing:
        return False, f"lacks {missing}"
    broken = [
        m for m in case.get("must_not", []) if re.search(rf"(?<!\w){re.escape(m.lower())}(?!\w)", lower)
    ]
    if broken:
        return False, f"contains {broken}"
    doubled = re.search(r"\b([a-z]+)\s+\1\b", text)  # "the the"; a name such as "Diaz Diaz" is no error
    if (
        doubled
        or text.count("(") != text.count(")")
        or text.count("“") != text.count("”")
        or not text[:1].isupper()
    ):
        return False, "malformed: doubled word, unbalanced brackets or lower-case start"
    cited = result.get("citations") or []
    if not cited:
        return False, "no citations"
    stray = [c["id"] for c in cited if c["id"] not in known_ids]
    if stray:
        return False, f"cites items not in the workspace: {stray}"
    wanted = case.get("cite_any")
    if wanted and not any(
        w == c["id"]
        or (w.startswith("#") and re.search(rf"\({re.escape(w)}\)$", c["title"]))
        or w == c["id"].rsplit("#", 1)[-1]
        for w in wanted
        for c in cited
    ):
        return False, f"cites none of {wanted}"
    return True, ""
