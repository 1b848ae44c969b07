"""The notes connector over a small Obsidian-like vault: dated entries, inferred dates, kinds and ids."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingest.sources import Skips, SourceOptions, UsageError
from ingest.sources.notes_source import file_key, find_date, iter_records

VAULT = Path(__file__).resolve().parents[2] / "data" / "notes" / "vault"
USER = SourceOptions(authors=["Maya Chen"])


def nid(rel: str, entry: str, root: Path = VAULT) -> str:
    """The id of an entry of the file at `root / rel`."""
    return f"notes:{file_key(root / rel)}#{entry}"


def ingest(paths: list[Path], options: SourceOptions = USER) -> dict[str, object]:
    skips = Skips()
    records = {r.id: r for r in iter_records(paths, options, skips)}
    assert skips.items == []
    return records


def test_dated_headings_split_a_vault_into_entries_and_obsidian_settings_are_skipped() -> None:
    records = ingest([VAULT])

    assert {rid: (r.kind, r.date[:10]) for rid, r in records.items()} == {
        nid("brag-2026.md", "0"): ("brag", "2026-01-02"),
        nid("brag-2026.md", "2026-01-05"): ("brag", "2026-01-05"),
        nid("brag-2026.md", "2026-02-14"): ("brag", "2026-02-14"),
        nid("brag-2026.md", "2026-02-14~2"): ("brag", "2026-02-14"),
        nid("brag-2026.md", "2026-03-01"): ("brag", "2026-03-01"),
        nid("1-1-priya.md", "2026-03-14"): ("one-on-one", "2026-03-14"),
        nid("1-1-priya.md", "2026-03-28"): ("one-on-one", "2026-03-28"),
        nid("journal/2026-02-10.md", "0"): ("note", "2026-02-10"),
        nid("journal/standups.txt", "2026-03-02"): ("note", "2026-03-02"),
        nid("journal/standups.txt", "2026-03-09"): ("note", "2026-03-09"),
    }
    assert all(r.role == "author" and r.source == "notes" for r in records.values())


def test_an_entry_keeps_its_heading_as_title_and_its_sub_headings_and_code() -> None:
    records = ingest([VAULT])

    feb = records[nid("brag-2026.md", "2026-02-14")]
    assert feb.title == "14 Feb 2026"
    assert feb.body == (
        "- Mentored Sam through his first on-call week.\n\n### Details\n"
        "A sub-heading stays inside its dated entry."
    )
    march = records[nid("brag-2026.md", "2026-03-01")]
    assert "# 2026-03-30 not a heading inside code" in march.body
    assert records[nid("1-1-priya.md", "2026-03-14")].title == "2026-03-14 1:1 with Priya"


def test_text_before_the_first_dated_heading_is_dated_by_the_file_and_says_so() -> None:
    records = ingest([VAULT])

    intro = records[nid("brag-2026.md", "0")]
    assert intro.title == "brag-2026"
    assert intro.body.splitlines()[0] == "(Undated: dated by the file.)"
    assert "Goals this year" in intro.body
    assert intro.extra["date_inferred"] == "file"
    assert records[nid("journal/2026-02-10.md", "0")].extra == {"date_inferred": "file"}


def test_headings_without_a_year_take_it_from_the_file_name_or_the_heading_before() -> None:
    records = ingest([VAULT])

    assert records[nid("brag-2026.md", "2026-01-05")].title == "Week of 5 Jan"
    assert records[nid("1-1-priya.md", "2026-03-28")].extra == {"date_inferred": "year"}


def test_a_file_with_no_dates_anywhere_is_dated_by_its_mtime(tmp_path: Path) -> None:
    note = tmp_path / "ideas.md"
    note.write_text("# Ideas\n\nBatch the ledger writes.\n")
    stamp = datetime(2025, 11, 3, 15, 0, tzinfo=UTC).timestamp()
    os.utime(note, (stamp, stamp))

    (record,) = ingest([note]).values()

    assert (record.id, record.date, record.title) == (
        nid("ideas.md", "0", tmp_path),
        "2025-11-03T00:00:00+00:00",
        "ideas",
    )


def test_ids_follow_the_file_not_the_folder_it_was_reached_through() -> None:
    through_folder = {r.id for r in iter_records([VAULT], USER, Skips())}
    named_directly = {r.id for r in iter_records([VAULT / "journal" / "standups.txt"], USER, Skips())}

    assert named_directly == {
        nid("journal/standups.txt", "2026-03-02"),
        nid("journal/standups.txt", "2026-03-09"),
    }
    assert named_directly <= through_folder


def test_two_files_with_one_name_and_one_dated_heading_keep_both_their_entries(tmp_path: Path) -> None:
    for team, text in (("payments", "Cut refund latency 38%."), ("search", "Shipped the new ranking.")):
        (tmp_path / team).mkdir()
        (tmp_path / team / "retro.md").write_text(f"# 2026-03-04\n{text}\n")

    first = ingest([tmp_path / "payments" / "retro.md"])
    second = ingest([tmp_path / "search" / "retro.md"])
    again = ingest([tmp_path / "payments" / "retro.md"])

    assert len(first) == len(second) == 1
    assert set(first).isdisjoint(second)
    assert set(again) == set(first)
    assert [r.body for r in first.values()] == ["Cut refund latency 38%."]
    assert [r.body for r in second.values()] == ["Shipped the new ranking."]
    assert all(
        r.title == "2026-03-04" and r.native["path"] == "retro.md"
        for r in [*first.values(), *second.values()]
    )


def test_the_period_filters_entries_not_files() -> None:
    options = SourceOptions(since=datetime(2026, 3, 1, tzinfo=UTC), until=datetime(2026, 3, 10, tzinfo=UTC))

    assert set(ingest([VAULT / "brag-2026.md", VAULT / "journal"], options)) == {
        nid("brag-2026.md", "2026-03-01"),
        nid("journal/standups.txt", "2026-03-02"),
        nid("journal/standups.txt", "2026-03-09"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("14 Mar 2026", date(2026, 3, 14)),
        ("Week of 3 Mar", date(2026, 3, 3)),
        ("Week of March 3, 2026", date(2026, 3, 3)),
        ("March 2026", date(2026, 3, 1)),
        ("2026-03-14 1:1 with Priya", date(2026, 3, 14)),
        ("Sept 9th", date(2026, 9, 9)),
        ("Highlights", None),
        ("May the force", None),
    ],
)
def test_dated_heading_forms(text: str, expected: date | None) -> None:
    assert find_date(text, 2026)[0] == expected


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        list(iter_records([tmp_path / "nope"], USER, Skips()))


SHAPES = Path(__file__).resolve().parents[2] / "data" / "notes" / "shapes"


def _copy(tmp_path: Path, rel: str, modified: datetime) -> Path:
    """A fixture copied with a chosen mtime (a checkout gives every file the time of the checkout)."""
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((SHAPES / rel).read_bytes())
    os.utime(target, (modified.timestamp(), modified.timestamp()))
    return target


def _dates(records: dict[str, object]) -> dict[str, str]:
    return {r.title: r.date[:10] for r in records.values()}  # type: ignore[attr-defined]


def test_headings_without_a_year_never_land_after_the_file_was_last_changed(tmp_path: Path) -> None:
    brag = _copy(tmp_path, "brag.md", datetime(2026, 6, 30, 12, 0, tzinfo=UTC))

    records = ingest([brag])

    assert _dates(records) == {
        "Week of Nov 10": "2025-11-10",
        "Week of March 10": "2026-03-10",
        "Q2": "2026-04-01",
    }
    assert all(r.extra.get("date_inferred") == "year" for r in records.values())


def test_a_quarter_section_is_its_own_entry_not_part_of_the_week_before(tmp_path: Path) -> None:
    brag = _copy(tmp_path, "brag.md", datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    plan = _copy(tmp_path, "planning.txt", datetime(2026, 6, 30, 12, 0, tzinfo=UTC))

    records = {(r.native["path"], r.title): r for r in ingest([brag, plan]).values()}

    assert records["brag.md", "Week of March 10"].body == "- Cut refund latency 38% with idempotent retries."
    assert records["brag.md", "Q2"].body == "- Led the ledger migration: 14 services moved."
    quarter = records["planning.txt", "Q2 2026"]
    assert (quarter.date[:10], quarter.extra["period"], quarter.body) == (
        "2026-04-01",
        "2026-Q2",
        "Own the ledger migration end to end.",
    )
    assert records["planning.txt", "Week of March 10"].body == "Drafted the payouts roadmap."


def test_a_file_modified_in_the_future_gives_no_future_dates(tmp_path: Path) -> None:
    brag = _copy(tmp_path, "brag.md", datetime(2031, 5, 1, tzinfo=UTC))
    today = datetime.now(UTC).date()

    records = ingest([brag])

    assert records
    assert all(date.fromisoformat(r.date[:10]) <= today for r in records.values())


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("14-03-2026.md", "2026-03-14"),
        ("journals/2026_03_14.md", "2026-03-14"),
        ("Payments sync 3f2a8e20190c4d1e9b7a6c5d4e3f2a1b.md", "2026-03-12"),
    ],
)
def test_daily_notes_and_notion_pages_are_dated_by_name_or_content_not_mtime(
    tmp_path: Path, rel: str, expected: str
) -> None:
    note = _copy(tmp_path, rel, datetime(2026, 5, 1, tzinfo=UTC))

    (record,) = ingest([note]).values()

    assert record.date[:10] == expected
    assert record.extra == {"date_inferred": "file"}


def test_a_notion_page_id_is_neither_its_title_nor_its_year(tmp_path: Path) -> None:
    ideas = _copy(tmp_path, "Ideas 8e2019ab4c5d4e6f9a0b1c2d3e4f5a6b.md", datetime(2026, 3, 20, tzinfo=UTC))
    sync = _copy(
        tmp_path, "Payments sync 3f2a8e20190c4d1e9b7a6c5d4e3f2a1b.md", datetime(2026, 5, 1, tzinfo=UTC)
    )

    records = ingest([ideas, sync])

    assert sorted(_dates(records).items()) == [("14 Mar", "2026-03-14"), ("Payments sync", "2026-03-12")]
