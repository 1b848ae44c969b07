"""`selfreview demo` on a free port with a data directory of its own, for the browser tests and the UI evals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Settings of the machine running the tests that must not reach the demo (it runs offline, on local embeddings).
_KEPT_OUT = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SELFREVIEW_EMBEDDING", "SELFREVIEW_CHROMA_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_demo(home: Path, port: int, timeout: float = 300) -> subprocess.Popen:
    """Start the demo (it ingests the sample) and wait until it answers its health check; its output goes to
    `home/demo.log`, which a failure quotes."""
    env = {k: v for k, v in os.environ.items() if k not in _KEPT_OUT}
    env.update({"SELFREVIEW_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"})
    with (home / "demo.log").open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from app.cli import main; sys.exit(main())",
                "demo",
                "--no-browser",
                "--port",
                str(port),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"selfreview demo exited with {process.returncode}:\n{_log(home)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return process
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_demo(process)
            raise RuntimeError(f"the demo was not healthy within {timeout:.0f} s:\n{_log(home)}")
        time.sleep(0.5)


def stop_demo(process: subprocess.Popen) -> None:
    """Stop the demo and the Streamlit server it started."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


@contextmanager
def running_demo(home: Path) -> Iterator[str]:
    """The demo's URL while it runs; stopped afterwards."""
    port = free_port()
    process = start_demo(home, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_demo(process)


def _log(home: Path) -> str:
    path = home / "demo.log"
    return path.read_text()[-4000:] if path.exists() else "(no log)"
