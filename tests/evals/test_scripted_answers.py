"""The scripted model of the two-user eval answers from the evidence it is sent, cited the way the Ask prompt
asks, so the product's own Ask reads its citations (a control that can see a leak)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import llm_ask
from app.llm import OpenAIChat
from app.model import Hit
from app.settings import Settings
from ingest.evidence import Evidence
from tests.llm_server import API_KEY, MODEL, LLMServer, RecordingEndpoint, from_evidence


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as live:
        live.otherwise = from_evidence()
        yield live


def chat(server: LLMServer, home: Path) -> OpenAIChat:
    settings = Settings(home=home, openai_base_url=server.base_url, openai_api_key=API_KEY, chat_model=MODEL)
    return OpenAIChat(settings)


def hit(ident: str, title: str, body: str) -> Hit:
    evidence = Evidence(id=ident, source="notes", kind="note", title=title, date="2026-03-01", body=body)
    return Hit(evidence=evidence, score=1.0, snippet=body)


def test_the_answer_cites_each_block_it_was_sent(server: LLMServer, selfreview_home: Path) -> None:
    hits = [
        hit("notes:brag.md#2026-03-01", "Refund latency", "Cut refund latency 38%. Then more."),
        hit("notes:brag.md#2026-03-02", "Ledger cache", "Shipped the ledger cache."),
    ]

    text, cited = llm_ask.answer(chat(server, selfreview_home), "what did I do?", hits) or ("", [])

    assert cited == ["notes:brag.md#2026-03-01", "notes:brag.md#2026-03-02"]
    assert "Cut refund latency 38% [notes:brag.md#2026-03-01]" in text
    assert "Then more" not in text  # the first sentence of each block only


def test_streamed_answers_cite_too(server: LLMServer, selfreview_home: Path) -> None:
    hits = [hit("notes:brag.md#2026-03-01", "Refund latency", "Cut refund latency 38%.")]

    text = "".join(llm_ask.stream_answer(chat(server, selfreview_home), "what did I do?", hits))

    assert llm_ask.cited(text, ["notes:brag.md#2026-03-01"]) == ["notes:brag.md#2026-03-01"]


def test_with_no_evidence_block_it_says_it_found_nothing(server: LLMServer, selfreview_home: Path) -> None:
    reply = chat(server, selfreview_home).complete([{"role": "user", "content": "hi"}])

    assert reply == "I found nothing in your evidence about that."


def test_the_recording_endpoint_answers_ok_unless_told(selfreview_home: Path) -> None:
    plain, answering = RecordingEndpoint(), RecordingEndpoint(otherwise=from_evidence())
    try:
        blocks = llm_ask._request("what?", [hit("notes:a.md#1", "A", "Wrote the doc.")], [])[1]
        assert chat(plain, selfreview_home).complete(blocks) == "ok"
        assert chat(answering, selfreview_home).complete(blocks) == "- Wrote the doc [notes:a.md#1]"
    finally:
        plain.close()
        answering.close()
