"""Criteria matched to units of work by meaning: the embedding model, and the criterion's affinity to kinds of work.

No word overlap decides relevance. A criterion's text, and each of its signals and examples on its own, is compared
with every unit; the criterion's closeness to each kind of work (app.work_kinds) adds weight to units of that kind.
Work the user only shaped (co-authored, reviewed, merged) counts for criteria about reviewing, mentoring or
collaboration, never as ownership. A criterion abstains when no unit scores high enough (app.policy).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from app import policy, work_kinds
from app.model import Criterion
from app.understanding import Understanding
from app.units import Unit

PEOPLE_KINDS = ("review", "mentoring", "collaboration")
CODE_UNITS = ("pr", "change", "review")


@dataclass
class Profile:
    """A criterion as the matcher sees it: its vectors and its closeness to each kind of work."""

    criterion: Criterion
    vectors: np.ndarray  # the text, then each signal / example
    affinity: dict[str, float]
    about_people: bool  # reviewing, mentoring or collaboration is (nearly) its strongest kind
    about_company: bool = False  # names the organisation, about work changes do not show (see _counts)

    def top_kinds(self, n: int = 3) -> list[str]:
        return sorted(self.affinity, key=lambda k: -self.affinity[k])[:n]

    def kind_shown(self) -> str:
        """The kind of work the user's changes would show this criterion by: its strongest kind, or, when that kind
        leaves no trace in changes (planning, talks), a kind that does and is nearly as strong (policy.VISIBLE_MARGIN)
        and strong enough on its own (policy.KIND_FLOOR)."""
        ranked = self.top_kinds(len(self.affinity))
        if work_kinds.BY_NAME[ranked[0]].visible_in_changes:
            return ranked[0]
        visible = next((k for k in ranked if work_kinds.BY_NAME[k].visible_in_changes), ranked[0])
        close = self.affinity[visible] >= self.affinity[ranked[0]] - policy.VISIBLE_MARGIN
        return visible if close and self.affinity[visible] >= policy.KIND_FLOOR else ranked[0]


@dataclass
class Match:
    unit: Unit
    score: float
    meaning: float
    affinity: float
    kinds: list[str] = field(default_factory=list)  # the unit's kinds of work this criterion is about
    strong: bool = False  # counts toward coverage


def criterion_texts(criterion: Criterion) -> list[str]:
    texts = [criterion.text]
    for key in ("label", "signals", "examples"):
        value = criterion.extra.get(key)
        values = value if isinstance(value, list) else [value] if value else []
        texts += [str(v) for v in values if str(v).strip()]
    return texts


def profiles(criteria: list[Criterion], understanding: Understanding, company: str = "") -> list[Profile]:
    """Every criterion's vectors in one batch (a draft embeds its criteria once, and the cache keeps them).
    `company`: the organisation the ladder is written for (app.model.Ladder.company)."""
    named = re.compile(rf"\b{re.escape(company)}\b") if company else None
    texts = [criterion_texts(c) for c in criteria]
    flat = [t for group in texts for t in group]
    vectors = understanding.cache.embed(flat) if flat else np.zeros((0, 1), np.float32)
    space = understanding.kinds
    out, at = [], 0
    for criterion, group in zip(criteria, texts, strict=True):
        rows = vectors[at : at + len(group)]
        at += len(group)
        closeness = space.descriptions @ rows[0]
        affinity = {name: float(score) for name, score in zip(space.names, closeness, strict=True)}
        strongest = max(affinity.values())
        people = max(affinity[k] for k in PEOPLE_KINDS) >= strongest - policy.PEOPLE_MARGIN
        profile = Profile(criterion, rows, affinity, people)
        # its values, programmes, org chart: named, and about a kind of work changes do not show ("contribute to the
        # Kubernetes codebase" names the organisation too, and code shows it)
        profile.about_company = (
            named is not None
            and any(named.search(t) for t in group)
            and not work_kinds.BY_NAME[profile.kind_shown()].visible_in_changes
        )
        out.append(profile)
    return out


def match_all(
    chosen: list[Profile],
    understanding: Understanding,
    level: list[Profile] | None = None,
    abstain: bool = True,
) -> list[list[Match]]:
    """For each chosen criterion, the units that show it, best first; empty when nothing fits (it abstains).

    `level` is every criterion of the level (the reference a unit's closeness is centred on); by default `chosen`.
    `abstain=False` ranks the units that can speak for every criterion, fit or not: candidates for a judge (a model
    that may reject them all) to decide on where meaning alone would abstain.
    """
    if not understanding.units or not chosen:
        return [[] for _ in chosen]
    reference = level or chosen
    meaning = _meaning(chosen, understanding)
    affinity = np.array([[_affinity(p, u) for u in understanding.units] for p in chosen])
    if len(reference) >= policy.MIN_REFERENCE:
        ref_meaning = meaning if reference is chosen else _meaning(reference, understanding)
        ref_affinity = (
            affinity
            if reference is chosen
            else np.array([[_affinity(p, u) for u in understanding.units] for p in reference])
        )
    else:  # centre on the kinds of work: a fixed, ladder-independent reference
        ref_meaning = understanding.kinds.descriptions @ understanding.vectors.T
        ref_affinity = np.zeros_like(affinity)
    size = np.array([math.log10(1 + u.weight) / 3 for u in understanding.units])
    score = (
        (meaning - ref_meaning.mean(axis=0))
        + policy.AFFINITY_WEIGHT * (affinity - ref_affinity.mean(axis=0))
        + policy.SIZE_WEIGHT * size
    )
    bar = _meaning_bar(ref_meaning)
    out: list[list[Match]] = []
    for row, profile in enumerate(chosen):
        allowed = [i for i, u in enumerate(understanding.units) if _counts(u, profile)]
        support = _support(
            profile, [understanding.units[i] for i in allowed], [meaning[row, i] for i in allowed], bar
        )
        if support is None and abstain:
            out.append([])
            continue
        found = []
        for i in sorted(allowed, key=lambda i: (-score[row, i], understanding.units[i].key)):
            unit = understanding.units[i]
            kinds = sorted(
                (k for k in unit.labels if k in profile.affinity), key=lambda k: -profile.affinity[k]
            )
            found.append(
                Match(
                    unit,
                    float(score[row, i]),
                    float(meaning[row, i]),
                    float(affinity[row, i]),
                    kinds[:2],
                    float(score[row, i]) >= policy.STRONG,
                )
            )
        out.append(found)
    return out


def shortlist(found: list[Match]) -> list[Match]:
    """The units a criterion's offline bullets cite: the best, and those within KEEP_GAP of it, at most MAX_UNITS,
    each strong enough to count toward coverage (policy.STRONG), so a criterion marked missing shows no bullet."""
    if not found:
        return []
    near = [m for m in found if m.score >= found[0].score - policy.KEEP_GAP][: policy.MAX_UNITS]
    return [m for m in near if m.strong]


def spread(matched: list[list[Match]]) -> list[list[Match]]:
    """The criteria's ranked units with no unit in more than policy.UNIT_CRITERIA shortlists: a unit over the cap
    stays where it scores highest and leaves the others' lists, whose next units move up."""
    out = [list(found) for found in matched]
    while True:
        uses: dict[str, list[tuple[float, int]]] = {}
        for row, found in enumerate(out):
            for m in shortlist(found):
                uses.setdefault(m.unit.key, []).append((m.score, row))
        over = {
            key: sorted(rows, reverse=True) for key, rows in uses.items() if len(rows) > policy.UNIT_CRITERIA
        }
        if not over:
            return out
        for key, rows in over.items():
            for _, row in rows[policy.UNIT_CRITERIA :]:
                out[row] = [m for m in out[row] if m.unit.key != key]


def _meaning_bar(reference: np.ndarray) -> float:
    """How close "close" is in this history: MEANING_MIN, or lower where everything reads less close (terse commit
    logs): MEANING_Z standard deviations above the mean closeness of the reference criteria to all units."""
    z = getattr(policy, "MEANING_Z", None)
    if z is None or reference.size < 2:
        return policy.MEANING_MIN
    return min(policy.MEANING_MIN, float(reference.mean() + z * reference.std()))


def _support(profile: Profile, candidates: list[Unit], meanings: list[float], bar: float) -> str | None:
    """How the user's work can show this criterion, if at all: one unit structurally is its strongest kind of work (a
    review the user gave, for a criterion about reviewing); MIN_SUPPORT units read close to it ("meaning"); or the
    criterion is plainly about a kind of work changes show and the user has done enough of it ("kind")."""
    top = profile.kind_shown()
    plainly = top in policy.STRUCTURAL_KINDS and (
        work_kinds.BY_NAME[top].visible_in_changes or profile.affinity[top] >= policy.STRUCTURAL_FLOOR
    )
    proof = policy.AFFINITY_WEIGHT * profile.affinity[top] if plainly else 0.0
    for unit, meaning in zip(candidates, meanings, strict=True):
        structural = top in unit.labels and not unit.labels[top].startswith("reads like")
        if proof and structural and meaning + proof >= bar:
            return "structure"
    if max(meanings, default=0.0) >= bar + policy.SINGLE_MARGIN:
        return "meaning"
    if sum(m >= bar for m in meanings) >= policy.MIN_SUPPORT:
        return "meaning"
    if (
        work_kinds.BY_NAME[top].visible_in_changes
        and profile.affinity[top] >= policy.KIND_FLOOR
        and sum(top in unit.labels for unit in candidates) >= policy.MIN_SUPPORT
    ):
        return "kind"
    return None


def _meaning(chosen: list[Profile], understanding: Understanding) -> np.ndarray:
    return np.array([np.max(p.vectors @ understanding.vectors.T, axis=0) for p in chosen])


def _affinity(profile: Profile, unit: Unit) -> float:
    return max((profile.affinity[k] for k in unit.labels if k in profile.affinity), default=0.0)


def _counts(unit: Unit, profile: Profile) -> bool:
    """Can this unit speak for this criterion, given what the user did in it? A code change never speaks for a
    criterion that names the organisation and is about work changes do not show (its values, programmes, org
    chart, culture): notes, kudos and tickets can."""
    if profile.about_company and unit.kind in CODE_UNITS:
        return False
    if unit.owned or (unit.kind == "note" and unit.role == "author"):
        return True
    if unit.shaped or (unit.kind == "kudos" and unit.role == "recipient"):
        return profile.about_people
    return False  # reported or only mentioned: no evidence of what the user did
