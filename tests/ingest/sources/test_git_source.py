"""The git connector over a real repository built in a temp dir: roles, PRs, stats, ids, bare clones."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sources import Skips, SourceOptions, UsageError
from ingest.sources.git_source import iter_records

ALICE = ("Alice Smith", "alice@example.com")
BOB = ("Bob Jones", "bob@example.com")
CAROL = ("Carol White", "carol@example.com")
USER = SourceOptions(authors=["alice@example.com", "Alice Smith"])


def git(repo: Path, *args: str, who: tuple[str, str] = ALICE, when: str = "2026-01-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def commit(repo: Path, files: dict[str, str | bytes], message: str, who: tuple[str, str], when: str) -> str:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, who=who, when=when)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("git") / "checkout"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, {"app.py": "a\nb\n"}, "Initial commit", ALICE, "2026-01-05T09:00:00+01:00")
    commit(
        root,
        {"retry.py": "x\ny\nz\n"},
        "Add retry helper\n\nBackoff with jitter.\n\nCo-authored-by: Alice Smith <alice@example.com>",
        BOB,
        "2026-01-10T09:00:00+00:00",
    )
    git(root, "checkout", "-q", "-b", "feature")
    commit(root, {"flag.py": "1\n2\n3\n4\n"}, "Add feature flag", BOB, "2026-01-12T09:00:00+00:00")
    commit(root, {"app.py": "a\nB\nc\n"}, "Wire flag into checkout", BOB, "2026-01-13T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    commit(root, {"docs.md": "docs\n"}, "Update docs", CAROL, "2026-01-14T09:00:00+00:00")
    git(
        root,
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge pull request #12 from bob/feature",
        "-m",
        "Feature flags for checkout",
        "feature",
        who=ALICE,
        when="2026-01-15T09:00:00+00:00",
    )
    commit(
        root,
        {"retry.py": "x\nY\nz\n", "logo.png": b"\x89PNG\x00\x01\x02"},
        "Fix retries (#34)",
        ALICE,
        "2026-02-01T12:30:00-05:00",
    )
    git(root, "checkout", "-q", "-b", "cleanup")
    commit(root, {"old.py": "gone\n"}, "Remove dead code", ALICE, "2026-02-03T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    git(
        root,
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge pull request #40 from alice/cleanup",
        "-m",
        "Clean up dead code",
        "cleanup",
        who=CAROL,
        when="2026-02-04T09:00:00+00:00",
    )
    git(root, "checkout", "-q", "-b", "misc")
    commit(root, {"misc.txt": "m\n"}, "Misc change", CAROL, "2026-02-05T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    git(
        root,
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge branch 'misc'",
        "misc",
        who=ALICE,
        when="2026-02-06T09:00:00+00:00",
    )
    return root


def ingest(path: Path, options: SourceOptions = USER) -> dict[str, object]:
    skips = Skips()
    records = {_key(record): record for record in iter_records([path], options, skips)}
    assert skips.items == []
    return records


def _key(record) -> str:  # type: ignore[no-untyped-def]
    """Records by title; a squash-merged PR's own record beside its commit as "PR: <title>"."""
    return f"PR: {record.title}" if record.native.get("merge") == "squash" else record.title


def test_the_users_commits_prs_and_co_authored_work_are_found_with_roles(repo: Path) -> None:
    records = ingest(repo)

    roles = {title: (r.kind, r.role) for title, r in records.items()}
    assert roles == {
        "Initial commit": ("commit", "author"),
        "Add retry helper": ("commit", "co-author"),
        "Merge pull request #12 from bob/feature": ("pr", "merger"),
        "Fix retries (#34)": ("commit", "author"),
        "PR: Fix retries (#34)": ("pr", "author"),
        "Remove dead code": ("commit", "author"),
        "Merge pull request #40 from alice/cleanup": ("pr", "author"),
    }


def test_someone_elses_change_says_how_many_changes_its_author_had_landed_before(repo: Path) -> None:
    records = ingest(repo)

    assert records["Add retry helper"].stats["author_prior_changes"] == 0  # Bob's first change
    assert records["Add retry helper"].stats["user_commits"] == 1  # one trailer naming Alice
    assert records["Merge pull request #12 from bob/feature"].stats["author_prior_changes"] == 1
    own = [r for r in records.values() if r.role == "author"]
    assert own
    assert all("author_prior_changes" not in r.stats for r in own)


def test_a_merged_pr_has_its_number_net_stats_and_the_authors_of_its_commits(repo: Path) -> None:
    pr = ingest(repo)["Merge pull request #12 from bob/feature"]

    assert pr.native["pr_number"] == 12
    assert pr.body == "Feature flags for checkout"
    assert pr.author == "Alice Smith"
    assert pr.extra["pr_commit_authors"] == ["Bob Jones"]
    assert pr.stats == {
        "files_changed": 2,
        "insertions": 6,
        "deletions": 1,
        "author_prior_changes": 1,  # Bob's "Add retry helper" landed before his branch
    }
    assert sorted(pr.extra["files"]) == ["app.py", "flag.py"]
    assert pr.date == "2026-01-15T09:00:00+00:00"


def test_squash_commit_keeps_its_pr_number_and_binary_files_count_as_changed(repo: Path) -> None:
    squash = ingest(repo)["Fix retries (#34)"]

    assert squash.native["pr_number"] == 34
    assert squash.stats == {"files_changed": 2, "insertions": 1, "deletions": 1}
    assert squash.date == "2026-02-01T12:30:00-05:00"


def test_trailers_leave_the_body_and_name_the_co_authors(repo: Path) -> None:
    record = ingest(repo)["Add retry helper"]

    assert record.body == "Backoff with jitter."
    assert record.extra["co_authors"] == ["Alice Smith"]
    assert record.author == "Bob Jones"


def test_ids_are_stable_across_runs_and_match_the_shape_of_real_records(repo: Path) -> None:
    first = [r.to_dict() for r in iter_records([repo], USER, Skips())]
    second = [r.to_dict() for r in iter_records([repo], USER, Skips())]

    assert first == second
    sha = first[0]["native"]["sha"]
    assert first[0]["id"] == f"git:checkout@{sha[:12]}"
    assert first[0]["url"] == ""
    assert set(first[0]) >= {
        "id",
        "source",
        "kind",
        "title",
        "body",
        "author",
        "date",
        "url",
        "role",
        "native",
        "stats",
        "files",
    }


def test_a_bare_clone_gives_the_same_records(repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "checkout.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)

    assert {r.id: r.to_dict() for r in ingest(bare).values()} == {
        r.id: r.to_dict() for r in ingest(repo).values()
    }


def test_a_github_remote_names_the_repo_and_links_commits(repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    git(bare, "config", "remote.origin.url", "git@github.com:acme/payments.git")

    record = ingest(bare)["Initial commit"]

    assert record.id.startswith("git:acme/payments@")
    assert record.native["repo"] == "acme/payments"
    assert record.url == f"https://github.com/acme/payments/commit/{record.native['sha']}"


def test_author_aliases_are_case_insensitive_and_pick_another_persons_work(repo: Path) -> None:
    records = ingest(repo, SourceOptions(authors=["BOB@EXAMPLE.COM"]))

    assert {t: r.role for t, r in records.items()} == {
        "Add retry helper": "author",
        "Add feature flag": "author",
        "Wire flag into checkout": "author",
        "Merge pull request #12 from bob/feature": "author",
    }


def test_since_and_until_filter_by_commit_date(repo: Path) -> None:
    options = SourceOptions(
        authors=["alice smith"],
        since=datetime(2026, 1, 15, tzinfo=UTC),
        until=datetime(2026, 2, 2, tzinfo=UTC),
    )

    assert set(ingest(repo, options)) == {
        "Merge pull request #12 from bob/feature",
        "Fix retries (#34)",
        "PR: Fix retries (#34)",
    }


def test_no_authors_means_everything_authored_is_the_users(repo: Path) -> None:
    records = ingest(repo, SourceOptions())

    assert len(records) == 11
    assert "Merge branch 'misc'" not in records


def test_a_folder_that_is_not_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a git repository"):
        list(iter_records([tmp_path], USER, Skips()))
    with pytest.raises(UsageError, match="no such file"):
        list(iter_records([tmp_path / "missing"], USER, Skips()))


def test_an_empty_repository_is_reported_not_raised(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    skips = Skips()

    records = list(iter_records([tmp_path], USER, skips))

    assert records == []
    assert [(s.where, s.why) for s in skips.items] == [(str(tmp_path), "repository has no commits yet")]


def test_a_merged_pr_with_its_commits_and_a_squash_commit_with_its_pr_are_one_unit_each(repo: Path) -> None:
    from app.units import build

    records = ingest(repo)

    units = {u.key: u for u in build(records.values())}
    cleanup = next(u for u in units.values() if u.number == 40)
    assert {e.title for e in cleanup.items} == {
        "Merge pull request #40 from alice/cleanup",
        "Remove dead code",
    }
    squash = next(u for u in units.values() if u.number == 34)
    assert {e.kind for e in squash.items} == {"commit", "pr"}
    assert squash.role == "author"
