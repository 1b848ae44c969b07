"""Ask page: streamed answers with numbered citations, 'I found nothing', history saved per workspace."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app.llm import FakeChatModel, LLMError, StreamCutError
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


def test_each_citation_marker_links_to_its_citation_under_the_answer(app, workspace):
    from app.ui.answering import anchor

    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about refund retries?").run()
    assert not at.exception
    answer = at.chat_message[-1]
    raw = answer.markdown[0].value
    cited = len(answer.expander)
    assert cited >= 1
    for n in range(1, cited + 1):
        assert f"[\\[{n}\\]](#{anchor(1, n)})" in raw  # [n] is a link to the page's own anchor, nothing else
        drawer = answer.expander[n - 1]
        assert unescape(drawer.label).startswith(f"[{n}] ")
        assert drawer.markdown[0].value == f'<span id="{anchor(1, n)}"></span>'  # the anchor is in drawer n
    assert "](http" not in raw
    fresh = AppTest.from_file(str(MAIN), default_timeout=60).run()
    fresh.switch_page("views/ask.py").run()
    assert fresh.chat_message[-1].markdown[0].value == raw  # the saved answer links the same way


def test_an_llm_answers_cited_ids_link_to_their_citations_and_other_brackets_stay_text(
    app, workspace, monkeypatch
):
    from app.ui import context
    from app.ui.answering import anchor

    reply = "Cut checkout latency 38% [1]; see also [7] and [the design doc]."
    monkeypatch.setattr(context, "chat_model", lambda settings, user="": FakeChatModel(default=reply))
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about checkout latency?").run()
    assert not at.exception
    raw = at.chat_message[-1].markdown[0].value
    assert f"[\\[github\\:acme/pay\\#20\\]](#{anchor(1, 1)})" in raw
    assert raw.count("](#") == 1  # an unknown number and plain brackets are not links
    assert "\\[the design doc\\]" in raw


class CutChat(FakeChatModel):
    """Writes the start of an answer, then the connection drops."""

    def stream(self, messages):  # type: ignore[no-untyped-def]
        self._reply(messages, None, stream=True)
        yield "I cut checkout latency 38% [1] and then"
        raise StreamCutError("the stream was cut off after 40 characters")


def test_an_llm_stream_cut_short_keeps_what_was_written_and_says_so(app, workspace, monkeypatch):
    from app.ui import context

    monkeypatch.setattr(context, "chat_model", lambda settings, user="": CutChat(default="unused"))
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about checkout latency?").run()
    assert not at.exception
    shown = answers(at)[-1]
    assert shown == "I cut checkout latency 38% [[github:acme/pay#20]](#citation-1-1) and then"
    assert "The answer stopped early: the stream was cut off after 40 characters" in unescape(
        at.chat_message[-1].caption[0].value
    )
    assert unescape(at.chat_message[-1].expander[0].label).startswith("[1] Cut p95 checkout latency")


def test_an_llm_that_fails_before_writing_is_replaced_by_the_offline_answer(
    app, workspace, monkeypatch, selfreview_home
):
    from app.ui import context

    failing = FakeChatModel([LLMError("the endpoint answered 500")])
    monkeypatch.setattr(context, "chat_model", lambda settings, user="": failing)
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about checkout latency?").run()
    assert not at.exception
    assert answers(at)[-1].startswith("Here is what your evidence shows about")
    assert "could not answer (the endpoint answered 500); this is the offline answer" in unescape(
        at.chat_message[-1].caption[0].value
    )
    saved = json.loads((selfreview_home / "chats" / "ui-test.json").read_text())
    assert saved["messages"][1]["mode"] == "offline"
