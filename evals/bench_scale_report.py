"""Writes evals/results/scale.md from the numbers evals/bench_scale.py measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app import search

TARGETS = [("10k embedded", "filtered, overfetch", 25.0), ("100k embedded", "filtered, overfetch", 80.0)]
COLUMNS = [
    "plain",
    "filtered, overfetch",
    "filtered, pushdown",
    "narrow filter, overfetch",
    "narrow filter, pushdown",
]


def _cell(row: dict[str, Any] | None) -> str:
    if not row:
        return "not measured"
    pushed = f", {row['pushed_down']}/{row['n']} pushed down" if row.get("pushed_down") else ""
    return f"{row['p50_ms']:.1f} / {row['p95_ms']:.1f} ({row['mean_hits']:g} hits{pushed})"


def _correct(row: dict[str, Any] | None) -> str:
    if not row or "recall_at_10" not in row:
        return "not measured"
    return (
        f"recall {row['recall_at_10']:.3f} (worst {row['min_recall_at_10']:.2f}), "
        f"{row['hits_outside_filter']}/{row['hits_checked']} outside"
    )


def _langchain(results: dict[str, Any]) -> list[str]:
    side = results.get("langchain") or {}
    if not side:
        return []
    lines = [
        "",
        "### Beside it: LangChain + Chroma, same run",
        "",
        "`langchain_chroma.Chroma.similarity_search(query, k=10)` on the same chunks and vectors (copied into its "
        "own store; evals/bench_scale_langchain.py), the query embedded by HuggingFaceEmbeddings (all-MiniLM-L6-v2 "
        "on torch), the wide filter as a Chroma `where`; top 10 chunks, no keyword side, no fusion. At 10k only: "
        "filling a 100k LangChain store (Chroma adds, ~13 min here) did not fit the run.",
        "",
        "| store | selfreview plain | LangChain plain | selfreview filtered | LangChain filtered |",
        "|---|---|---|---|---|",
    ]
    for store, row in side.items():
        ours = results["search"].get(store, {})
        lines.append(
            f"| {store} | {_cell(ours.get('plain'))} | {_cell(row.get('plain'))} | "
            f"{_cell(ours.get('filtered, overfetch'))} | {_cell(row.get('filtered'))} |"
        )
    return lines


def write_report(results: dict[str, Any], dest: Path) -> None:
    machine, window = results["machine"], results["filter"]
    lines = [
        "# Search and build at scale: Chroma serves retrieval",
        "",
        f"Machine: {machine['cores']} cores, Python {machine['python']}, {machine['date']}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in machine['load_start'])}, at end "
        f"{', '.join(f'{x:.1f}' for x in machine['load_end'])} (the machine is shared: a load above 2 slows "
        "every number here).",
        "",
        f"Command: `{results.get('command', '.venv/bin/python -m evals.bench_scale')}` (how each corpus and its "
        "vectors were made is in the module's docstring).",
        "",
        "## Search latency (ms, p50 / p95; top 10, query embedding included)",
        "",
        f"Filtered = {window['since']}..{window['until']} and source in {window['sources']}; narrow filter = "
        f"{window['since']} to the 28th of that month and source {window['sources'][:1]}. `overfetch` asks Chroma "
        f"for enough unfiltered neighbours (at most {search.OVERFETCH_LIMIT:,}) and keeps those inside the filter; "
        f"when too few survive, a second round of up to {search.SECOND_LIMIT:,} neighbours if that costs less than "
        "listing the filter's chunk ids, else the filter is pushed down, as it is at once when the filter keeps "
        f"under {search.MIN_SHARE:.0%} of the chunks or when listing its chunk ids costs less than the first round "
        f"(a listed id costs 1/{search.NEIGHBOUR_COST} of an asked neighbour); `pushdown` always pushes it down: as the list of chunk ids "
        f"inside the filter when there are at most {search.IDS_LIMIT:,} of them, else as a Chroma `where` on "
        "epoch and source. Pushed down = queries whose filter went to Chroma.",
        "",
        "| store | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for store, rows in results["search"].items():
        lines.append(f"| {store} | " + " | ".join(_cell(rows.get(c)) for c in COLUMNS) + " |")
    lines += _langchain(results)
    lines += [
        "",
        "## Correctness of filtered search",
        "",
        "Every distinct written query once per column. Dense recall@10 = share of the exact top 10 (brute-force "
        "cosine over the store's own vectors, read back from Chroma, restricted to the filter) that the dense "
        "side returns in its first 10 (mean, and the worst query); outside = returned hits whose date or "
        "source is outside the filter. A chunk as good as the exact 10th counts (replicated items tie). Recall "
        "under 1 without a filter is Chroma's HNSW index (ef_search 100) missing neighbours: the corpus repeats "
        "each item with a word dropped (and ten times over at 100k), near-identical vectors the graph links "
        "poorly; the filtered columns inherit it.",
        "",
        "| store | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for store, rows in results["search"].items():
        lines.append(f"| {store} | " + " | ".join(_correct(rows.get(c)) for c in COLUMNS) + " |")
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    for store, column, limit in TARGETS:
        row = results["search"].get(store, {}).get(column)
        if row is None:
            lines.append(f"| search p95 <= {limit:g} ms, {store}, {column} | not measured | - |")
        else:
            verdict = "**met**" if row["p95_ms"] <= limit else "**not met**"
            lines.append(
                f"| search p95 <= {limit:g} ms, {store}, {column} | {row['p95_ms']:.1f} ms | {verdict} |"
            )
    lines += [
        "",
        "## Builds (seconds per stage)",
        "",
        "| build | items | chunks | total s | stages |",
        "|---|---|---|---|---|",
    ]
    for name, build in results["builds"].items():
        stages = ", ".join(
            f"{stage} {seconds:.1f}"
            for stage, seconds in sorted(build["stages"].items(), key=lambda kv: -kv[1])
        )
        mark = " (earlier)" if build.get("reused") else ""
        lines.append(
            f"| {name}{mark} | {build['items']} | {build['chunks']} | {build['seconds']:.1f} | {stages} |"
        )
    lines += [
        "",
        "Only the 10k embedded build embeds with the local model; the others replay its vectors (their "
        "`embed` stage is a table lookup), so their Chroma, ledger and keyword-index stages are what they "
        "measure. A build marked (earlier) was made by an earlier run with the same `--keep` directory; its "
        "times are from that run (and the load then).",
        "",
    ]
    if not results.get("langchain"):
        lines += [
            "",
            "The side-by-side with the LangChain + Chroma pipeline needs the bench venv (`/work/benchvenv`, set "
            "up as evals/bench_ingest.py describes); it was not present on the machine that ran this, so no "
            "LangChain number here is from this run.",
        ]
    dest.write_text("\n".join(lines) + "\n")
