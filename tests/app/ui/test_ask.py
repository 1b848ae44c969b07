"""Ask page: streamed answers with numbered citations, 'I found nothing', history saved per workspace."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app.llm import FakeChatModel
from tests.app.ui.conftest import MAIN, unescape


def answers(at: AppTest) -> list[str]:
    return [unescape(m.markdown[0].value) for m in at.chat_message if m.name == "assistant"]


def test_answer_streams_with_numbered_citations(app, workspace, selfreview_home):
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about refund retries?").run()
    assert not at.exception
    answer = answers(at)[-1]
    assert "Reviewed the refund retry queue design" in answer or "refund retr" in answer.lower()
    labels = [e.label for e in at.chat_message[-1].expander]
    assert labels
    assert unescape(labels[0]).startswith("[1] ")
    saved = json.loads((selfreview_home / "chats" / "ui-test.json").read_text())
    assert [m["role"] for m in saved["messages"]] == ["user", "assistant"]
    assert saved["messages"][1]["citations"][0]["id"].startswith("github:acme/pay#21")


def test_nothing_found_is_said_as_is(app, workspace):
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do for the kubernetes migration?").run()
    assert not at.exception
    assert answers(at)[-1].startswith("I found nothing in your evidence about")
    assert not at.chat_message[-1].expander


def test_history_comes_back_in_a_new_session(app, workspace):
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about refund retries?").run()
    fresh = AppTest.from_file(str(MAIN), default_timeout=60).run()
    fresh.switch_page("views/ask.py").run()
    assert [m.name for m in fresh.chat_message] == ["user", "assistant"]
    assert unescape(fresh.chat_message[0].markdown[0].value) == "what did I do about refund retries?"
    fresh.button(key="ask_clear").click().run()
    assert not fresh.chat_message


@pytest.mark.parametrize("reply", ["I cut checkout latency 38% [1]. ![](https://attacker.example/x.png)"])
def test_llm_answer_is_escaped_and_cites_what_was_sent(app, workspace, monkeypatch, reply):
    from app.ui import context

    monkeypatch.setattr(context, "chat_model", lambda settings, user="": FakeChatModel(default=reply))
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about checkout latency?").run()
    assert not at.exception
    raw = at.chat_message[-1].markdown[0].value
    assert "![" not in raw
    assert "\\!\\[\\]\\(https\u2060\\:" in raw
    assert "[github:acme/pay#20]" in unescape(raw)
    assert unescape(at.chat_message[-1].expander[0].label).startswith("[1] Cut p95 checkout latency")
