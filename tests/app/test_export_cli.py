"""`selfreview draft --format` offers every format the Draft page downloads, through the same export: plain text
with no Markdown in it, and a .docx written to --output (to stdout it is a usage error) holding the page's bullets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from app import usecases
from app.cli import build_parser, main
from app.export import FORMATS
from tests.app.test_export import bullet_lines, docx_bullets
from tests.conftest import evidence_record, write_jsonl

PAGE_CHOICES: dict[str, Any] = {"ids": False, "empty": False, "field_limit": None}  # the page's defaults


@pytest.fixture
def ladder(tmp_path: Path, fake_embedding: None, capsys: pytest.CaptureFixture[str]) -> Path:
    """A workspace with two pieces of work and a ladder whose level has a criterion for each, and one for none."""
    records = [
        evidence_record(1, title="Shipped refund idempotency keys", body="Shipped refund idempotency keys."),
        evidence_record(2, title="Cut checkout latency with a tax cache", body="Cut checkout latency."),
    ]
    assert main(["ingest", "jsonl", str(write_jsonl(tmp_path / "work.jsonl", records)), "--json"]) == 0
    path = tmp_path / "ladder.yaml"
    path.write_text(
        "name: Test ladder\nlevels:\n  - id: L4\ncriteria:\n"
        "  - id: ship\n    level: L4\n    text: I shipped refund idempotency keys.\n"
        "  - id: speed\n    level: L4\n    text: I cut checkout latency.\n"
        "  - id: hire\n    level: L4\n    text: I interview candidates for the hiring committee.\n"
    )
    capsys.readouterr()
    return path


def drafted(ladder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The draft as the Draft page holds it (the --json payload)."""
    assert main(["draft", "--ladder", str(ladder), "--level", "L4", "--json"]) == 0
    payload: dict[str, Any] = json.loads(capsys.readouterr().out)
    return payload


def test_the_docx_written_by_the_cli_holds_the_bullets_of_the_pages_download(
    ladder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = docx_bullets(usecases.export(drafted(ladder, capsys), "docx", **PAGE_CHOICES))
    target = tmp_path / "review.docx"

    code = main(
        ["draft", "--ladder", str(ladder), "--level", "L4", "--format", "docx", "--output", str(target)]
    )

    assert code == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # the document went to the file
    assert f"Wrote the draft to {target}" in captured.err
    written = docx_bullets(target.read_bytes())
    assert any("refund idempotency" in b.lower() for b in written)
    assert written == page


def test_the_docx_is_titled_with_the_ladder_level_and_period(
    ladder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    target = tmp_path / "review.docx"
    argv = ["draft", "--ladder", str(ladder), "--level", "L4", "--format", "docx", "-o", str(target)]

    assert main([*argv, "--since", "2026-01-01"]) == 0

    paragraphs = Document(str(target)).paragraphs
    assert paragraphs[0].text == "Test ladder, level L4: 2026-01-01 to …"
    assert "I shipped refund idempotency keys." in [p.text for p in paragraphs if p.style.name == "Heading 2"]


def test_plain_text_is_the_pages_plain_download_with_no_markdown(
    ladder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = usecases.export(drafted(ladder, capsys), "plain", **PAGE_CHOICES)

    assert main(["draft", "--ladder", str(ladder), "--level", "L4", "--format", "plain"]) == 0

    printed = capsys.readouterr().out
    assert printed.strip() == page.strip()
    assert any("refund idempotency" in b.lower() for b in bullet_lines(printed))
    assert "I shipped refund idempotency keys.\n- " in printed  # the criterion as its heading, as written
    for markdown in ("#", "**", "__", "`", "_(", "["):
        assert markdown not in printed, markdown
    assert "hiring committee" not in printed  # clean, as the page downloads it: no criterion without a bullet


def test_plain_text_can_be_written_to_a_file(
    ladder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = usecases.export(drafted(ladder, capsys), "plain", **PAGE_CHOICES)
    target = tmp_path / "review.txt"

    assert (
        main(["draft", "--ladder", str(ladder), "--level", "L4", "--format", "plain", "-o", str(target)]) == 0
    )

    assert target.read_text(encoding="utf-8") == page
    assert capsys.readouterr().out == ""


def test_docx_to_the_terminal_is_a_usage_error_that_names_output(
    ladder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("drafted although the draft could not be written")

    monkeypatch.setattr(usecases, "draft", never)

    code = main(["draft", "--ladder", str(ladder), "--level", "L4", "--format", "docx"])

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "a .docx draft is a file, not terminal text: add --output FILE" in captured.err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--output", "{tmp}/no-such-folder/review.docx"], "the folder {tmp}/no-such-folder does not exist"),
        (["--output", "{tmp}"], "--output {tmp} is a folder"),
        (["--output", "{tmp}/review.docx", "--json"], "--json prints the draft on stdout"),
    ],
)
def test_an_output_that_cannot_be_written_is_a_usage_error_naming_it(
    ladder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["draft", "--ladder", str(ladder), "--level", "L4", "--format", "docx"]

    code = main(argv + [arg.format(tmp=tmp_path) for arg in extra])

    assert code == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err
    assert not (tmp_path / "review.docx").exists()


def test_the_draft_command_offers_every_format_the_export_has() -> None:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    draft = subcommands.choices["draft"]

    (format_option,) = [a for a in draft._actions if a.dest == "format"]
    assert format_option.choices is not None
    assert tuple(format_option.choices) == FORMATS
