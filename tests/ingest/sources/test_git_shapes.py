"""The git connector on real-world repository shapes: squash merges, GitLab merges, .mailmap, shallow clones,
GitLab and Bitbucket remotes, and names that only look alike."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.metrics import compute
from ingest.identity import Identity
from ingest.sources import Skips, SourceOptions
from ingest.sources.git_source import iter_records
from tests.ingest.sources.test_git_source import commit, git

MAYA = ("Maya Chen", "maya@acme.io")
OLD_MAYA = ("maya", "mchen@old-laptop.local")
JORDAN = ("Jordan Lee", "jordan-lee@acme.io")
DAN = ("Dan Ortiz", "dan@acme.io")


@pytest.fixture(scope="module")
def squash_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("squash") / "payments"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, {"a.py": "1\n"}, "Initial commit", MAYA, "2026-01-05T09:00:00+00:00")
    commit(root, {"b.py": "1\n2\n"}, "Idempotent refund retries (#101)", MAYA, "2026-01-10T09:00:00+00:00")
    commit(root, {"c.py": "1\n"}, "Ledger export (#102)", JORDAN, "2026-01-11T09:00:00+00:00")
    commit(
        root,
        {"d.py": "1\n2\n3\n"},
        "Fraud rules (#103)\n\nCo-authored-by: Maya Chen <maya@acme.io>",
        DAN,
        "2026-01-12T09:00:00+00:00",
    )
    commit(root, {"e.py": "1\n"}, "Tidy up config", OLD_MAYA, "2026-01-13T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "feature/mr")
    commit(root, {"f.py": "1\n"}, "Settlement report", MAYA, "2026-01-14T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    git(
        root,
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge branch 'feature/mr' into 'main'",
        "-m",
        "Settlement report\n\nSee merge request acme/payments!7",
        "feature/mr",
        who=JORDAN,
        when="2026-01-15T09:00:00+00:00",
    )
    return root


def records(path: Path, options: SourceOptions) -> tuple[dict[str, object], Skips]:
    skips = Skips()
    found = {r.id: r for r in iter_records([path], options, skips)}
    return found, skips


def test_squash_merged_prs_are_prs_authored(squash_repo: Path) -> None:
    found, skips = records(squash_repo, SourceOptions(identity=Identity(names=["Maya Chen"])))

    prs = {r.title: (rid, r.role) for rid, r in found.items() if r.kind == "pr"}
    assert prs == {
        "Idempotent refund retries (#101)": ("git:payments#101", "author"),
        "Fraud rules (#103)": ("git:payments#103", "co-author"),
        "Merge branch 'feature/mr' into 'main'": (prs["Merge branch 'feature/mr' into 'main'"][0], "author"),
    }
    assert skips.items == []
    metrics = {m.name: m for m in compute(list(found.values()))}
    authored = metrics["prs_authored"]
    assert "git:payments#101" in authored.evidence
    assert "git:payments#102" not in authored.evidence
    assert authored.value == 2  # #101 and GitLab merge request !7
    assert metrics["prs_co_authored"].evidence == ["git:payments#103"]  # shaped, never counted as authored


def test_a_gitlab_merge_request_is_a_pr_with_its_number(squash_repo: Path) -> None:
    found, _ = records(squash_repo, SourceOptions(identity=Identity(names=["Maya Chen"])))

    merge = next(r for r in found.values() if r.title.startswith("Merge branch 'feature/mr'"))
    assert (merge.kind, merge.role, merge.native["pr_number"]) == ("pr", "author", 7)


def test_a_name_that_contains_the_alias_is_not_the_user(squash_repo: Path) -> None:
    found, _ = records(squash_repo, SourceOptions(authors=["dan"]))

    assert found == {}  # "dan" is neither "Dan Ortiz" nor "jordan-lee@acme.io"


def test_mailmap_joins_an_old_address_to_the_user(squash_repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "with-mailmap"
    subprocess.run(["git", "clone", "-q", str(squash_repo), str(clone)], check=True)
    (clone / ".mailmap").write_text("Maya Chen <maya@acme.io> maya <mchen@old-laptop.local>\n")

    found, _ = records(clone, SourceOptions(identity=Identity(emails=["maya@acme.io"])))

    tidy = next(r for r in found.values() if r.title == "Tidy up config")
    assert (tidy.role, tidy.author) == ("author", "Maya Chen")


def test_a_shallow_clone_is_warned_and_its_boundary_commit_not_credited(
    squash_repo: Path, tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "3", "--no-local", f"file://{squash_repo}", str(shallow)],
        check=True,
        capture_output=True,
    )

    found, skips = records(shallow, SourceOptions(identity=Identity(names=["Maya Chen", "maya"])))

    assert [s.why.split(":")[0] for s in skips.items] == ["shallow clone"]
    titles = {r.title for r in found.values()}
    assert {"Settlement report", "Tidy up config"} <= titles
    assert "Fraud rules (#103)" not in titles  # the boundary: its diff would be the whole tree
    assert sum(r.stats.get("insertions", 0) for r in found.values() if r.kind == "commit") == 2


@pytest.mark.parametrize(
    ("remote", "commit_url", "pr_url"),
    [
        (
            "git@gitlab.com:acme/platform/payments.git",
            "https://gitlab.com/acme/platform/payments/-/commit/",
            "https://gitlab.com/acme/platform/payments/-/merge_requests/101",
        ),
        (
            "https://bitbucket.org/acme/payments.git",
            "https://bitbucket.org/acme/payments/commits/",
            "https://bitbucket.org/acme/payments/pull-requests/101",
        ),
        ("ssh://git@git.internal.example:7999/pay/payments.git", "", ""),
    ],
)
def test_gitlab_and_bitbucket_remotes_get_links(
    squash_repo: Path, tmp_path: Path, remote: str, commit_url: str, pr_url: str
) -> None:
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(squash_repo), str(mirror)], check=True)
    git(mirror, "config", "remote.origin.url", remote)

    found, _ = records(mirror, SourceOptions(identity=Identity(names=["Maya Chen"])))

    pr = next(r for r in found.values() if r.id.endswith("#101"))
    first = next(r for r in found.values() if r.title == "Initial commit")
    assert first.url == (commit_url + first.native["sha"] if commit_url else "")
    assert pr.url == (pr_url or "")


def test_a_newcomers_change_is_counted_only_where_the_whole_history_is_there(
    squash_repo: Path, tmp_path: Path
) -> None:
    maya = SourceOptions(identity=Identity(names=["Maya Chen", "maya"]))
    full, _ = records(squash_repo, maya)
    fraud = next(r for r in full.values() if r.title == "Fraud rules (#103)")
    assert (fraud.role, fraud.stats["author_prior_changes"]) == ("co-author", 0)  # Dan's first change

    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "4", "--no-local", f"file://{squash_repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    cut, _ = records(shallow, maya)
    fraud = next(r for r in cut.values() if r.title == "Fraud rules (#103)")
    assert "author_prior_changes" not in fraud.stats  # earlier changes may be missing: no claim of a first
