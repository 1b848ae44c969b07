"""Store reliability (`evals/results/reliability_store.md`): kill -9 during ingest and reembed, and damage to the
store, each followed by the rerun or repair a user would do; then every item must be found by a query unique to it.

    .venv/bin/python -m evals.reliability_store [--points 20] [--large 3000] [--no-server]
    nice -n 19 .venv/bin/python -m evals.reliability_store --only reembed     # one part; the others keep their results

Each kill lands at a point of the run's progress read from its ledger (evals/reliability_store_kills.py).
It also writes the summary into evals/results/reliability.md (section `store`).

Every step is a real `selfreview` process (python -m app.cli). The fake embedder (hashed words) is used so that
twenty kills of a 3,000-item ingest take minutes, not hours: what is tested is the store, not the model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.reliability_store_kills import kill_series, reembed_series
from evals.reliability_store_kit import REPO, unique

RESULTS = REPO / "evals" / "results"


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
        "old_model": _old_model_chunks(workspace, services.embedder_factory(settings, workspace)()),
        "left_interrupted": left_interrupted,
        "notices": index.notices,
        "dirty": workspace.dirty,
    }


SAME_MODEL = 0.98


def _old_model_chunks(workspace: Any, embedder: Any, sample: int = 300) -> int:
    """Chunks whose stored vector is not the configured model's vector of their text: every chunk when the
    collection records another model, else those of an evenly spread sample whose vector has another size or a
    cosine under SAME_MODEL to the model's vector of their text now. The int8 model's vector of a text moves
    with the batch it is embedded in (its activations are quantized per batch: cosine 0.986 to 0.999 between
    batches of 64 and of 7, 200 texts), so a tighter bound would call its own vectors old."""
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
    return int((cosine < SAME_MODEL).sum())


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
    from evals.reliability_results import write_section
    from evals.reliability_store_damage import damage_scenarios
    from evals.reliability_store_report import store_summary, write_report

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
        "nice": os.nice(0),
    }
    series: list[dict[str, Any]] = [s for s in previous.get("series", []) if s["name"] not in only]
    damage: list[dict[str, Any]] = previous.get("damage", []) if "damage" not in only else []

    def save() -> None:  # after every part, so a long run leaves what it has measured so far
        order = {name: n for n, name in enumerate(PARTS)}
        series.sort(key=lambda s: order.get(s["name"], len(PARTS)))
        saved.write_text(json.dumps({"series": series, "damage": damage}, indent=2))
        write_report(series, damage, RESULTS / "reliability_store.md")
        write_section("store", store_summary(series, damage))

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
