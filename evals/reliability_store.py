"""Store reliability (`evals/results/reliability_store.md`): kill -9 during ingest and reembed, and damage to the
store, each followed by the rerun or repair a user would do; then every item must be found by a query unique to it.

    .venv/bin/python -m evals.reliability_store [--points 20] [--large 3000] [--no-server]

Every step is a real `selfreview` process (python -m app.cli). The fake embedder (hashed words) is used so that
twenty kills of a 3,000-item ingest take minutes, not hours: what is tested is the store, not the model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.reliability_store_kit import REPO, cli, env_for, records, unique, verify, write

RESULTS = REPO / "evals" / "results"


def start(home: Path, *args: str, chroma_url: str = "", embedding: str = "fake") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO,
        env=env_for(home, chroma_url, embedding),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def killed_after(
    home: Path,
    seconds: float,
    *args: str,
    chroma_url: str = "",
    embedding: str = "fake",
    from_work: bool = False,
) -> bool:
    """Start `selfreview ARGS`, SIGKILL it after `seconds` (counted from when its work begins: the workspace
    marked interrupted, with `from_work`); True when it was still working (really killed)."""
    process = start(home, *args, chroma_url=chroma_url, embedding=embedding)
    if from_work:
        work_begins(home, process)
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60) == -signal.SIGKILL


def work_begins(home: Path, process: subprocess.Popen) -> float:
    """Wait until the run marks the workspace interrupted (or ends); returns that moment (monotonic)."""
    while process.poll() is None and not left_half_done(home):
        time.sleep(0.02)
    return time.monotonic()


def timed_round(home: Path, *args: str) -> tuple[float, float]:
    """An uninterrupted run: (its whole time, how long it kept the workspace marked interrupted: from the mark
    to the write confirmed in Chroma, the window in which a kill leaves work half done)."""
    started = time.monotonic()
    process = start(home, *args)
    begun = work_begins(home, process)
    while process.poll() is None and left_half_done(home):
        time.sleep(0.02)
    settled = time.monotonic()
    process.wait()
    return time.monotonic() - started, settled - begun


def _verify_here(home: Path, count: int, revision: int) -> dict[str, Any]:
    from app import services
    from app.settings import load

    settings = load()
    workspace = services.open_workspace(settings)
    left_interrupted = bool(
        workspace.dirty or workspace.ledger.pending() or workspace.ledger.get("reembedding")
    )
    index = services.search_index(settings, workspace)
    found = stale = first = 0
    for n in range(count):
        hits = index.search(unique(n), k=10)
        mine = [hit for hit in hits if hit.evidence.id == f"jsonl:rel-{n}"]
        if mine:
            found += 1
            first += hits[0] is mine[0]
            stale += f"Revision {revision} " not in mine[0].evidence.body
    chroma_ids = workspace.collection().get(include=[])["ids"]
    ledger_chunks = workspace.ledger.all_chunk_ids()
    duplicated = len(chroma_ids) - len(set(chroma_ids)) + len(set(chroma_ids) - ledger_chunks)
    return {
        "found": found,
        "first": first,
        "lost": count - found,
        "stale": stale,
        "duplicated": duplicated,
        "missing_in_chroma": len(ledger_chunks - set(chroma_ids)),
        "old_model": _old_model_chunks(workspace, services.embedder_factory(settings)()),
        "left_interrupted": left_interrupted,
        "notices": index.notices,
        "dirty": workspace.dirty,
    }


def _old_model_chunks(workspace: Any, embedder: Any, sample: int = 300) -> int:
    """Chunks whose stored vector is not the configured model's vector of their text: every chunk when the
    collection records another model, else those of an evenly spread sample that differ (cosine < 0.999)."""
    import numpy as np

    collection = workspace.collection()
    if workspace.collection_model() != embedder.name:
        return int(collection.count())
    ids = sorted(collection.get(include=[])["ids"])
    picked = ids[:: max(len(ids) // sample, 1)]
    if not picked:
        return 0
    got = collection.get(ids=picked, include=["embeddings", "documents"])
    stored = np.asarray(got["embeddings"], dtype=np.float32)
    fresh = embedder.embed(list(got["documents"]))
    if stored.shape != fresh.shape:
        return len(picked)
    cosine = (stored * fresh).sum(1) / np.maximum(
        np.linalg.norm(stored, axis=1) * np.linalg.norm(fresh, axis=1), 1e-12
    )
    return int((cosine < 0.999).sum())


def kill_series(root: Path, name: str, count: int, points: int) -> dict[str, Any]:
    """`points` kills of an ingest (each round changes every item), each followed by the rerun."""
    home = root / name
    source = root / f"{name}.jsonl"
    write(source, records(count, 0))
    first = cli(home, "ingest", "jsonl", str(source), "--json")
    timings = []
    for revision in (-1, -2, -3):  # uninterrupted rounds that change every item: what the kills spread over
        write(source, records(count, revision))
        timings.append(timed_round(home, "ingest", "jsonl", str(source), "--json"))
    full, work = (
        sorted(t[0] for t in timings)[1],
        min(t[1] for t in timings),
    )  # the shortest window: kills land in it
    rows, really_killed = [], 0
    for point in range(points):
        revision = point + 1
        write(source, records(count, revision))
        args = ("ingest", "jsonl", str(source), "--json")
        fraction = 0.1 + 0.8 * point / max(points - 1, 1)
        really_killed += killed_after(home, work * fraction, *args, from_work=True)
        half_done = left_half_done(home)
        rerun = cli(home, *args)
        check = verify(home, count, revision)
        rows.append(
            {
                "point": point + 1,
                "killed_at_s": round(work * fraction, 2),  # after the work began
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
        "full_run_s": round(full, 1),
        "work_s": round(work, 1),
        "first_rc": first.returncode,
        "killed_mid_run": really_killed,
        "rows": rows,
    }


def reembed_series(root: Path, name: str, count: int, points: int) -> dict[str, Any]:
    """`points` kills of `selfreview reembed`, each followed by the same reembed again. Each round changes the
    embedding backend (local MiniLM, then the fake, then MiniLM...), so every kill lands in a real re-embedding
    and a chunk left with the other model's vector is seen (old model)."""
    home = root / name
    source = write(root / f"{name}.jsonl", records(count, 0))
    first = cli(home, "ingest", "jsonl", str(source), "--json")
    full: dict[str, float] = {}
    for embedding in ("local", "fake"):  # one uninterrupted run each way: what the kill times are spread over
        started = time.monotonic()
        cli(home, "reembed", "--json", embedding=embedding)
        full[embedding] = time.monotonic() - started
    rows, really_killed = [], 0
    for point in range(points):
        embedding = "local" if point % 2 == 0 else "fake"
        fraction = 0.1 + 0.8 * point / max(points - 1, 1)
        really_killed += killed_after(
            home, full[embedding] * fraction, "reembed", "--json", embedding=embedding
        )
        half_done = left_half_done(home)
        rerun = cli(home, "reembed", "--json", embedding=embedding)
        check = verify(home, count, 0, embedding=embedding)
        rows.append(
            {
                "point": point + 1,
                "embedding": embedding,
                "killed_at_s": round(full[embedding] * fraction, 2),
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


PARTS = ("small-ingest", "damage", "large-ingest", "reembed")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "verify":
        print(json.dumps(_verify_here(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--large", type=int, default=3000)
    parser.add_argument("--reembed-items", type=int, default=3000, help="items of the reembed series")
    parser.add_argument("--damage-items", type=int, default=1500, help="items of each damaged workspace")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run ({', '.join(PARTS)}); the others keep their last results",
    )
    args = parser.parse_args()
    from evals.reliability_store_damage import damage_scenarios
    from evals.reliability_store_report import write_report

    only = [part for part in args.only.split(",") if part]
    if unknown := set(only) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    root = Path(tempfile.mkdtemp(prefix="reliability-store-"))
    RESULTS.mkdir(exist_ok=True)
    saved = RESULTS / "reliability_store.json"
    previous = json.loads(saved.read_text()) if saved.exists() else {}
    run = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "command": " ".join(sys.argv[1:]),
        "load": os.getloadavg()[0],
    }
    series: list[dict[str, Any]] = [s for s in previous.get("series", []) if s["name"] not in only]
    damage: list[dict[str, Any]] = previous.get("damage", []) if "damage" not in only else []

    def save() -> None:  # after every part, so a long run leaves what it has measured so far
        order = {name: n for n, name in enumerate(PARTS)}
        series.sort(key=lambda s: order.get(s["name"], len(PARTS)))
        saved.write_text(json.dumps({"series": series, "damage": damage}, indent=2))
        write_report(series, damage, RESULTS / "reliability_store.md")

    try:
        for part in only:
            if part == "damage":
                damage.extend(
                    {**case, "run": run}
                    for case in damage_scenarios(root, args.damage_items, with_server=not args.no_server)
                )
            elif part == "reembed":
                series.append({**reembed_series(root, part, args.reembed_items, args.points), "run": run})
            else:
                count = args.small if part == "small-ingest" else args.large
                series.append({**kill_series(root, part, count, args.points), "run": run})
            save()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"wrote {RESULTS / 'reliability_store.md'}")


if __name__ == "__main__":
    main()
