"""The GitHub connector on the shapes real users export: gh search prs, gh api graphql, --paginate --slurp,
state reasons, mergedBy, bots, and the migration archive (refused with what to export instead)."""

from __future__ import annotations

from pathlib import Path

from app.metrics import compute, resolved
from ingest.identity import Identity
from ingest.sources import Skips, SourceOptions
from ingest.sources.github_source import iter_records

DATA = Path(__file__).resolve().parents[2] / "data" / "github_shapes"
MAYA = SourceOptions(identity=Identity(names=["Maya Chen"], logins={"github": ["maya-chen"]}))


def read(*names: str, options: SourceOptions = MAYA) -> tuple[dict, Skips]:
    skips = Skips()
    return {e.id: e for e in iter_records([DATA / n for n in names], options, skips)}, skips


def test_open_prs_from_gh_search_are_read_with_their_creation_date() -> None:
    records, skips = read("search_prs.json")

    assert skips.items == []
    pr = records["github:acme/payments#311"]
    assert (pr.kind, pr.role, pr.date) == ("pr", "author", "2026-04-02T09:00:00+00:00")
    assert pr.stats["comments"] == 2


def test_a_bots_pr_is_never_the_users_even_without_an_identity() -> None:
    records, _ = read("search_prs.json", options=SourceOptions())

    assert records["github:acme/payments#312"].role == "mentioned"
    assert records["github:acme/payments#312"].extra["bot_author"] is True


def test_graphql_search_output_gives_prs_merger_role_and_no_bot_reviews() -> None:
    records, skips = read("graphql.json")

    assert skips.items == []
    mine, merged_for_jordan = records["github:acme/ledger#320"], records["github:acme/ledger#321"]
    assert (mine.role, mine.stats["reviews"], mine.stats["insertions"]) == ("author", 1, 240)
    assert (merged_for_jordan.role, merged_for_jordan.author) == ("merger", "maya-chen")
    assert mine.extra["merged_by"] == "raj-patel"  # who merged it: "how many PRs did Raj merge?"
    metrics = {m.name: m for m in compute(list(records.values()))}
    assert metrics["prs_authored"].evidence == ["github:acme/ledger#320"]
    assert metrics["prs_reviewed_or_merged"].evidence == ["github:acme/ledger#321"]
    assert metrics["review_authors"].value == 1  # jordan-lee


def test_paginate_slurp_pages_are_flattened_and_bots_are_not_people() -> None:
    records, skips = read("slurp.json")

    assert skips.items == []
    assert {rid: r.role for rid, r in records.items()} == {
        "github:acme/payments#330": "author",
        "github:acme/payments#331": "mentioned",
    }


def test_an_issue_closed_as_not_planned_is_not_resolved() -> None:
    records, _ = read("issues_state_reason.json")

    done, dropped = records["github:acme/payments#340"], records["github:acme/payments#341"]
    assert (done.role, resolved(done)) == ("assignee", True)
    assert (dropped.role, resolved(dropped)) == ("assignee", False)
    assert {m.name: m.value for m in compute(list(records.values()))}["tickets_resolved"] == 1


def test_the_migration_archive_is_refused_with_what_to_export_instead() -> None:
    for name in ("migration-archive.tar.gz", "migration"):
        records, skips = read(name)

        assert records == {}
        assert len(skips.items) == 1
        assert "migration archive is not read: export with `gh pr list" in skips.items[0].why
