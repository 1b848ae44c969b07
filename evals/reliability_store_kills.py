"""The kill -9 series of the store reliability eval: a real `selfreview ingest` or `reembed` killed at a point of
its progress read from the ledger (evals/reliability_store_watch.py), then the same command again, then a fresh
process that searches every item by words only it has (evals/reliability_store_kit.verify)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from evals import reliability_store_watch as watch
from evals.reliability_store_kit import REPO, cli, env_for, records, verify, write
from ingest.sync import BATCH_ITEMS


def start(home: Path, *args: str, chroma_url: str = "", embedding: str = "fake") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO,
        env=env_for(home, chroma_url, embedding),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def work_begins(home: Path, process: subprocess.Popen) -> float:
    """Wait until the run marks the workspace interrupted (or ends); returns that moment (monotonic)."""
    while process.poll() is None and not left_half_done(home):
        time.sleep(0.02)
    return time.monotonic()


def timed_round(home: Path, *args: str) -> tuple[float, float, float]:
    """An uninterrupted run: (its whole time, how long it kept the workspace marked interrupted: from the mark
    to the write confirmed in Chroma, the window in which a kill leaves work half done; the time to the mark)."""
    started = time.monotonic()
    process = start(home, *args)
    begun = work_begins(home, process)
    while process.poll() is None and left_half_done(home):
        time.sleep(0.02)
    settled = time.monotonic()
    process.wait()
    return time.monotonic() - started, settled - begun, begun - started


def ingest_kill_points(points: int, count: int, to_mark: float) -> list[tuple[str, Any]]:
    """Where each kill of an ingest lands, read from the ledger while it runs: two during start-up (a share of
    the measured time to the interrupted mark), the middle ones spread over the write from nothing staged to
    every item staged (alternately: a batch staged but not confirmed in Chroma, a batch just confirmed), the
    last two once the mark is cleared (keyword index and ledger backup still to do)."""
    middle = max(points - 4, 1)
    plan: list[tuple[str, Any]] = [("after", to_mark * 0.3), ("after", to_mark * 0.7)][
        : max(points - middle, 0)
    ]
    for j in range(middle):
        need = max(1, math.ceil(count * j / max(middle - 1, 1)))
        if j == 0:
            plan.append(("when", lambda p: p.dirty))
        elif j % 2:
            plan.append(("when", lambda p, need=need: p.dirty and p.new_staged >= need and p.pending > 0))
        else:
            plan.append(("when", lambda p, need=need: p.new_stored >= need))
    plan += [("when", lambda p: not p.dirty and p.new_stored == count)] * (points - len(plan))
    return plan[:points]


def kill_series(root: Path, name: str, count: int, points: int) -> dict[str, Any]:
    """`points` kills of an ingest (each round changes every item), each followed by the rerun."""
    home = root / name
    source = root / f"{name}.jsonl"
    write(source, records(count, 0))
    first = cli(home, "ingest", "jsonl", str(source), "--json")
    timings = []
    for revision in (-1, -2, -3):  # uninterrupted rounds that change every item
        write(source, records(count, revision))
        timings.append(timed_round(home, "ingest", "jsonl", str(source), "--json"))
    full, work, to_mark = (sorted(t[n] for t in timings)[1] for n in range(3))  # medians
    rows, really_killed = [], 0
    for point, (how, when) in enumerate(ingest_kill_points(points, count, to_mark)):
        revision = point + 1
        write(source, records(count, revision))
        args = ("ingest", "jsonl", str(source), "--json")
        process = start(home, *args)
        if how == "after":
            kill = watch.kill_after(process, when)
        else:
            kill = watch.kill_when(process, home, when, count, revision)
        really_killed += kill.mid_run
        half_done = left_half_done(home)
        rerun = cli(home, *args)
        check = verify(home, count, revision)
        rows.append(
            {
                "point": point + 1,
                "killed_in": kill.phase,
                "mid_run": kill.mid_run,
                "killed_at_s": kill.after_s,  # after the process started
                "half_done": half_done,
                "rerun_rc": rerun.returncode,
                "recovered": _recovered(rerun.stdout),
                **check,
            }
        )
    return {
        "name": name,
        "items": count,
        "command": "ingest",
        "kills_by": "progress",
        "full_run_s": round(full, 1),
        "work_s": round(work, 1),
        "first_rc": first.returncode,
        "killed_mid_run": really_killed,
        "rows": rows,
    }


def reembed_series(root: Path, name: str, count: int, points: int) -> dict[str, Any]:
    """`points` kills of `selfreview reembed`, each followed by the same reembed again. Each round changes the
    embedding backend (local MiniLM, then the fake, then MiniLM...), so every kill lands in a real re-embedding
    and a chunk left with the other model's vector is seen (old model). Each kill lands when the ledger shows
    a share of the items written again (from none to all, spread over the rounds of each backend)."""
    home = root / name
    source = write(root / f"{name}.jsonl", records(count, 0))
    first = cli(home, "ingest", "jsonl", str(source), "--json")
    full: dict[str, float] = {}
    for embedding in ("local", "fake"):  # one uninterrupted run each way, for the report
        started = time.monotonic()
        cli(home, "reembed", "--json", embedding=embedding)
        full[embedding] = time.monotonic() - started
    rows, really_killed = [], 0
    per_backend = max((points + 1) // 2, 1)
    for point in range(points):
        embedding = "local" if point % 2 == 0 else "fake"
        share = (point // 2) / max(per_backend - 1, 1)
        last_batch = count % BATCH_ITEMS or BATCH_ITEMS  # at least the last batch still to write: mid-run
        written = min(count - last_batch, round(count * share))
        process = start(home, "reembed", "--json", embedding=embedding)
        kill = watch.kill_when(
            process, home, lambda p, w=written: bool(p.reembedding) and 0 < p.pending <= count - w, count
        )
        really_killed += kill.mid_run
        half_done = left_half_done(home)
        rerun = cli(home, "reembed", "--json", embedding=embedding)
        model = (watch.read(home) or watch.Progress()).embedder
        check = verify(home, count, 0, embedding=embedding)
        rows.append(
            {
                "point": point + 1,
                "embedding": embedding,
                "model": model,
                "killed_in": kill.phase,
                "mid_run": kill.mid_run,
                "killed_at_s": kill.after_s,
                "half_done": half_done,
                "rerun_rc": rerun.returncode,
                "recovered": _recovered(rerun.stdout),
                **check,
            }
        )
    return {
        "name": name,
        "items": count,
        "command": "reembed",
        "kills_by": "progress",
        "full_run_s": f"{full['local']:.1f} (local) / {full['fake']:.1f} (fake)",
        "first_rc": first.returncode,
        "killed_mid_run": really_killed,
        "rows": rows,
    }


def left_half_done(home: Path) -> bool:
    """Whether the killed run left work for the next one: items staged but not confirmed in Chroma, the
    interrupted mark, or a reembed under way (read straight from the ledger, before anything opens it)."""
    import sqlite3

    path = home / "workspaces" / "default" / "ledger.sqlite"
    if not path.exists():
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        meta = dict(
            db.execute("SELECT key, value FROM meta WHERE key IN ('dirty', 'reembedding')").fetchall()
        )
        pending = db.execute("SELECT count(*) FROM items WHERE state = 'pending'").fetchone()[0]
    except sqlite3.OperationalError:  # being created
        return False
    finally:
        db.close()
    return meta.get("dirty") == "1" or bool(meta.get("reembedding")) or pending > 0


def _recovered(stdout: str) -> str:
    try:
        return str(json.loads(stdout).get("recovered", ""))
    except ValueError:
        return ""
