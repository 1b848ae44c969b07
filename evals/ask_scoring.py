"""Scoring an answer against a written gold answer (evals/data/ask_httpx.yaml): explicit checks, one reason each."""

from __future__ import annotations

import re
from typing import Any

_NUMBER = re.compile(r"(?<![\w#.-])(\d[\d,]*)(?![\w.]*\d)")
_CANNOT = re.compile(r"\bcan(?:'|no)t count\b|\bcannot count\b|\bhas no\b|\bcarry no\b", re.IGNORECASE)
_NOTHING = re.compile(r"^I found nothing\b|\bis not in your evidence\b", re.IGNORECASE)


def first_number(line: str) -> int | None:
    match = _NUMBER.search(line)
    return int(match.group(1).replace(",", "")) if match else None


def score(case: dict[str, Any], answer: dict[str, Any]) -> tuple[bool, str]:
    """(correct, what was wrong) for one question; `answer` is the `selfreview ask --json` object."""
    checks = {"count", "refs_all", "refs_any", "first", "says", "never", "nothing", "cannot"}
    if not checks & set(case):
        raise ValueError(f"{case['question']!r} has no gold answer to check ({', '.join(sorted(checks))})")
    text = answer["answer"]
    first = text.splitlines()[0] if text else ""
    cited = answer.get("citations") or []

    def named(ref: str) -> bool:  # a PR number, ticket key or short sha, as a whole token of the answer
        return re.search(rf"(?<![\w#-]){re.escape(ref)}(?![\w-])", text) is not None

    if case.get("nothing"):
        if cited or not _NOTHING.search(text):
            return False, f"expected 'nothing found', got {first!r} with {len(cited)} citations"
        return True, ""
    if case.get("cannot"):
        if not _CANNOT.search(first) or re.match(r"^\d", first):
            return False, f"expected 'cannot count', got {first!r}"
        return True, ""
    if "count" in case and first_number(first) != case["count"]:
        return False, f"expected {case['count']}, first line says {first!r}"
    missing = [r for r in case.get("refs_all", []) if not named(r)]
    if missing:
        return False, f"missing {', '.join(missing)}"
    if case.get("refs_any") and not any(named(r) for r in case["refs_any"]):
        return False, f"none of {', '.join(case['refs_any'])}"
    absent = [s for s in case.get("first", []) if s not in first]
    if absent:
        return False, f"first line lacks {', '.join(absent)}: {first!r}"
    unsaid = [s for s in case.get("says", []) if s not in text]
    if unsaid:
        return False, f"the answer lacks {', '.join(unsaid)}"
    wrong = [s for s in case.get("never", []) if s in text]
    if wrong:
        return False, f"the answer names {', '.join(wrong)}"
    return True, ""
