"""Metrics are computed by code and each carries exactly the ids it counted."""

from __future__ import annotations

from datetime import UTC, datetime

from app.metrics import compute
from ingest.evidence import Evidence


def item(
    ident: str,
    kind: str,
    role: str = "author",
    date: str = "2026-03-01",
    author: str = "Maya Chen",
    **fields: object,
) -> Evidence:
    return Evidence(
        id=ident,
        source=str(fields.pop("source", "github")),
        kind=kind,
        title=f"item {ident}",
        date=f"{date}T10:00:00+00:00",
        author=author,
        role=role,
        **fields,
    )  # type: ignore[arg-type]


def by_name(evidence: list[Evidence], **period: datetime) -> dict:
    return {m.name: m for m in compute(evidence, **period)}


def test_prs_authored_count_merged_prs_and_own_git_merges_only() -> None:
    evidence = [
        item("github:a#1", "pr", native={"state": "merged", "repo": "a"}, stats={"cycle_time_hours": 10}),
        item("github:a#2", "pr", native={"state": "open", "repo": "a"}),
        item("git:r@m1", "pr", role="merger", source="git", extra={"pr_commit_authors": ["Maya Chen"]}),
        item("git:r@m2", "pr", role="merger", source="git", extra={"pr_commit_authors": ["Lee Park"]}),
    ]

    metrics = by_name(evidence)

    assert metrics["prs_authored"].value == 2
    assert metrics["prs_authored"].evidence == ["github:a#1", "git:r@m1"]


def test_reviews_and_merges_of_others_count_prs_and_distinct_people() -> None:
    evidence = [
        item(
            "git:r@m2",
            "pr",
            role="merger",
            source="git",
            native={"repo": "r", "pr_number": 2},
            extra={"pr_commit_authors": ["Lee Park"]},
        ),
        item(
            "git:r@m3",
            "pr",
            role="merger",
            source="git",
            native={"repo": "r", "pr_number": 3},
            extra={"pr_commit_authors": ["Lee Park", "Ana Ruiz"]},
        ),
        item("github:a#7", "pr", role="reviewer", author="@omar", native={"repo": "a", "pr_number": 7}),
        item("github:a#7/review/1", "review", role="reviewer", native={"repo": "a", "pr_number": 7}),
        item("git:r@m1", "pr", role="merger", source="git", extra={"pr_commit_authors": ["Maya Chen"]}),
    ]

    metrics = by_name(evidence)

    assert metrics["prs_reviewed_or_merged"].value == 3
    assert set(metrics["prs_reviewed_or_merged"].evidence) == {
        "git:r@m2",
        "git:r@m3",
        "github:a#7",
        "github:a#7/review/1",
    }
    assert metrics["review_authors"].value == 3  # Lee Park, Ana Ruiz, @omar


def test_lines_count_commits_and_not_the_merge_of_the_same_work() -> None:
    evidence = [
        item(
            "git:r@c1",
            "commit",
            source="git",
            native={"repo": "r"},
            stats={"insertions": 100, "deletions": 5},
        ),
        item(
            "git:r@c2", "commit", source="git", native={"repo": "r"}, stats={"insertions": 20, "deletions": 0}
        ),
        item(
            "git:r@m1",
            "pr",
            role="author",
            source="git",
            native={"repo": "r"},
            stats={"insertions": 120, "deletions": 5},
        ),
        item("github:other#4", "pr", native={"repo": "other", "state": "merged"}, stats={"insertions": 7}),
    ]

    metrics = by_name(evidence)

    assert metrics["commits"].value == 2
    assert metrics["lines_added"].value == 127
    assert set(metrics["lines_added"].evidence) == {"git:r@c1", "git:r@c2", "github:other#4"}
    assert metrics["lines_removed"].value == 5
    assert "2 commits and 1 PRs without commit history" in metrics["lines_added"].label


def test_tickets_by_type_priority_points_incidents_and_kudos() -> None:
    evidence = [
        item(
            "jira:PAY-1",
            "ticket",
            role="assignee",
            source="jira",
            native={"type": "Bug", "priority": "High", "status": "Done"},
            stats={"story_points": 3},
        ),
        item(
            "jira:PAY-2",
            "ticket",
            role="assignee",
            source="jira",
            native={"type": "Story", "priority": "Medium", "status": "Done"},
            stats={"story_points": 5},
        ),
        item(
            "jira:PAY-3",
            "ticket",
            role="assignee",
            source="jira",
            native={"type": "Bug", "status": "In Progress"},
        ),
        item(
            "jira:PAY-4", "ticket", role="reporter", source="jira", native={"type": "Bug", "status": "Done"}
        ),
        item("jira:OPS-9", "incident", role="assignee", source="jira"),
        item("email:<k1>", "kudos", role="recipient", source="email"),
    ]

    metrics = by_name(evidence)

    assert metrics["tickets_resolved"].evidence == ["jira:PAY-1", "jira:PAY-2"]
    assert metrics["tickets_resolved_bug"].evidence == ["jira:PAY-1"]
    assert metrics["tickets_resolved_story"].value == 1
    assert metrics["tickets_resolved_priority_high"].evidence == ["jira:PAY-1"]
    assert metrics["story_points"].value == 8
    assert metrics["incidents"].evidence == ["jira:OPS-9"]
    assert metrics["kudos"].evidence == ["email:<k1>"]


def test_median_cycle_time_and_the_period_filter() -> None:
    evidence = [
        item(
            "github:a#1", "pr", date="2026-01-10", native={"state": "merged"}, stats={"cycle_time_hours": 4}
        ),
        item(
            "github:a#2", "pr", date="2026-02-10", native={"state": "merged"}, stats={"cycle_time_hours": 10}
        ),
        item(
            "github:a#3", "pr", date="2026-02-20", native={"state": "merged"}, stats={"cycle_time_hours": 30}
        ),
        item(
            "github:a#4", "pr", date="2025-06-01", native={"state": "merged"}, stats={"cycle_time_hours": 99}
        ),
    ]

    metrics = by_name(evidence, since=datetime(2026, 1, 1, tzinfo=UTC))

    assert metrics["median_pr_cycle_hours"].value == 10
    assert metrics["median_pr_cycle_hours"].unit == "hours"
    assert "github:a#4" not in metrics["prs_authored"].evidence


def test_zero_valued_metrics_are_left_out() -> None:
    metrics = by_name([item("notes:brag#1", "note", source="notes")])

    assert metrics == {}


def test_whoever_merged_the_users_pr_is_not_taken_for_the_user() -> None:
    from app.metrics import user_names

    evidence = [
        item("git:r@c1", "commit", source="git"),
        item(
            "git:r@m1",
            "pr",
            author="Priya Raman",  # a merge commit's author is whoever merged it
            source="git",
            extra={"pr_commit_authors": ["Maya Chen"]},
        ),
        item("git:r@m2", "pr", role="merger", source="git", extra={"pr_commit_authors": ["Lee Park"]}),
    ]

    assert user_names(evidence) == {"maya chen"}


def test_a_login_and_the_name_git_knows_are_one_person_whose_prs_you_reviewed() -> None:
    evidence = [
        item("github:a#5", "pr", role="reviewer", author="leepark", native={"repo": "a", "pr_number": 5}),
        item(
            "git:r@m5",
            "pr",
            role="merger",
            source="git",
            native={"repo": "r", "pr_number": 6},
            extra={"pr_commit_authors": ["Lee Park"]},
        ),
        item("github:a#8", "pr", role="reviewer", author="mayachen", native={"repo": "a", "pr_number": 8}),
    ]

    metrics = by_name(evidence)

    assert metrics["review_authors"].value == 1  # leepark is Lee Park; mayachen is the user herself
    assert metrics["prs_reviewed_or_merged"].value == 2
