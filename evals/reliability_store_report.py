"""Writes evals/results/reliability_store.md from what evals/reliability_store.py measured."""

from __future__ import annotations

import platform
import time
from pathlib import Path
from typing import Any


def _series_line(series: dict[str, Any]) -> str:
    rows = series["rows"]
    ok = [
        r for r in rows if r["lost"] == 0 and r["duplicated"] == 0 and r["stale"] == 0 and r["rerun_rc"] == 0
    ]
    lost = sum(r["lost"] for r in rows)
    dup = sum(r["duplicated"] for r in rows)
    stale = sum(r["stale"] for r in rows)
    said = sum(bool(r["recovered"]) for r in rows)
    return (
        f"| {series['name']} | {series['items']} | `{series['command']}` | {len(rows)} | "
        f"{series['killed_mid_run']} | {series['full_run_s']} | {said} | {lost} | {dup} | {stale} | "
        f"{len(ok)}/{len(rows)} |"
    )


def write_report(series: list[dict[str, Any]], damage: list[dict[str, Any]], dest: Path, argv: str) -> None:
    lines = [
        "# Store reliability: kill -9 and damage",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}. Command: "
        f"`.venv/bin/python -m evals.reliability_store {argv}`. Every step is a real `selfreview` process with "
        "the fake embedder (the store is under test, not the model). After each rerun or repair a fresh process "
        "searches every item by the four words only it contains: found = the item is among the first ten hits "
        "(hashed-word vectors tie often, so 'found first' is also counted), "
        "lost = it is not, stale = found in an old revision, duplicated = chunks Chroma holds twice or that the "
        "ledger does not know.",
        "",
        "## kill -9, then the same command again",
        "",
        "Ingest rounds change every item (a new revision in each body), so each kill lands in real work: "
        "a found item must also be the new revision (stale = found but old). Kill times are spread from 10% to "
        "90% of a full first run's time; 'killed mid-run' counts the processes that were still working.",
        "",
        "| series | items | command | kills | killed mid-run | full run s | rerun said it recovered | lost | "
        "duplicated | stale | rounds all found |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *[_series_line(s) for s in series],
        "",
        "## Damage to the store",
        "",
        "| scenario | damage | items | named in the output | commands (exit codes) | traceback | found | found first | "
        "lost | duplicated |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in damage:
        codes = ", ".join(str(c["rc"]) for c in case["commands"])
        tracebacks = sum(c["traceback"] for c in case["commands"])
        lines.append(
            f"| {case['scenario']} | {case['damage']} | {case['items']} | "
            f"{'yes' if case['named'] else 'no'} | {codes} | {tracebacks} | {case['found']} | "
            f"{case.get('first', '-')} | "
            f"{case['lost']} | {case['duplicated']} |"
        )
    lines += ["", "What each said (last line of its output):", ""]
    for case in damage:
        for command in case["commands"]:
            said = " ".join(command["said"].split())
            lines.append(f"- {case['scenario']} (exit {command['rc']}): {said}")
    dest.write_text("\n".join(lines) + "\n")
