"""Metrics computed by code from evidence, each carrying the ids it counted: the receipts behind every count."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from app.model import Metric
from ingest.evidence import OWNING_ROLES, Evidence
from ingest.people import is_bot

REVIEW_ROLES = frozenset({"reviewer", "merger"})
_DONE = {"done", "resolved", "closed", "complete", "completed", "fixed", "released", "shipped", "merged"}
_NOT_RESOLVED = {
    "",
    "unresolved",
    "won't do",
    "won't fix",
    "wont fix",
    "duplicate",
    "cannot reproduce",
    "incomplete",
    "declined",
    "canceled",
    "cancelled",
}


Add = Callable[..., None]  # records one metric: add(name, value, counted, label, unit='')


def in_period(evidence: Evidence, since: datetime | None = None, until: datetime | None = None) -> bool:
    when = evidence.when
    return (since is None or when >= _aware(since)) and (until is None or when <= _aware(until))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def user_names(evidence: Iterable[Evidence]) -> set[str]:
    """The names the user appears under: authors of what they authored, mergers of what they merged (git).

    A git merge of the user's own PR is theirs by its branch's commits, but its author is whoever merged it: that
    name is not the user's."""
    return {
        e.author.casefold()
        for e in evidence
        if e.author
        and (
            (
                e.role == "author"
                and not (e.source == "git" and e.kind == "pr" and e.extra.get("pr_commit_authors"))
            )
            or (e.role == "merger" and e.source == "git")
        )
    }


def pr_authors(evidence: Evidence) -> list[str]:
    """Who wrote a PR: its branch's commit authors (git merges) or its author (GitHub and the like)."""
    names = evidence.extra.get("pr_commit_authors")
    if isinstance(names, list) and names:
        return [str(n) for n in names]
    return [evidence.author] if evidence.author and evidence.role != "merger" else []


def owns(evidence: Evidence) -> bool:
    """Did the user do this work themselves: author / assignee / owner / co-author, or merge their own PR."""
    if evidence.role in OWNING_ROLES:
        return True
    if evidence.role == "merger" and evidence.kind == "pr":
        authors = {a.casefold() for a in pr_authors(evidence)}
        return bool(authors) and authors <= {evidence.author.casefold()}
    return False


def reviewed_for_others(evidence: Evidence) -> bool:
    return evidence.role in REVIEW_ROLES and evidence.kind in ("pr", "review") and not owns(evidence)


def merged(evidence: Evidence) -> bool:
    state = str(evidence.native.get("state", "")).lower()
    if evidence.source == "git" or state == "merged" or "cycle_time_hours" in evidence.stats:
        return True
    return state not in ("open", "closed", "draft")


def resolved(evidence: Evidence) -> bool:
    status = str(evidence.native.get("status") or evidence.native.get("state") or "").strip().lower()
    resolution = str(evidence.native.get("resolution") or "").strip().lower()
    if resolution:
        return resolution not in _NOT_RESOLVED
    return status in _DONE


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def compute(
    evidence: list[Evidence], since: datetime | None = None, until: datetime | None = None
) -> list[Metric]:
    """Every non-zero metric of the period, in a stable order."""
    items = [e for e in evidence if in_period(e, since, until)]
    metrics: list[Metric] = []

    def add(name: str, value: float, counted: Iterable[Evidence], label: str, unit: str = "") -> None:
        if value:
            ids = list(dict.fromkeys(e.id for e in counted))
            metrics.append(Metric(name, int(value) if float(value).is_integer() else value, ids, unit, label))

    # Co-authored PRs are others' work the user shaped (applied review suggestions): never counted as authored.
    own_prs = [e for e in items if e.kind == "pr" and owns(e) and e.role != "co-author" and merged(e)]
    co_prs = [e for e in items if e.kind == "pr" and e.role == "co-author" and merged(e)]
    # One PR can arrive as a GitHub record, a merge commit and a squash record: count distinct (repo, number).
    add("prs_authored", len(_prs(own_prs)), own_prs, "PRs authored and merged")
    add("prs_co_authored", len(_prs(co_prs)), co_prs, "others' PRs you co-authored (suggestions applied)")
    _reviews(items, add)
    commits = [e for e in items if e.kind == "commit" and e.role == "author"]
    add("commits", len(commits), commits, "commits authored")
    _lines(commits, own_prs, add)
    _tickets(items, add)
    incidents = [e for e in items if e.kind == "incident" and e.role in OWNING_ROLES]
    add("incidents", len(incidents), incidents, "incidents you were assigned to or owned")
    kudos = [e for e in items if e.kind == "kudos" and e.role == "recipient"]
    add("kudos", len(kudos), kudos, "kudos and thank-you messages received")
    timed = [(e, hours) for e in own_prs if (hours := _cycle_hours(e)) is not None]
    if timed:
        median = round(statistics.median(hours for _, hours in timed), 1)
        add(
            "median_pr_cycle_hours",
            median,
            [e for e, _ in timed],
            f"median hours from opening to merging your PRs ({len(timed)} PRs)",
            "hours",
        )
    return metrics


def _reviews(items: list[Evidence], add: Add) -> None:
    """Others' PRs reviewed or merged, from people and from bots apart: a bot is never counted as a person."""
    from app.participants import aliases  # participants reads this module's user_names

    reviewed = [e for e in items if reviewed_for_others(e)]
    by_id = {e.id: e for e in items}
    me = user_names(items)
    alias = aliases(items)  # a GitHub login and the name git knows are one person
    people: set[str] = set()
    from_people: list[Evidence] = []
    from_bots: list[Evidence] = []
    for e in reviewed:
        authors = pr_authors(e) if e.kind == "pr" else []
        if e.kind == "review":
            pr = by_id.get(f"github:{e.native.get('repo')}#{e.native.get('pr_number')}")
            authors = [pr.author] if pr is not None and pr.author else []
        others = [named for a in authors if (named := alias.get(a.casefold(), a)).casefold() not in me]
        if authors and not others:
            continue  # the user's own PR, under another of their names
        humans = [a for a in others if not is_bot(a)]
        if e.extra.get("bot_author") or (others and not humans):  # GitHub marks a bot's PR; git names it
            from_bots.append(e)
            continue
        people |= set(humans)
        from_people.append(e)
    add("prs_reviewed_or_merged", len(_prs(from_people)), from_people, "others' PRs reviewed or merged")
    add(
        "bot_prs_reviewed_or_merged",
        len(_prs(from_bots)),
        from_bots,
        "bots' PRs reviewed or merged (dependency updates and the like)",
    )
    add(
        "review_authors",
        len(people),
        [e for e in from_people if pr_authors(e) or e.kind == "review"],
        "people whose PRs you reviewed or merged",
    )


def _prs(reviewed: list[Evidence]) -> set[tuple[object, object]]:
    return {
        (e.native.get("repo"), e.native.get("pr_number") or e.native.get("number") or e.id) for e in reviewed
    }


def _lines(commits: list[Evidence], own_prs: list[Evidence], add: Add) -> None:
    """Commits' numstat; an own PR's stats only where none of the user's commits of that repo are present."""
    commit_repos = {e.native.get("repo") for e in commits}
    prs = [e for e in own_prs if e.native.get("repo") not in commit_repos]
    counted = [e for e in commits + prs if "insertions" in e.stats or "deletions" in e.stats]
    what = f"{sum(e.kind == 'commit' for e in counted)} commits"
    if any(e.kind == "pr" for e in counted):
        what += f" and {sum(e.kind == 'pr' for e in counted)} PRs without commit history"
    added = sum(e.stats.get("insertions", 0) for e in counted)
    removed = sum(e.stats.get("deletions", 0) for e in counted)
    add(
        "lines_added",
        added,
        [e for e in counted if e.stats.get("insertions")],
        f"lines added (numstat of {what})",
    )
    add(
        "lines_removed",
        removed,
        [e for e in counted if e.stats.get("deletions")],
        f"lines removed (numstat of {what})",
    )


def _tickets(items: list[Evidence], add: Add) -> None:
    done = [
        e for e in items if e.kind in ("ticket", "issue") and e.role in ("assignee", "owner") and resolved(e)
    ]
    add("tickets_resolved", len(done), done, "tickets resolved")
    for field, prefix, label in (
        ("type", "tickets_resolved_", "{} tickets resolved"),
        ("priority", "tickets_resolved_priority_", "{}-priority tickets resolved"),
    ):
        groups: dict[str, list[Evidence]] = {}
        for e in done:
            value = str(e.native.get(field) or "").strip()
            if value:
                groups.setdefault(value, []).append(e)
        for value, group in sorted(groups.items(), key=lambda kv: slug(kv[0])):
            add(prefix + slug(value), len(group), group, label.format(value))
    owned = [e for e in done if e.stats.get("story_points")]
    add(
        "story_points", sum(e.stats["story_points"] for e in owned), owned, "story points of resolved tickets"
    )


def _cycle_hours(evidence: Evidence) -> float | None:
    if "cycle_time_hours" in evidence.stats:
        return float(evidence.stats["cycle_time_hours"])
    if "cycle_time_days" in evidence.stats:
        return float(evidence.stats["cycle_time_days"]) * 24
    return None
