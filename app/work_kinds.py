"""Kinds of engineering work: a small documented vocabulary, and the labels a unit of work gets, each with a reason.

A label comes from structure (the user's role, the areas a change touched, the item's kind and its ticket type or
conventional-commit prefix) or from meaning (the local embedding model, the unit's text against each kind's
description). The descriptions are written for any engineer's history, not for one dataset: they say what the
work is, in the words both career ladders and commit logs use for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.units import Unit


@dataclass(frozen=True)
class WorkKind:
    name: str
    title: str
    description: str
    visible_in_changes: bool = True  # can a commit or PR alone show it? (hiring, talks, planning: rarely)
    examples: tuple[str, ...] = ()  # how such work is typically titled, for labelling units by meaning


KINDS: tuple[WorkKind, ...] = (
    WorkKind(
        "feature",
        "feature",
        "Built and delivered a new feature or capability for users: added support for "
        "something new, implemented a new API or option, shipped a project deliverable.",
        examples=(
            "Add support for streaming uploads",
            "Implement a new command-line option",
            "Introduce a new public API",
            "New endpoint for exporting reports",
        ),
    ),
    WorkKind(
        "design",
        "design and refactoring",
        "Designed or restructured software: architecture, components and "
        "their interfaces, abstractions and APIs that are hard to misuse, a significant refactor, moving or "
        "splitting modules, simplifying a design.",
        examples=(
            "Refactor the client into separate components",
            "Extract an interface for storage backends",
            "Redesign the configuration API",
            "Move helpers into a dedicated module",
        ),
    ),
    WorkKind(
        "fix",
        "fix",
        "Fixed a bug: wrong behaviour, a crash, an error, a regression or an edge case, found the "
        "root cause and corrected it.",
        examples=(
            "Fix crash when the response is empty",
            "Fix incorrect handling of timeouts",
            "Fix regression in header parsing",
            "Bug fix for an off-by-one error",
        ),
    ),
    WorkKind(
        "tests",
        "tests and quality tooling",
        "Raised the quality bar: unit and integration tests, test "
        "coverage, type checking, linters and static analysis, code quality standards and best practices.",
        examples=(
            "Add unit tests for the parser",
            "Increase test coverage",
            "Run type checks on the test suite",
            "Enable stricter linting rules",
        ),
    ),
    WorkKind(
        "docs",
        "documentation and knowledge sharing",
        "Wrote documentation and shared knowledge: guides, "
        "READMEs, API reference, tutorials and examples, troubleshooting pages and playbooks, explaining "
        "how things work to readers.",
        examples=(
            "Add a troubleshooting guide",
            "Document the configuration options",
            "Update README with usage examples",
            "Improve the API reference docs",
        ),
    ),
    WorkKind(
        "delivery",
        "project delivery",
        "Owned and delivered a project end to end: scoped it into milestones, built it and shipped it, "
        "met the team's goals on time with a high standard of quality.",
    ),
    WorkKind(
        "release",
        "release and delivery",
        "Released and delivered software: cut a release, version bump, "
        "changelog and release notes, deployment and rollout, shipping on schedule.",
        examples=(
            "Release version 2.3.0",
            "Bump version and update changelog",
            "Prepare release notes",
            "Deploy the new version to production",
        ),
    ),
    WorkKind(
        "maintenance",
        "dependencies and maintenance",
        "Kept the codebase healthy: upgraded or dropped "
        "dependencies, removed deprecated or dead code, paid down technical debt, routine upkeep that "
        "reduces future toil.",
        examples=(
            "Upgrade dependencies to latest versions",
            "Remove deprecated code",
            "Drop support for an old Python version",
            "Clean up unused functions",
        ),
    ),
    WorkKind(
        "ci",
        "CI and developer experience",
        "Improved the build, continuous integration and developer "
        "tooling: CI pipelines, scripts and automation, fixing a broken build, faster feedback for "
        "developers, less toil.",
        examples=(
            "Fix the CI build",
            "Add a GitHub Actions workflow",
            "Speed up the build scripts",
            "Pin the formatter version in CI",
        ),
    ),
    WorkKind(
        "review",
        "reviewing others' work",
        "Reviewed or merged other people's code: code review feedback, "
        "suggestions applied to a colleague's pull request, approving and merging contributions.",
        examples=(
            "Review comments addressed",
            "Apply suggestions from code review",
            "Approve and merge a contributor's pull request",
        ),
    ),
    WorkKind(
        "collaboration",
        "collaboration",
        "Worked closely with other people and teams: co-authoring, pairing, "
        "coordinating with partners and stakeholders, building relationships across teams.",
        visible_in_changes=False,
        examples=(
            "Pair with the platform team on the migration",
            "Coordinate the rollout with partner teams",
            "Work with design and product on the launch",
        ),
    ),
    WorkKind(
        "mentoring",
        "mentoring and onboarding",
        "Mentored and grew other engineers: coaching, teaching, "
        "guiding newer teammates, onboarding new hires and interns, helping someone land their first change.",
        visible_in_changes=False,
        examples=(
            "Mentor a new engineer",
            "Onboard new hires to the codebase",
            "Coach an intern through their first project",
        ),
    ),
    WorkKind(
        "incident",
        "incidents and operations",
        "Handled production incidents and operations: outages and "
        "SEVs, on-call, urgent fixes, monitoring and alerts, postmortems and runbooks.",
        examples=(
            "Mitigate the production outage",
            "Postmortem for the payment incident",
            "On-call: respond to alerts",
            "Hotfix for a SEV",
        ),
    ),
    WorkKind(
        "security",
        "security",
        "Improved security: vulnerabilities, authentication and authorization "
        "hardening, secrets handling, threat models, audits and compliance.",
        examples=(
            "Fix a security vulnerability",
            "Rotate leaked credentials",
            "Harden authentication checks",
            "Escape user input to prevent injection",
        ),
    ),
    WorkKind(
        "performance",
        "performance",
        "Made software faster or cheaper: latency, throughput, memory use, "
        "caching, profiling and benchmarks, scalability.",
        examples=(
            "Reduce p95 latency of the checkout API",
            "Cache lookups to speed up requests",
            "Cut memory usage",
            "Optimize a slow database query",
        ),
    ),
    WorkKind(
        "talks",
        "talks and writing",
        "Presented and wrote for audiences beyond the team: tech talks, "
        "conference and meetup presentations, blog posts, design RFCs, internal newsletters.",
        visible_in_changes=False,
        examples=(
            "Give a talk at a conference meetup",
            "Write a blog post about the migration",
            "Present a tech talk to engineering",
        ),
    ),
    WorkKind(
        "hiring",
        "hiring",
        "Hired and interviewed: interviewing and assessing candidates, hiring loops, "
        "recruiting, writing interview questions, representing the team to candidates.",
        visible_in_changes=False,
        examples=(
            "Interview candidates",
            "Write interview questions",
            "Join the hiring committee",
        ),
    ),
    WorkKind(
        "planning",
        "planning and goals",
        "Planned and prioritised work: roadmaps, quarterly goals, "
        "milestones, scoping and estimates, breaking goals into projects, aligning priorities with a "
        "manager.",
        visible_in_changes=False,
        examples=(
            "Write the quarterly roadmap",
            "Plan milestones for the project",
            "Scope and estimate the work",
            "Set team goals for the quarter",
        ),
    ),
)
BY_NAME = {kind.name: kind for kind in KINDS}
# What people call each kind of work when they ask about it ("What docs did I write in December?"). A question's
# subject is matched to these by meaning (app.ask_kinds), so "documentation changes" or "bugfixes" find them too.
CALLED: dict[str, tuple[str, ...]] = {
    "feature": ("features", "new features"),
    "design": ("refactors", "design work"),
    "fix": ("bug fixes",),
    "tests": ("tests", "test coverage"),
    "docs": ("docs", "documentation"),
    "release": ("releases",),
    "maintenance": ("dependency updates", "maintenance work", "tech debt", "cleanup"),
    "ci": ("CI", "build tooling"),
    "review": ("code reviews",),
    "collaboration": ("collaboration",),
    "mentoring": ("mentoring", "onboarding", "coaching"),
    "incident": ("incidents", "on-call work"),
    "security": ("security work",),
    "performance": ("performance work",),
    "talks": ("talks", "blog posts"),
    "hiring": ("interviews",),
    "planning": ("planning", "roadmaps"),
}

_CONVENTIONAL = {
    "feat": "feature",
    "fix": "fix",
    "docs": "docs",
    "test": "tests",
    "tests": "tests",
    "ci": "ci",
    "build": "ci",
    "perf": "performance",
    "refactor": "design",
    "chore": "maintenance",
    "deps": "maintenance",
    "security": "security",
    "revert": "fix",
}
_PREFIX = re.compile(r"^\s*(\w+)(?:\(([^)]*)\))?!?:\s")
# A commit or PR title is conventionally an imperative sentence ("Fix …", "Refactor …"): its first verb says what
# kind of work the author called it. Only verbs that name one kind are here ("Add" and "Update" name many).
_LEADING_VERBS = {
    "fix": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "refactor": "design",
    "refactored": "design",
    "restructure": "design",
    "extract": "design",
    "simplify": "design",
    "document": "docs",
    "documented": "docs",
    "test": "tests",
    "bump": "maintenance",
    "upgrade": "maintenance",
    "pin": "maintenance",
    "release": "release",
    "optimize": "performance",
    "optimise": "performance",
    "speed": "performance",
}
_FIRST_WORD = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?([A-Za-z]+)\b")
_TICKET_TYPES = {
    "bug": "fix",
    "defect": "fix",
    "story": "feature",
    "feature": "feature",
    "improvement": "feature",
    "new feature": "feature",
    "epic": "planning",
    "task": "",
    "incident": "incident",
    "security": "security",
    "tech debt": "maintenance",
    "chore": "maintenance",
    "spike": "design",
}


def structural_labels(unit: Unit) -> dict[str, str]:
    """Labels that follow from the unit's fields, each with the reason a user would read."""
    labels: dict[str, str] = {}
    who = " and ".join(unit.people[:2])
    if unit.role == "co-author":
        labels["review"] = f"co-authored {who + '’s ' if who else 'a '}change: review suggestions applied"
    elif unit.role in ("reviewer", "merger"):
        labels["review"] = (
            f"{'merged' if unit.role == 'merger' else 'reviewed'} {who + '’s ' if who else ''}work"
        )
    elif unit.owned and unit.people:
        labels["collaboration"] = f"with {who}"
    if unit.newcomers_change is not None:  # someone's first changes the user helped land
        labels["mentoring"] = f"helped {unit.people[0]} land their {nth(unit.newcomers_change)} change"
    if unit.kind == "incident":
        labels["incident"] = "an incident record"
    if unit.kind == "kudos":
        labels["collaboration"] = f"thanks from {unit.lead.author}" if unit.lead.author else "kudos"
    ticket_type = str(unit.lead.native.get("type") or "").strip().lower()
    if _TICKET_TYPES.get(ticket_type):
        labels.setdefault(_TICKET_TYPES[ticket_type], f"a {ticket_type} ticket")
    prefix = _PREFIX.match(unit.lead.title)
    if prefix:
        kind = _CONVENTIONAL.get(prefix.group(1).lower())
        if prefix.group(2) and prefix.group(2).lower() in ("deps", "deps-dev"):
            kind = "maintenance"
        if kind:
            labels.setdefault(kind, f"“{prefix.group(1)}:” in its title")
    first = _FIRST_WORD.match(unit.lead.title)
    if first and not prefix and _LEADING_VERBS.get(first.group(1).lower()):
        labels.setdefault(_LEADING_VERBS[first.group(1).lower()], f"its title starts “{first.group(1)}”")
    total = sum(unit.areas.values())
    if total:
        for area, kind in (
            ("docs", "docs"),
            ("tests", "tests"),
            ("ci", "ci"),
            ("deps", "maintenance"),
            ("release", "release"),
        ):
            share = unit.areas.get(area, 0) / total
            if share >= 0.5 or (area == "release" and unit.areas.get(area) and total <= 3):
                labels.setdefault(kind, f"{unit.areas[area]} of {total} files in {area}")
    if unit.owned and unit.areas.get("code"):  # what projects are delivered in; measured in app/policy.py
        labels.setdefault("delivery", "a code change you owned")
    if unit.deletions >= 100 and unit.deletions >= 2 * unit.insertions and unit.owned:
        labels.setdefault("maintenance", f"removed {unit.deletions:,} lines, added {unit.insertions:,}")
    return labels


def nth(n: int) -> str:
    """1 -> "first", 2 -> "second", 3 -> "third", 4 -> "4th", 22 -> "22nd"."""
    if n in (1, 2, 3):
        return ("first", "second", "third")[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
