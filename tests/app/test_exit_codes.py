"""Exit codes: a bug exits 3 with one line naming a log that holds the traceback; usage errors stay 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli, commands


def broken_status(args: object) -> int:
    raise KeyError("ledger row 7")


def test_an_internal_error_exits_3_with_one_line_and_the_traceback_in_a_log(
    selfreview_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(commands.COMMANDS, "status", broken_status)

    code = cli.main(["status"])

    err = capsys.readouterr().err
    (log,) = (selfreview_home / "logs").glob("error-*.log")
    assert code == 3
    assert len(err.strip().splitlines()) == 1
    assert "internal error (KeyError: 'ledger row 7')" in err
    assert str(log) in err.replace("\n", "")
    assert "Traceback" not in err
    details = log.read_text()
    assert "selfreview status" in details
    assert "Traceback (most recent call last)" in details
    assert "broken_status" in details


def test_with_json_an_internal_error_is_still_valid_json_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(commands.COMMANDS, "status", broken_status)

    code = cli.main(["status", "--json"])

    assert code == 3
    assert json.loads(capsys.readouterr().out)["error"].startswith("internal error (KeyError")


def test_a_data_directory_that_cannot_be_written_still_gives_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("SELFREVIEW_HOME", str(blocked))
    monkeypatch.setitem(commands.COMMANDS, "status", broken_status)

    code = cli.main(["status"])

    err = capsys.readouterr().err
    assert code == 3
    assert "internal error" in err
    assert "selfreview-logs" in err


def test_a_message_with_brackets_is_printed_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def odd(args: object) -> int:
        raise RuntimeError("closing tag [/x] in [bold]text")

    monkeypatch.setitem(commands.COMMANDS, "status", odd)

    assert cli.main(["status"]) == 3
    assert "[/x] in [bold]text" in capsys.readouterr().err


def test_a_path_that_does_not_exist_is_still_a_usage_error(tmp_path: Path) -> None:
    assert cli.main(["ingest", "jsonl", str(tmp_path / "missing.jsonl")]) == 2


def test_json_output_never_holds_nan(capsys: pytest.CaptureFixture[str]) -> None:
    from app.output import emit_json

    emit_json({"value": float("nan"), "rows": [{"points": float("inf")}, 2.5]})

    assert json.loads(capsys.readouterr().out) == {"value": None, "rows": [{"points": None}, 2.5]}
