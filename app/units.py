"""Units of work: the pieces a manager thinks in (a PR with its commits and reviews, a ticket with the changes that
name it, an incident, a note entry, a kudos message), with what the user did in each, who else took part, its size,
the areas it touched and its dates. Computed once per draft or answer from the evidence; everything else reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from app import policy
from app.metrics import owns, pr_authors, reviewed_for_others, user_names
from app.participants import aliases
from ingest.evidence import Evidence
from ingest.people import is_bot
from ingest.sources.git_newcomers import PRIOR_CHANGES, USER_COMMITS

UnitKind = Literal["pr", "change", "ticket", "incident", "note", "kudos", "review", "other"]
Area = Literal["code", "tests", "docs", "ci", "deps", "release"]
# What the user did, strongest first: a unit takes the strongest role among its items.
ROLE_ORDER = (
    "author",
    "owner",
    "assignee",
    "co-author",
    "merger",
    "reviewer",
    "reporter",
    "recipient",
    "mentioned",
)
TICKET_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d{1,6})\b")

# Areas from file paths: conventions shared by most ecosystems (Python, JS, Ruby, Go, Java, Rust).
_AREA_RULES: tuple[tuple[Area, re.Pattern[str]], ...] = (
    (
        "ci",
        re.compile(
            r"(^|/)(\.github/(workflows|actions)|\.gitlab-ci\.yml|\.circleci|\.travis\.yml|azure-pipelines|"
            r"jenkinsfile|\.buildkite|tox\.ini|noxfile\.py|\.pre-commit-config\.yaml|makefile|scripts?/|"
            r"\.github/[^/]+\.ya?ml$|setup\.cfg$|\.flake8|mypy\.ini|\.rubocop\.yml|\.eslintrc)",
            re.I,
        ),
    ),
    (
        "deps",
        re.compile(
            r"(^|/)(requirements[^/]*\.(txt|in)|pyproject\.toml|setup\.py|pipfile(\.lock)?|poetry\.lock|"
            r"package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|gemfile(\.lock)?|[^/]+\.gemspec|go\.(mod|sum)|"
            r"cargo\.(toml|lock)|pom\.xml|build\.gradle|uv\.lock|\.github/dependabot\.yml)$",
            re.I,
        ),
    ),
    (
        "release",
        re.compile(
            r"(^|/)(changelog|changes|history|news|release[-_ ]?notes?|relnotes)([./]|$)|"
            r"(^|/)(__version__|version|_version)\.(py|rb|txt|go)$|(^|/)version$",
            re.I,
        ),
    ),
    (
        "tests",
        re.compile(
            r"(^|/)(tests?|specs?|__tests__|testing|e2e|fixtures?)/|(^|/)(test_[^/]+|[^/]+_(test|spec)\.[a-z]+|"
            r"[^/]+\.(test|spec)\.[a-z]+|conftest\.py)$",
            re.I,
        ),
    ),
    (
        "docs",
        re.compile(r"(^|/)(docs?|documentation|guides?|manual)/|\.(md|rst|adoc|txt)$|(^|/)readme", re.I),
    ),
)


@dataclass
class Unit:
    key: str
    kind: UnitKind
    items: list[Evidence]
    lead: Evidence  # the item that names the unit best (a PR over its commits, a ticket over its PRs)
    role: str  # what the user did in it, the strongest of its items' roles
    people: list[str] = field(default_factory=list)  # humans other than the user who took part
    bots: list[str] = field(default_factory=list)
    insertions: int = 0
    deletions: int = 0
    files: int = 0
    paths: list[str] = field(default_factory=list)
    areas: dict[str, int] = field(default_factory=dict)  # area -> files touched in it
    start: str = ""
    end: str = ""
    number: int | None = None  # the PR number, when there is one
    labels: dict[str, str] = field(default_factory=dict)  # kind of work -> why (see app.work_kinds)

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.items]

    @property
    def title(self) -> str:
        return self.lead.title

    @property
    def witness(self) -> Evidence:
        """The item that shows what the user did: the lead when it carries the unit's role, else the first that does
        (a review or merge for work the user reviewed, never a ticket they only reported)."""
        if self.lead.role == self.role or (self.owned and owns(self.lead)):
            return self.lead
        return next((e for e in self.items if e.role == self.role), self.lead)

    @property
    def lines(self) -> int:
        return self.insertions + self.deletions

    @property
    def weight(self) -> int:
        """The lines that were the user's work: all of them in work they owned; in a change they co-authored, the
        share their commits in it make up, at most the whole (policy.SHARE_COMMITS of them count as all of it)."""
        counted = [int(e.stats[USER_COMMITS]) for e in self.items if USER_COMMITS in e.stats]
        if self.role != "co-author" or not counted:
            return self.lines
        return round(self.lines * min(1.0, max(counted) / policy.SHARE_COMMITS))

    @property
    def owned(self) -> bool:
        """The user did this work: authored, assigned, owned (a co-author applied suggestions; see `shaped`)."""
        return self.role in ("author", "owner", "assignee")

    @property
    def shaped(self) -> bool:
        """The user shaped someone else's work: co-authored (review suggestions applied), reviewed or merged it."""
        return self.role in ("co-author", "reviewer", "merger")

    @property
    def author_prior_changes(self) -> int | None:
        """For someone else's change the user shaped: how many changes its author had landed before it (0: their
        first), when the source knows (git with its whole history; GitHub's first-time contributor flag)."""
        if not self.shaped:
            return None
        counts = [int(e.stats[PRIOR_CHANGES]) for e in self.items if PRIOR_CHANGES in e.stats]
        return min(counts) if counts else None

    @property
    def newcomers_change(self) -> int | None:
        """Which of its author's changes this is (1: their first) when it is a newcomer's the user helped land: at
        most policy.NEWCOMER_CHANGES came before, and its author is a person (bots are never newcomers)."""
        prior = self.author_prior_changes
        if prior is None or prior > policy.NEWCOMER_CHANGES or not self.people:
            return None
        return prior + 1

    def text(self) -> str:
        """What the unit is, in words, for the embedding model: its title, the start of its description, areas."""
        body = " ".join(self.lead.body.split())[:400]
        where = ", ".join(sorted(self.areas)) if self.areas else ""
        return "\n".join(
            part for part in (self.lead.title, body, f"touches {where}" if where else "") if part
        )


def area_of(path: str) -> Area:
    for area, pattern in _AREA_RULES:
        if pattern.search(path):
            return area
    return "code"


def build(evidence: Iterable[Evidence]) -> list[Unit]:
    """Group evidence into units: by PR number, by ticket key named in a PR or commit, else one unit per item."""
    items = list(evidence)
    me = {n for n in user_names(items)}
    parent: dict[str, str] = {e.id: e.id for e in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_pr: dict[tuple[str, int], str] = {}
    by_sha: dict[str, str] = {}
    tickets: dict[str, str] = {}
    for e in items:
        number = _pr_number(e)
        if number is not None:
            key = (str(e.native.get("repo", "")), number)
            if key in by_pr:
                join(by_pr[key], e.id)
            else:
                by_pr[key] = e.id
        sha = str(e.native.get("sha") or "")
        if sha:
            by_sha[sha[:12]] = e.id
        if e.kind in ("ticket", "issue", "incident") and e.native.get("key"):
            tickets[str(e.native["key"])] = e.id
    for e in items:
        for sha in e.extra.get("pr_commits") or []:  # a merge's branch commits belong to its PR
            if str(sha)[:12] in by_sha:
                join(e.id, by_sha[str(sha)[:12]])
        if e.kind in ("pr", "commit", "review"):
            for key in TICKET_KEY.findall(f"{e.title}\n{e.body[:2000]}"):
                if key in tickets:
                    join(tickets[key], e.id)
                    break
    groups: dict[str, list[Evidence]] = {}
    for e in items:
        groups.setdefault(find(e.id), []).append(e)
    alias = aliases(items)  # "lenapark" (a GitHub login) and "Lena Park" (Jira) are one person
    units = [_unit(group, me, alias) for group in groups.values()]
    units.sort(key=lambda u: (u.start, u.key))
    return units


def _pr_number(e: Evidence) -> int | None:
    if e.kind not in ("pr", "review", "commit"):
        return None
    value = e.native.get("pr_number") or (e.native.get("number") if e.kind == "pr" else None)
    try:
        return int(value) if value is not None and str(value).strip() else None
    except (TypeError, ValueError):
        return None


def _lead(group: list[Evidence]) -> Evidence:
    rank = {"ticket": 0, "issue": 0, "incident": 0, "pr": 1, "commit": 2, "review": 3}

    def quality(e: Evidence) -> tuple[int, int, str]:
        bare_merge = e.title.lower().startswith("merge pull request") and not e.body.strip()
        return (rank.get(e.kind, 1) + (3 if bare_merge else 0), -len(e.body), e.id)

    return min(group, key=quality)


def _role(group: list[Evidence]) -> str:
    roles = []
    for e in group:
        if owns(e) and e.role == "merger":
            roles.append("author")  # merged their own PR
        elif reviewed_for_others(e):
            roles.append(e.role)
        else:
            roles.append(e.role)
    return min(roles, key=lambda r: ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER))


def _kind(lead: Evidence, role: str) -> UnitKind:
    if lead.kind in ("ticket", "issue"):
        return "ticket"
    if lead.kind in ("incident", "kudos", "review"):
        return lead.kind  # type: ignore[return-value]
    if lead.kind == "pr" or (lead.kind == "commit" and _pr_number(lead) is not None):
        return "pr"
    if lead.kind == "commit":
        return "change"
    if lead.source in ("notes", "jsonl"):
        return "note"
    return "other"


def _unit(group: list[Evidence], me: set[str], alias: dict[str, str] | None = None) -> Unit:
    group.sort(key=lambda e: (e.date, e.id))
    lead = _lead(group)
    role = _role(group)
    names: list[str] = []
    for e in group:
        names += pr_authors(e) if e.kind == "pr" else []
        names += [str(n) for n in e.extra.get("co_authors") or []]
        if e.author and e.role not in ("author", "merger") and e.kind not in ("note",):
            names.append(e.author)
        if e.role == "co-author" and e.author:
            names.append(e.author)
    named = [(alias or {}).get(n.casefold(), n) for n in names if n]
    others = [n for n in dict.fromkeys(named) if n.casefold() not in me]
    changes = _changes(group)
    paths = list(dict.fromkeys(p for e in changes for p in e.extra.get("files") or []))
    areas: dict[str, int] = {}
    for path in paths:
        area = area_of(path)
        areas[area] = areas.get(area, 0) + 1
    number = next((n for e in group if (n := _pr_number(e)) is not None), None)
    unit = Unit(
        key=f"{lead.native.get('repo', '')}#{number}" if number is not None else lead.id,
        kind="pr" if number is not None and lead.kind in ("pr", "commit", "review") else _kind(lead, role),
        items=group,
        lead=lead,
        role=role,
        people=[n for n in others if not is_bot(n)],
        bots=[n for n in others if is_bot(n)],
        insertions=int(sum(e.stats.get("insertions", 0) for e in changes)),
        deletions=int(sum(e.stats.get("deletions", 0) for e in changes)),
        files=len(paths) or int(max((e.stats.get("files_changed", 0) for e in changes), default=0)),
        paths=paths,
        areas=areas,
        start=group[0].date,
        end=group[-1].date,
        number=number,
    )
    return unit


def _changes(group: list[Evidence]) -> list[Evidence]:
    """The items whose line counts make up the unit's size: its PR record when it has one, else its commits."""
    prs = [e for e in group if e.kind == "pr" and ("insertions" in e.stats or e.extra.get("files"))]
    if prs:
        return prs[:1]  # a merge's first-parent diff is the whole PR
    return [e for e in group if e.kind == "commit"]
