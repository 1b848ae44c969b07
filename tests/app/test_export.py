"""The one export (usecases.export): every format holds the same bullets, holds back flagged ones and says so,
is clean by default, pastes one criterion at a time; `selfreview draft` prints what the use case returns."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from app import usecases
from app.cli import main
from app.gate import verify
from app.model import Bullet
from tests.app.test_claims import RETRIEVED
from tests.conftest import evidence_record, write_jsonl

GOOD = verify(
    Bullet("Cut p95 checkout latency 38% by moving tokenization off the request path", ["jira:PAY-142"]),
    RETRIEVED,
)
INVENTED = verify(Bullet("Rolled the retry budget out to 3 teams", ["notes:brag#2026-04"]), RETRIEVED)
FIXED = verify(Bullet("Fixed 3 bugs in the refund webhook", ["notes:brag#2026-04"]), RETRIEVED)
DRAFT = {
    "criteria": [
        {"id": "impact", "text": "Impact", "bullets": [GOOD.to_json(), INVENTED.to_json()]},
        {"id": "quality", "text": "Quality", "bullets": [FIXED.to_json()]},
        {"id": "hiring", "text": "Hiring", "bullets": []},
    ],
    "coverage": {"cited": 2, "available": 9},
}


def bullet_lines(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


def docx_bullets(data: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == "List Bullet"]


def test_every_format_holds_the_same_bullets_and_none_that_was_flagged() -> None:
    assert INVENTED.flags  # the example is what it claims to be
    assert not GOOD.flags
    assert not FIXED.flags
    expected = [GOOD.text, FIXED.text]

    for form in ("text", "markdown", "plain"):
        exported = usecases.export(DRAFT, form)
        assert bullet_lines(exported) == expected, form
        assert "retry budget" not in exported
        assert "1 bullet(s) held back, not in this export: 1 because a number in it is not backed" in exported
    assert docx_bullets(usecases.export(DRAFT, "docx", title="Impact review")) == expected


def test_an_export_is_clean_by_default_and_options_put_ids_empty_criteria_and_coverage_back() -> None:
    clean = usecases.export(DRAFT)
    full = usecases.export(DRAFT, "plain", ids=True, empty=True, coverage=True)

    assert not re.search(r"\[(jira|notes):", clean)
    assert "Hiring" not in clean
    assert "(no evidence yet)" not in clean
    assert "Cited" not in clean
    assert f"- {GOOD.text} [jira:PAY-142]" in full
    assert "Hiring\n(no evidence yet)" in full
    assert "Cited 2 of 9 evidence items." in full


def test_the_terminal_export_keeps_its_layout() -> None:
    text = usecases.export(DRAFT, "text", ids=True, empty=True, coverage=True)
    markdown = usecases.export(DRAFT, "markdown", ids=True, empty=True, coverage=True)

    assert text.startswith(f"IMPACT\n- {GOOD.text} [jira:PAY-142]\n\nQUALITY\n")
    assert "HIRING\n(no evidence yet)\n\nCited 2 of 9 evidence items.\n1 bullet(s) held back" in text
    assert markdown.startswith(f"## Impact\n- {GOOD.text} [jira:PAY-142]\n\n## Quality\n")
    assert (
        "## Hiring\n_(no evidence yet)_\n\n_Cited 2 of 9 evidence items._\n\n_1 bullet(s) held back"
        in markdown
    )
    assert usecases.export(DRAFT, markdown=True) == usecases.export(DRAFT, "markdown")


def test_a_field_limit_cuts_at_a_word_boundary_and_says_so_in_every_format() -> None:
    for form in ("text", "markdown", "plain"):
        exported = usecases.export(DRAFT, form, field_limit=40)
        assert "- Cut p95 checkout latency 38% by…" in exported
        assert "1 section(s) shortened to 40 characters." in exported
    assert (
        docx_bullets(usecases.export(DRAFT, "docx", field_limit=40))[0] == "Cut p95 checkout latency 38% by…"
    )


def test_one_criterion_is_its_exportable_bullets_to_paste_into_its_field() -> None:
    assert usecases.export(DRAFT, criterion="impact") == f"- {GOOD.text}"
    assert usecases.export(DRAFT, criterion="impact", ids=True) == f"- {GOOD.text} [jira:PAY-142]"
    assert usecases.export(DRAFT, criterion="hiring") == ""
    with pytest.raises(ValueError, match="no criterion 'design'"):
        usecases.export(DRAFT, criterion="design")


def test_an_unknown_format_is_named() -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        usecases.export(DRAFT, "pdf")  # type: ignore[call-overload]


def test_selfreview_draft_prints_what_the_export_use_case_returns(
    tmp_path: Path, fake_embedding: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        evidence_record(1, title="Shipped refund idempotency keys", body="Shipped refund idempotency keys.")
    ]
    ladder = tmp_path / "ladder.yaml"
    ladder.write_text(
        "name: Test ladder\nlevels:\n  - id: L4\ncriteria:\n"
        "  - id: ship\n    level: L4\n    text: I shipped refund idempotency keys.\n"
        "  - id: hire\n    level: L4\n    text: I interview candidates for the hiring committee.\n"
    )
    assert main(["ingest", "jsonl", str(write_jsonl(tmp_path / "a.jsonl", records)), "--json"]) == 0
    capsys.readouterr()
    exports: list[tuple[tuple[Any, ...], dict[str, Any], str]] = []
    real = usecases.export

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        exports.append((args, kwargs, result))
        return result

    monkeypatch.setattr(usecases, "export", spy)

    assert main(["draft", "--ladder", str(ladder), "--level", "L4", "--format", "markdown"]) == 0

    stdout = capsys.readouterr().out
    ((args, kwargs, exported),) = exports
    assert args[1] == "markdown"
    assert kwargs == {"ids": True, "empty": True, "coverage": True}
    assert stdout.strip() == exported.strip()
    assert "refund idempotency" in stdout.lower()
    assert "[jsonl:item-1]" in stdout  # the terminal's export names its evidence
    assert "## I interview candidates for the hiring committee.\n_(no evidence yet)_" in stdout
