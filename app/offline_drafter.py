"""The offline drafter: one first-person bullet per matched unit of work, worded by the user's role in it.

A unit the user owned says what it achieved ("Implemented streaming multipart uploads (#857, +590/−580 lines across
4 files)"); a unit the user shaped says so ("Reviewed and shaped Tom Christie’s “Transport API” (#963)"): a co-author or
reviewer is never written up as the owner. Numbers come only from the evidence's fields and from computed metrics.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.history_verbs import verbs_in_use
from app.matching import Match, Profile
from app.model import Bullet, Metric
from app.phrasing import clean_title, describe
from app.policy import MAX_UNITS
from app.text import plural, terms
from app.units import Unit
from app.work_kinds import nth
from ingest.evidence import Evidence

NOT_BULLETS = frozenset({"one-on-one"})  # context for coverage and answers, not accomplishments to paste
# A criterion most about one of these kinds of work also gets the metric that counts it.
KIND_METRICS: dict[str, tuple[str, ...]] = {
    "review": ("prs_reviewed_or_merged",),
    "incident": ("incidents",),
    "feature": ("commits", "prs_authored"),
    "release": ("commits", "prs_authored"),
    "fix": ("tickets_resolved",),
    "collaboration": ("kudos",),
}


class OfflineDrafter:
    """Drafts every criterion of one draft; remembers what it used so bullets do not repeat across criteria."""

    def __init__(self, metrics: list[Metric], history: Iterable[Evidence] = ()) -> None:
        self.metrics = {m.name: m for m in metrics}
        # "Fix" opens 20 of the history's titles: a verb in all of them
        self.verbs_in_use = verbs_in_use(history)
        self.used_units: dict[str, int] = {}
        self.used_metrics: set[str] = set()

    def bullets(self, profile: Profile, matches: list[Match]) -> list[Bullet]:
        usable = [m for m in matches if m.unit.lead.kind not in NOT_BULLETS]
        chosen = usable[:MAX_UNITS]  # the best-matched units, even when another criterion cites them too
        if not chosen:
            return []
        focus = set(terms(" ".join([profile.criterion.text, *profile.top_kinds(2)])))
        out = [self._unit_bullet(m.unit, focus) for m in chosen]
        for m in chosen:
            self.used_units[m.unit.key] = self.used_units.get(m.unit.key, 0) + 1
        metric = self._metric_bullet(profile)
        if metric is not None:
            out.append(metric)
        return out

    def _unit_bullet(self, unit: Unit, focus: set[str]) -> Bullet:
        if unit.shaped:
            return Bullet(shaped_sentence(unit), [unit.witness.id])
        return Bullet(describe(unit.witness, focus, self.verbs_in_use) + ".", [unit.witness.id])

    def _metric_bullet(self, profile: Profile) -> Bullet | None:
        top = profile.top_kinds(1)[0]
        names = KIND_METRICS.get(top, ())
        if not names or not any(n in self.metrics and n not in self.used_metrics for n in names):
            return None
        text, cites = metric_sentence(self.metrics, names)
        if not text:
            return None
        self.used_metrics.update(names)
        return Bullet(text, [f"metric:{c}" for c in cites])


def shaped_sentence(unit: Unit) -> str:
    """'Reviewed and shaped Tom Christie’s “Transport API” (#963).' for work the user co-authored or reviewed;
    'Reviewed and merged Lena Park’s first change, “Refund status webhook” (#406).' for a newcomer's."""
    verb = {"co-author": "Reviewed and shaped", "reviewer": "Reviewed", "merger": "Reviewed and merged"}[
        unit.role
    ]
    owner = unit.people[0] if unit.people else ""
    title = clean_title(unit.lead) or unit.lead.title
    number = f" (#{unit.number})" if unit.number is not None else ""
    if unit.newcomers_change is not None:  # helped a newcomer land it
        return f"{verb} {owner}’s {nth(unit.newcomers_change)} change, “{title}”{number}."
    return f"{verb} {owner + '’s ' if owner else ''}“{title}”{number}."


def metric_sentence(m: dict[str, Metric], names: tuple[str, ...]) -> tuple[str, list[str]]:
    if "prs_reviewed_or_merged" in names and "prs_reviewed_or_merged" in m:
        count, people = m["prs_reviewed_or_merged"], m.get("review_authors")
        who = f" from {plural(people.value, 'contributor')}" if people else ""
        cites = [count.name] + ([people.name] if people else [])
        return f"Reviewed or merged {plural(count.value, 'pull request')}{who} in this period.", cites
    if "commits" in names or "prs_authored" in names:
        parts, cites = [], []
        if "commits" in m:
            lines = ""
            if "lines_added" in m and "lines_removed" in m:
                lines = f" (+{m['lines_added'].value:,}/−{m['lines_removed'].value:,} lines)"
                cites += ["lines_added", "lines_removed"]
            parts.append(f"{plural(m['commits'].value, 'commit')}{lines}")
            cites.append("commits")
        if "prs_authored" in m:
            parts.append(f"{plural(m['prs_authored'].value, 'merged pull request')} of my own")
            cites.append("prs_authored")
        if not parts:
            return "", []
        text = "Authored " + " and ".join(parts)
        if "median_pr_cycle_hours" in m:
            text += f", with a median of {m['median_pr_cycle_hours'].value:g} hours from opening to merge"
            cites.append("median_pr_cycle_hours")
        return text + " in this period.", cites
    if "tickets_resolved" in names and "tickets_resolved" in m:
        text = f"Resolved {plural(m['tickets_resolved'].value, 'ticket')}"
        cites = ["tickets_resolved"]
        if "story_points" in m:
            text += f" ({plural(m['story_points'].value, 'story point')})"
            cites.append("story_points")
        return text + ".", cites
    if "incidents" in names and "incidents" in m:
        return f"Responded to {plural(m['incidents'].value, 'incident')} as assignee or owner.", ["incidents"]
    if "kudos" in names and "kudos" in m:
        return f"Received {plural(m['kudos'].value, 'kudos and thank-you message')} from colleagues.", [
            "kudos"
        ]
    return "", []
