"""Sentences that no longer read, as automatic rewrites can leave them ("Grew revenue by contributed to the
company"): a lint fix that would produce one is not applied, and an export never carries one."""

from __future__ import annotations

import re

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    (
        "a past-tense verb after a preposition or helper verb",
        re.compile(
            r"\b(?:by|for|of|after|before|while|without|when|to|will|would|can|could|should|must|did|does|do|not|"
            r"being)\s+(?:contributed|supported|worked|helped|led|owned|drove|built|shipped|designed)\b",
            re.I,
        ),
    ),
    ("a word repeated", re.compile(r"\b([A-Za-z]{2,}(?:\s+to)?)\s+(?:and\s+)?\1\b(?!-)", re.I)),
    (
        "'contributed to' with nothing after it",
        re.compile(r"\bcontribut\w*\s+to(?=\s*(?:[,.;:)]|and\b|or\b|$))", re.I),
    ),
    (
        "a sentence that ends on a connecting word",
        re.compile(r"\b(?:by|to|of|for|with|from|and|or|the|a|an|into|across|while)\s*[.!?]?\s*$", re.I),
    ),
    ("empty or unbalanced brackets", re.compile(r"\(\s*\)|\[\s*\]|^[^(]*\)|\([^)]*$")),
    ("doubled punctuation", re.compile(r"[,;:]\s*[,;:.]|\s[,.;:](?!\d)")),
]


# Code spans and quoted titles are the evidence's own words ("Used `Cop::Base` for …"): read as one word each,
# each a different word.
_LITERAL = re.compile(r"`[^`\n]*`|“[^”\n]*”")


def broken(text: str) -> str | None:
    """Why `text` does not read as a sentence, or None when it does."""
    count = iter(range(10_000))
    prose = _LITERAL.sub(lambda _: "lit" + "".join(chr(97 + int(d)) for d in str(next(count))), text)
    for reason, pattern in _CHECKS:
        if pattern.search(prose):
            return reason
    return None


def newly_broken(before: str, after: str) -> str | None:
    """Why a rewrite from `before` to `after` broke the sentence (None when it did not, or it was broken before)."""
    reason = broken(after)
    return reason if reason is not None and broken(before) != reason else None
