"""Broken input never aborts a source: each bad record is skipped and named, every good record comes through."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.sources import KINDS, Skips, SourceOptions, UsageError, connector
from tests.conftest import evidence_record

BAD = Path(__file__).resolve().parents[2] / "data" / "bad"
USER = SourceOptions(authors=["maya"])


def run(kind: str, *names: str) -> tuple[list[str], list[tuple[str, str]]]:
    skips = Skips()
    ids = [r.id for r in connector(kind)([BAD / n for n in names], USER, skips)]
    where = [(s.where.replace(str(BAD) + "/", ""), s.why) for s in skips.items]
    return ids, where


def test_malformed_csv_rows_are_named_by_line_and_good_rows_survive() -> None:
    ids, skipped = run("jira", "jira_malformed.csv")

    assert ids == ["jira:BAD-1", "jira:BAD-5", "jira:BAD-8"]  # BAD-5's "March 3rd, 2026 14:05" is readable
    assert [where for where, _ in skipped] == [f"jira_malformed.csv:{n}" for n in (4, 5, 6, 8, 9)]
    assert "2 columns" in skipped[0][1]
    assert "15 columns" in skipped[1][1]
    assert "no issue key" in skipped[2][1]
    assert "the ides of March" in skipped[3][1]
    assert "no Created" in skipped[4][1]


def test_broken_json_lines_and_invalid_records_are_named_by_line() -> None:
    ids, skipped = run("jsonl", "broken.jsonl")

    assert ids == ["jsonl:ok-1", "jsonl:ok-2", "jsonl:ok-3"]
    assert [where for where, _ in skipped] == [f"broken.jsonl:{n}" for n in (2, 3, 5, 6, 7, 9)]
    assert [why.split(":")[0] for _, why in skipped] == ["broken JSON"] * 2 + ["invalid record"] * 4


def test_empty_and_binary_files_are_named_and_latin1_text_is_read_with_a_note() -> None:
    skips = Skips()
    records = list(
        connector("notes")(
            [BAD / n for n in ("good.md", "latin1.md", "binary.md", "empty.md", "whitespace.txt")],
            USER,
            skips,
        )
    )

    assert [(r.native["path"], r.title, r.body) for r in records] == [
        ("good.md", "2026-03-04", "Shipped the thing."),
        ("latin1.md", "2026-03-02", "Good line"),
        ("latin1.md", "2026-03-03", "Café crème"),
    ]
    assert [(s.where.replace(str(BAD) + "/", ""), s.why) for s in skips.items] == [
        ("binary.md", "binary file, not text"),
        ("empty.md", "empty file"),
        ("whitespace.txt", "empty file"),
    ]
    assert [s.where.replace(str(BAD) + "/", "") for s in skips.notes] == ["latin1.md:4"]
    assert "Windows-1252" in skips.notes[0].why


def test_latin1_lines_are_read_with_a_note_and_corrupted_bytes_cost_only_their_own_line(
    tmp_path: Path,
) -> None:
    def line(n: int, title: str) -> bytes:
        return (
            json.dumps(evidence_record(n, title="@")).encode().replace(b"@", title.encode("latin-1")) + b"\n"
        )

    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_bytes(
        line(1, "Good")
        + line(2, "Caf\xe9 cr\xe8me")
        + line(3, "Na\xefve \x01 bytes")
        + line(4, "Fine")
        + b'{"title": "\xc3\xa9 and \xe9"}\n'
    )
    csv_path = tmp_path / "linear.csv"
    csv_path.write_bytes(
        b"ID,Title,Created\nENG-1,Good,2026-03-01\nENG-2,Caf\xe9,2026-03-02\n"
        b"ENG-3,\xc3\xa9t\xe9,2026-03-03\nENG-4,Fine,2026-03-04\n"
    )
    skips = Skips()

    titles = {r.id: r.title for r in connector("jsonl")([jsonl], USER, skips)}
    titles |= {r.id: r.title for r in connector("linear")([csv_path], USER, skips)}

    assert titles == {
        "jsonl:item-1": "Good",
        "jsonl:item-2": "Café crème",
        "jsonl:item-4": "Fine",
        "linear:ENG-1": "Good",
        "linear:ENG-2": "Café",
        "linear:ENG-4": "Fine",
    }
    assert [s.where for s in skips.items] == [f"{jsonl}:3", f"{jsonl}:5", f"{csv_path}:4"]
    assert [s.where for s in skips.notes] == [f"{jsonl}:2", f"{csv_path}:3"]


def test_github_json_with_missing_fields_truncation_or_an_error_body() -> None:
    ids, skipped = run("github", "gh_truncated.json", "gh_missing_fields.json", "gh_error.json")

    assert sorted(ids) == ["github:acme/x#5", "github:acme/x#8"]
    assert sorted(where for where, _ in skipped) == [
        "gh_error.json#record 1",
        "gh_missing_fields.json#record 2",
        "gh_missing_fields.json#record 3",
        "gh_missing_fields.json#record 4",
        "gh_missing_fields.json#record 5",
        "gh_truncated.json:2",
    ]


def test_mail_without_a_date_garbage_and_a_non_mbox_are_named() -> None:
    ids, skipped = run("email", "no_date.eml", "garbage.eml", "good.eml", "not_an_mbox.mbox")

    assert ids == ["email:good@acme.io"]
    assert skipped == [
        ("no_date.eml#message 1", "no Date header"),
        ("garbage.eml", "binary file, not a mail message"),
        ("not_an_mbox.mbox:1", 'not an mbox mailbox (no "From " line at the start)'),
    ]


def test_odd_date_formats_are_read_or_named(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "ID,Title,Created,Completed\n"
        "ENG-1,a,Mon Mar 02 2026 09:00:00 GMT-0500 (Eastern Standard Time),\n"
        "ENG-2,b,2026-03-02T09:00:00.000Z,2026-03-04 17:00\n"
        "ENG-3,c,02/Mar/26 9:00 AM,\n"
        "ENG-4,d,yesterday,\n"
        "ENG-5,e,2026-02-30,\n"
    )
    skips = Skips()

    dates = {r.id: r.date for r in connector("linear")([path], USER, skips)}

    assert dates == {
        "linear:ENG-1": "2026-03-02T09:00:00-05:00",
        "linear:ENG-2": "2026-03-04T17:00:00+00:00",
        "linear:ENG-3": "2026-03-02T09:00:00+00:00",
    }
    assert [s.where for s in skips.items] == [f"{path}:5", f"{path}:6"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_path_that_does_not_exist_is_a_usage_error(kind: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        list(connector(kind)([tmp_path / "does-not-exist"], USER, Skips()))


GARBAGE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=80
)


@settings(max_examples=150, deadline=None)
@given(
    goods=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8, unique=True),
    garbage=st.lists(GARBAGE, max_size=12),
    seed=st.randoms(use_true_random=False),
)
def test_garbage_lines_in_jsonl_never_lose_good_records_or_raise(
    goods: list[int], garbage: list[str], seed
) -> None:
    lines = [json.dumps(evidence_record(n)) for n in goods] + garbage
    seed.shuffle(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mixed.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        skips = Skips()

        ids = [r.id for r in connector("jsonl")([path], SourceOptions(), skips)]

    assert set(ids) >= {f"jsonl:item-{n}" for n in goods}
    garbage_lines = {f"{path}:{i}" for i, line in enumerate(lines, 1) if line in garbage}
    assert {s.where for s in skips.items} <= garbage_lines


ROW = st.lists(st.text(max_size=30).filter(lambda s: "\x00" not in s), max_size=20)


@settings(max_examples=100, deadline=None)
@given(garbage=st.lists(ROW, max_size=10), seed=st.randoms(use_true_random=False))
def test_garbage_rows_in_a_jira_export_never_lose_good_rows_or_raise(garbage: list[list[str]], seed) -> None:
    header = ["Summary", "Issue key", "Created", "Assignee", "Labels", "Labels"]
    goods = [[f"Task {n}", f"PAY-{n}", f"0{n}/Mar/26 9:00 AM", "Maya", "x", ""] for n in range(1, 5)]
    rows = goods + garbage
    seed.shuffle(rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

        ids = [r.id for r in connector("jira")([path], SourceOptions(), Skips())]

    assert set(ids) >= {"jira:PAY-1", "jira:PAY-2", "jira:PAY-3", "jira:PAY-4"}


SUFFIX = {
    "jsonl": ".jsonl",
    "jira": ".csv",
    "linear": ".csv",
    "github": ".json",
    "notes": ".md",
    "email": ".eml",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(SUFFIX)), data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode)
)
def test_any_bytes_in_any_file_are_skipped_or_read_never_raised(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{SUFFIX[kind]}"
        path.write_bytes(data)
        skips = Skips()

        records = list(connector(kind)([path], SourceOptions(), skips))

    assert all(r.id and r.date for r in records)
    assert all(s.where.startswith(str(path)) for s in skips.items)


def test_xml_with_bytes_that_are_not_text_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "search.xml"
    path.write_bytes(b"<rss>\n<\x8d")
    skips = Skips()

    records = list(connector("jira")([path], SourceOptions(), skips))

    assert records == []
    assert [s.where for s in skips.items] == [f"{path}:2"]
