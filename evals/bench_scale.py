"""Search and build at scale (`evals/results/scale.md`): 10k and 100k chunks, embedded Chroma and a `chroma run`
server, unfiltered and filtered (over-fetched or pushed down), and the time per stage of a 10k build.

    .venv/bin/python -m evals.bench_scale [--sizes 10000,100000] [--runs 200] [--no-server] [--keep DIR]

- Beside the 10k embedded store: LangChain + Chroma's search on the same chunks and vectors, in the bench venv
  (`--langchain PYTHON`, default /work/benchvenv/bin/python; evals/bench_scale_langchain.py).
- Correctness: dense recall@10 against an exact filtered search, hits outside the filter
  (evals/bench_scale_recall.py).
- `--keep DIR` keeps the corpora and built stores in DIR: a later run with the same DIR reuses each build
  (and reports the stage times it measured then) and only measures search again.

- 10k: the sample corpus replicated (evals/bench_corpus.scale_up) and ingested through the real pipeline with the
  local MiniLM embedder: the build's stage times are real.
- Server builds and 100k reuse vectors instead of embedding again (said in the report): the 10k server build
  replays the embedded build's vectors text by text; 100k is the 10k corpus ten times over (new ids, same
  text and dates), each copy's vectors the 10k vectors plus Gaussian noise (sigma 0.01 a dimension), renormalised.
- Search latency: `HybridSearch.search(query, k=10, ...)` in-process on a warm index, the sample's written
  queries cycled, the query's embedding included (the local model, as a user's search pays it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench_child import percentiles
from evals.bench_corpus import (
    SAMPLE_QUERIES,
    date_window,
    flatten_sample,
    read_records,
    scale_up,
    write_records,
)
from evals.bench_scale_langchain import side_by_side
from evals.bench_scale_recall import check, store_vectors

RESULTS = Path(__file__).resolve().parent / "results"
MODEL = "local:all-MiniLM-L6-v2"


class ReplayEmbedder:
    """Vectors computed earlier by the local model, looked up by text; noise makes copies distinct."""

    name = MODEL
    dimensions = 384

    def __init__(self, vectors: dict[str, np.ndarray], noise: float = 0.0, seed: int = 0) -> None:
        self.vectors, self.noise = vectors, noise
        self.rng = np.random.default_rng(seed)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.vstack([self.vectors[t] for t in texts]).astype(np.float32)
        if self.noise:
            out = out + self.rng.normal(0, self.noise, out.shape).astype(np.float32)
            out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def start_server(path: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = str(Path(sys.executable).parent / "chroma")
    process = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("chroma run did not start")


def build(home: Path, name: str, source: Path, embedder: Any, chroma_url: str = "") -> dict[str, Any]:
    """Ingest `source` into workspace `name`; a build recorded in home/builds.json is reused as it is."""
    from ingest.pipeline import ingest
    from ingest.store import Workspace

    done = home / "builds.json"
    recorded = json.loads(done.read_text()) if done.is_file() else {}
    if name in recorded:
        print(f"reusing the {name} build in {home}", flush=True)
        return dict(recorded[name], reused=True)
    workspace = Workspace(home, name, chroma_url=chroma_url)
    started = time.perf_counter()
    report = ingest(workspace, embedder, "jsonl", [source])
    seconds = time.perf_counter() - started
    items, chunks = workspace.ledger.count()
    workspace.close()
    result = {"seconds": round(seconds, 1), "items": items, "chunks": chunks, "stages": report.stages}
    done.write_text(json.dumps({**recorded, name: result}, indent=2))
    return result


def stored_vectors(home: Path, name: str) -> dict[str, np.ndarray]:
    from ingest.store import Workspace

    workspace = Workspace(home, name)
    coll = workspace.collection()
    vectors: dict[str, np.ndarray] = {}
    offset = 0
    while True:
        page = coll.get(include=["documents", "embeddings"], limit=5000, offset=offset)
        if not page["ids"]:
            break
        vectors.update(
            zip(page["documents"], (np.asarray(v, np.float32) for v in page["embeddings"]), strict=True)
        )
        offset += len(page["ids"])
    workspace.close()
    return vectors


def latency(
    home: Path,
    name: str,
    queries: list[str],
    window: tuple[str, str, list[str]],
    runs: int,
    chroma_url: str = "",
) -> dict[str, Any]:
    from app.search import HybridSearch
    from app.services import parse_day
    from ingest.embeddings import LocalEmbedder
    from ingest.store import Workspace

    model = LocalEmbedder(home / "models")
    index = HybridSearch(Workspace(home, name, chroma_url=chroma_url), lambda: model)
    wide = (parse_day(window[0]), parse_day(window[1], end=True), window[2])
    narrow_day = datetime.fromisoformat(window[0])
    narrow = (narrow_day, narrow_day.replace(day=28), window[2][:1])  # under a month, one source
    cases = {"plain": (None, None, None), "filtered": wide, "narrow filter": narrow}
    result: dict[str, Any] = {}
    matrix = store_vectors(index)
    distinct = list(dict.fromkeys(queries))
    for filtering in ("overfetch", "pushdown"):
        index.filtering = filtering
        for case, (since, until, sources) in cases.items():
            if case == "plain" and filtering == "pushdown":
                continue
            for query in queries[:5]:
                index.search(query, 10, since, until, sources)
            index.pushed_down = 0
            samples, hits = [], 0
            for i in range(runs):
                started = time.perf_counter()
                hits += len(index.search(queries[i % len(queries)], 10, since, until, sources))
                samples.append(time.perf_counter() - started)
            label = case if case == "plain" else f"{case}, {filtering}"
            result[label] = {
                **percentiles(samples),
                "mean_hits": round(hits / runs, 1),
                "pushed_down": index.pushed_down,
                **check(index, matrix, distinct, since, until, sources),
            }
    index.workspace.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="keep corpora and stores here; reuse the builds found there"
    )
    parser.add_argument(
        "--langchain",
        default="/work/benchvenv/bin/python",
        help="the bench venv's Python, for LangChain + Chroma beside the 10k embedded store ('' to skip)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="600 chunks instead of 10k; results to a temp folder"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    use_langchain = bool(args.langchain) and Path(args.langchain).is_file()
    import yaml

    from ingest.embeddings import LocalEmbedder

    queries = [q["query"] for q in yaml.safe_load(SAMPLE_QUERIES.read_text())]
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "load_start": os.getloadavg(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
        },
        "command": " ".join([".venv/bin/python -m evals.bench_scale", *sys.argv[1:]]),
        "builds": {},
        "search": {},
        "langchain": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = args.keep or Path(tmp)
        home = root / "home"
        home.mkdir(parents=True, exist_ok=True)
        corpus10k = root / "10k.jsonl"
        if not corpus10k.is_file():
            base = read_records(flatten_sample(root / "sample.jsonl"))
            scale_up(base, 600 if args.smoke else 10000, corpus10k)
        records10k = read_records(corpus10k)
        window = date_window(records10k)
        results["filter"] = {"since": window[0], "until": window[1], "sources": window[2]}
        print("building 10k embedded (local model)", flush=True)
        results["builds"]["10k embedded"] = build(home, "scale10k", corpus10k, LocalEmbedder(home / "models"))
        print(json.dumps(results["builds"]["10k embedded"]), flush=True)
        replay = stored_vectors(home, "scale10k")
        server = None
        try:
            if not args.no_server:
                server, url = start_server(root / "server")
                print("building 10k on a server (vectors replayed)", flush=True)
                results["builds"]["10k server"] = build(
                    home, "scale10k-server", corpus10k, ReplayEmbedder(replay), url
                )
            if 10000 in sizes:
                results["search"]["10k embedded"] = latency(home, "scale10k", queries, window, args.runs)
                if use_langchain:
                    print("LangChain + Chroma on the 10k chunks", flush=True)
                    results["langchain"]["10k embedded"] = side_by_side(
                        args.langchain, home, "scale10k", root, queries, window, args.runs
                    )
                if server is not None:
                    results["search"]["10k server"] = latency(
                        home, "scale10k-server", queries, window, args.runs, url
                    )
            if 100000 in sizes:
                corpus100k = root / "100k.jsonl"
                if not corpus100k.is_file():
                    copies = [dict(r, id=f"{r['id']}~x{n}") for n in range(10) for r in records10k]
                    write_records(copies, corpus100k)
                noisy = ReplayEmbedder(replay, noise=0.01)
                print("building 100k embedded (vectors replayed + noise)", flush=True)
                results["builds"]["100k embedded"] = build(home, "scale100k", corpus100k, noisy)
                results["search"]["100k embedded"] = latency(home, "scale100k", queries, window, args.runs)
                if server is not None:
                    print("building 100k on a server (vectors replayed + noise)", flush=True)
                    results["builds"]["100k server"] = build(home, "scale100k-server", corpus100k, noisy, url)
                    results["search"]["100k server"] = latency(
                        home, "scale100k-server", queries, window, args.runs, url
                    )
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    results["machine"]["load_end"] = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-smoke-")) if args.smoke else RESULTS
    folder.mkdir(exist_ok=True)
    (folder / "scale.json").write_text(json.dumps(results, indent=2))
    from evals.bench_scale_report import write_report

    write_report(results, folder / "scale.md")
    print(f"wrote {folder / 'scale.md'}")


if __name__ == "__main__":
    main()
