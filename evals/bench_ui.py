"""UI speed benchmark (run on purpose, not a test): first paint of the demo and an offline draft of a level.

    .venv/bin/python evals/bench_ui.py [--runs 5] [--port 0]

Starts `selfreview demo --no-browser` with a fresh data directory (it ingests the sample workspace with local
embeddings), then
  - first paint: time from navigation to the Evidence page's main content (its metrics) being visible in
    headless Chromium, a new browser context (no cache) per run;
  - offline draft: `app.drafting.draft` over the sample workspace at the sample's level, called directly.
Targets: first paint <= 3 s, offline draft <= 2 s. Prints a table; exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
T = TypeVar("T")
TARGETS = {"first paint (s)": 3.0, "first paint, cached (s)": 3.0, "hello-world paint (s)": 3.0,
           "offline draft (s)": 2.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo(home: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL",
                                                            "SELFREVIEW_EMBEDDING", "SELFREVIEW_CHROMA_URL")}
    env.update({"SELFREVIEW_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"})
    log = (home / "demo.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
         "demo", "--no-browser", "--port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the demo exited with {process.returncode}: see {home / 'demo.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo was not healthy within 300 s: see {home / 'demo.log'}")


def first_paint(url: str, runs: int, warm_cache: bool) -> list[float]:
    """Seconds from navigation to the first metric visible; a fresh browser context (empty cache) per run,
    or one context for all runs (the browser has Streamlit's JavaScript cached, as on a second visit)."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        shared = browser.new_context(viewport={"width": 1400, "height": 900}) if warm_cache else None
        if shared is not None:  # fill the cache once
            page = shared.new_page()
            page.goto(url)
            page.get_by_test_id("stMetric").first.wait_for(state="visible", timeout=60_000)
            page.close()
        for _ in range(runs):
            context = shared or browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.get_by_test_id("stMetric").first.wait_for(state="visible", timeout=60_000)
            times.append(time.perf_counter() - started)
            page.close()
            if shared is None:
                context.close()
        browser.close()
    return times


HELLO = 'import streamlit as st\nst.title("Hello")\nst.metric("Evidence items", 238)\n'


def baseline(home: Path, runs: int) -> list[float]:
    """The same measure for a two-line Streamlit app: what this machine and browser cost by themselves."""
    script = home / "hello_streamlit.py"
    script.write_text(HELLO)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        return first_paint(f"http://127.0.0.1:{port}", runs, warm_cache=False)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def offline_draft(home: Path, runs: int) -> tuple[list[float], str]:
    os.environ["SELFREVIEW_HOME"] = str(home)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SELFREVIEW_EMBEDDING"):
        os.environ.pop(name, None)
    from app import services
    from app.drafting import draft
    from app.ladder import load_ladder
    from app.settings import load

    settings = load(workspace="sample")
    manifest = services.sample_manifest()
    since = services.parse_day(manifest.get("period", {}).get("since"))
    until = services.parse_day(manifest.get("period", {}).get("until"), end=True)
    ladder = load_ladder(services.sample_ladder())
    level = str(manifest.get("level") or ladder.levels[-1].id)
    index = services.search_index(settings, services.open_workspace(settings))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = draft(index, ladder, level, since, until, chat=None)
        times.append(time.perf_counter() - started)
    statuses = " ".join(f"{c.criterion.id}={c.status}" for c in result.criteria)
    return times, f"{ladder.name} {level}: cited {result.cited} of {result.available}; {statuses}"


def row(name: str, times: list[float], note: str = "") -> str:
    target = TARGETS[name]
    median = statistics.median(times)
    verdict = "ok" if median <= target else "MISSED"
    return (f"| {name:<23} | {len(times):>4} | {times[0]:>6.2f} | {min(times):>5.2f} | {median:>6.2f} | "
            f"{max(times):>5.2f} | {target:>6.1f} | {verdict:<6} | {note}")


def timed(label: str, step: Callable[[], T]) -> T:
    sys.stderr.write(f"{label}…\n")
    return step()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfreview-bench-") as tmp:
        home = Path(tmp)
        port = args.port or free_port()
        url = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        demo = timed("starting selfreview demo (ingests the sample)", lambda: start_demo(home, port))
        ready = time.perf_counter() - started
        try:
            paints = timed("first paint", lambda: first_paint(url, args.runs, warm_cache=False))
            cached = timed("first paint with a warm browser cache", lambda: first_paint(url, args.runs, True))
            hello = timed("baseline: a two-line Streamlit app", lambda: baseline(home, args.runs))
            drafts, summary = timed("offline draft", lambda: offline_draft(home, args.runs))
        finally:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.wait(timeout=30)
    print(f"demo ready (sample ingested with local embeddings, server healthy) in {ready:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| measure                 | runs |  first |   min | median |   max | target | result |")
    print("|-------------------------|------|--------|-------|--------|-------|--------|--------|")
    print(row("first paint (s)", paints, "new browser context (empty cache) each run; run 1 = cold server"))
    print(row("first paint, cached (s)", cached, "one browser context: Streamlit's JS cached"))
    print(row("hello-world paint (s)", hello, "baseline: st.title + st.metric, empty cache"))
    print(row("offline draft (s)", drafts, "first run loads the embedder"))
    print(summary)
    missed = statistics.median(paints) > TARGETS["first paint (s)"] or statistics.median(drafts) > TARGETS[
        "offline draft (s)"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
