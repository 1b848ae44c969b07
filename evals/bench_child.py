"""What both sides of the ingest benchmark's child processes share (standard library only: it runs in the
project venv and in the bench venv alike): JSON in and out, and timed searches."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path


def read_json(path: str):  # type: ignore[no-untyped-def]
    return json.loads(Path(path).read_text(encoding="utf-8"))


def emit(payload: dict) -> None:
    """The child's result: one JSON object as its last stdout line."""
    print(json.dumps(payload), flush=True)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return {"p50_ms": round(pick(0.50) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2), "n": len(ordered)}


def time_searches(search: Callable[[str, bool], list], queries: list[str], runs: int) -> dict[str, dict]:
    """p50 / p95 of `search(query, filtered)` without and with the filter, after five warm-up queries each."""
    for query in queries[:5]:
        search(query, False)
        search(query, True)
    result: dict[str, dict] = {}
    for name, filtered in (("plain", False), ("filtered", True)):
        samples, hits = [], 0
        for i in range(runs):
            start = time.perf_counter()
            found = search(queries[i % len(queries)], filtered)
            samples.append(time.perf_counter() - start)
            hits += len(found)
        result[name] = {**percentiles(samples), "mean_hits": round(hits / runs, 1)}
    return result
