"""Writes evals/results/reliability_store.md from what evals/reliability_store.py measured."""

from __future__ import annotations

import platform
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
    full = series["full_run_s"]
    if series["command"] == "ingest" and any("half_done" not in r for r in rows):  # before rounds were timed
        full = f"{full} (first run)"
    elif series.get("kills_by") != "progress" and series["command"] == "reembed":
        full = f"{full} (kills by time)"
    elif "work_s" in series:
        full = f"{full} (work {series['work_s']})"
    old_model = _total(rows, "old_model")
    left = _total(rows, "left_interrupted")
    ok = [r for r in ok if not r.get("old_model") and not r.get("left_interrupted")]
    return (
        f"| {series['name']} | {series['items']} | `{series['command']}` | {len(rows)} | "
        f"{series['killed_mid_run']} | {_total(rows, 'half_done')} | {full} | {said} | {lost} | "
        f"{dup} | {stale} | "
        f"{old_model} | {left} | {len(ok)}/{len(rows)} |"
    )


def _landed(series: dict[str, Any]) -> list[str]:
    """Where each kill of a series landed, as the ledger showed it at the kill (series killed by progress)."""
    if series.get("kills_by") != "progress":
        return []
    cells = [
        f"{r['point']}{' ' + r.get('model', r['embedding']) if 'embedding' in r else ''}: {r['killed_in']}"
        f"{'' if r['mid_run'] else ' (not killed: the run had ended)'}"
        + (f', rerun said "{r["recovered"]}"' if r["recovered"] else "")
        for r in series["rows"]
    ]
    return [f"- {series['name']} ({series['items']} items): " + "; ".join(cells) + "."]


def _total(rows: list[dict[str, Any]], key: str) -> str:
    """A sum over the rounds, or '-' when the run that made them did not measure it."""
    if any(key not in r for r in rows):
        return "-"
    return str(sum(int(r[key]) for r in rows))


def _runs(parts: list[dict[str, Any]]) -> list[str]:
    """Which command measured which part, and when."""
    lines: dict[str, list[str]] = {}
    for part in parts:
        run = part.get("run") or {}
        load = f", load average {run['load']:.1f} at the start" if run.get("load") is not None else ""
        niceness = f"nice -n {run['nice']} " if run.get("nice") else ""
        key = (
            f"{run.get('when', '?')}: `{niceness}.venv/bin/python -m evals.reliability_store "
            f"{run.get('command', '')}`{load}"
        )
        name = part.get("name") or f"damage: {part['scenario']}"
        lines.setdefault(key, []).append(name)
    return [f"- {key} ({', '.join(names)})" for key, names in lines.items()]


def write_report(series: list[dict[str, Any]], damage: list[dict[str, Any]], dest: Path) -> None:
    lines = [
        "# Store reliability: kill -9 and damage",
        "",
        f"Python {platform.python_version()}. Every step is a real `selfreview` process with "
        "the fake embedder (the store is under test, not the model; the reembed series switches between MiniLM "
        "and the fake). After each rerun or repair a fresh process "
        "searches every item by the four words only it contains: found = the item is among the first ten hits "
        "(hashed-word vectors tie often, so 'found first' is also counted), "
        "lost = it is not, stale = found in an old revision, duplicated = chunks Chroma holds twice or that the "
        "ledger does not know, old model = chunks whose vector is not the configured model's (all of them when "
        "the collection records another model, else among 300 sampled chunks: a vector of another size, or "
        "cosine under 0.98 to the model's vector of its text; rows measured before 2026-12-01 03:30 used 0.999, "
        "which the int8 model's own vectors fail, as its vector of a text moves with the batch: cosine 0.986 to "
        "0.999), left interrupted = the rerun "
        "left the workspace marked interrupted (items pending, the dirty mark, or a reembed under way), looked "
        "at before the search opens the workspace and completes it. '-': not measured by that run.",
        "",
        "Runs:",
        "",
        *_runs([*series, *damage]),
        "",
        "## kill -9, then the same command again",
        "",
        "Ingest rounds change every item (a new revision in each body), so each kill lands in real work: "
        "a found item must also be the new revision (stale = found but old). 'killed mid-run' counts the "
        "processes still running when SIGKILL was sent, 'kill left work half done' the kills after which the "
        "ledger held items staged but not confirmed in Chroma, the interrupted mark or a reembed under way (the "
        "work a rerun must finish and say it recovered). The reembed rounds alternate the embedding backend "
        "(MiniLM, then the fake, ...), each followed by the same `selfreview reembed`; 'full run s' is one "
        "uninterrupted run of each (ingest: the median of three, 'work' from the interrupted mark to the write "
        "confirmed in Chroma).",
        *(
            [
                "",
                "Series not killed by progress were killed at a time: ingest 10% to 90% of the shortest work "
                "window after the mark ('(first run)': spread over the first run's whole time), reembed ('kills by "
                "time') a share of the timed full run, which a busy machine can make land after the run ended.",
            ]
            if any(s.get("kills_by") != "progress" for s in series)
            else []
        ),
        "",
        *(
            [
                "Series killed by progress (listed below the table) do not guess a time: the eval reads the "
                "workspace's ledger (read-only) every 10 ms while the command runs and sends SIGKILL the moment it shows the chosen "
                "point. An ingest's 20 points: two during start-up (30% and 70% of the median time to the interrupted "
                "mark, over three uninterrupted rounds), then from the mark with nothing staged through every item staged, "
                "alternately while a batch is staged but not yet confirmed in Chroma and just after a batch is "
                "confirmed, then two after the mark is cleared (keyword index and ledger backup still to do). A reembed's: "
                "for each backend, from nothing written again to all but the last batch written again, evenly.",
                "",
            ]
            if any(s.get("kills_by") == "progress" for s in series)
            else []
        ),
        "| series | items | command | kills | killed mid-run | kill left work half done | full run s | "
        "rerun said it recovered | lost | duplicated | stale | old model | left interrupted | rounds all found |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *[_series_line(s) for s in series],
        "",
        *(
            ["Where each kill landed (the ledger at the kill):", ""]
            if any(_landed(s) for s in series)
            else []
        ),
        *[line for s in series for line in _landed(s)],
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


def store_summary(series: list[dict[str, Any]], damage: list[dict[str, Any]]) -> str:
    """The kill -9 and damage figures for evals/results/reliability.md (details: reliability_store.md)."""
    lines = [
        "## kill -9 and store damage (issue 9, parts 2-4)",
        "",
        "Each kill -9 is followed by the same command again, then a fresh process searches every item by four "
        "words only it has. Targets: at least 20 kills of a small ingest, of a 3,000-item ingest and of a "
        "3,000-item `reembed`; 0 lost, 0 duplicated. Every round, where each kill landed and what the reruns "
        "said: `evals/results/reliability_store.md`.",
        "",
        "| series | items | kills | killed mid-run | left work half done | rerun said it recovered | lost | "
        "duplicated | stale | old model | rounds all found | command, load average at the start |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in series:
        rows, run = s["rows"], s.get("run") or {}
        good = sum(
            r["lost"] == 0 and r["duplicated"] == 0 and r["stale"] == 0 and not r.get("old_model")
            for r in rows
        )
        load = f"{run['load']:.1f}" if run.get("load") is not None else "not recorded"
        lines.append(
            f"| {s['name']} | {s['items']} | {len(rows)} | {s['killed_mid_run']} | {_total(rows, 'half_done')} | "
            f"{sum(bool(r['recovered']) for r in rows)} | {sum(r['lost'] for r in rows)} | "
            f"{sum(r['duplicated'] for r in rows)} | {sum(r['stale'] for r in rows)} | "
            f"{_total(rows, 'old_model')} | {good}/{len(rows)} | "
            f"`{'nice -n ' + str(run['nice']) + ' ' if run.get('nice') else ''}.venv/bin/python -m "
            f"evals.reliability_store {run.get('command', '')}` "
            f"({run.get('when', '?')}), {load} |"
        )
    if damage:
        whole = sum(case["lost"] == 0 and case["duplicated"] == 0 and case["named"] for case in damage)
        lines += [
            "",
            f"Store damage: {whole} of {len(damage)} scenarios named in the output and recovered with every "
            "item found, none duplicated (the scenarios and what each said: `evals/results/reliability_store.md`).",
        ]
    return "\n".join(lines) + "\n"
