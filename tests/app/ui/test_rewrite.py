"""Rewrite page: changes highlighted inline with a fact-preservation badge; a refused rewrite shows why."""

from __future__ import annotations

import json

from app.llm import FakeChatModel
from tests.app.ui.conftest import texts, unescape


def rewritten(app, text: str):
    at = app("rewrite")
    at.selectbox(key="rewrite_glossary").select("test-glossary.yaml").run()
    at.text_area(key="rewrite_text").input(text).run()
    at.button(key="rewrite_go").click().run()
    assert not at.exception
    return at


def test_rewrite_uses_the_glossary_and_keeps_the_facts(app, glossary_file):
    at = rewritten(app, "- I just pushed out the user dashboard, cutting load time 38% (PAY-142).")
    assert at.text[0].value == "I just pushed out the user dashboard, cutting load time 38% (PAY-142)."
    assert at.code[0].value == "- I shipped the customer dashboard, cutting load time 38% (PAY-142)."
    inline = next(m.value for m in at.markdown if "green-background" in m.value)
    assert ":red-background[~~just pushed out~~]" in inline  # what went, struck through, in place
    assert ":green-background[shipped]" in inline
    assert ":green-background[customer]" in inline
    assert unescape(inline).startswith("I :red-background")
    assert ":green-badge[facts preserved]" in texts(at)
    assert "1 of 1 rewritten with every fact preserved" in texts(at)


def test_a_rewrite_that_changes_a_number_is_refused_with_the_reason(app, glossary_file, monkeypatch):
    from app.ui import context

    reply = json.dumps({"text": "Shipped the customer dashboard, cutting load time 45% (PAY-142)."})
    monkeypatch.setattr(context, "chat_model", lambda settings, user="": FakeChatModel(default=reply))
    at = rewritten(app, "Pushed out the user dashboard, cutting load time 38% (PAY-142).")
    assert ":red-badge[rewrite refused: original kept]" in texts(at)
    why = unescape(at.error[0].value)
    assert why.startswith("Why: the rewrite changed facts")
    assert "38%" in why
    assert "45%" in why
    assert at.code[0].value == "- Pushed out the user dashboard, cutting load time 38% (PAY-142)."


def test_a_broken_glossary_is_a_message(app, ui_env):
    bad = ui_env / "glossaries" / "bad.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("terms: [\n")
    at = app("rewrite")
    at.selectbox(key="rewrite_glossary").select("bad.yaml").run()
    assert not at.exception
    assert "bad.yaml:" in unescape(at.error[0].value)
