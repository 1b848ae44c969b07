"""SELFREVIEW_CHROMA_URL switches the store to a real `chroma run` server that this test starts and stops."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import evidence_record, write_jsonl
from tests.ingest.test_pipeline import run_cli

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if binary is None:
        pytest.fail("the `chroma` command (installed with chromadb) is missing")
    port = free_port()
    process = subprocess.Popen([binary, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_ingest_and_search_against_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    import chromadb

    from ingest.chroma_store import embedding_function

    embedding_function("register")  # lets this process open a collection that records selfreview's function

    env = {"SELFREVIEW_CHROMA_URL": chroma_server, "SELFREVIEW_EMBEDDING": "fake"}
    source = write_jsonl(tmp_path / "a.jsonl", [evidence_record(n) for n in range(20)]
                         + [evidence_record(99, title="Led the refunds idempotency rollout")])

    added = run_cli("ingest", "jsonl", str(source), "--json", "--workspace", "team", env=env)
    again = run_cli("ingest", "jsonl", str(source), "--json", "--workspace", "team", env=env)
    found = run_cli("search", "refunds idempotency rollout", "--json", "--workspace", "team", env=env)

    assert json.loads(added.stdout)["added"] == 21, added.stderr
    assert json.loads(again.stdout)["unchanged"] == 21
    assert json.loads(found.stdout)["results"][0]["id"] == "jsonl:item-99"
    host, port = chroma_server.removeprefix("http://").split(":")
    server_side = chromadb.HttpClient(host=host, port=int(port)).get_collection("selfreview-team")
    assert server_side.count() == 21
