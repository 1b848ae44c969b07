"""The GitHub connector over gh's real JSON shapes: roles, reviews given, stats, dates and stable ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sources import Skips, SourceOptions, UsageError
from ingest.sources.github_source import iter_records

DATA = Path(__file__).resolve().parents[2] / "data" / "github"
USER = SourceOptions(authors=["maya-chen", "Maya Chen"])


def ingest(paths: list[Path], options: SourceOptions = USER) -> dict[str, object]:
    skips = Skips()
    records = {r.id: r for r in iter_records(paths, options, skips)}
    assert skips.items == []
    return records


def test_every_shape_in_a_folder_is_read_with_the_users_role() -> None:
    records = ingest([DATA])

    roles = {rid: (r.kind, r.role) for rid, r in records.items()}
    assert roles == {
        "github:acme/payments#101": ("pr", "author"),
        "github:acme/payments#102": ("pr", "reviewer"),
        "github:acme/payments#103": ("pr", "mentioned"),
        "github:acme/payments#200": ("issue", "assignee"),
        "github:acme/payments#201": ("issue", "author"),
        "github:acme/payments#202": ("issue", "mentioned"),
        "github:acme/ledger#7": ("pr", "author"),
        "github:acme/ledger#8": ("issue", "assignee"),
        "github:acme/payments#102/review/80001": ("review", "reviewer"),
        "github:acme/payments#102/review/PRR_kwDOA3": ("review", "reviewer"),
    }


def test_a_merged_pr_has_size_comments_reviews_cycle_time_and_merge_date() -> None:
    pr = ingest([DATA / "pr_list.json"])["github:acme/payments#101"]

    assert pr.stats == {
        "insertions": 412,
        "deletions": 120,
        "files_changed": 9,
        "comments": 1,
        "reviews": 1,
        "cycle_time_hours": 54.0,
    }
    assert pr.date == "2026-03-04T16:30:00+00:00"
    assert pr.author == "maya-chen"
    assert pr.url == "https://github.com/acme/payments/pull/101"
    assert pr.native == {
        "repo": "acme/payments",
        "number": 101,
        "pr_number": 101,
        "state": "merged",
        "labels": "payments",
    }


def test_a_pr_names_who_reviewed_it_besides_its_author() -> None:
    pr = ingest([DATA / "pr_list.json"])["github:acme/payments#101"]

    assert pr.extra["reviewers"] == ["raj"]  # not the author replying in a thread


def test_an_open_pr_is_dated_by_its_creation() -> None:
    pr = ingest([DATA / "pr_list.json"])["github:acme/payments#103"]

    assert pr.date == "2026-03-07T09:00:00+00:00"
    assert "cycle_time_hours" not in pr.stats


def test_search_results_read_snake_case_fields_and_the_merge_date() -> None:
    records = ingest([DATA / "search_issues.json"])

    pr = records["github:acme/ledger#7"]
    assert (pr.date, pr.stats["comments"], pr.stats["cycle_time_hours"]) == (
        "2026-02-12T09:00:00+00:00",
        3,
        48.0,
    )
    assert pr.url == "https://github.com/acme/ledger/pull/7"
    assert records["github:acme/ledger#8"].body == ""


def test_reviews_the_user_gave_are_titled_with_the_pr_and_counted_once() -> None:
    records = ingest([DATA])

    review = records["github:acme/payments#102/review/80001"]
    assert review.title == "Review of #102: changes requested (Fix flaky settlement test)"
    assert review.body == "Please add a retry test."
    assert review.date == "2026-03-05T15:00:00+00:00"
    assert review.url.endswith("#pullrequestreview-80001")
    assert sum(r.kind == "review" for r in records.values()) == 2


def test_the_authors_replies_in_review_threads_are_not_reviews_given() -> None:
    records = ingest([DATA / "pr_list.json"])

    assert not [rid for rid in records if rid.startswith("github:acme/payments#101/review/")]


def test_a_reviews_file_alone_still_gives_the_users_reviews() -> None:
    records = ingest([DATA / "pr102_reviews.json"])

    assert list(records) == ["github:acme/payments#102/review/80001"]
    assert records["github:acme/payments#102/review/80001"].title == "Review of #102: changes requested"


def test_ids_and_records_are_stable_across_runs() -> None:
    first = [r.to_dict() for r in iter_records([DATA], USER, Skips())]
    second = [r.to_dict() for r in iter_records([DATA], USER, Skips())]

    assert first == second


def test_since_and_until_filter_by_the_record_date() -> None:
    options = SourceOptions(
        authors=["maya-chen"], since=datetime(2026, 3, 5, tzinfo=UTC), until=datetime(2026, 3, 8, tzinfo=UTC)
    )

    assert set(ingest([DATA], options)) == {
        "github:acme/payments#102",
        "github:acme/payments#103",
        "github:acme/payments#102/review/80001",
        "github:acme/payments#102/review/PRR_kwDOA3",
    }


def test_someone_elses_aliases_turn_the_roles_around() -> None:
    records = ingest([DATA / "pr_list.json"], SourceOptions(authors=["RAJ"]))

    assert {rid: r.role for rid, r in records.items() if r.kind == "pr"} == {
        "github:acme/payments#101": "reviewer",
        "github:acme/payments#102": "author",
        "github:acme/payments#103": "author",
    }


def test_records_without_number_or_date_are_skipped_by_record(tmp_path: Path) -> None:
    good = json.loads((DATA / "issue_list.json").read_text())[0]
    broken = [good, {"title": "no number"}, {**good, "number": 5, "createdAt": "someday", "closedAt": None}]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(broken))
    skips = Skips()

    records = list(iter_records([path], USER, skips))

    assert [r.id for r in records] == ["github:acme/payments#200"]
    assert [s.where for s in skips.items] == [f"{path}#record 2", f"{path}#record 3"]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        list(iter_records([tmp_path / "nope.json"], USER, Skips()))


def test_paginated_gh_api_output_with_documents_back_to_back_is_read(tmp_path: Path) -> None:
    reviews = json.loads((DATA / "pr102_reviews.json").read_text())
    path = tmp_path / "paginated.json"
    path.write_text(json.dumps(reviews[:1]) + json.dumps(reviews[1:]) + "\n" + json.dumps(reviews[0]) + "\n")

    records = ingest([path])

    assert list(records) == ["github:acme/payments#102/review/80001"]


def test_reviewed_by_search_results_count_as_reviews_and_keep_the_richer_pr_record(tmp_path: Path) -> None:
    pr = {
        "number": 7,
        "title": "Retry webhooks",
        "author": {"login": "lena"},
        "createdAt": "2026-03-01T10:00:00Z",
        "mergedAt": "2026-03-02T10:00:00Z",
        "state": "MERGED",
        "url": "https://github.com/acme/pay/pull/7",
        "additions": 120,
        "deletions": 8,
        "changedFiles": 4,
        "reviews": [],
        "comments": [],
    }
    found = {
        "total_count": 2,
        "incomplete_results": False,
        "items": [
            {
                "number": 7,
                "title": "Retry webhooks",
                "html_url": "https://github.com/acme/pay/pull/7",
                "user": {"login": "lena"},
                "created_at": "2026-03-01T10:00:00Z",
                "closed_at": "2026-03-02T10:00:00Z",
                "state": "closed",
                "pull_request": {"url": "u", "html_url": "https://github.com/acme/pay/pull/7"},
            },
            {
                "number": 9,
                "title": "Fraud rules",
                "html_url": "https://github.com/acme/pay/pull/9",
                "user": {"login": "sam"},
                "created_at": "2026-04-01T10:00:00Z",
                "closed_at": None,
                "state": "open",
                "pull_request": {"url": "u", "html_url": "https://github.com/acme/pay/pull/9"},
            },
        ],
    }
    (tmp_path / "prs.json").write_text(json.dumps([pr]))
    (tmp_path / "reviewed_by_me.json").write_text(json.dumps(found))

    records = {e.id: e for e in iter_records([tmp_path], SourceOptions(authors=["mchen"]), Skips())}

    assert records["github:acme/pay#9"].role == "reviewer"
    assert records["github:acme/pay#7"].role == "reviewer"
    assert records["github:acme/pay#7"].stats["insertions"] == 120


def test_a_first_time_contributors_pr_the_user_merged_says_it_was_their_first(tmp_path: Path) -> None:
    def pr(number: int, association: str) -> dict[str, object]:
        return {
            "number": number,
            "title": f"Change {number}",
            "author": {"login": "newcomer"},
            "mergedBy": {"login": "maya-chen"},
            "authorAssociation": association,
            "createdAt": "2026-03-01T10:00:00Z",
            "mergedAt": "2026-03-02T10:00:00Z",
            "state": "MERGED",
            "url": f"https://github.com/acme/pay/pull/{number}",
        }

    path = tmp_path / "prs.json"
    bot = {**pr(3, "FIRST_TIME_CONTRIBUTOR"), "author": {"login": "renovate[bot]"}}
    path.write_text(json.dumps([pr(1, "FIRST_TIME_CONTRIBUTOR"), pr(2, "CONTRIBUTOR"), bot]))

    records = ingest([path])

    first, later = records["github:acme/pay#1"], records["github:acme/pay#2"]
    assert (first.role, first.stats["author_prior_changes"]) == ("merger", 0)
    assert "author_prior_changes" not in later.stats  # GitHub does not say how many came before
    assert "author_prior_changes" not in records["github:acme/pay#3"].stats  # a bot is no newcomer


def test_the_users_last_verdict_on_a_pr_they_reviewed_is_kept(tmp_path: Path) -> None:
    """'How many PRs did I approve?': a review's state is its verdict, the user's last one counts."""

    def review(state: str, when: str, login: str = "maya-chen") -> dict[str, object]:
        return {"author": {"login": login}, "state": state, "submittedAt": when}

    pr = {
        "number": 5,
        "title": "Refund retries",
        "author": {"login": "lena"},
        "createdAt": "2026-03-01T10:00:00Z",
        "mergedAt": "2026-03-03T10:00:00Z",
        "state": "MERGED",
        "url": "https://github.com/acme/pay/pull/5",
        "reviews": [
            review("APPROVED", "2026-03-02T12:00:00Z"),
            review("CHANGES_REQUESTED", "2026-03-01T12:00:00Z"),
            review("COMMENTED", "2026-03-02T13:00:00Z", login="jonas"),
        ],
    }
    path = tmp_path / "prs.json"
    path.write_text(json.dumps([pr]))

    record = ingest([path])["github:acme/pay#5"]

    assert (record.role, record.extra["verdict"]) == ("reviewer", "approved")
