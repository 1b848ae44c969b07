"""Input that once crashed or hung: special files, deep nesting, alias bombs, huge records, other encodings,
odd CSV dialects, impossible dates and numbers that are not finite. Each is read or named; none costs a good
record."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest

from ingest.evidence import MAX_RECORD_CHARS, Evidence
from ingest.sources import Skips, SourceOptions, UsageError, connector
from tests.conftest import evidence_record

BAD = Path(__file__).resolve().parents[2] / "data" / "bad"
ANYONE = SourceOptions()


def read(kind: str, *paths: Path) -> tuple[list[Evidence], Skips]:
    skips = Skips()
    return list(connector(kind)(list(paths), ANYONE, skips)), skips


def named(skips: Skips) -> list[tuple[str, str]]:
    return [(Path(s.where).name, s.why) for s in skips.items]


def finishes_within(seconds: float, work) -> object:  # type: ignore[no-untyped-def]
    """Run `work` on a thread; fail (instead of hanging the suite) when it does not finish in time."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except Exception as exc:  # noqa: BLE001 - raised again on the calling thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def test_a_fifo_named_as_a_file_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "prs.json"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block forever

    def attempt() -> str:
        with pytest.raises(UsageError) as refused:
            read("github", fifo)
        return str(refused.value)

    message = finishes_within(10, attempt)

    assert "named pipe (FIFO), not a file" in str(message)


def test_a_device_and_a_socket_are_refused_and_a_fifo_inside_a_folder_is_passed_over(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="character device"):
        read("notes", Path("/dev/zero"))
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "notes.sock"))
    try:
        with pytest.raises(UsageError, match="socket"):
            read("jsonl", tmp_path / "notes.sock")
    finally:
        sock.close()
    os.mkfifo(tmp_path / "later.md")
    (tmp_path / "brag.md").write_text("# 2026-03-04\nShipped the ledger cache.\n")

    records, skips = finishes_within(10, lambda: read("notes", tmp_path))  # type: ignore[misc]

    assert [r.title for r in records] == ["2026-03-04"]
    assert skips.items == []


def test_an_alias_bomb_in_front_matter_is_named_and_the_notes_under_it_are_read() -> None:
    records, skips = finishes_within(10, lambda: read("notes", BAD / "alias_bomb.md"))  # type: ignore[misc]

    assert [(r.date[:10], r.body) for r in records] == [
        ("2026-03-04", "Cut refund latency 38% with the ledger cache.")
    ]
    assert len(skips.items) == 1
    assert skips.items[0].where.endswith("alias_bomb.md:1")
    assert "YAML aliases" in skips.items[0].why


def test_an_impossible_date_in_front_matter_is_named_not_a_crash(tmp_path: Path) -> None:
    note = tmp_path / "retro.md"
    note.write_text("---\ndate: 2026-02-30\n---\n## 2026-03-04\nShipped it.\n")

    records, skips = read("notes", note)

    assert [r.body for r in records] == ["Shipped it."]
    assert named(skips) == [
        (
            "retro.md:1",
            "front matter not read (impossible value: day is out of range for "
            "month); the notes below it were read",
        )
    ]


def test_headings_dated_a_day_the_month_does_not_have_are_named_never_moved_to_the_1st() -> None:
    records, skips = read("notes", BAD / "impossible_dates.md")

    assert [(r.date[:10], r.body) for r in records] == [
        ("2026-03-02", "Paired with Sam on the refund retries."),
        ("2026-03-03", "Shipped the ledger cache."),
    ]
    assert [(where, why.split(":")[0]) for where, why in named(skips)] == [
        ("impossible_dates.md:4", "impossible date '31 Feb 2026'"),
        ("impossible_dates.md:7", "impossible date '2026-02-30'"),
        ("impossible_dates.md:10", "impossible date '45 March 2026'"),
    ]


@pytest.mark.parametrize("depth", [150, 400, 900, 5000])
def test_jsonl_nested_deep_costs_only_its_own_line(tmp_path: Path, depth: int) -> None:
    deep = json.dumps(evidence_record(2))[:-1] + ', "attachments": ' + "[" * depth + "]" * depth + "}"
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join([json.dumps(evidence_record(1)), deep, json.dumps(evidence_record(3))]) + "\n")

    records, skips = read("jsonl", path)

    assert [r.id for r in records] == ["jsonl:item-1", "jsonl:item-3"]
    assert named(skips) == [("deep.jsonl:2", "nested more than 100 levels deep")]


def pr(number: int, **extra: object) -> dict:
    return {
        "number": number,
        "url": f"https://github.com/acme/pay/pull/{number}",
        "title": f"PR {number}",
        "createdAt": "2026-03-01T10:00:00Z",
        "author": {"login": "maya"},
        **extra,
    }


@pytest.mark.parametrize("depth", [400, 900, 5000])
def test_github_json_nested_deep_keeps_every_pull_request(tmp_path: Path, depth: int) -> None:
    text = json.dumps([pr(1), pr(2, body="x"), pr(3)], indent=1)
    text = text.replace('"body": "x"', '"body": ' + "[" * depth + "]" * depth)
    path = tmp_path / "prs.json"
    path.write_text(text)

    records, skips = read("github", path)

    assert sorted(r.id for r in records) == ["github:acme/pay#1", "github:acme/pay#2", "github:acme/pay#3"]
    line = text[: text.index("[[[")].count("\n") + 1
    assert named(skips) == [
        (f"prs.json:{line}", "a value nested more than 100 levels deep was left out (the rest was read)")
    ]


def test_jira_search_json_nested_deep_keeps_every_issue(tmp_path: Path) -> None:
    def issue(key: str, description: object = None) -> dict:
        return {
            "key": key,
            "fields": {
                "summary": f"Issue {key}",
                "created": "2026-03-01T10:00:00.000+0000",
                "description": description,
            },
        }

    deep = '{"type": "paragraph", "content": [' * 450 + '{"type": "text", "text": "bottom"}' + "]}" * 450
    path = tmp_path / "search.json"
    path.write_text(
        json.dumps({"issues": [issue("PAY-1"), issue("PAY-2", "@"), issue("PAY-3")]}).replace('"@"', deep)
    )

    records, skips = read("jira", path)

    assert sorted(r.id for r in records) == ["jira:PAY-1", "jira:PAY-2", "jira:PAY-3"]
    assert [why for _, why in named(skips)] == [
        "a value nested more than 100 levels deep was left out (the rest was read)"
    ]


def test_a_50_mb_record_is_named_quickly_and_the_good_records_are_kept(tmp_path: Path) -> None:
    body = "Reduced refund latency with a ledger cache. " * (50_000_000 // 44)
    jsonl = tmp_path / "big.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(r)
            for r in (
                evidence_record(1),
                evidence_record(2, body=body),
                evidence_record(3, body="x" * (MAX_RECORD_CHARS - 40)),
            )
        )
    )
    note = tmp_path / "big.md"
    note.write_text(f"# 2026-03-01\nGood entry.\n# 2026-03-02\n{body}\n# 2026-03-03\nAnother.\n")

    jsonl_read, note_read = finishes_within(60, lambda: (read("jsonl", jsonl), read("notes", note)))  # type: ignore[misc]

    (records, skips), (notes, note_skips) = jsonl_read, note_read
    assert [r.id for r in records] == ["jsonl:item-1", "jsonl:item-3"]
    assert named(skips)[0][0] == "big.jsonl:2"
    assert named(skips)[0][1].startswith("record too large")
    assert [r.body for r in notes] == ["Good entry.", "Another."]
    assert named(note_skips) == [
        (
            "big.md:3",
            f"record too large: {len(body.strip()) + 10:,} characters of text "
            f"(the limit is {MAX_RECORD_CHARS:,})",
        )
    ]


def test_utf16_without_a_byte_order_mark_is_read_with_a_note() -> None:
    records, skips = read("linear", BAD / "utf16_nobom.csv")

    assert [(r.id, r.title) for r in records] == [("linear:ENG-1", "Café crème"), ("linear:ENG-2", "Ledger")]
    assert skips.items == []
    assert [s.why for s in skips.notes] == ["read as UTF-16-LE (the file has no byte-order mark)"]


def test_a_semicolon_separated_export_is_read_by_its_delimiter() -> None:
    records, skips = read("jira", BAD / "semicolon.csv")

    assert [(r.id, r.title, r.stats.get("story_points")) for r in records] == [
        ("jira:PAY-1", "Refunds; retries", 3),
        ("jira:PAY-2", "Ledger cache", 5),
    ]
    assert skips.items == []


def test_excel_sep_line_and_tab_separated_rows_are_read(tmp_path: Path) -> None:
    excel = tmp_path / "excel.csv"
    excel.write_text("sep=|\nID|Title|Created\nENG-1|Pipes, commas; all text|2026-03-01\n")
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("ID\tTitle\tCreated\nENG-2\tTabbed, with a comma\t2026-03-02\n")

    records, skips = read("linear", excel, tabs)

    assert [(r.id, r.title) for r in records] == [
        ("linear:ENG-1", "Pipes, commas; all text"),
        ("linear:ENG-2", "Tabbed, with a comma"),
    ]
    assert skips.items == []


def test_a_quote_that_never_closes_costs_only_its_own_row() -> None:
    records, skips = read("linear", BAD / "runaway_quote.csv")

    assert [(r.id, r.title) for r in records] == [
        ("linear:ENG-2", "Good"),
        ("linear:ENG-3", "Quoted, fine"),
        ("linear:ENG-4", "A description\nover two lines"),
        ("linear:ENG-5", "Last"),
    ]
    assert [where for where, _ in named(skips)] == ["runaway_quote.csv:2"]
    assert "malformed CSV row" in skips.items[0].why


def test_a_quote_left_open_on_the_last_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tail.csv"
    path.write_text('ID,Title,Created\nENG-1,Good,2026-03-01\nENG-2,"Never closed,2026-03-02\n')

    records, skips = read("linear", path)

    assert [r.id for r in records] == ["linear:ENG-1"]
    assert [where for where, _ in named(skips)] == ["tail.csv:3"]


def test_not_a_number_and_infinite_story_points_and_impossible_dates_are_named() -> None:
    records, skips = read("jira", BAD / "odd_numbers.csv")

    assert [(r.id, r.stats["story_points"]) for r in records] == [("jira:PAY-1", 3), ("jira:PAY-5", 2)]
    assert [where for where, _ in named(skips)] == [
        "odd_numbers.csv:3",
        "odd_numbers.csv:4",
        "odd_numbers.csv:5",
    ]
    assert "not a finite number" in skips.items[0].why
    assert "not a finite number" in skips.items[1].why
    assert "2026-02-30" in skips.items[2].why


def test_non_finite_stats_in_jsonl_are_named(tmp_path: Path) -> None:
    path = tmp_path / "points.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(evidence_record(1)),
                '{"id": "jsonl:nan", "source": "jsonl", '
                '"kind": "ticket", "title": "t", "date": "2026-03-01", "stats": {"points": NaN}}',
                json.dumps(evidence_record(2, stats={"points": float("inf")})),
            ]
        )
    )

    records, skips = read("jsonl", path)

    assert [r.id for r in records] == ["jsonl:item-1"]
    assert [where for where, _ in named(skips)] == ["points.jsonl:2", "points.jsonl:3"]
    assert all("not a finite number" in why for _, why in named(skips))


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://github.com/acme/pay/pull/7", "https://github.com/acme/pay/pull/7"),
        ("http://jira.local:8080/browse/PAY-1", "http://jira.local:8080/browse/PAY-1"),
        ("javascript:alert(document.cookie)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("file:///etc/passwd", ""),
        ("https://user:pw@evil.example/", ""),
        ("//evil.example/x", ""),
        ("https://ok.example/\x00", ""),
    ],
)
def test_only_http_links_are_kept_and_the_record_is_read(tmp_path: Path, url: str, kept: str) -> None:
    path = tmp_path / "links.jsonl"
    path.write_text(json.dumps(evidence_record(1, url=url)) + "\n")

    records, skips = read("jsonl", path)

    assert [(r.id, r.url) for r in records] == [("jsonl:item-1", kept)]
    assert skips.items == []


def test_a_fifo_is_refused_for_every_kind_of_source(tmp_path: Path) -> None:
    fifo = tmp_path / "waiting"
    os.mkfifo(fifo)

    for kind in ("git", "github", "jira", "linear", "notes", "email", "jsonl"):
        with pytest.raises(UsageError, match="named pipe"):
            finishes_within(10, lambda kind=kind: read(kind, fifo))


def test_a_commit_message_over_the_record_limit_is_named_and_the_other_commits_kept(tmp_path: Path) -> None:
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Maya",
        "GIT_AUTHOR_EMAIL": "maya@acme.io",
        "GIT_COMMITTER_NAME": "Maya",
        "GIT_COMMITTER_EMAIL": "maya@acme.io",
    }

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True, env=env
        ).stdout.strip()

    git("init", "-q")
    shas = []
    for n, message in enumerate(
        ["Cut refund latency", "Huge\n\n" + "refund " * 100_000, "Ship ledger cache"]
    ):
        (tmp_path / f"f{n}.txt").write_text(str(n))
        (tmp_path.parent / "message.txt").write_text(message)
        git("add", ".")
        git("commit", "-q", "-F", str(tmp_path.parent / "message.txt"))
        shas.append(git("rev-parse", "HEAD"))

    records, skips = read("git", tmp_path)

    assert sorted(r.native["sha"] for r in records) == sorted([shas[0], shas[2]])
    assert named(skips) == [
        (
            f"{tmp_path.name}@{shas[1][:12]}",
            "record too large: 700,003 characters of text (the limit is 500,000)",
        )
    ]


def mail(n: int, date: str = "Mon, 02 Mar 2026 10:00:00 +0000", body: str = "Thanks!") -> str:
    return (
        f"From priya@acme.io Mon Mar  2 10:00:00 2026\nFrom: Priya <priya@acme.io>\nTo: maya@acme.io\n"
        f"Subject: Kudos {n}\nDate: {date}\nMessage-ID: <m{n}@acme.io>\n\n{body}\n\n"
    )


def test_a_stray_nul_in_one_mail_costs_only_that_mail_and_a_year_9999_date_is_named(tmp_path: Path) -> None:
    box = tmp_path / "kudos.mbox"
    box.write_text(
        mail(1) + mail(2, body="a\x00b") + mail(3, date="Fri, 31 Dec 9999 10:00:00 +0000") + mail(4)
    )

    records, skips = read("email", box)

    assert [r.id for r in records] == ["email:m1@acme.io", "email:m2@acme.io", "email:m4@acme.io"]
    assert named(skips) == [("kudos.mbox#message 3", "date out of range: '9999-12-31T10:00:00+00:00'")]


def test_old_mac_line_endings_and_nul_padding_cost_nothing(tmp_path: Path) -> None:
    note = tmp_path / "standups.txt"
    note.write_bytes(b"2026-03-02 standup\rShipped retries.\r2026-03-03 standup\rReviewed the cache.\r")
    jsonl = tmp_path / "padded.jsonl"
    jsonl.write_bytes(
        json.dumps(evidence_record(1)).encode()
        + b"\n"
        + json.dumps(evidence_record(2)).encode()
        + b"\x00" * 4096
    )

    notes, note_skips = read("notes", note)
    records, skips = read("jsonl", jsonl)

    assert [(r.date[:10], r.body) for r in notes] == [
        ("2026-03-02", "Shipped retries."),
        ("2026-03-03", "Reviewed the cache."),
    ]
    assert [r.id for r in records] == ["jsonl:item-1", "jsonl:item-2"]
    assert note_skips.items == skips.items == []


def test_jira_json_with_a_names_list_instead_of_a_map_is_read(tmp_path: Path) -> None:
    path = tmp_path / "search.json"
    path.write_text(
        json.dumps(
            {
                "names": [1, 2],
                "issues": [
                    {
                        "key": "PAY-1",
                        "fields": {"summary": "Refunds", "created": "2026-03-01T10:00:00.000+0000"},
                    }
                ],
            }
        )
    )

    records, skips = read("jira", path)

    assert [r.id for r in records] == ["jira:PAY-1"]
