"""LLM cassettes: the vcrpy set-up that replays them (default) or records them, and the command to re-record.

    .venv/bin/python tests/record_cassettes.py            # every cassette test
    .venv/bin/python tests/record_cassettes.py -k retry   # some of them (their cassettes only are replaced)

`endpoint(module, test)` (the `llm_endpoint` fixture) replays `tests/cassettes/<module>/<test>.yaml` with
record_mode="none": a missing cassette fails the test at once and nothing reaches any network. With
SELFREVIEW_RECORD=1 it starts tests/llm_server.py and records with record_mode="once". Recorded requests are
rewritten to the fixed address REPLAY_URL (the server's port is random) and lose their credentials and client
fingerprint headers; responses lose all their headers. Cassettes match on the request body, so a changed prompt
fails replay at once: re-record after prompts change. The command deletes the selected tests' cassettes,
records them, then replays the whole module with no server, including the scan of every cassette for secrets.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import pytest

if TYPE_CHECKING:
    from tests.llm_server import LLMServer, Reply

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["tests/app/test_llm_cassettes.py"]
CASSETTES = ROOT / "tests" / "cassettes"
REPLAY_NETLOC = "127.0.0.1:8089"  # cassettes hold this address; nothing listens there during replay
REPLAY_URL = f"http://{REPLAY_NETLOC}/v1"


def recording() -> bool:
    return os.environ.get("SELFREVIEW_RECORD") == "1"


def _canonical_request(request: Any) -> Any:
    """The server's random port -> REPLAY_NETLOC; client fingerprint headers dropped."""
    parts = urlsplit(request.uri)
    if parts.hostname == "127.0.0.1":
        request.uri = urlunsplit((parts.scheme, REPLAY_NETLOC, parts.path, parts.query, ""))
    for name in list(request.headers):
        if name.lower().startswith("x-stainless") or name.lower() in ("user-agent", "cookie", "host"):
            del request.headers[name]
    return request


def _strip_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {}
    return response


def cassette_vcr(record: bool) -> Any:
    import vcr

    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="once" if record else "none",
        match_on=["method", "scheme", "host", "port", "path", "body"],
        filter_headers=["authorization", "api-key", "openai-organization", "openai-project", "x-api-key"],
        before_record_request=_canonical_request,
        before_record_response=_strip_response_headers,
        decode_compressed_response=True,
    )


@dataclass
class Endpoint:
    """What a cassette test talks to: the live scripted server when recording, the cassette otherwise."""

    base_url: str
    cassette: Any
    server: LLMServer | None = None

    @property
    def recording(self) -> bool:
        return self.server is not None

    def script(self, *replies: Reply) -> None:
        if self.server is not None:
            self.server.script(*replies)


def cassette_path(module: str, test: str) -> Path:
    return CASSETTES / module / f"{test.replace('[', '-').replace(']', '')}.yaml"


@contextlib.contextmanager
def endpoint(module: str, test: str) -> Iterator[Endpoint]:
    """Replay (default) or record (SELFREVIEW_RECORD=1) the cassette of one test."""
    path = cassette_path(module, test)
    record = recording()
    if not record and not path.is_file():
        pytest.fail(
            f"cassette {path.relative_to(CASSETTES.parent.parent)} is missing: record it with "
            "`.venv/bin/python tests/record_cassettes.py` (never falls back to a network call)"
        )
    from vcr.errors import CannotOverwriteExistingCassetteException

    from tests.llm_server import LLMServer

    server = LLMServer().start() if record else None
    try:
        with cassette_vcr(record).use_cassette(str(path)) as cassette:
            try:
                yield Endpoint(server.base_url if server else REPLAY_URL, cassette, server)
            except CannotOverwriteExistingCassetteException as exc:
                pytest.fail(
                    f"{path.name}: a request is not in the cassette (did a prompt or a request change? "
                    f"re-record with `.venv/bin/python tests/record_cassettes.py`)\n{exc}"
                )
            if not record and not cassette.all_played:
                pytest.fail(f"{path.name}: the code made fewer requests than the cassette recorded")
    finally:
        if server:
            server.stop()


class SpyTransport(httpx2.HTTPTransport):
    """Records every request body; first raises the queued httpx2 errors (a timeout a cassette cannot hold)."""

    def __init__(self, *failures: type[httpx2.TransportError]) -> None:
        super().__init__()
        self.failures = deque(failures)
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.bodies.append(request.read())
        if self.failures:
            raise self.failures.popleft()("injected by the test", request=request)
        return super().handle_request(request)


# -- the re-recording command -----------------------------------------------------------------------------
def run_pytest(args: list[str], record: bool) -> int:
    env = {**os.environ, "SELFREVIEW_RECORD": "1" if record else "0"}
    return subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT, env=env
    )


def main(argv: list[str]) -> int:
    selected = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--collect-only", *MODULES, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    ids = [line.strip() for line in selected.stdout.splitlines() if "::" in line]
    if not ids:
        print(selected.stdout + selected.stderr)
        return 2
    for node in ids:
        cassette_path(Path(node.split("::")[0]).stem, node.split("::")[1]).unlink(missing_ok=True)
    print(f"recording {len(ids)} test(s) into {CASSETTES.relative_to(ROOT)}/")
    if code := run_pytest([*MODULES, *argv], record=True):
        return code
    print("replaying every cassette with no server and record_mode='none'")
    return run_pytest(MODULES, record=False)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
