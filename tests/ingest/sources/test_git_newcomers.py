"""How many changes an author had landed before a given one: counted from the whole history, or not at all."""

from __future__ import annotations

from pathlib import Path

from ingest.sources.git_newcomers import PriorChanges
from tests.ingest.sources.test_git_source import commit, git

ANA = ("Ana Lima", "ana@example.com")
BEN = ("Ben Okafor", "ben@example.com")


def epoch(day: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(f"{day}T09:00:00+00:00").timestamp())


def test_changes_before_a_date_are_counted_by_name_or_email_and_unknown_authors_get_no_count(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {"a.txt": "1\n"}, "First", ANA, "2026-01-01T09:00:00+00:00")
    commit(repo, {"b.txt": "1\n"}, "Second", ANA, "2026-01-02T09:00:00+00:00")
    commit(repo, {"c.txt": "1\n"}, "Ben's first", BEN, "2026-01-03T09:00:00+00:00")
    prior = PriorChanges(repo, shallow=False)

    assert prior.before("Ana Lima", "ana@example.com", epoch("2026-01-02")) == 1
    assert prior.before("Ben Okafor", "other@example.com", epoch("2026-01-03")) == 0  # his name is enough
    assert prior.before("Cleo", "cleo@example.com", epoch("2026-01-05")) is None  # never in this history


def test_a_history_that_cannot_be_read_claims_no_first_change(tmp_path: Path) -> None:
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()

    assert PriorChanges(not_a_repo, shallow=False).before("Ana Lima", "ana@example.com", 10**10) is None
    assert PriorChanges(not_a_repo, shallow=True).before("Ana Lima", "ana@example.com", 10**10) is None
