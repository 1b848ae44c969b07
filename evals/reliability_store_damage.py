"""Store-damage scenarios for evals/reliability_store.py: each damages a workspace the way a disk, a person or a
restarted server would, runs what a user would run next, and checks that the damage was named and every item is
found again."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.reliability_store_kit import cli, env_for, records, verify, write


def _server(path: Path, port: int) -> subprocess.Popen:
    binary = str(Path(sys.executable).parent / "chroma")
    process = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("chroma run did not start")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _embedded(root: Path, name: str, count: int) -> tuple[Path, Path]:
    home = root / name
    source = write(root / f"{name}.jsonl", records(count))
    if cli(home, "ingest", "jsonl", str(source), "--json").returncode != 0:
        raise RuntimeError(f"{name}: the first ingest failed")
    return home, home / "workspaces" / "default"


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage\xff" * max(path.stat().st_size // 10, 100))


def scenario(
    name: str,
    count: int,
    damage: str,
    steps: list[subprocess.CompletedProcess],
    check: dict[str, Any],
    named: bool,
) -> dict[str, Any]:
    return {
        "scenario": name,
        "damage": damage,
        "named": named,
        "commands": [
            {
                "rc": s.returncode,
                "said": (s.stderr.strip() or s.stdout.strip())[-240:],
                "traceback": "Traceback" in s.stderr,
            }
            for s in steps
        ],
        **check,
        "items": count,
    }


def damage_scenarios(root: Path, count: int, with_server: bool = True) -> list[dict[str, Any]]:
    results = []
    cases: list[tuple[str, str, Callable[[Path], None], list[tuple[str, ...]], str]] = [
        (
            "chroma directory deleted",
            "rm -r chroma/",
            _delete_chroma,
            [("search", "uq1a uq1b", "--json")],
            "is missing",
        ),
        (
            "HNSW files garbage",
            "every *.bin of the index overwritten with garbage",
            _garbage_index,
            [("search", "uq1a uq1b", "--json")],
            "damaged",
        ),
        (
            "ledger truncated",
            "ledger.sqlite cut to half its size",
            _truncate_ledger,
            [("search", "uq1a uq1b", "--json"), ("repair",)],
            "selfreview repair",
        ),
        (
            "ledger garbage",
            "ledger.sqlite overwritten with garbage",
            _garbage_ledger,
            [("search", "uq1a uq1b", "--json"), ("repair",)],
            "selfreview repair",
        ),
        (
            "ledger and chroma lost",
            "ledger.sqlite garbage and chroma/ deleted",
            _lose_both,
            [("repair",)],
            "backup",
        ),
        (
            "keyword index corrupt",
            "keywords-v*/chunks.json overwritten with garbage",
            _garbage_keywords,
            [("search", "uq1a uq1b", "--json")],
            "could not be read",
        ),
    ]
    for name, what, damage, commands, expected in cases:
        home, folder = _embedded(root, name.replace(" ", "-"), count)
        if name.startswith("HNSW"):  # the index files exist once enough chunks were written
            assert list((folder / "chroma").rglob("*.bin")), "no HNSW files to damage"
        damage(folder)
        steps = [cli(home, *command) for command in commands]
        said = " ".join(" ".join((s.stderr + s.stdout).split()) for s in steps)  # the console wraps lines
        results.append(scenario(name, count, what, steps, verify(home, count, 0), expected in said))
    if with_server:
        results += _server_scenarios(root, count)
    return results


def _delete_chroma(workspace: Path) -> None:
    shutil.rmtree(workspace / "chroma")


def _garbage_index(workspace: Path) -> None:
    for path in (workspace / "chroma").rglob("*.bin"):
        _garbage(path)


def _truncate_ledger(workspace: Path) -> None:
    path = workspace / "ledger.sqlite"
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _garbage_ledger(workspace: Path) -> None:
    _garbage(workspace / "ledger.sqlite")


def _lose_both(workspace: Path) -> None:
    _garbage_ledger(workspace)
    _delete_chroma(workspace)


def _garbage_keywords(workspace: Path) -> None:
    for folder in workspace.glob("keywords-v*"):
        _garbage(folder / "chunks.json")


def _server_scenarios(root: Path, count: int) -> list[dict[str, Any]]:
    results = []
    port = _port()
    url = f"http://127.0.0.1:{port}"
    home = root / "server-home"
    source = write(root / "server.jsonl", records(count))
    server = _server(root / "server-data", port)
    try:
        cli(home, "ingest", "jsonl", str(source), "--json", chroma_url=url)
        import chromadb

        from ingest.chroma_store import embedding_function

        embedding_function("register")
        chromadb.HttpClient(host="127.0.0.1", port=port).delete_collection("selfreview-default")
        steps = [cli(home, "search", "uq1a uq1b", "--json", chroma_url=url)]
        said = " ".join(steps[0].stderr.split())
        results.append(
            scenario(
                "server emptied",
                count,
                "the collection deleted on the server",
                steps,
                verify(home, count, 0, url),
                "rebuilt from the ledger" in said,
            )
        )
    finally:
        server.kill()
        server.wait(timeout=30)
    big = records(count * 4, 1)
    write(source, big)
    server = _server(root / "server-data", port)
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", "jsonl", str(source), "--json"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env_for(home, url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=30)
    _, err = process.communicate(timeout=600)
    cut = subprocess.CompletedProcess(process.args, process.returncode, "", err)
    server = _server(root / "server-data", port)
    try:
        rerun = cli(home, "ingest", "jsonl", str(source), "--json", chroma_url=url)
        results.append(
            scenario(
                "server killed mid-ingest",
                len(big),
                "chroma run killed 6 s into an ingest, started again on the same data",
                [cut, rerun],
                verify(home, len(big), 1, url),
                "stopped answering" in " ".join(err.split())
                or "cannot be reached" in " ".join(err.split())
                or process.returncode == 0,
            )
        )
    finally:
        server.kill()
        server.wait(timeout=30)
    return results
