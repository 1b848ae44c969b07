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


def start_server(path: Path, port: int) -> subprocess.Popen:
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if binary is None:
        pytest.fail("the `chroma` command (installed with chromadb) is missing")
    process = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("chroma server did not start")
            time.sleep(0.2)


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = start_server(tmp_path / "server", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


def test_ingest_and_search_against_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    import chromadb

    from ingest.chroma_store import embedding_function

    embedding_function("register")  # lets this process open a collection that records selfreview's function

    env = {"SELFREVIEW_CHROMA_URL": chroma_server, "SELFREVIEW_EMBEDDING": "fake"}
    source = write_jsonl(
        tmp_path / "a.jsonl",
        [evidence_record(n) for n in range(20)]
        + [evidence_record(99, title="Led the refunds idempotency rollout")],
    )

    added = run_cli("ingest", "jsonl", str(source), "--json", "--workspace", "team", env=env)
    again = run_cli("ingest", "jsonl", str(source), "--json", "--workspace", "team", env=env)
    found = run_cli("search", "refunds idempotency rollout", "--json", "--workspace", "team", env=env)

    assert json.loads(added.stdout)["added"] == 21, added.stderr
    assert json.loads(again.stdout)["unchanged"] == 21
    assert json.loads(found.stdout)["results"][0]["id"] == "jsonl:item-99"
    host, port = chroma_server.removeprefix("http://").split(":")
    server_side = chromadb.HttpClient(host=host, port=int(port)).get_collection("selfreview-team")
    assert server_side.count() == 21


def server_collection(url: str):  # type: ignore[no-untyped-def]
    import chromadb

    from ingest.chroma_store import embedding_function

    embedding_function("register")
    host, port = url.removeprefix("http://").split(":")
    return chromadb.HttpClient(host=host, port=int(port))


def test_emptied_server_is_noticed_on_open_and_rebuilt_from_the_ledger(
    chroma_server: str, tmp_path: Path
) -> None:
    env = {"SELFREVIEW_CHROMA_URL": chroma_server, "SELFREVIEW_EMBEDDING": "fake"}
    source = write_jsonl(
        tmp_path / "a.jsonl",
        [evidence_record(n) for n in range(20)]
        + [evidence_record(99, title="Led the refunds idempotency rollout")],
    )
    assert run_cli("ingest", "jsonl", str(source), "--json", "--workspace", "team", env=env).returncode == 0
    server_collection(chroma_server).delete_collection("selfreview-team")

    found = run_cli("search", "refunds idempotency rollout", "--json", "--workspace", "team", env=env)

    assert json.loads(found.stdout)["results"][0]["id"] == "jsonl:item-99", found.stderr
    assert "holds 0 chunks, the ledger 21" in found.stderr
    assert "rebuilt from the ledger" in found.stderr
    assert server_collection(chroma_server).get_collection("selfreview-team").count() == 21


def test_server_restarted_empty_is_noticed_and_rebuilt(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"SELFREVIEW_CHROMA_URL": url, "SELFREVIEW_EMBEDDING": "fake"}
    source = write_jsonl(
        tmp_path / "a.jsonl",
        [evidence_record(n) for n in range(20)]
        + [evidence_record(99, title="Led the refunds idempotency rollout")],
    )
    first = start_server(tmp_path / "first", port)
    try:
        assert run_cli("ingest", "jsonl", str(source), "--json", env=env).returncode == 0
    finally:
        first.kill()  # the server dies; a new one comes up on the same port with nothing in it
        first.wait(timeout=20)
    down = run_cli("search", "refunds idempotency rollout", "--json", env=env)
    second = start_server(tmp_path / "second", port)
    try:
        again = run_cli("ingest", "jsonl", str(source), "--json", env=env)
        found = run_cli("search", "refunds idempotency rollout", "--json", env=env)
    finally:
        stop_server(second)

    assert down.returncode == 2, down.stderr
    assert "cannot be reached" in down.stderr
    assert "Traceback" not in down.stderr
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["added"]) == (21, 0)
    assert "rebuilt from the ledger" in report["recovered"]
    assert json.loads(found.stdout)["results"][0]["id"] == "jsonl:item-99"
