"""The email connector over .eml files and an mbox: kudos with sender, recipients, roles, bodies, dates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sources import Skips, SourceOptions, UsageError
from ingest.sources.email_source import html_text, iter_records

DATA = Path(__file__).resolve().parents[2] / "data" / "email"
USER = SourceOptions(authors=["maya@acme.io", "Maya Chen"])


def ingest(paths: list[Path], options: SourceOptions = USER) -> tuple[dict[str, object], Skips]:
    skips = Skips()
    return {r.id: r for r in iter_records(paths, options, skips)}, skips


def test_a_plain_text_kudos_mail_becomes_evidence_addressed_to_the_user() -> None:
    records, skips = ingest([DATA / "thanks-refunds.eml"])

    mail = records["email:CAF3kudos-001@mail.acme.io"]
    assert (mail.kind, mail.role, mail.author) == ("kudos", "recipient", "Priya Nair")
    assert mail.title == "Thank you for the refunds migration!"
    assert mail.date == "2026-03-13T17:42:10+01:00"
    assert "dropped from 40 a week to 3" in mail.body
    assert mail.extra["recipients"] == ["Maya Chen <maya@acme.io>", "Payments Team <payments@acme.io>"]
    assert mail.native == {"message_id": "CAF3kudos-001@mail.acme.io"}
    assert skips.items == []


def test_an_html_only_mail_is_read_as_text_with_a_decoded_subject() -> None:
    records, _ = ingest([DATA / "shoutout-html.eml"])

    mail = records["email:shoutout-77@acme.io"]
    assert mail.title == "Shout-out 🎉 incident response"
    assert "Shout-out to Maya Chen for running the PAY-150 incident: rollback in 2 hours." in mail.body
    assert "<" not in mail.body
    assert "color" not in mail.body
    assert mail.role == "mentioned"  # sent to a list, not to the user


def test_roles_follow_who_sent_and_who_received() -> None:
    records, _ = ingest([DATA])

    assert sorted((r.title, r.role) for r in records.values()) == [
        ("Great design review", "recipient"),
        ("Shout-out 🎉 incident response", "mentioned"),
        ("Thank you for the refunds migration!", "recipient"),
        ("Thanks for pairing", "recipient"),
        ("Thanks for the runbook review", "author"),
    ]


def test_mbox_messages_without_a_readable_date_are_skipped_by_number() -> None:
    records, skips = ingest([DATA / "kudos.mbox"])

    assert len(records) == 2
    assert "email:mbox-1@acme.io" in records
    assert [(s.where, s.why) for s in skips.items] == [
        (f"{DATA / 'kudos.mbox'}#message 2", "no Date header"),
        (f"{DATA / 'kudos.mbox'}#message 3", "unreadable Date header 'sometime last week'"),
    ]


def test_a_mail_without_message_id_gets_a_stable_hashed_id() -> None:
    first, _ = ingest([DATA])
    second, _ = ingest([DATA])

    assert [r.to_dict() for r in first.values()] == [r.to_dict() for r in second.values()]
    assert len([rid for rid in first if rid.startswith("email:sha1-")]) == 2


def test_the_period_filter_applies_to_the_date_header() -> None:
    options = SourceOptions(authors=["maya@acme.io"], since=datetime(2026, 3, 1, tzinfo=UTC))

    records, _ = ingest([DATA], options)

    assert len(records) == 3


def test_html_text_drops_scripts_and_keeps_blocks() -> None:
    html = "<div>Hi&amp;bye<script>alert(1)</script></div><p>Second<br>line</p>"

    assert html_text(html) == "Hi&bye\n\nSecond\nline"


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        list(iter_records([tmp_path / "inbox.mbox"], USER, Skips()))


def test_a_message_nested_too_deep_is_named_and_the_rest_of_the_mailbox_is_read(tmp_path: Path) -> None:
    from ingest.sources import Skips, SourceOptions
    from ingest.sources.email_source import iter_records

    good = (
        b"From a@x Mon Jan 5 10:00:00 2026\nFrom: Priya <p@x>\nTo: me@x\nSubject: Thanks!\n"
        b"Date: Mon, 5 Jan 2026 10:00:00 +0000\n\nGreat work.\n\n"
    )
    deep = (
        b"From b@x Mon Jan 5 11:00:00 2026\nFrom: B <b@x>\nSubject: deep\nDate: Mon, 5 Jan 2026 11:00:00 +0000\n"
        b"Content-Type: multipart/mixed; boundary=b0\n\n"
    )
    deep += b"".join(
        f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n".encode() for i in range(2000)
    )
    box = tmp_path / "deep.mbox"
    box.write_bytes(good + deep + b"\n" + good.replace(b"Thanks!", b"More thanks"))
    skips = Skips()

    titles = [e.title for e in iter_records([box], SourceOptions(), skips)]

    assert titles == ["Thanks!", "More thanks"]
    assert [(s.where, s.why) for s in skips.items] == [
        (f"{box}#message 2", "MIME parts nested too deep to read")
    ]
