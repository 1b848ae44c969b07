"""UI speed benchmark (run on purpose, not a test): first paint of the demo, an offline draft of a level, how soon
an ingest shows progress, and how soon an edited bullet is saved.

    .venv/bin/python evals/bench_ui.py [--runs 5] [--port 0]

Starts `selfreview demo --no-browser` with a fresh data directory (it ingests the sample workspace with local
embeddings), then
  - first paint: time from navigation to the Evidence page's main content (its metrics) being visible in
    headless Chromium, a new browser context (no cache) per run;
  - offline draft: `app.drafting.draft` over the sample workspace at the sample's level, called directly;
  - ingest progress: from clicking "Ingest uploaded files" (500 new notes each run) to the page's first progress
    line, and to its first count of embedded chunks;
  - edit save: from Ctrl+Enter in a bullet (or from the last keystroke, when the text is saved by the typing
    pause) to the saved draft file holding the new text.
Targets: first paint <= 3 s, offline draft <= 2 s, first progress <= 2 s, edit saved <= 1 s (Ctrl+Enter) and
<= 2 s (typing pause). Prints a table; exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests import demo_server
from tests.demo_server import free_port

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T = TypeVar("T")
TARGETS = {
    "first paint (s)": 3.0,
    "first paint, cached (s)": 3.0,
    "hello-world paint (s)": 3.0,
    "offline draft (s)": 2.0,
    "ingest: first progress (s)": 2.0,
    "ingest: first chunks (s)": 2.0,
    "edit saved, Ctrl+Enter (s)": 1.0,
    "edit saved, pause (s)": 2.0,
}


def start_demo(home: Path, port: int) -> subprocess.Popen:
    try:
        return demo_server.start_demo(home, port)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from exc


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
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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


def ingest_progress(url: str, home: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from the Ingest click to the first progress line, and to the first embedded-chunk count."""
    import json

    from playwright.sync_api import sync_playwright

    shown, chunks = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(300_000)
        for run in range(runs):
            path = home / f"bench-{run}.jsonl"
            path.write_text(
                "".join(
                    json.dumps(
                        {
                            "id": f"jsonl:bench-{run}-{n}",
                            "source": "jsonl",
                            "kind": "note",
                            "role": "author",
                            "title": f"Benchmark note {n} of run {run}",
                            "body": f"Moved ledger batch {n} to the queue ({run}).",
                            "date": "2026-05-01T10:00:00+00:00",
                        }
                    )
                    + "\n"
                    for n in range(500)
                )
            )
            page.goto(url)
            page.get_by_role("heading", name="Evidence", exact=True).wait_for()
            page.get_by_text("Add evidence", exact=True).click()
            page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
            page.get_by_test_id("stFileUploader").get_by_text(path.name, exact=True).wait_for()
            started = time.perf_counter()
            page.get_by_role("button", name="Ingest uploaded files").click()
            page.get_by_role("progressbar").first.wait_for()
            shown.append(time.perf_counter() - started)
            page.get_by_text(re.compile(r"[1-9]\d* chunks embedded")).first.wait_for()
            chunks.append(time.perf_counter() - started)
            page.get_by_text(f"{path.name} (jsonl): 500 added", exact=False).wait_for()
        browser.close()
    return shown, chunks


def edit_save(url: str, home: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from Ctrl+Enter (and from the last keystroke, saved by the typing pause) to the draft file on
    disk holding the new text of the first bullet."""
    from playwright.sync_api import sync_playwright

    def saved(text: str, since: float) -> float:
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            if any(text in f.read_text(encoding="utf-8") for f in (home / "drafts").glob("*/*.json")):
                return time.perf_counter() - since
            time.sleep(0.01)
        raise SystemExit(f"the edit {text!r} was not saved within 30 s")

    enter, pause = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(url)
        page.get_by_role("heading", name="Evidence", exact=True).wait_for()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Draft", exact=True).click()
        page.get_by_text("Pick the period and level", exact=False).or_(
            page.get_by_role("heading", name="Export")
        ).first.wait_for()
        page.wait_for_timeout(1500)
        if page.get_by_role("button", name="Draft", exact=True).count():
            page.get_by_role("button", name="Draft", exact=True).click()
        page.get_by_role("heading", name="Export").wait_for()
        page.wait_for_timeout(1500)
        box = page.get_by_test_id("stTextArea").locator("textarea").first
        original = box.input_value()
        for run in range(runs):
            text = f"{original} (bench edit {run})"
            box.fill(text)
            started = time.perf_counter()
            box.press("Control+Enter")
            enter.append(saved(text, started))
            page.wait_for_timeout(800)
            text = f"{original} (bench pause {run})"
            box.fill(text)
            pause.append(saved(text, time.perf_counter()))
            page.wait_for_timeout(800)
        browser.close()
    return enter, pause


def row(name: str, times: list[float], note: str = "") -> str:
    target = TARGETS[name]
    median = statistics.median(times)
    verdict = "ok" if median <= target else "MISSED"
    return (
        f"| {name:<26} | {len(times):>4} | {times[0]:>6.2f} | {min(times):>5.2f} | {median:>6.2f} | "
        f"{max(times):>5.2f} | {target:>6.1f} | {verdict:<6} | {note}"
    )


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
            progress, chunks = timed("ingest progress", lambda: ingest_progress(url, home, args.runs))
            enter, pause = timed("edit save", lambda: edit_save(url, home, args.runs))
        finally:
            demo_server.stop_demo(demo)
    print(
        f"demo ready (sample ingested with local embeddings, server healthy) in {ready:.1f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print("| measure                    | runs |  first |   min | median |   max | target | result |")
    print("|----------------------------|------|--------|-------|--------|-------|--------|--------|")
    print(row("first paint (s)", paints, "new browser context (empty cache) each run; run 1 = cold server"))
    print(row("first paint, cached (s)", cached, "one browser context: Streamlit's JS cached"))
    print(row("hello-world paint (s)", hello, "baseline: st.title + st.metric, empty cache"))
    print(row("offline draft (s)", drafts, "first run loads the embedder"))
    print(row("ingest: first progress (s)", progress, "click to the first progress line; 500 notes per run"))
    print(
        row("ingest: first chunks (s)", chunks, "click to a count of embedded chunks; run 1 loads the model")
    )
    print(row("edit saved, Ctrl+Enter (s)", enter, "key press to the draft file holding the text"))
    print(row("edit saved, pause (s)", pause, "last keystroke to the file (600 ms typing pause included)"))
    print(summary)
    measured = {
        "first paint (s)": paints,
        "offline draft (s)": drafts,
        "ingest: first progress (s)": progress,
        "edit saved, Ctrl+Enter (s)": enter,
        "edit saved, pause (s)": pause,
    }
    missed = any(statistics.median(times) > TARGETS[name] for name, times in measured.items())
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
