"""Chat models behind one tiny protocol: the OpenAI-compatible adapter (our own retries) and a scripted fake.

`OpenAIChat` speaks the chat-completions API of OpenAI, Azure OpenAI (v1), Ollama, vLLM, llama.cpp and LM Studio.
SDK retries are off; ours retry 408/409/429/5xx, timeouts and connection errors (backoff + jitter, Retry-After).
Structured output asks for `json_schema`; on a 400/422, `json_object`, then the schema in the prompt (remembered).
Every message is redacted before it leaves (app.redact), local endpoints included.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from app import egress
from app.redact import redact_messages
from app.settings import Settings

DEFAULT_BASE_URL = "https://api.openai.com/v1"
FORMATS = ("json_schema", "json_object", "prompt")  # structured-output modes, best first
T = TypeVar("T")
Messages = list[dict[str, str]]


class LLMError(RuntimeError):
    """A failed LLM request, with a message that says what to do; `status` is the HTTP status if any."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status, self.retryable = status, retryable


class StreamCutError(LLMError):
    """The streamed answer stopped before the model finished it (the connection closed mid-stream)."""


class ChatModel(Protocol):
    endpoint: str  # base URL, for the egress log and messages
    model: str

    def complete(self, messages: Messages, schema: dict[str, Any] | None = None) -> str: ...

    def stream(self, messages: Messages) -> Iterator[str]: ...


class OpenAIChat:
    def __init__(
        self,
        settings: Settings,
        *,
        http_client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        backoff: float = 0.5,
        max_wait: float = 60.0,
    ) -> None:
        from openai import OpenAI  # imported here: offline mode never loads the SDK

        self.endpoint = (settings.openai_base_url or DEFAULT_BASE_URL).rstrip("/")
        self.model, self.egress_home, self.timeout = settings.chat_model, settings.home, settings.llm_timeout
        self.retries, self.format = max(settings.llm_retries, 0), FORMATS[0]
        self.last_stats: dict[str, Any] = {}
        self.last_redactions = 0
        self._sleep, self._rng, self._backoff, self._max_wait = sleep, rng, backoff, max_wait
        key = settings.openai_api_key or "not-needed"  # Ollama, vLLM and llama.cpp take any key
        azure = ".azure." in urlsplit(self.endpoint).netloc  # Azure's v1 API: .../openai/v1 with an api-key
        self._client = OpenAI(
            api_key=key,
            base_url=self.endpoint,
            timeout=self.timeout,
            max_retries=0,
            http_client=http_client,
            default_headers={"api-key": key} if azure else None,
        )

    def complete(self, messages: Messages, schema: dict[str, Any] | None = None) -> str:
        messages = self._outgoing(messages)
        while True:
            fmt = self.format if schema is not None else "text"
            request: dict[str, Any] = {"model": self.model, **_shaped(messages, schema, fmt)}
            try:
                response = self._retrying(functools.partial(self._client.chat.completions.create, **request))
            except LLMError as exc:
                if schema is not None and exc.status in (400, 422) and fmt != FORMATS[-1]:
                    self.format = FORMATS[FORMATS.index(fmt) + 1]  # the server rejected the format: step down
                    continue
                raise
            self.last_stats["response_format"] = fmt
            return _content(response, self.endpoint)

    def stream(self, messages: Messages) -> Iterator[str]:
        """Text chunks as they arrive. A stream cut before any text is retried; after, StreamCutError."""
        messages = self._outgoing(messages)

        def open_stream() -> Iterator[Any]:
            request: dict[str, Any] = {"model": self.model, "messages": messages, "stream": True}
            chunks = iter(self._client.chat.completions.create(**request))
            for chunk in chunks:
                if any(_delta(chunk)):
                    return itertools.chain([chunk], chunks)
            raise LLMError(f"the answer stream from {self.endpoint} ended before any text", retryable=True)

        chunks = self._retrying(open_stream)
        sent, finished, error = 0, False, None
        try:
            for chunk in chunks:
                text, done = _delta(chunk)
                finished, sent = finished or done, sent + len(text)
                if text:
                    yield text
        except Exception as exc:  # openai.APIConnectionError / APIError mid-stream
            error = exc
        if not finished:
            cause = type(error).__name__ if error else "no end-of-answer mark"
            raise StreamCutError(
                f"the answer stream from {self.endpoint} was cut off after {sent} characters "
                f"({cause}); the answer is incomplete: try again"
            ) from error

    def _outgoing(self, messages: Messages) -> Messages:
        self.last_stats = {"attempts": 0}
        clean, self.last_redactions = redact_messages(messages)  # a safety net: callers redact evidence first
        return clean

    def _retrying(self, call: Callable[[], T]) -> T:
        for attempt in range(self.retries + 1):
            self.last_stats["attempts"] += 1
            try:
                return call()
            except Exception as exc:  # noqa: BLE001 - translated below, re-raised when not an API error
                error = _translate(exc, self.endpoint, self.model, self.timeout)
                if not error.retryable or attempt == self.retries:
                    raise error from exc
                wait = _retry_after(exc)
                if wait is not None and wait > self._max_wait:
                    raise LLMError(
                        f"{error} The endpoint asks to wait {wait:.0f} s: try again later.", error.status
                    ) from exc
                step = min(self._backoff * 2**attempt, 20.0)  # exponential backoff with "equal jitter"
                self._sleep(wait if wait is not None else step / 2 + self._rng() * step / 2)
        raise AssertionError("unreachable")


def _shaped(messages: Messages, schema: dict[str, Any] | None, fmt: str) -> dict[str, Any]:
    """Request arguments for one structured-output mode (below json_schema, the schema joins the system prompt)."""
    if schema is None:
        return {"messages": messages}
    if fmt == "json_schema":
        return {
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": schema, "strict": True},
            },
        }
    has_system = bool(messages) and messages[0]["role"] == "system"
    system = (messages[0]["content"] + "\n\n" if has_system else "") + (
        "Reply with one JSON object that matches this JSON schema, and nothing else (no prose, no code "
        f"fences):\n{json.dumps(schema, separators=(',', ':'))}"
    )
    shaped = [{"role": "system", "content": system}, *messages[1 if has_system else 0 :]]
    return {
        "messages": shaped,
        **({"response_format": {"type": "json_object"}} if fmt == "json_object" else {}),
    }


def _content(response: Any, endpoint: str) -> str:
    message = response.choices[0].message if getattr(response, "choices", None) else None
    if message is None or message.content is None:
        refusal = getattr(message, "refusal", None)
        raise LLMError(f"the model refused: {refusal}" if refusal else f"{endpoint} returned an empty answer")
    return str(message.content)


def _delta(chunk: Any) -> tuple[str, bool]:
    """(text, finished) of a stream chunk; a chunk without choices (usage only) is ("", False)."""
    choice = chunk.choices[0] if getattr(chunk, "choices", None) else None
    return getattr(getattr(choice, "delta", None), "content", None) or "", bool(
        getattr(choice, "finish_reason", None)
    )


def _retry_after(exc: Exception) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms`, `retry-after` in seconds or as an HTTP date)."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        if value := headers.get(name):
            try:
                return max(float(value) * scale, 0.0)
            except ValueError:
                with contextlib.suppress(TypeError, ValueError):
                    return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    return None


def _translate(exc: Exception, endpoint: str, model: str, timeout: float) -> LLMError:
    """An SDK exception -> LLMError with a message that says what to do."""
    import openai

    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(
            f"{endpoint} did not answer within {timeout:g} s: raise SELFREVIEW_LLM_TIMEOUT", retryable=True
        )
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(
            f"cannot reach {endpoint}: is the server running, is OPENAI_BASE_URL right?", retryable=True
        )
    if not isinstance(exc, openai.APIStatusError):
        raise exc
    status, body = (
        exc.status_code,
        (exc.body.get("error", exc.body) if isinstance(exc.body, dict) else exc.body),
    )
    detail = str((body.get("message", body) if isinstance(body, dict) else body) or "no details")[:300]
    hint = {
        401: "check OPENAI_API_KEY",
        403: "check OPENAI_API_KEY",
        404: f"check the model name {model!r} (SELFREVIEW_CHAT_MODEL) and that OPENAI_BASE_URL ends in /v1",
        429: "the endpoint is rate-limiting requests",
    }.get(status, detail)
    return LLMError(
        f"{endpoint} answered {status}: {hint}", status, retryable=status in (408, 409, 429) or status >= 500
    )


class FakeChatModel:
    """Scripted replies for tests, the demo and evals: records every request; an Exception reply is raised."""

    endpoint = "fake://chat"

    def __init__(
        self,
        replies: Iterable[str | Exception] = (),
        *,
        default: str | None = None,
        model: str = "fake",
        egress_home: Any = None,
    ) -> None:
        self.replies: deque[str | Exception] = deque(replies)
        self.default, self.model = default, model
        self.egress_home = egress_home  # None: a fake sends nothing anywhere, so it logs nothing
        self.calls: list[dict[str, Any]] = []  # {"messages", "schema", "stream"} per request

    @property
    def messages(self) -> Messages:  # the last request's
        return self.calls[-1]["messages"] if self.calls else []

    def _reply(self, messages: Messages, schema: dict[str, Any] | None, stream: bool) -> str:
        self.calls.append({"messages": [dict(m) for m in messages], "schema": schema, "stream": stream})
        reply = self.replies.popleft() if self.replies else self.default
        if reply is None or isinstance(reply, Exception):
            raise reply or LLMError("FakeChatModel has no scripted reply left")
        return reply

    def complete(self, messages: Messages, schema: dict[str, Any] | None = None) -> str:
        return self._reply(messages, schema, stream=False)

    def stream(self, messages: Messages) -> Iterator[str]:
        reply = self._reply(messages, None, stream=True)
        yield from (reply[start : start + 7] for start in range(0, len(reply), 7))


def chat_from_settings(settings: Settings, **options: Any) -> ChatModel | None:
    """The configured chat model, or None in offline mode (no OPENAI_BASE_URL and no OPENAI_API_KEY)."""
    return OpenAIChat(settings, **options) if settings.llm_configured else None


def test_connection(settings: Settings, **options: Any) -> tuple[bool, str]:
    """One tiny request, no retries: (ok, a sentence for the UI's "test connection" button)."""
    if not settings.llm_configured:
        return False, "Offline mode: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one)."
    chat = OpenAIChat(
        replace(settings, llm_retries=0, llm_timeout=min(settings.llm_timeout, 20.0)), **options
    )
    started = time.monotonic()
    try:
        chat.complete([{"role": "user", "content": "Reply with the single word: ok"}])
    except LLMError as exc:
        egress.record_for(chat, purpose="test", outcome=f"error: {exc}")
        return False, f"Connection failed: {exc}"
    egress.record_for(chat, purpose="test", outcome="ok")
    return (
        True,
        f"Connected to {chat.endpoint}: {chat.model!r} answered in {time.monotonic() - started:.1f} s.",
    )


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test, despite its name
