"""What a cassette cannot hold, against the scripted server started in-process on 127.0.0.1 (no network):
a real client timeout, and a connection dropped in the middle of a chunked SSE stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.llm import LLMError, OpenAIChat, StreamCutError
from app.settings import Settings
from tests.llm_server import API_KEY, MODEL, LLMServer, cut, ok, slow

USER = [{"role": "user", "content": "hi"}]


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as live:
        yield live


def chat(server: LLMServer, home: Path, sleeps: list[float], **settings: object) -> OpenAIChat:
    values = {
        "home": home,
        "openai_base_url": server.base_url,
        "openai_api_key": API_KEY,
        "chat_model": MODEL,
        "llm_timeout": 0.3,
        "llm_retries": 2,
        **settings,
    }
    return OpenAIChat(Settings(**values), sleep=sleeps.append)


def test_a_real_timeout_is_retried(server: LLMServer, selfreview_home: Path) -> None:
    server.script(slow(1.0, "late"), ok("on time"))
    sleeps: list[float] = []

    assert chat(server, selfreview_home, sleeps).complete(USER) == "on time"
    assert len(sleeps) == 1
    assert server.requests[0]["json"] == server.requests[1]["json"]


def test_timeouts_until_the_retries_run_out(server: LLMServer, selfreview_home: Path) -> None:
    server.script(slow(1.0), slow(1.0))

    with pytest.raises(LLMError, match=r"did not answer within 0.3 s: raise SELFREVIEW_LLM_TIMEOUT"):
        chat(server, selfreview_home, [], llm_retries=1).complete(USER)


def test_a_connection_dropped_mid_stream(server: LLMServer, selfreview_home: Path) -> None:
    server.script(cut("You led the ledger migration in March", after=3, chunked=True))
    chunks: list[str] = []

    with pytest.raises(StreamCutError, match=r"cut off after 12 characters \(APIConnectionError\)"):
        chunks.extend(chat(server, selfreview_home, []).stream(USER))
    assert "".join(chunks) == "You led the "


def test_models_and_embeddings_routes(server: LLMServer) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0)

    assert [m.id for m in client.models.list()] == [MODEL]
    first = client.embeddings.create(model="e", input=["ledger", "latency"]).data
    again = client.embeddings.create(model="e", input="ledger").data
    assert first[0].embedding == again[0].embedding != first[1].embedding
