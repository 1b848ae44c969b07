"""Does the draft cite the right work for each criterion? Scored against labels a manager (or we) wrote.

    .venv/bin/python -m evals.understanding                          # writes evals/results/understanding.md
    .venv/bin/python -m evals.understanding --embedding local-float  # the same, with the float model only
    .venv/bin/python -m evals.understanding --embedding both         # both, and how far their drafts agree
    OPENAI_BASE_URL=... OPENAI_API_KEY=... .venv/bin/python -m evals.understanding --llm
                                                # the LLM path (the model judges and drafts), scored the same way,
                                                # into evals/results/understanding_llm.md

The results file keeps one section per embedding model: a run replaces its own model's section and keeps the other's,
so both can be read side by side (a section names the policy it was measured under). `both` adds how far the two
models' drafts agree: the share of (criterion, cited item) pairs that both cite, and the criteria only one speaks for.
A design that holds under the int8 model's 0.7% perturbation of the vectors agrees closely.

Corpora: the sample workspace against its own ladder (labels in evals/data/sample_gold.yaml), and, when ../shared is
present, the httpx year (Florimond Manca, 2020) against Dropbox IC3 with its manager-written gold, and the rubocop year
(coverage only: it has no gold). Gold format and scoring: ../shared/data/README.md.
- applicable hit rate: applicable criteria whose bullets cite at least one accepted item;
- precision: cited items accepted for the criterion they are cited under, over all cited items (anything cited under
  a "none" criterion is wrong);
- silence: share of "none" criteria with no bullet;
- key recall: key items cited anywhere in the draft.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from app import policy, services
from app.drafting import draft
from app.ladder import load_ladder
from app.matching import match_all, profiles
from app.search import HybridSearch
from app.settings import load
from app.understanding import cache_for, understand

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
TARGETS = {"hit": 0.85, "precision": 0.80, "silence": 0.85, "key recall": 0.8}
# The word-overlap drafter this design replaced (commit ee44cec), scored the same way on httpx / IC3.
BEFORE = "hit 0.13 (4/30), precision 0.12 (4/33), silence 0.95 (18/19), key recall 0.24 (7/29)"
EMBEDDINGS = ("local", "local-float")
SECTION = "## Embedding model: "


def cited_key(evidence_id: str, shas: dict[str, str] | None = None) -> str:
    """A git evidence id maps to its commit (the 12-char sha after '@', or the commit a squash-merged PR record was
    made from); anything else is its own key. Gold labels go through it too: the sample's are evidence ids."""
    if shas and evidence_id in shas:
        return shas[evidence_id]
    if evidence_id.startswith("git:") and "@" in evidence_id:
        return evidence_id.split("@", 1)[1][:12]
    return evidence_id


def stable_keys(index: HybridSearch) -> dict[str, str]:
    """Evidence id -> the key gold labels use: a commit's sha; a note entry's path within what was ingested and its
    entry (a note's id also carries a digest of where the file lives, which differs between machines)."""
    keys = {}
    for e in index.all_evidence():
        if e.native.get("sha"):
            keys[e.id] = str(e.native["sha"])[:12]
        elif e.source == "notes" and e.native.get("path"):
            keys[e.id] = f"notes:{e.native['path']}#{e.native.get('entry', '')}"
    return keys


def score(
    payload: dict[str, Any],
    gold: dict[str, Any],
    shas: dict[str, str] | None = None,
    pieces: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """`pieces`: key -> the keys of every item of the same pull request (its record, merge and commits), which a
    label names as one piece of work."""
    pieces = pieces or {}

    def piece(key: str) -> set[str]:
        return pieces.get(key, {key})

    hit = applicable = cited = accepted = none = silent = 0
    everywhere: set[str] = set()
    for criterion in payload["criteria"]:
        label = gold["criteria"].get(criterion["id"])
        if label is None:
            continue
        keys = [
            cited_key(e, shas)
            for b in criterion["bullets"]
            for e in b["evidence"]
            if not e.startswith("metric:")
        ]
        keys = list(dict.fromkeys(keys))
        everywhere |= set(keys)
        accept = {p for k in label.get("accept", []) for p in piece(cited_key(k, shas))}
        if label["status"] == "applicable":
            applicable += 1
            hit += any(k in accept for k in keys)
        if label["status"] == "none":
            none += 1
            silent += not criterion["bullets"]
        cited += len(keys)
        accepted += 0 if label["status"] == "none" else sum(k in accept for k in keys)
    key_items = {cited_key(k, shas) for label in gold["criteria"].values() for k in label.get("key", [])}
    found = {k for k in key_items if piece(k) & everywhere}
    return {
        "hit": hit / applicable if applicable else None,
        "hit n": f"{hit}/{applicable}",
        "precision": accepted / cited if cited else None,
        "precision n": f"{accepted}/{cited}",
        "silence": silent / none if none else None,
        "silence n": f"{silent}/{none}",
        "key recall": len(found) / len(key_items) if key_items else None,
        "key n": f"{len(found)}/{len(key_items)}",
    }


def same_work(index: HybridSearch, keys: dict[str, str]) -> dict[str, set[str]]:
    """Key -> the keys of every item of its pull request (a GitHub PR record and the git merge of it are one piece
    of work, as the sample's labels say)."""
    by_pr: dict[tuple[str, str], set[str]] = {}
    for e in index.all_evidence():
        number = e.native.get("pr_number") or (e.native.get("number") if e.kind == "pr" else None)
        if number is not None and e.kind in ("pr", "commit", "review"):
            by_pr.setdefault((str(e.native.get("repo", "")), str(number)), set()).add(cited_key(e.id, keys))
    return {key: group for group in by_pr.values() for key in group}


def statuses(payload: dict[str, Any]) -> str:
    found = [c["status"] for c in payload["criteria"]]
    return "/".join(str(found.count(s)) for s in ("covered", "thin", "missing"))


def open_index(home: Path, name: str, embedding: str = "local") -> HybridSearch:
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, name, embedding
    return services.search_index(settings, services.open_workspace(settings))


def ingest_httpx(home: Path, tmp: Path, embedding: str = "local") -> bool:
    bundle = SHARED / "history" / "encode_httpx.bundle"
    if not bundle.exists():
        return False
    repo = tmp / "httpx.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(bundle), str(repo)], check=True)
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, "httpx", embedding
    options = services.SourceOptions(
        authors=["Florimond Manca"],
        since=services.parse_day("2020-01-01"),
        until=services.parse_day("2020-12-31", end=True),
    )
    services.ingest_paths(settings, services.open_workspace(settings), "git", [repo], options)
    return True


def fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def runs(
    home: Path, tmp: Path, embedding: str, corpora: tuple[str, ...] = ("sample", "httpx", "rubocop")
) -> list[tuple[str, Path, str, dict[str, Any] | None, Any]]:
    """Ingest every corpus present (of `corpora`) with the embedding model, and list what to draft and score."""
    settings = load()
    settings.home, settings.workspace, settings.embedding = home, "sample", embedding
    services.ingest_sample(settings, services.open_workspace(settings))
    found: list[tuple[str, Path, str, dict[str, Any] | None, Any]] = []
    sample_gold = yaml.safe_load((HERE / "data" / "sample_gold.yaml").read_text())
    for level, gold in sample_gold["levels"].items():
        found.append(("sample", services.sample_ladder(), level, {"criteria": gold}, None))
    if "httpx" in corpora and ingest_httpx(home, tmp, embedding):
        gold_file = SHARED / "gold" / "httpx_florimond_2020.dropbox_ic3.json"
        found.append(
            (
                "httpx",
                SHARED / "ladders" / "dropbox_swe.yaml",
                "IC3",
                json.loads(gold_file.read_text()),
                ("2020-01-01", "2020-12-31"),
            )
        )
    rubocop = SHARED / "history" / "rubocop_dvandersluis_2021.evidence.jsonl"
    if "rubocop" in corpora and rubocop.exists():
        settings.workspace = "rubocop"
        services.ingest_paths(settings, services.open_workspace(settings), "jsonl", [rubocop])
        found += [
            ("rubocop", SHARED / "ladders" / "dropbox_swe.yaml", "IC3", None, None),
            ("rubocop", SHARED / "ladders" / "engineeringladders.yaml", "D3", None, None),
        ]
    return found


Row = tuple[str, str, str, dict[str, Any], str, float]
Cited = dict[
    str, tuple[set[tuple[str, str]], set[str]]
]  # run -> (criterion, item) pairs cited, criteria spoken for


def measure(
    embedding: str, chat: Any = None, corpora: tuple[str, ...] = ("sample", "httpx", "rubocop")
) -> tuple[list[Row], Cited]:
    """Draft and score every corpus; with `chat`, the LLM path (the model judges the candidates and drafts)."""
    rows: list[Row] = []
    cited: Cited = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        for corpus, ladder_path, level, gold, period in runs(home, tmp, embedding, corpora):
            index = open_index(home, corpus, embedding)
            since, until = (
                (services.parse_day(period[0]), services.parse_day(period[1], end=True))
                if period
                else (None, None)
            )
            ladder = load_ladder(ladder_path)
            if chat is None:
                draft(index, ladder, level, since, until)  # first run fills the vector cache
            started = time.perf_counter()
            payload = draft(index, ladder, level, since, until, chat=chat).to_json()
            seconds = time.perf_counter() - started
            keys = stable_keys(index)
            pieces = same_work(index, keys)
            result = score(payload, gold, keys, pieces) if gold else {}
            if gold and chat is None:
                result |= judge_ceiling(index, ladder, level, since, until, gold, keys, pieces)
            status = statuses(payload)
            if (
                chat is not None
            ):  # how many criteria the model drafted; the rest fell back to the offline path
                drafted = sum(c.get("mode") == "llm" for c in payload["criteria"])
                status += f" ({drafted}/{len(payload['criteria'])} by the model)"
            rows.append((corpus, ladder.name, level, result, status, seconds))
            cited[f"{corpus} {level}"] = citations(payload, keys)
    return rows, cited


def citations(payload: dict[str, Any], keys: dict[str, str]) -> tuple[set[tuple[str, str]], set[str]]:
    pairs = {
        (c["id"], cited_key(e, keys))
        for c in payload["criteria"]
        for b in c["bullets"]
        for e in b["evidence"]
        if not e.startswith("metric:")
    }
    return pairs, {c["id"] for c in payload["criteria"] if c["bullets"]}


def agreement(first: Cited, second: Cited) -> str:
    lines = [
        "## Agreement between the two models",
        "",
        "| run | (criterion, item) pairs both cite / either cites | criteria only one model speaks for |",
        "|---|---|---|",
    ]
    for run, (pairs, spoken) in first.items():
        other_pairs, other_spoken = second.get(run, (set(), set()))
        both, either = len(pairs & other_pairs), len(pairs | other_pairs)
        share = f"{both / either:.2f} ({both}/{either})" if either else "-"
        lines.append(f"| {run} | {share} | {len(spoken ^ other_spoken)} |")
    return "\n".join(lines) + "\n"


def judge_ceiling(
    index: HybridSearch,
    ladder: Any,
    level: str,
    since: Any,
    until: Any,
    gold: dict[str, Any],
    keys: dict[str, str],
    pieces: dict[str, set[str]],
) -> dict[str, Any]:
    """What the LLM path could reach with a perfect judge: the candidates a model judges (policy.LLM_UNITS per
    criterion, also where meaning alone abstains), keeping exactly the gold's accepted items among them. Precision
    and silence would be the judge's own; hit rate and key recall are bounded by the candidates."""
    work = understand(index.all_evidence(since, until), cache_for(index))
    chosen = profiles(ladder.for_level(level), work, ladder.company)
    ranked = match_all(chosen, work, chosen, abstain=False)
    hit = applicable = 0
    everywhere: set[str] = set()
    for profile, found in zip(chosen, ranked, strict=True):
        label = gold["criteria"].get(profile.criterion.id)
        if label is None or label["status"] == "none":
            continue
        accept = {
            p for k in label.get("accept", []) for p in pieces.get(cited_key(k, keys), {cited_key(k, keys)})
        }
        kept = {cited_key(e.id, keys) for m in found[: policy.LLM_UNITS] for e in m.unit.items} & accept
        everywhere |= kept
        if label["status"] == "applicable":
            applicable += 1
            hit += bool(kept)
    key_items = {cited_key(k, keys) for label in gold["criteria"].values() for k in label.get("key", [])}
    found_keys = {k for k in key_items if pieces.get(k, {k}) & everywhere}
    return {
        "judge hit n": f"{hit}/{applicable}",
        "judge hit": hit / applicable if applicable else None,
        "judge key n": f"{len(found_keys)}/{len(key_items)}",
        "judge key": len(found_keys) / len(key_items) if key_items else None,
    }


def section(embedding: str, rows: list[Row]) -> str:
    lines = [
        f"{SECTION}{embedding} ({date.today()})",
        "",
        "Policy in force (app/policy.py): "
        + ", ".join(f"{name}={getattr(policy, name)}" for name in dir(policy) if name.isupper()),
        "",
        "| corpus | ladder | level | hit | precision | silence | key recall | covered/thin/missing | draft s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for corpus, ladder_name, level, result, status, seconds in rows:
        cells = [
            f"{fmt(result.get(k))} ({result.get(k + ' n', '')})" if result.get(k) is not None else "-"
            for k in ("hit", "precision", "silence")
        ]
        key = (
            f"{fmt(result.get('key recall'))} ({result.get('key n')})"
            if result.get("key recall") is not None
            else "-"
        )
        lines.append(
            f"| {corpus} | {ladder_name} | {level} | {' | '.join(cells)} | {key} | {status} | {seconds:.2f} |"
        )
    judged = [(corpus, level, result) for corpus, _, level, result, _, _ in rows if result.get("judge hit n")]
    if judged:
        lines += [
            "",
            f"The LLM path's ceiling: a perfect judge over the {policy.LLM_UNITS} candidates a model judges per "
            "criterion (it keeps exactly the gold's accepted items; a real model's precision and silence are its "
            "own, measured only with a model):",
            "",
            "| corpus | level | hit | key recall |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {corpus} | {level} | {fmt(r['judge hit'])} ({r['judge hit n']}) | {fmt(r['judge key'])} "
            f"({r['judge key n']}) |"
            for corpus, level, r in judged
        ]
    return "\n".join(lines) + "\n"


def write_llm_report(chat: Any, rows: list[Row], path: Path | None = None) -> str:
    """evals/results/understanding_llm.md: the LLM path's scores, the model and endpoint named (no credentials)."""
    name = f"{getattr(chat, 'model', 'model')} at {getattr(chat, 'endpoint', 'its endpoint')}"
    text = section(f"LLM path, {name}", rows).replace(SECTION, "## ", 1)
    report = (
        f"# Understanding evals, LLM path ({platform.machine()})\n\n"
        "Targets on the httpx gold: " + ", ".join(f"{k} ≥ {v}" for k, v in TARGETS.items()) + ".\n"
        "The model judges each criterion's candidate units (app/llm_judge.py) and drafts from those it accepts; "
        "a criterion whose model output was unusable falls back to the offline path (counted in the coverage "
        "column). `draft s` includes the model's requests.\n\n" + text
    )
    path = path or HERE / "results" / "understanding_llm.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(report)
    print(report)
    return report


def kept_sections(previous: str, measured: list[str]) -> dict[str, str]:
    """The other models' sections of an earlier results file, as they were (without any agreement section, which
    holds only for two models measured together)."""
    sections: dict[str, str] = {}
    for part in previous.split(SECTION)[1:]:
        name = part.split(" ", 1)[0].strip()
        if name in EMBEDDINGS and name not in measured:
            sections[name] = SECTION + part.split("\n## ", 1)[0].rstrip() + "\n"
    return sections


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m evals.understanding", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--embedding",
        choices=[*EMBEDDINGS, "both"],
        default="local",
        help="the local model to score, or both",
    )
    parser.add_argument(
        "--llm",
        action="store_true",
        help="score the LLM path with the configured endpoint (OPENAI_BASE_URL / OPENAI_API_KEY)",
    )
    args = parser.parse_args(argv)
    if args.llm:
        from app.llm import chat_from_settings

        chat = chat_from_settings(load())
        if chat is None:
            parser.error(
                "--llm needs a model: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one)"
            )
        write_llm_report(chat, measure("local", chat)[0])
        return
    choice = args.embedding
    measured = list(EMBEDDINGS) if choice == "both" else [choice]
    results = HERE / "results" / "understanding.md"
    sections = kept_sections(results.read_text() if results.exists() else "", measured)
    cited: dict[str, Cited] = {}
    for embedding in measured:
        rows, cited[embedding] = measure(embedding)
        sections[embedding] = section(embedding, rows)
    header = [
        f"# Understanding evals ({platform.machine()}, offline mode)",
        "",
        "Targets on the httpx gold: " + ", ".join(f"{k} ≥ {v}" for k, v in TARGETS.items()) + ".",
        f"Before units of work and matching by meaning (word overlap, commit ee44cec): {BEFORE}.",
        "",
        "Offline mode (deterministic drafter), one section per local embedding setting (`--embedding`): `local` (the "
        "default) searches with MiniLM's int8 weights (cosine 0.993 to float) and reads meaning with the float model "
        "(app/understanding.cache_for: the policy was measured on it; meaning read with int8 vectors dropped httpx "
        "precision 0.49 -> 0.40 and key recall 0.55 -> 0.48, app/policy.py); `local-float` is float throughout. "
        "`draft s` is an "
        "in-process draft with a warm vector cache; the whole `selfreview draft` process is timed in "
        "evals/results/truth.md. A section whose policy line differs from app/policy.py was measured on an "
        "earlier policy: run its model again.",
        "",
    ]
    report = "\n".join(header) + "\n" + "\n".join(sections[e] for e in EMBEDDINGS if e in sections)
    if len(cited) == 2:
        report += "\n" + agreement(*cited.values())
    print(report)
    results.parent.mkdir(exist_ok=True)
    results.write_text(report)


if __name__ == "__main__":
    main()
