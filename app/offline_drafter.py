"""The offline drafter: first-person bullets composed only from evidence fields (titles, stats) and metrics."""

from __future__ import annotations

from collections import Counter

from app.metrics import owns, reviewed_for_others
from app.model import Bullet, Criterion, Metric
from app.phrasing import action, clean_title, describe, details, review_item, title_quality, work_key
from app.retrieval import Ranked, criterion_query, themes
from app.text import plural, terms
from ingest.evidence import Evidence

MAX_BULLETS = 4
MAX_GROUP = 3
NOT_BULLETS = frozenset({"one-on-one"})  # context for coverage and answers, not accomplishments to paste


def _distinct(ranked: list[Ranked]) -> list[Ranked]:
    """One item per piece of work (a PR, its merge and its reviews), represented by the one with the best title."""
    groups: dict[str, list[Ranked]] = {}
    for r in ranked:
        groups.setdefault(work_key(r.evidence), []).append(r)
    return [max(group, key=lambda r: (title_quality(r.evidence), -group.index(r))) for group in groups.values()]


class OfflineDrafter:
    """Drafts every criterion of one draft; remembers what it used so bullets do not repeat across criteria."""

    def __init__(self, metrics: list[Metric], evidence: list[Evidence]) -> None:
        self.metrics = {m.name: m for m in metrics}
        self.roles = {e.id: e.role for e in evidence}
        self.used: set[str] = set()
        self.used_metrics: set[str] = set()
        self.used_titles: set[str] = set()
        self.focus: set[str] = set()

    def bullets(self, criterion: Criterion, ranked: list[Ranked]) -> list[Bullet]:
        strong = sorted((r for r in ranked if r.strong and r.evidence.kind not in NOT_BULLETS),
                        key=lambda r: (-r.rank, r.evidence.id))
        fresh = [r for r in strong if r.evidence.id not in self.used and work_key(r.evidence) not in self.used_titles]
        strong = _distinct(fresh or strong[:1])  # reuse one item rather than leave the criterion empty
        if not strong:
            return []
        topics = themes(criterion)
        self.focus = set(terms(criterion_query(criterion)))
        owned = [r.evidence for r in strong if owns(r.evidence)]
        reviewed = [r.evidence for r in strong if reviewed_for_others(r.evidence)]
        other = [r.evidence for r in strong if not owns(r.evidence) and not reviewed_for_others(r.evidence)]
        out: list[Bullet] = []
        if reviewed and "people" in topics:
            out.append(self._review_bullet(reviewed[:MAX_GROUP], with_metric=True))
        out += self._owned_bullets(owned, MAX_BULLETS - len(out) - (1 if reviewed else 0))
        if reviewed and "people" not in topics and len(out) < MAX_BULLETS:
            out.append(self._review_bullet(reviewed[:MAX_GROUP], with_metric=False))
        out += [Bullet(self._say(e) + ".", [e.id]) for e in other[: max(0, MAX_BULLETS - len(out))]]
        metric_bullet = self._metric_bullet(topics)
        if metric_bullet is not None:
            out.append(metric_bullet)
        for bullet in out:
            self.used.update(bullet.evidence)
        self.used_titles.update(work_key(r.evidence) for r in strong if r.evidence.id in self.used)
        return out

    def _owned_bullets(self, owned: list[Evidence], room: int) -> list[Bullet]:
        if room <= 0 or not owned:
            return []
        singles, rest = owned[:2], owned[2:]
        out = [Bullet(self._say(e) + ".", [e.id]) for e in singles[:room]]
        if len(out) >= room or not rest:
            return out
        phrases = {e.id: action(e, self.focus) for e in rest}
        verb, count = Counter(phrases[e.id].split()[0] for e in rest).most_common(1)[0]
        group = [e for e in rest if phrases[e.id].split()[0] == verb and " " in phrases[e.id]][:MAX_GROUP]
        if count >= 2 and len(group) >= 2:
            objects = [phrases[e.id].split(" ", 1)[1] + details(e, short=True) for e in group]
            joined = f"{objects[0]} and {objects[1]}" if len(objects) == 2 else "; ".join(objects[:-1]) + (
                f"; and {objects[-1]}")
            text = f"Also {verb.lower()} {joined}."
            out.append(Bullet(text, [e.id for e in group]))
        else:
            out.append(Bullet(self._say(rest[0]) + ".", [rest[0].id]))
        return out

    def _say(self, evidence: Evidence) -> str:
        return describe(evidence, self.focus)

    def _review_bullet(self, reviewed: list[Evidence], with_metric: bool) -> Bullet:
        reviewed = list({clean_title(e).lower(): e for e in reversed(reviewed)}.values())[::-1]  # one per title
        roles = {e.role for e in reviewed}
        verb = "Merged" if roles == {"merger"} else "Reviewed" if roles == {"reviewer"} else "Reviewed and merged"
        items = [review_item(e) for e in reviewed]
        listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
        count, people = self.metrics.get("prs_reviewed_or_merged"), self.metrics.get("review_authors")
        ids = [e.id for e in reviewed]
        if with_metric and count and count.name not in self.used_metrics:
            self.used_metrics.add(count.name)
            metric_roles = {self.roles.get(i) for i in count.evidence}
            verb = "Merged" if metric_roles == {"merger"} else "Reviewed" if metric_roles == {"reviewer"} else (
                "Reviewed or merged")
            who = f" from {plural(people.value, 'contributor')}" if people else ""
            cites = [f"metric:{count.name}"] + ([f"metric:{people.name}"] if people else [])
            return Bullet(f"{verb} {plural(count.value, 'pull request')}{who}, including {listed}.", cites + ids)
        return Bullet(f"{verb} {listed}.", ids)

    def _metric_bullet(self, topics: list[str]) -> Bullet | None:
        m = self.metrics
        for topic, names in (("operations", ("incidents",)), ("delivery", ("commits", "prs_authored")),
                             ("quality", ("tickets_resolved",)), ("people", ("kudos",)), ("customer", ("kudos",))):
            if topic not in topics or not any(n in m and n not in self.used_metrics for n in names):
                continue
            text, cites = _metric_sentence(m, names)
            if text:
                self.used_metrics.update(names)
                return Bullet(text, [f"metric:{c}" for c in cites])
        return None


def _metric_sentence(m: dict[str, Metric], names: tuple[str, ...]) -> tuple[str, list[str]]:
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
        text = "Authored " + " and ".join(parts)
        if "median_pr_cycle_hours" in m:
            text += f", with a median of {m['median_pr_cycle_hours'].value:g} hours from opening to merge"
            cites.append("median_pr_cycle_hours")
        return text + " in this period.", cites
    if "tickets_resolved" in names:
        text = f"Resolved {plural(m['tickets_resolved'].value, 'ticket')}"
        cites = ["tickets_resolved"]
        if "story_points" in m:
            text += f" ({plural(m['story_points'].value, 'story point')})"
            cites.append("story_points")
        return text + ".", cites
    if "incidents" in names:
        return f"Responded to {plural(m['incidents'].value, 'incident')} as assignee or owner.", ["incidents"]
    if "kudos" in names:
        return f"Received {plural(m['kudos'].value, 'kudos and thank-you message')} from colleagues.", ["kudos"]
    return "", []
