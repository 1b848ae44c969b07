"""The verification gate every drafted bullet passes (offline and LLM): real citations, grounded numbers, honest verbs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app import claims, grammar, number_sense, numbers
from app.metrics import owns
from app.model import Bullet, Metric, NumberCheck
from ingest.evidence import Evidence

_OWNING = (
    r"(?:\b(?:led|leading|owned|owning|drove|driving|designed|designing|built|building|shipped|shipping|"
    r"architected|architecting|spearheaded|spearheading)\b|^(?:lead|own|drive|design|build|ship|architect)\b)"
)
OWNING_VERBS = re.compile(_OWNING, re.IGNORECASE)
_OWNING_RUN = re.compile(_OWNING + r"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)" + _OWNING + r")*", re.IGNORECASE)
UNSUPPORTED = "unsupported claim: "
UNREADABLE = "does not read: "
UNGROUNDED = "ungrounded number: "
_RECOMPUTED = (UNGROUNDED, "role check: ", UNSUPPORTED, UNREADABLE, "export: ")


def verify(
    bullet: Bullet,
    retrieved: dict[str, Evidence],
    metrics: Iterable[Metric] = (),
    period_ids: Iterable[str] = (),
    embed: claims.Embed | None = None,
) -> Bullet:
    """Check one bullet against what was retrieved for it; the returned bullet carries every finding.

    Citations not retrieved are removed ("phantom citation removed: <id>"); a `metric:<name>` citation
    stands when the metric exists and every id it counted was retrieved or is in the period's evidence.
    Numbers are grounded only by evidence that shows what the user did, in the same sense (app.number_sense);
    the claim itself must be supported by what the cited evidence says (app.claims, meaning by `embed`, or the
    local model when None); a sentence that no longer reads is flagged (app.grammar).
    """
    by_name = {m.name: m for m in metrics}
    known = set(retrieved) | set(period_ids)
    flags = [f for f in bullet.flags if not f.startswith(_RECOMPUTED)]  # findings on the text as it is now
    kept: list[str] = []
    for cid in dict.fromkeys(bullet.evidence):
        metric = by_name.get(cid.removeprefix("metric:")) if cid.startswith("metric:") else None
        if cid in retrieved or (metric is not None and set(metric.evidence) <= known):
            kept.append(cid)
        else:
            flags.append(f"phantom citation removed: {cid}")
    cited = [retrieved[c] for c in kept if c in retrieved]
    acting = [claims.as_evidence(e) for e in cited if e.role != "mentioned"]
    cited_metrics = [by_name[c.removeprefix("metric:")] for c in kept if c.startswith("metric:")]
    checks = []
    for number in numbers.extract(bullet.text):
        backing = number_sense.grounded(bullet.text, number, acting, cited_metrics)
        checks.append(NumberCheck(number.text, backing is not None, backing))
        if backing is None:
            flags.append(f"{UNGROUNDED}{number.text}")
    role_ok = True
    verb = OWNING_VERBS.search(bullet.text)
    if verb and not any(owns(e) for e in cited):
        role_ok = False
        roles = ", ".join(sorted({e.role for e in cited})) or "nothing cited"
        flags.append(
            f"role check: '{verb.group(0)}' but the cited evidence shows you as {roles}, "
            "not author, assignee or owner"
        )
    if kept:
        support = claims.check(bullet.text, cited, cited_metrics, embed)
        if not support.supported:
            flags.append(UNSUPPORTED + support.reason)
    if reason := grammar.broken(bullet.text):
        flags.append(UNREADABLE + reason)
    return Bullet(
        text=bullet.text, evidence=kept, numbers=checks, lint=bullet.lint, flags=flags, role_ok=role_ok
    )


def attach_metrics(bullet: Bullet, metrics: Iterable[Metric]) -> Bullet:
    """Cite `metric:<name>` for a count the bullet states with that metric's noun ("merged 41 PRs")."""
    cited = set(bullet.evidence)
    added: list[str] = []
    for number in numbers.extract(bullet.text):
        after = bullet.text[number.span[1] : number.span[1] + 40].lower()
        for metric in metrics:
            name = f"metric:{metric.name}"
            noun = number_sense.metric_noun(metric.name)
            if name in cited or noun is None or not re.match(rf"\s*(?:[\w-]+\s+)?(?:{noun})\b", after):
                continue
            value, unit = numbers.metric_receipt(metric)
            if numbers.matches(number, value, unit):
                added.append(name)
                cited.add(name)
    if not added:
        return bullet
    return Bullet(
        bullet.text, [*bullet.evidence, *added], bullet.numbers, bullet.lint, bullet.flags, bullet.role_ok
    )


def is_clean(bullet: Bullet) -> bool:
    return held_back_because(bullet) is None and bullet.role_ok


def held_back_because(bullet: Bullet) -> str | None:
    """Why the export leaves this bullet out, or None when it may be exported (its verb perhaps softened)."""
    if not bullet.evidence:
        return "it cites no evidence"
    for flag in bullet.flags:
        if flag.startswith(UNSUPPORTED):
            return "its claim is not supported by the evidence it cites: " + flag.removeprefix(UNSUPPORTED)
        if flag.startswith(UNREADABLE):
            return "it does not read as a sentence: " + flag.removeprefix(UNREADABLE)
    bad = [n.text for n in bullet.numbers if not n.grounded]
    if bad:
        return f"a number in it is not backed by the evidence it cites: {', '.join(bad)}"
    return None


def exportable(bullet: Bullet) -> Bullet | None:
    """The bullet as it may be exported, or None when it is held back (see `held_back_because`).

    Nothing is cut out of a bullet: one with an unbacked number, an unsupported claim or a broken sentence
    is held back whole, as the page says. An unearned "led / built / shipped" becomes "contributed to"
    when the sentence still reads; otherwise the bullet is held back too.
    """
    if held_back_because(bullet) is not None:
        return None
    if bullet.role_ok:
        return bullet
    text = _OWNING_RUN.sub(_contribute, bullet.text)
    if grammar.broken(text):
        return None
    note = "export: an ownership verb the evidence does not earn became 'contributed to'"
    return Bullet(
        text=text,
        evidence=bullet.evidence,
        numbers=bullet.numbers,
        lint=bullet.lint,
        flags=[*bullet.flags, note],
        role_ok=True,
    )


def _contribute(match: re.Match[str]) -> str:
    first = OWNING_VERBS.match(match.group(0))
    word = first.group(0).lower() if first else "led"
    form = (
        "contributing to"
        if word.endswith("ing")
        else "contributed to"
        if word.endswith(("ed", "led", "drove", "built", "owned"))
        else "contribute to"
    )
    return _cap(form, match.group(0))


def _cap(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word
