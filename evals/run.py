"""Truth evals: retrieval recall@10 and MRR, grounded-number rate, phantom citations, hedges, coverage, ask
and offline draft time, on the sample workspace and (when ../shared is present) the rubocop history.

    .venv/bin/python -m evals.run            # prints the table and writes evals/results/truth.md
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from app import services
from app.ask import ask
from app.drafting import draft
from app.ladder import load_ladder
from app.lint import hedges
from app.search import HybridSearch
from app.settings import load

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
FUSIONS = ("rrf", "weighted", "dense", "bm25")


def retrieval(index: HybridSearch, queries: list[dict]) -> dict[str, tuple[float, float]]:
    """fusion -> (recall@10, MRR) over the labeled queries (expected evidence given by exact title)."""
    by_title: dict[str, set[str]] = {}
    for evidence in index.all_evidence():
        by_title.setdefault(evidence.title, set()).add(evidence.id)
    results = {}
    default = index.fusion
    for fusion in FUSIONS:
        index.fusion = fusion
        found = expected = 0
        reciprocal = []
        for case in queries:
            wanted = set().union(*(by_title.get(t, set()) for t in case["expected_titles"]))
            hits = index.search(
                case["query"],
                k=10,
                since=services.parse_day(case.get("since")),
                until=services.parse_day(case.get("until"), end=True),
                sources=[case["source"]] if case.get("source") else None,
            )
            ranks = [rank for rank, hit in enumerate(hits, 1) if hit.evidence.id in wanted]
            found += len(wanted & {h.evidence.id for h in hits})
            expected += len(wanted)
            reciprocal.append(1.0 / ranks[0] if ranks else 0.0)
        results[fusion] = (found / max(expected, 1), statistics.mean(reciprocal))
    index.fusion = default
    return results


def cli_draft_seconds(home: Path, workspace: str, ladder_path: Path, level: str) -> float:
    """Wall time of `selfreview draft ... --json` in a new process: imports, model load and the whole level."""
    env = {**os.environ, "SELFREVIEW_HOME": str(home), "SELFREVIEW_EMBEDDING": "local"}
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "draft",
        "--ladder",
        str(ladder_path),
        "--level",
        level,
        "--workspace",
        workspace,
        "--json",
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, cwd=HERE.parent)
    return time.perf_counter() - started


def drafting(index: HybridSearch, ladder_path: Path, level: str, runs: int = 3) -> dict[str, object]:
    ladder = load_ladder(ladder_path)
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = draft(index, ladder, level)
        times.append(time.perf_counter() - started)
    payload = result.to_json()  # type: ignore[union-attr]
    numbers = grounded = phantoms = hedge_count = bullets = 0
    for criterion in payload["criteria"]:
        retrieved = set(criterion.get("retrieved", []))
        for bullet in criterion["bullets"]:
            bullets += 1
            numbers += len(bullet["numbers"])
            grounded += sum(1 for n in bullet["numbers"] if n["grounded"])
            phantoms += sum(
                1 for e in bullet["evidence"] if not e.startswith("metric:") and e not in retrieved
            )
            hedge_count += len(hedges(bullet["text"]))
    statuses = [c["status"] for c in payload["criteria"]]
    return {
        "criteria": len(statuses),
        "expected_criteria": len(ladder.for_level(level)),
        "covered/thin/missing": "/".join(str(statuses.count(s)) for s in ("covered", "thin", "missing")),
        "bullets": bullets,
        "grounded": f"{grounded}/{numbers}" + (f" ({100 * grounded / numbers:.0f}%)" if numbers else ""),
        "phantom citations": phantoms,
        "hedges": hedge_count,
        "cited/available": f"{payload['coverage']['cited']}/{payload['coverage']['available']}",
        "draft s (in-process, median of 3)": f"{statistics.median(times):.2f}",
    }


def asking(index: HybridSearch, questions: list[dict]) -> tuple[int, int, int, int]:
    """(answered with an expected citation, answerable, said nothing when it should, nothing-expected)."""
    by_title: dict[str, set[str]] = {}
    for evidence in index.all_evidence():
        by_title.setdefault(evidence.title, set()).add(evidence.id)
    answered = answerable = nothing_ok = nothing = 0
    for case in questions:
        result = ask(index, case["question"]).to_json()
        cited = {c["id"] for c in result["citations"]}
        if case.get("expect_nothing"):
            nothing += 1
            nothing_ok += not cited
        else:
            answerable += 1
            wanted = set().union(*(by_title.get(t, set()) for t in case.get("expected_titles", [])))
            answered += bool(cited & wanted)
    return answered, answerable, nothing_ok, nothing


def open_index(home: Path, name: str) -> HybridSearch:
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, name, "local"
    return services.search_index(settings, services.open_workspace(settings))


def main() -> None:
    lines = [
        f"# Truth evals ({date.today()}, {platform.machine()}, {platform.python_version()}, offline mode)",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = load()
        settings.home, settings.workspace, settings.embedding = home, "sample", "local"
        services.ingest_sample(settings, services.open_workspace(settings))
        corpora = [("sample", open_index(home, "sample"), HERE / "data" / "sample_queries.yaml")]
        rubocop = SHARED / "history" / "rubocop_dvandersluis_2021.evidence.jsonl"
        if rubocop.exists():
            settings.workspace = "rubocop"
            services.ingest_paths(settings, services.open_workspace(settings), "jsonl", [rubocop])
            corpora.append(("rubocop", open_index(home, "rubocop"), HERE / "data" / "rubocop_queries.yaml"))

        lines += [
            "## Retrieval (recall@10 / MRR)",
            "",
            "| corpus | queries | " + " | ".join(FUSIONS) + " |",
            "|---|---|" + "---|" * len(FUSIONS),
        ]
        for name, index, query_file in corpora:
            queries = yaml.safe_load(query_file.read_text())
            scores = retrieval(index, queries)
            cells = " | ".join(f"{r:.2f} / {m:.2f}" for r, m in (scores[f] for f in FUSIONS))
            lines.append(f"| {name} | {len(queries)} | {cells} |")

        drafts = [("sample", corpora[0][1], services.sample_ladder(), level) for level in ("E3", "E4", "E5")]
        if len(corpora) > 1:
            drafts += [
                ("rubocop", corpora[1][1], SHARED / "ladders" / "dropbox_swe.yaml", "IC3"),
                ("rubocop", corpora[1][1], SHARED / "ladders" / "engineeringladders.yaml", "D3"),
            ]
        lines += ["", "## Offline drafts", ""]
        header = None
        for name, index, ladder, level in drafts:
            row = drafting(index, ladder, level)
            row["draft s (`selfreview draft` process)"] = (
                f"{cli_draft_seconds(home, name, ladder, level):.2f}"
            )
            if header is None:
                header = list(row)
                lines += [
                    "| corpus | ladder | level | " + " | ".join(header) + " |",
                    "|---|---|---|" + "---|" * len(header),
                ]
            lines.append(
                f"| {name} | {ladder.name} | {level} | " + " | ".join(str(row[h]) for h in header) + " |"
            )

        questions = yaml.safe_load((HERE / "data" / "sample_questions.yaml").read_text())
        answered, answerable, nothing_ok, nothing = asking(corpora[0][1], questions)
        lines += [
            "",
            "## Ask (sample workspace, offline)",
            "",
            f"- answers citing an expected item: {answered}/{answerable}",
            f"- 'found nothing' where nothing is relevant: {nothing_ok}/{nothing}",
        ]
    report = "\n".join(lines) + "\n"
    print(report)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "truth.md").write_text(report)


if __name__ == "__main__":
    main()
