"""Ask and rewrite evals, offline: questions with gold answers about the sample workspace, the httpx year and the
rubocop year, and humble sentences with written rewrites about the same three; writes evals/results/ask_rewrite.md.

    .venv/bin/python -m evals.ask_rewrite     # skips the httpx and rubocop parts cleanly when ../shared is absent
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from app import services
from app.ask import ask
from app.rewrite import rewrite
from app.search import HybridSearch
from app.settings import load
from evals import ask_scoring, rewrite_scoring
from ingest.sources import SourceOptions

HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent.parent / "shared" / "data" / "history" / "encode_httpx.bundle"
RUBOCOP = HERE.parent.parent / "shared" / "data" / "history" / "rubocop_dvandersluis_2021.evidence.jsonl"
RESULTS = HERE / "results" / "ask_rewrite.md"


def workspace(home: Path, name: str) -> HybridSearch:
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, name, "local"
    return services.search_index(settings, services.open_workspace(settings))


def ingest_httpx(
    home: Path, tmp: Path, author: str = "Florimond Manca", name: str = "httpx", year: str = "2020"
) -> HybridSearch:
    clone = tmp / "httpx.git"
    if not clone.exists():
        subprocess.run(["git", "clone", "-q", "--bare", str(BUNDLE), str(clone)], check=True)
    index = workspace(home, name)
    since, until = services.parse_day(f"{year}-01-01"), services.parse_day(f"{year}-12-31", end=True)
    options = SourceOptions(authors=[author], since=since, until=until)
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, name, "local"
    services.ingest_paths(settings, index.workspace, "git", [clone], options)
    return index


def ingest_sample(home: Path) -> HybridSearch:
    index = workspace(home, "sample")
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, "sample", "local"
    services.ingest_sample(settings, index.workspace)
    return index


def ingest_rubocop(home: Path) -> HybridSearch:
    index = workspace(home, "rubocop")
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, "rubocop", "local"
    services.ingest_paths(settings, index.workspace, "jsonl", [RUBOCOP])
    return index


def run_questions(
    index: HybridSearch, name: str = "ask_httpx.yaml"
) -> list[tuple[dict, dict, bool, str, float]]:
    rows = []
    for case in yaml.safe_load((HERE / "data" / name).read_text()):
        start = time.perf_counter()
        answer = ask(index, case["question"]).to_json()
        ok, why = ask_scoring.score(case, answer)
        rows.append((case, answer, ok, why, time.perf_counter() - start))
    return rows


def run_sentences(indexes: dict[str, HybridSearch]) -> list[tuple[dict, dict, bool, str]]:
    rows = []
    known = {name: {e.id for e in index.all_evidence()} for name, index in indexes.items()}
    for case in yaml.safe_load((HERE / "data" / "rewrite_sentences.yaml").read_text()):
        index = indexes.get(case["workspace"])
        if index is None:
            continue
        result = rewrite(case["text"], None, None, index).to_json()
        ok, why = rewrite_scoring.score(case, result, known[case["workspace"]])
        rows.append((case, result, ok, why))
    return rows


def report(questions: dict[str, list], sentences: list) -> str:
    lines = [
        "# Ask and rewrite, offline",
        "",
        "`.venv/bin/python -m evals.ask_rewrite` (all-MiniLM-L6-v2 on onnxruntime, no LLM). Questions: "
        "evals/data/ask_sample.yaml, ask_httpx.yaml, ask_httpx_tom.yaml, ask_httpx_seth.yaml, ask_httpx_tom21.yaml and ask_rubocop.yaml, scored by evals/ask_scoring.py; sentences: "
        "evals/data/rewrite_sentences.yaml, scored by evals/rewrite_scoring.py.",
        "",
    ]
    everything = [row for rows in questions.values() for row in rows]
    if everything:
        right = sum(ok for _, _, ok, _, _ in everything)
        lines += [
            f"## Ask: {right} of {len(everything)} correct ({right / len(everything):.0%}; target 80%)",
            "",
        ]
    for corpus, rows in questions.items():
        right = sum(ok for _, _, ok, _, _ in rows)
        lines += [
            f"### {corpus}: {right} of {len(rows)}",
            "",
            "| ok | type | question | first line of the answer | s |",
            "|---|---|---|---|---|",
        ]
        for case, answer, ok, why, seconds in rows:
            first = answer["answer"].splitlines()[0].replace("|", "\\|")
            lines.append(
                f"| {'yes' if ok else 'no: ' + why.replace('|', '/')} | {case.get('type', '')} | "
                f"{case['question']} | {first} | {seconds:.2f} |"
            )
        lines.append("")
    right = sum(ok for _, _, ok, _ in sentences)
    lines += [
        f"## Rewrite: {right} of {len(sentences)} acceptable ({right / max(len(sentences), 1):.0%}; target 80%)",
        "",
        "| ok | sentence | rewrite | cited |",
        "|---|---|---|---|",
    ]
    for case, result, ok, why in sentences:
        cited = ", ".join(c["id"] for c in result.get("citations", [])[:3])
        lines.append(
            f"| {'yes' if ok else 'no: ' + why.replace('|', '/')} | {case['text']} | "
            f"{result['text'].replace('|', '/')} | {cited} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="selfreview-askeval-") as tmp:
        home = Path(tmp) / "home"
        indexes = {"sample": ingest_sample(home)}
        questions = {"sample": run_questions(indexes["sample"], "ask_sample.yaml")}
        if BUNDLE.is_file():
            indexes["httpx"] = ingest_httpx(home, Path(tmp))
            questions["httpx"] = run_questions(indexes["httpx"])
            # the same history as another user, with questions written without reading the rules
            tom = ingest_httpx(home, Path(tmp), "Tom Christie", "httpx-tom")
            questions["httpx, as Tom Christie"] = run_questions(tom, "ask_httpx_tom.yaml")
            indexes["httpx-seth"] = ingest_httpx(home, Path(tmp), "Seth Michael Larson", "httpx-seth", "2019")
            questions["httpx 2019, as Seth Michael Larson"] = run_questions(
                indexes["httpx-seth"], "ask_httpx_seth.yaml"
            )
            indexes["httpx-tom21"] = ingest_httpx(home, Path(tmp), "Tom Christie", "httpx-tom21", "2021")
            questions["httpx 2021, as Tom Christie"] = run_questions(
                indexes["httpx-tom21"], "ask_httpx_tom21.yaml"
            )
        if RUBOCOP.is_file():
            indexes["rubocop"] = ingest_rubocop(home)
            questions["rubocop"] = run_questions(indexes["rubocop"], "ask_rubocop.yaml")
        sentences = run_sentences(indexes)
        text = report(questions, sentences)
    RESULTS.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
