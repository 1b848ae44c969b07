"""Email, Linear and Jira on the shapes real users export: mailboxes without an extension, Apple Mail bundles,
Outlook .msg, notifications and invites; Linear rows one field short; Jira XML, dotted dates, the url column."""

from __future__ import annotations

from pathlib import Path

from app.metrics import compute
from ingest.identity import Identity
from ingest.sources import Skips, SourceOptions
from ingest.sources.email_source import iter_records as email_records
from ingest.sources.jira_source import iter_records as jira_records
from ingest.sources.linear_source import iter_records as linear_records

DATA = Path(__file__).resolve().parents[2] / "data"
MAYA = SourceOptions(
    identity=Identity(
        names=["Maya Chen"], emails=["maya@acme.io"], logins={"jira": ["5b10ac8d82e05b22cc7d4ef5"]}
    )
)


def read(parse, paths: list[Path], options: SourceOptions = MAYA) -> tuple[dict, Skips]:  # type: ignore[no-untyped-def]
    skips = Skips()
    return {e.id: e for e in parse(paths, options, skips)}, skips


def test_a_thunderbird_mailbox_without_extension_is_read_and_notifications_are_not_kudos() -> None:
    records, skips = read(email_records, [DATA / "email_shapes" / "Inbox"])

    assert skips.items == []
    assert {rid: (e.kind, e.role) for rid, e in records.items()} == {
        "email:thanks-1@acme.io": ("kudos", "recipient"),
        "email:acme/payments/pull/311/c1@github.com": ("notification", "mentioned"),
    }


def test_a_folder_finds_bundles_emlx_and_bare_mailboxes_and_refuses_outlook_msg() -> None:
    records, skips = read(email_records, [DATA / "email_shapes"])

    kudos = {e.title for e in records.values() if e.kind == "kudos"}
    assert kudos == {
        "Thank you for the refund fix",
        "Kudos for the on-call handover",
        "Thanks for pairing on the ledger bug",
    }
    assert records["email:invite-1@acme.io"].kind == "notification"  # a calendar invite, not praise
    assert [(Path(s.where).name, s.why.split(":")[0]) for s in skips.items] == [
        ("outlook.msg", "an Outlook .msg file is not read")
    ]
    assert {m.name: m.value for m in compute(list(records.values()))}["kudos"] == 3


def test_linear_rows_one_field_short_are_read_and_two_short_are_named() -> None:
    path = DATA / "linear_shapes" / "short_rows.csv"
    records, skips = read(linear_records, [path])

    assert {rid: e.role for rid, e in records.items()} == {
        "linear:ENG-501": "assignee",
        "linear:ENG-502": "reporter",
    }
    assert [(s.where, s.why) for s in skips.items] == [(f"{path}:4", "row has 6 columns, the header has 16")]


def test_jira_xml_export_is_read_with_links_points_and_account_ids() -> None:
    records, skips = read(jira_records, [DATA / "jira" / "search.xml"])

    assert skips.items == []
    story = records["jira:PAY-142"]
    assert (story.role, story.url, story.stats["story_points"]) == (
        "assignee",
        "https://acme.atlassian.net/browse/PAY-142",
        5,
    )
    assert story.date == "2026-03-14T15:22:00+00:00"
    assert "Shadow traffic is clean." in story.body
    assert records["jira:PAY-150"].role == "reporter"
    assert "resolution" not in records["jira:PAY-150"].native


def test_dotted_jira_dates_take_their_order_from_the_file() -> None:
    records, skips = read(jira_records, [DATA / "jira" / "dotted_dates.csv"])

    assert skips.items == []
    assert records["jira:OPS-11"].date == "2026-02-11T16:30:00+00:00"  # 11 Feb, not 2 Nov
    assert records["jira:OPS-12"].date == "2026-03-05T12:00:00+00:00"


def test_ambiguous_dates_are_refused_unless_a_date_format_is_given() -> None:
    path = DATA / "jira" / "ambiguous_dates.csv"
    records, skips = read(jira_records, [path])

    assert records == {}
    assert "pass --date-format dd.MM.yyyy" in skips.items[0].why

    dayfirst = SourceOptions(identity=MAYA.identity, date_format="dd.MM.yyyy")
    records, skips = read(jira_records, [path], dayfirst)
    assert records["jira:OPS-21"].date == "2026-02-04T16:30:00+00:00"


def test_the_project_url_column_is_not_an_issue_link() -> None:
    records, _ = read(jira_records, [DATA / "jira" / "team_export.csv"])

    assert {e.url for e in records.values()} == {""}
