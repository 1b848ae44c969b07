"""The verification gate every drafted bullet passes (offline and LLM): real citations, grounded numbers, honest verbs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app import numbers
from app.metrics import owns
from app.model import Bullet, Metric, NumberCheck
from ingest.evidence import Evidence

OWNING_VERBS = re.compile(r"\b(?:led|leading|owned|owning|drove|driving|designed|built|shipped|architected|"
                          r"spearheaded)\b|^(?:lead|own|drive|design|build|ship|architect)\b", re.IGNORECASE)


def verify(bullet: Bullet, retrieved: dict[str, Evidence], metrics: Iterable[Metric] = (),
           period_ids: Iterable[str] = ()) -> Bullet:
    """Check one bullet against what was retrieved for it; the returned bullet carries every finding.

    Citations not retrieved are removed ("phantom citation removed: <id>"); a `metric:<name>` citation
    stands when the metric exists and every id it counted was retrieved or is in the period's evidence.
    """
    by_name = {m.name: m for m in metrics}
    known = set(retrieved) | set(period_ids)
    flags = list(bullet.flags)
    kept: list[str] = []
    for cid in dict.fromkeys(bullet.evidence):
        metric = by_name.get(cid.removeprefix("metric:")) if cid.startswith("metric:") else None
        if cid in retrieved or (metric is not None and set(metric.evidence) <= known):
            kept.append(cid)
        else:
            flags.append(f"phantom citation removed: {cid}")
    cited = [retrieved[c] for c in kept if c in retrieved]
    cited_metrics = [by_name[c.removeprefix("metric:")] for c in kept if c.startswith("metric:")]
    checks = []
    for number in numbers.extract(bullet.text):
        backing = numbers.grounded(number, cited, cited_metrics)
        checks.append(NumberCheck(number.text, backing is not None, backing))
        if backing is None:
            flags.append(f"ungrounded number: {number.text}")
    role_ok = True
    verb = OWNING_VERBS.search(bullet.text)
    if verb and not any(owns(e) for e in cited):
        role_ok = False
        roles = ", ".join(sorted({e.role for e in cited})) or "nothing cited"
        flags.append(f"role check: '{verb.group(0)}' but the cited evidence shows you as {roles}, "
                     "not author, assignee or owner")
    return Bullet(text=bullet.text, evidence=kept, numbers=checks, lint=bullet.lint, flags=flags, role_ok=role_ok)


# The nouns a count of each metric is written with: "merged 41 PRs", "from 30 contributors".
METRIC_NOUNS = {
    "prs_authored": r"prs?|pull requests?|changes",
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


def attach_metrics(bullet: Bullet, metrics: Iterable[Metric]) -> Bullet:
    """Cite `metric:<name>` for a count the bullet states with that metric's noun ("merged 41 PRs")."""
    cited = set(bullet.evidence)
    added: list[str] = []
    for number in numbers.extract(bullet.text):
        after = bullet.text[number.span[1]: number.span[1] + 40].lower()
        for metric in metrics:
            name = f"metric:{metric.name}"
            noun = METRIC_NOUNS.get(metric.name) or (r"tickets?|issues?|bugs?" if metric.name.startswith(
                "tickets_resolved") else None)
            if name in cited or noun is None or not re.match(rf"\s*(?:[\w-]+\s+)?(?:{noun})\b", after):
                continue
            value, unit = numbers.metric_receipt(metric)
            if numbers.matches(number, value, unit):
                added.append(name)
                cited.add(name)
    if not added:
        return bullet
    return Bullet(bullet.text, [*bullet.evidence, *added], bullet.numbers, bullet.lint, bullet.flags, bullet.role_ok)


def is_clean(bullet: Bullet) -> bool:
    return bool(bullet.evidence) and bullet.role_ok and all(n.grounded for n in bullet.numbers)


_LEAD_IN = r"(?:\s+(?:by|of|to|from|in|within|across|over|under|at|for|about|around|nearly|almost|up to|"
_LEAD_IN += r"more than|less than))?"


def exportable(bullet: Bullet) -> Bullet | None:
    """The bullet as it may be exported: ungrounded numbers and unearned 'led/built' taken out, or None.

    A number without a receipt goes with its parenthetical or its clause; a bare count becomes "multiple";
    a bullet that would not read as a sentence afterwards, or cites nothing, is dropped.
    """
    if not bullet.evidence:
        return None
    if is_clean(bullet):
        return bullet
    text = bullet.text
    if not bullet.role_ok:
        text = OWNING_VERBS.sub(lambda m: _cap("contributed to", m.group(0)), text)
    for check in bullet.numbers:
        if not check.grounded:
            text = _remove_number(text, check.text)
    text = _tidy(text)
    grounded = {n.text for n in bullet.numbers if n.grounded}
    left = numbers.extract(text)
    if len(text.split()) < 3 or any(n.text not in grounded for n in left):
        return None
    kept = [NumberCheck(n.text, True, next(c.evidence for c in bullet.numbers if c.text == n.text and c.grounded))
            for n in left]
    note = "export: ungrounded numbers or unearned ownership verbs removed"
    return Bullet(text=text, evidence=bullet.evidence, numbers=kept, lint=bullet.lint,
                  flags=[*bullet.flags, note], role_ok=True)


def _remove_number(text: str, number_text: str) -> str:
    at = text.find(number_text)
    if at < 0:
        return text
    end = at + len(number_text)
    opening, closing = text.rfind("(", 0, at), text.find(")", end)
    if opening >= 0 and closing >= 0 and ")" not in text[opening:at] and "(" not in text[end:closing]:
        return text[:opening].rstrip() + text[closing + 1:]
    if re.fullmatch(r"[+~]?[\d,]+", number_text) and re.match(r"\s+[A-Za-z]+s\b", text[end:]):
        return text[:at] + "multiple" + text[end:]
    lead = re.search(_LEAD_IN + r"\s*$", text[:at])
    cut_from = lead.start() if lead and lead.group(0).strip() else at
    tail = re.match(r"\s+(?:per|a|an|each)\s+(?:day|week|month|quarter|year|request|user|run)\b", text[end:])
    before, after = text[:cut_from].rstrip(), text[end + (tail.end() if tail else 0):]
    if not after.strip(" .") and (dangling := re.search(r"(?:,|\s+and|\s+while)\s+\w+$", before)):
        before = before[: dangling.start()]  # "... and saved <number>": the verb's object is gone
    return before + after


def _cap(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def _tidy(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = text.strip(" ,;:—–-")
    return text[:1].upper() + text[1:] if text else text
