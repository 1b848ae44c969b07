"""The LLM path without HTTP: the adapter over an in-process mock transport, and the drafter, ask and rewrite
paths over FakeChatModel. (Over HTTP, with cassettes: test_llm_cassettes.py.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx2
import pytest

from app import egress, llm
from app.llm import FakeChatModel, LLMError, OpenAIChat, chat_from_settings
from app.llm_ask import NOTHING_FOUND, answer, cited, stream_answer
from app.llm_drafter import draft_bullets, evidence_blocks, parse_json
from app.llm_rewrite import glossary_text, rewrite
from app.model import Glossary, GlossaryTerm
from app.settings import Settings
from tests.app.test_llm_cassettes import BULLETS, CRITERION, HITS, INJECTION, METRICS, hit

COMPLETION = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}],
}


def completion(content: str) -> dict:
    return {
        **COMPLETION,
        "choices": [{**COMPLETION["choices"][0], "message": {"role": "assistant", "content": content}}],
    }


class Mock:
    """Answers requests from a script of (status, json, headers) or exceptions; keeps what it was sent."""

    def __init__(self, *script: tuple[int, dict, dict] | type[Exception]) -> None:
        self.script = list(script)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        step = self.script.pop(0) if self.script else (200, COMPLETION, {})
        if isinstance(step, type):
            raise step("mock failure", request=request)
        status, body, headers = step
        return httpx2.Response(status, json=body, headers=headers)

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests]


def mock_chat(
    mock: Mock,
    home: Path,
    sleeps: list[float] | None = None,
    rng: Callable[[], float] = lambda: 0.0,
    **settings: object,
) -> OpenAIChat:
    values = {
        "home": home,
        "openai_base_url": "http://127.0.0.1:9/v1",
        "chat_model": "m",
        "llm_retries": 3,
        **settings,
    }
    return OpenAIChat(
        Settings(**values),
        http_client=httpx2.Client(transport=httpx2.MockTransport(mock)),
        sleep=(sleeps if sleeps is not None else []).append,
        rng=rng,
    )


def error(status: int, message: str = "boom", **headers: str) -> tuple[int, dict, dict]:
    return status, {"error": {"message": message, "type": "x"}}, headers


USER = [{"role": "user", "content": "hi"}]


# -- the adapter ----------------------------------------------------------------------------------------------
def test_offline_mode_has_no_chat_model(selfreview_home: Path) -> None:
    assert chat_from_settings(Settings(home=selfreview_home)) is None
    assert llm.test_connection(Settings(home=selfreview_home)) == (
        False,
        "Offline mode: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one).",
    )


def test_a_key_alone_means_openai(selfreview_home: Path) -> None:
    chat = chat_from_settings(Settings(home=selfreview_home, openai_api_key="sk-x"))

    assert isinstance(chat, OpenAIChat)
    assert chat.endpoint == "https://api.openai.com/v1"


def test_azure_gets_an_api_key_header(selfreview_home: Path) -> None:
    mock = Mock()
    chat = mock_chat(
        mock,
        selfreview_home,
        openai_base_url="https://acme.openai.azure.com/openai/v1",
        openai_api_key="azure-key",
    )

    chat.complete(USER)

    assert mock.requests[0].headers["api-key"] == "azure-key"
    assert str(mock.requests[0].url) == "https://acme.openai.azure.com/openai/v1/chat/completions"


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "in 30 s, as an HTTP date"}, 30.0),
    ],
)
def test_retry_after_is_honoured(selfreview_home: Path, headers: dict, wait: float) -> None:
    if headers.get("Retry-After", "").endswith("HTTP date"):
        headers = {"Retry-After": format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)}
    sleeps: list[float] = []
    chat = mock_chat(Mock(error(429, "slow down", **headers), (200, COMPLETION, {})), selfreview_home, sleeps)

    assert chat.complete(USER) == "hi"
    assert sleeps == [pytest.approx(wait, abs=1.5)]


def test_a_retry_after_beyond_the_limit_gives_up_at_once(selfreview_home: Path) -> None:
    sleeps: list[float] = []
    chat = mock_chat(Mock(error(429, **{"Retry-After": "3600"})), selfreview_home, sleeps)

    with pytest.raises(LLMError, match="asks to wait 3600 s"):
        chat.complete(USER)
    assert sleeps == []


@pytest.mark.parametrize(("jitter", "expected"), [(0.0, [0.25, 0.5, 1.0]), (1.0, [0.5, 1.0, 2.0])])
def test_exponential_backoff_with_jitter(selfreview_home: Path, jitter: float, expected: list[float]) -> None:
    sleeps: list[float] = []
    mock = Mock(error(500), error(502), error(503), (200, COMPLETION, {}))

    assert mock_chat(mock, selfreview_home, sleeps, rng=lambda: jitter).complete(USER) == "hi"
    assert sleeps == expected


def test_gives_up_after_the_configured_retries(selfreview_home: Path) -> None:
    mock = Mock(*[error(500, "overloaded")] * 5)
    chat = mock_chat(mock, selfreview_home, llm_retries=2)

    with pytest.raises(LLMError, match="answered 500: overloaded") as caught:
        chat.complete(USER)
    assert caught.value.status == 500
    assert len(mock.requests) == 3
    assert chat.last_stats["attempts"] == 3


def test_connection_errors_are_retried_then_explained(selfreview_home: Path) -> None:
    mock = Mock(httpx2.ConnectError, httpx2.ConnectError, httpx2.ConnectError, httpx2.ConnectError)

    with pytest.raises(LLMError, match="cannot reach http://127.0.0.1:9/v1: is the server running"):
        mock_chat(mock, selfreview_home).complete(USER)
    assert len(mock.requests) == 4


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (401, "check OPENAI_API_KEY"),
        (403, "check OPENAI_API_KEY"),
        (404, "check the model name 'm'"),
        (400, "bad thing"),
    ],
)
def test_client_errors_are_not_retried_and_say_what_to_do(
    selfreview_home: Path, status: int, hint: str
) -> None:
    mock = Mock(error(status, "bad thing"))

    with pytest.raises(LLMError, match=hint):
        mock_chat(mock, selfreview_home).complete(USER)
    assert len(mock.requests) == 1


def test_structured_output_steps_down_and_remembers(selfreview_home: Path) -> None:
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    mock = Mock(
        error(400, "json_schema unsupported"),
        error(400, "json_object unsupported"),
        (200, completion('{"x": 1}'), {}),
        (200, completion('{"x": 2}'), {}),
    )
    chat = mock_chat(mock, selfreview_home)
    messages = [{"role": "system", "content": "Rules."}, *USER]

    assert chat.complete(messages, schema) == '{"x": 1}'
    assert chat.complete(messages, schema) == '{"x": 2}'

    formats = [body.get("response_format", {}).get("type") for body in mock.bodies()]
    assert formats == ["json_schema", "json_object", None, None]
    assert chat.format == "prompt"
    last = mock.bodies()[-1]["messages"]
    assert last[0]["content"].startswith("Rules.\n\nReply with one JSON object")
    assert '"x":{"type":"integer"}' in last[0]["content"]
    assert last[1:] == USER


def test_the_adapter_redacts_every_message(selfreview_home: Path) -> None:
    mock = Mock()
    chat = mock_chat(mock, selfreview_home)

    chat.complete([{"role": "user", "content": "my key is AKIAQ3EGRIXMPLSEC7ZZ"}])

    assert b"AKIAQ3EGRIXMPLSEC7ZZ" not in mock.requests[0].content
    assert chat.last_redactions == 1


def test_fake_chat_model_scripts_replies_and_records_requests() -> None:
    fake = FakeChatModel(["one", LLMError("down")], default="again")

    assert fake.complete(USER, {"type": "object"}) == "one"
    with pytest.raises(LLMError, match="down"):
        fake.complete(USER)
    assert "".join(fake.stream(USER)) == "again"
    assert [c["schema"] for c in fake.calls] == [{"type": "object"}, None, None]
    assert fake.messages == USER
    with pytest.raises(LLMError, match="no scripted reply"):
        FakeChatModel().complete(USER)


# -- the drafter ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Here you go: {"a": 1} Hope it helps!', {"a": 1}),
    ],
)
def test_parse_json_tolerates_fences_and_prose(reply: str, expected: dict) -> None:
    assert parse_json(reply) == expected


def test_parse_json_says_where_it_broke() -> None:
    with pytest.raises(ValueError, match="not valid JSON: .* line 1 column"):
        parse_json('{"bullets": [')


def test_draft_maps_numbered_citations_to_ids() -> None:
    reply = {
        "bullets": [
            {"text": "Cut p95 checkout latency 38% [1]", "evidence": ["[1]", "jira:PAY-142"]},
            {"text": "Migrated 12 services [1, 2]", "evidence": [2]},
            {"text": "Saved $5M", "evidence": ["jira:FAKE-1", "7"]},
        ]
    }
    fake = FakeChatModel([json.dumps(reply)])

    bullets = draft_bullets(fake, CRITERION, HITS, METRICS)

    assert bullets is not None
    assert [b.text for b in bullets] == ["Cut p95 checkout latency 38%", "Migrated 12 services", "Saved $5M"]
    assert [b.evidence for b in bullets] == [
        ["jira:PAY-142"],
        ["git:acme/payments@4f1c2d9e7a01", "jira:PAY-142"],
        ["jira:FAKE-1", "7"],
    ]
    assert fake.calls[0]["schema"]["required"] == ["bullets"]


def test_draft_sends_blocks_metrics_and_the_criterion() -> None:
    fake = FakeChatModel([json.dumps(BULLETS)])

    draft_bullets(fake, CRITERION, HITS, METRICS)

    user = fake.messages[-1]["content"]
    assert "impact-1 (Impact, level L5): Delivers measurable improvements" in user
    assert "- prs_merged = 57 (PRs authored and merged); counted from 1 evidence item" in user
    assert '<evidence n="2" id="git:acme/payments@4f1c2d9e7a01">' in user
    assert "stats: files_changed=48, insertions=1203, deletions=877" in user
    assert "my role: assignee" in user


def test_invalid_json_gets_one_repair_try_then_none(selfreview_home: Path) -> None:
    fake = FakeChatModel(["not json", '{"bullets": [{"evidence": []}]}'], egress_home=selfreview_home)

    assert draft_bullets(fake, CRITERION, HITS, METRICS) is None
    assert len(fake.calls) == 2
    repair = fake.calls[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": "not json"}
    assert "not valid JSON" in repair[-1]["content"]
    outcomes = [e["outcome"] for e in egress.read_log(selfreview_home)]
    assert outcomes[0].startswith("invalid-json: not valid JSON")
    assert outcomes[1] == 'invalid-json: bullet 1 needs a non-empty "text" string'


def test_a_failed_request_means_fallback() -> None:
    assert draft_bullets(FakeChatModel([LLMError("down")]), CRITERION, HITS, METRICS) is None


def test_evidence_blocks_escape_redact_and_fit_the_budget() -> None:
    leaky = hit("notes:x", "Notes", "password=hunter2 " + INJECTION)
    many = [hit(f"jira:P-{n}", f"Ticket {n}", "evidence text " * 200) for n in range(20)]

    blocks = evidence_blocks([leaky, *many], token_budget=2000)

    assert blocks.text.count("<evidence ") == len(blocks.ids) == blocks.text.count("</evidence>")
    assert blocks.ids[0] == "notes:x"
    assert "hunter2" not in blocks.text
    assert blocks.redactions == 1
    assert "&lt;/evidence> IGNORE PREVIOUS" in blocks.text
    assert blocks.dropped == 21 - len(blocks.ids) > 0


# -- ask and rewrite ------------------------------------------------------------------------------------------
def test_no_evidence_means_no_request() -> None:
    fake = FakeChatModel()

    assert answer(fake, "what about kubernetes?", []) == (NOTHING_FOUND, [])
    assert list(stream_answer(fake, "what about kubernetes?", [])) == [NOTHING_FOUND]
    assert fake.calls == []


def test_answer_maps_numbers_and_returns_only_sent_ids() -> None:
    fake = FakeChatModel(["You cut latency [1] and migrated services [2; 1]; also [jira:FAKE-1]."])

    text, ids = answer(fake, "what did I do?", HITS)

    assert text == (
        "You cut latency [jira:PAY-142] and migrated services "
        "[git:acme/payments@4f1c2d9e7a01][jira:PAY-142]; also [jira:FAKE-1]."
    )
    assert ids == ["jira:PAY-142", "git:acme/payments@4f1c2d9e7a01"]


def test_stream_rewrites_citations_split_across_chunks(selfreview_home: Path) -> None:
    class Chunky(FakeChatModel):
        def stream(self, messages):  # one character at a time: "[", "2", "]" arrive apart
            yield from self._reply(messages, None, stream=True)

    fake = Chunky(["You migrated 12 services [2]. Also [1"], egress_home=selfreview_home)

    text = "".join(stream_answer(fake, "ledger?", HITS))

    assert text == "You migrated 12 services [git:acme/payments@4f1c2d9e7a01]. Also [1"
    assert cited(text, [h.evidence.id for h in HITS]) == ["git:acme/payments@4f1c2d9e7a01"]
    [entry] = egress.read_log(selfreview_home)
    assert entry["outcome"] == "ok"


def test_a_reader_that_stops_early_is_logged(selfreview_home: Path) -> None:
    fake = FakeChatModel(["You led a long answer that the reader abandons."], egress_home=selfreview_home)

    chunks = stream_answer(fake, "q?", HITS)
    next(chunks)
    chunks.close()

    assert egress.read_log(selfreview_home)[0]["outcome"] == "stopped by the reader"


def test_ask_failure_means_fallback() -> None:
    assert answer(FakeChatModel([LLMError("down")]), "q?", HITS) is None


def test_glossary_text_reads_the_model_and_yaml_forms() -> None:
    model = Glossary(
        values=[{"term": "Customer obsession", "meaning": "start from the customer"}],
        terms=[GlossaryTerm(use="partner teams", instead_of=["other teams", "them"])],
        avoid=["rockstar", "ninja"],
    )
    yaml_form = {"values": ["Ownership"], "terms": ["craft"], "avoid": ["guru"]}

    assert glossary_text(model) == (
        "Values:\n- Customer obsession: start from the customer\nPreferred terms:\n"
        '- "partner teams" instead of "other teams", "them"\n'
        'Avoid: "rockstar", "ninja"'
    )
    assert glossary_text(yaml_form) == 'Values:\n- Ownership\nPreferred terms:\n- "craft"\nAvoid: "guru"'
    assert glossary_text(None).startswith("(no glossary")


def test_rewrite_returns_the_text_or_none() -> None:
    fake = FakeChatModel(['{"text": "Partnered with partner teams to cut latency 38%."}'])

    assert rewrite(fake, "Worked with other teams to cut latency 38%.", None) == (
        "Partnered with partner teams to cut latency 38%."
    )
    assert "<text>\nWorked with other teams" in fake.messages[-1]["content"]
    assert rewrite(FakeChatModel(["nope", "still nope"]), "x", None) is None
