"""The egress log: one JSON line per LLM request, read back by `selfreview egress`."""

from __future__ import annotations

import json
from pathlib import Path

from app import egress
from app.llm import FakeChatModel


def test_record_and_read_back(tmp_path: Path) -> None:
    egress.record(
        tmp_path,
        endpoint="http://127.0.0.1:11434/v1",
        model="llama3.1",
        purpose="draft",
        evidence_ids=["jira:PAY-142"],
        redactions=2,
        prompt_tokens=812,
        outcome="ok",
        attempts=1,
    )

    [entry] = egress.read_log(tmp_path)

    assert entry["endpoint"] == "http://127.0.0.1:11434/v1"
    assert entry["model"] == "llama3.1"
    assert entry["purpose"] == "draft"
    assert entry["evidence_ids"] == ["jira:PAY-142"]
    assert (entry["redactions"], entry["prompt_tokens"], entry["outcome"], entry["attempts"]) == (
        2,
        812,
        "ok",
        1,
    )
    assert entry["time"].endswith("+00:00")
    assert (tmp_path / "egress.log.jsonl").read_text().count("\n") == 1


def test_read_log_keeps_the_last_entries_in_order_and_skips_broken_lines(tmp_path: Path) -> None:
    for n in range(5):
        egress.record(tmp_path, endpoint="e", model="m", purpose="ask", outcome=f"ok {n}")
    with (tmp_path / "egress.log.jsonl").open("a") as handle:
        handle.write('{"cut off by a crash')

    assert [e["outcome"] for e in egress.read_log(tmp_path, limit=2)] == ["ok 3", "ok 4"]
    assert len(egress.read_log(tmp_path, limit=None)) == 5
    assert egress.read_log(tmp_path / "nothing-here") == []


def test_the_log_never_holds_prompt_text(tmp_path: Path) -> None:
    egress.record(tmp_path, endpoint="e", model="m", purpose="draft", evidence_ids=["a"], prompt_tokens=9)

    line = json.loads((tmp_path / "egress.log.jsonl").read_text())

    assert set(line) == {
        "time",
        "endpoint",
        "model",
        "purpose",
        "evidence_ids",
        "redactions",
        "prompt_tokens",
        "outcome",
    }


def test_record_for_a_chat_model_uses_its_endpoint_model_and_home(tmp_path: Path) -> None:
    chat = FakeChatModel(model="fake-7b", egress_home=tmp_path)
    chat.last_stats = {"attempts": 3}

    egress.record_for(chat, purpose="rewrite", outcome="ok")

    [entry] = egress.read_log(tmp_path)
    assert (entry["endpoint"], entry["model"], entry["attempts"]) == ("fake://chat", "fake-7b", 3)


def test_a_model_without_a_home_logs_nothing(tmp_path: Path, selfreview_home: Path) -> None:
    egress.record_for(FakeChatModel(), purpose="ask")

    assert not (selfreview_home / "egress.log.jsonl").exists()
