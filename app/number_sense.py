"""Whether a number in a bullet means what the receipt it matches means: "to 3 teams" is not backed by a 3 that
counts bugs elsewhere in the note. A count needs the thing it counts beside the matching number (or in the stats
field's name); a percentage, duration or amount needs the word it is about ("latency 38%") in the receipt's clause."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app import numbers, trust_policy
from app.keywords import stem, words
from app.model import Metric
from ingest.evidence import Evidence

# The nouns a count of each metric is written with: "merged 41 PRs", "from 30 contributors".
METRIC_NOUNS = {
    "prs_authored": r"prs?|pull requests?|changes",
    "prs_co_authored": r"prs?|pull requests?|changes",
    "prs_reviewed_or_merged": r"prs?|pull requests?|reviews?|contributions",
    "review_authors": r"contributors?|people|engineers?|authors?|developers?|teammates",
    "commits": r"commits?",
    "lines_added": r"lines?(?: of code)?(?: added)?",
    "lines_removed": r"lines?(?: of code)?(?: removed| deleted)?",
    "tickets_resolved": r"tickets?|issues?",
    "incidents": r"incidents?|sevs?|outages?",
    "story_points": r"story points?|points",
    "kudos": r"kudos|thank[- ]you|notes of thanks|shout-?outs?",
    "median_pr_cycle_hours": r"hours?",
}
# Stats fields whose name does not say what a writer calls them.
_STAT_WORDS = {
    "insertions": "lines added insertions",
    "deletions": "lines removed deleted deletions",
    "files_changed": "files changed",
    "attendees": "attendees people engineers",
    "reviewers": "reviewers people",
    "cycle_time": "cycle time",
}
_BOUNDARY = re.compile(r"(?<!\d)[.!?;](?!\d)|\n|[()\[\]“”\"]")


def metric_noun(metric_name: str) -> str | None:
    if metric_name.startswith("tickets_resolved"):
        return METRIC_NOUNS["tickets_resolved"] + r"|bugs?"
    return METRIC_NOUNS.get(metric_name)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _BOUNDARY.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _BOUNDARY.finditer(text, end)), len(text))
    return left, right


def counted(text: str, span: tuple[int, int]) -> set[str]:
    """Stems of the words right after a number that say what it counts (two at most, within its clause)."""
    _, right = _clause(text, *span)
    after = words(text[span[1] : right])[:2]
    return {w.stem for w in after if w.start < 24}


def around(text: str, span: tuple[int, int], window: int = trust_policy.SENSE_WINDOW) -> set[str]:
    left, right = _clause(text, *span)
    before = [w.stem for w in words(text[left : span[0]])][-window:]
    after = [w.stem for w in words(text[span[1] : right])][:window]
    return set(before + after)


def measured(text: str, span: tuple[int, int]) -> set[str]:
    """The word a percentage, duration or amount is about: the nearest before it in its clause ("latency 38%"),
    else the first after it ("38% faster")."""
    left, right = _clause(text, *span)
    before = words(text[left : span[0]])
    return {before[-1].stem} if before else {w.stem for w in words(text[span[1] : right])[:1]}


def clause(text: str, span: tuple[int, int]) -> set[str]:
    left, right = _clause(text, *span)
    return {w.stem for w in words(text[left:right])}


def _stat_stems(name: str) -> set[str]:
    key = next((k for k in _STAT_WORDS if name.startswith(k)), None)
    return {stem(w) for w in re.split(r"[_\s]+", f"{name} {_STAT_WORDS.get(key or '', '')}") if w}


def same_sense(
    claim: str,
    number: numbers.Number,
    receipt_text: str | None,
    receipt_span: tuple[int, int] | None,
    stat_name: str | None = None,
) -> bool:
    """Does the receipt (a number in `receipt_text`, or a stats field) count what the claim's number counts?"""
    if number.unit == "":
        nouns = counted(claim, number.span)
        if nouns:
            context = (
                _stat_stems(stat_name) if stat_name else around(receipt_text or "", receipt_span or (0, 0))
            )
            return bool(nouns & context)
    mine = measured(claim, number.span)
    if not mine:
        return True
    theirs = _stat_stems(stat_name) if stat_name else clause(receipt_text or "", receipt_span or (0, 0))
    return bool(mine & theirs) or not theirs


def grounded(
    claim: str, number: numbers.Number, evidence: Iterable[Evidence], metrics: Iterable[Metric] = ()
) -> str | None:
    """The id backing `number` in the same sense (an evidence id or "metric:<name>"), or None."""
    for item in evidence:
        text = f"{item.title}\n{item.body}"
        for receipt in numbers.extract(text):
            said = (
                receipt.qualifier == number.qualifier != ""
                and receipt.unit == number.unit
                and abs(receipt.value - number.value) <= max(number.tolerance, 1e-9)
            )  # "over 6 weeks" twice
            if (said or numbers.matches(number, receipt.value, receipt.unit)) and same_sense(
                claim, number, text, receipt.span
            ):
                return item.id
        for name, value in item.stats.items():
            receipt_value, unit = numbers.stat_receipt(name, float(value))
            if numbers.matches(number, receipt_value, unit) and same_sense(claim, number, None, None, name):
                return item.id
    for metric in metrics:
        value, unit = numbers.metric_receipt(metric)
        if not numbers.matches(number, value, unit):
            continue
        noun, nouns = metric_noun(metric.name), counted(claim, number.span)
        after = claim[number.span[1] : number.span[1] + 40].lower()
        if unit or noun is None or not nouns or re.match(rf"[\s/+−\-\d,]*(?:[\w-]+\s+)?(?:{noun})\b", after):
            return f"metric:{metric.name}"
    return None
