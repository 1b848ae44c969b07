"""A scripted OpenAI-compatible server for tests (stdlib ThreadingHTTPServer on 127.0.0.1, a random port).

It answers `/v1/chat/completions` (JSON, and SSE streams), `/v1/models` and `/v1/embeddings` (deterministic
vectors). Each chat request takes the next scripted reply: `ok`, `rate_limited` (429 + Retry-After),
`server_error`, `bad_request`, `slow` (the client times out), `cut` (the SSE stream stops mid-answer),
`from_evidence` (an answer written from the request's own evidence blocks, each claim cited by id), or the
server's `otherwise` reply (a plain "ok") when the script is empty. Cassettes are recorded against it: tests/record_cassettes.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "selfreview-test-model"
API_KEY = "sk-test-0000-not-a-real-key-0000"  # filtered out of cassettes all the same
CREATED = 1767225600  # fixed timestamps and ids keep re-recorded cassettes identical


@dataclass
class Reply:
    kind: str = "ok"  # ok | status | slow | cut | from_evidence
    content: str = "ok"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    after: int = 2  # content chunks sent before a cut
    chunked: bool = False  # cut: close mid chunked body (client error) instead of a short close-delimited one


def ok(content: str | dict | list) -> Reply:
    return Reply(content=content if isinstance(content, str) else json.dumps(content))


def rate_limited(retry_after: float = 1) -> Reply:
    return Reply("status", "Rate limit reached for requests", 429, {"Retry-After": f"{retry_after:g}"})


def server_error(status: int = 500) -> Reply:
    return Reply("status", "The server had an error while processing your request", status)


def bad_request(message: str) -> Reply:
    return Reply("status", message, 400)


def slow(seconds: float, content: str | dict = "ok") -> Reply:
    return Reply("slow", ok(content).content, delay=seconds)


def cut(content: str, after: int = 2, chunked: bool = False) -> Reply:
    return Reply("cut", content, after=after, chunked=chunked)


def from_evidence() -> Reply:
    """A model that answers from what it was sent: each evidence block's first sentence, cited by the block's id
    in square brackets as the Ask prompt asks (prompts/ask.md); with no block, the prompt's "found nothing"."""
    return Reply("from_evidence")


_BLOCK = re.compile(r'<evidence n="\d+" id="([^"]*)">.*?\ntext:\n(.*?)\n</evidence>', re.DOTALL)


def answer_from_evidence(body: dict[str, Any], most: int = 3) -> str:
    sent = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    claims = []
    for ident, text in _BLOCK.findall(sent)[:most]:
        sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0].rstrip(".")
        claims.append(f"- {sentence} [{ident}]")
    return "\n".join(claims) or "I found nothing in your evidence about that."


def vector(text: str, dims: int = 16) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    raw = [b / 255 - 0.5 for b in digest[:dims]]
    norm = sum(v * v for v in raw) ** 0.5 or 1.0
    return [round(v / norm, 6) for v in raw]


class LLMServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []  # {"path", "json"} of every chat request received
        self.received: list[bytes] = []  # the raw body of every POST, embeddings included
        self.authorizations: list[str] = []  # the Authorization header of every POST
        self.otherwise = Reply()  # the reply when the script is empty
        self._count = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> LLMServer:
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a `slow` handler may still be sleeping at shutdown
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_reply(self, path: str, body: dict[str, Any]) -> tuple[int, Reply]:
        with self._lock:
            self._count += 1
            self.requests.append({"path": path, "json": body})
            return self._count, (self.replies.popleft() if self.replies else self.otherwise)


class RecordingEndpoint(LLMServer):
    """A chat endpoint on 127.0.0.1, started at once, answering "ok" (or `otherwise`, e.g. `from_evidence()`)
    and keeping each request's Authorization header (to tell whose key went where)."""

    def __init__(self, otherwise: Reply | None = None) -> None:
        super().__init__()
        self.otherwise = otherwise or Reply()
        self.start()

    @property
    def url(self) -> str:
        return self.base_url

    def close(self) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: LLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        if self.path.rstrip("/").endswith("/models"):
            self._json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": MODEL, "object": "model", "created": CREATED, "owned_by": "selfreview-tests"}
                    ],
                },
            )
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.owner.received.append(raw)
        self.owner.authorizations.append(self.headers.get("Authorization", ""))
        body = json.loads(raw or b"{}")
        if self.path.endswith("/embeddings"):
            texts = body.get("input") if isinstance(body.get("input"), list) else [body.get("input", "")]
            self._json(
                200,
                {
                    "object": "list",
                    "model": body.get("model", MODEL),
                    "usage": {"prompt_tokens": 0, "total_tokens": 0},
                    "data": [
                        {"object": "embedding", "index": i, "embedding": vector(str(t))}
                        for i, t in enumerate(texts)
                    ],
                },
            )
            return
        if not self.path.endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        number, reply = self.owner.next_reply(self.path, body)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(number, reply, body)

    def _answer(self, number: int, reply: Reply, body: dict[str, Any]) -> None:
        if reply.kind == "status":
            error = {
                "message": reply.content,
                "type": "rate_limit_error" if reply.status == 429 else "api_error",
            }
            self._json(reply.status, {"error": error}, reply.headers)
            return
        if reply.kind == "slow":
            time.sleep(reply.delay)
        if reply.kind == "from_evidence":
            reply = Reply(content=answer_from_evidence(body))
        ident, model = f"chatcmpl-test-{number}", body.get("model", MODEL)
        if not body.get("stream"):
            self._json(
                200,
                {
                    "id": ident,
                    "object": "chat.completion",
                    "created": CREATED,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": reply.content},
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                },
            )
            return
        self._stream(ident, model, reply)

    def _stream(self, ident: str, model: str, reply: Reply) -> None:
        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            chunk = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(chunk)}\n\n".encode()

        words = reply.content.split(" ")
        pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
        events = [event({"role": "assistant", "content": ""})] + [event({"content": p}) for p in pieces]
        cutting = reply.kind == "cut"
        if cutting:
            events = events[: 1 + reply.after]
        else:
            events += [event({}, "stop"), b"data: [DONE]\n\n"]
        chunked = not cutting or reply.chunked
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding" if chunked else "Connection", "chunked" if chunked else "close")
        self.end_headers()
        for data in events:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            self.wfile.flush()
        if not cutting:
            self.wfile.write(b"0\r\n\r\n")
        self.close_connection = cutting  # a cut: the connection closes without the end of the body
