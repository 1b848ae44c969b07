"""The malformed-input section of the reliability eval: every generated case run as its own
`selfreview ingest ... --json` process, counted for tracebacks, hangs, invalid JSON, wrong exit codes, skips
that name no file, and good records lost (looked up in the workspace's ledger after the run)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from evals.malformed_inputs import Case, all_cases

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    case: Case
    workspace: str
    code: int | None = None  # None: killed after the timeout
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds the run used (user + system)
    report: dict | None = None
    stderr: str = ""
    lost: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return self.case.name.split("/")[0]


def run_case(case: Case, workspace: str, home: Path, timeout: float) -> Outcome:
    outcome = Outcome(case, workspace)
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "ingest",
        case.kind,
        *map(str, case.paths),
        "--json",
        "-w",
        workspace,
        *case.extra_args,
    ]
    env = {**os.environ, "SELFREVIEW_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as proc:
        streams: dict[str, str] = {}
        readers = [
            threading.Thread(target=lambda n=name, s=stream: streams.__setitem__(n, s.read()), daemon=True)
            for name, stream in (("out", proc.stdout), ("err", proc.stderr))
        ]
        for reader in readers:
            reader.start()
        outcome.code, outcome.cpu = _wait(proc, started + timeout)
        for reader in readers:
            reader.join()
    stdout, outcome.stderr = streams.get("out", ""), streams.get("err", "")
    outcome.seconds = time.perf_counter() - started
    try:
        outcome.report = json.loads(stdout)
    except json.JSONDecodeError:
        outcome.report = None
    return outcome


def _wait(proc: subprocess.Popen, deadline: float) -> tuple[int | None, float]:
    """Reap the run with its own CPU time (user + system, all threads), killing its process group at the
    deadline: (exit code or None when killed, CPU seconds). CPU time tells a busy machine from slow work."""
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return (None if killed else proc.returncode), usage.ru_utime + usage.ru_stime
        if not killed and time.perf_counter() >= deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
        time.sleep(0.05)


def judge(outcome: Outcome, home: Path) -> None:
    """What went wrong in one run, in the user's terms."""
    case, problems = outcome.case, outcome.problems
    if outcome.code is None:
        problems.append("hang")
        return
    if "Traceback" in outcome.stderr or outcome.code == 3 or outcome.code not in (0, 1, 2, 130):
        problems.append("traceback")
    if outcome.report is None:
        problems.append("invalid JSON")
    expected = (2,) if case.usage else (0, 1)
    if outcome.code not in expected:
        problems.append(f"exit {outcome.code}")
    skipped = (outcome.report or {}).get("skipped") or []
    places = [str(p) for p in case.paths]
    if any(not any(str(s.get("where", "")).startswith(p) for p in places) for s in skipped):
        problems.append("a skip that names no file")
    if skipped and outcome.code == 0:
        problems.append("skips with exit 0")
    outcome.lost = case.good - stored_ids(home, outcome.workspace)
    if outcome.lost:
        problems.append(f"{len(outcome.lost)} good lost")


def stored_ids(home: Path, workspace: str) -> set[str]:
    from ingest.store import Workspace, workspaces_root

    if not (workspaces_root(home) / workspace).exists():
        return set()
    ledger = Workspace(home, workspace).ledger
    return {evidence_id for evidence_id, (_, state) in ledger.states().items() if state == "stored"}


def malformed_inputs_section(args: argparse.Namespace, scratch: Path) -> str:
    home = scratch / "home"
    cases = all_cases(scratch / "cases")
    only = {name for name in args.only.split(",") if name}
    cases = [c for c in cases if not only or c.name.split("/")[0] in only]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            pool.submit(run_case, case, f"case{n:03d}", home, args.timeout) for n, case in enumerate(cases)
        ]
        outcomes = [future.result() for future in futures]
    for outcome in outcomes:
        judge(outcome, home)
    return report(outcomes, args.timeout)


def report(outcomes: list[Outcome], timeout: float) -> str:
    by_family: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_family[outcome.family].append(outcome)
    rows = [
        f"| source | cases | tracebacks | hangs > {timeout:.0f} s | invalid JSON | wrong exit | good records lost / expected "
        "| slowest run (its CPU time) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    totals: Counter[str] = Counter()
    for family, group in [*sorted(by_family.items()), ("all", outcomes)]:
        counts = Counter(p.split()[0] for o in group for p in o.problems)
        slowest = max(group, key=lambda o: o.seconds)
        lost = sum(len(o.lost) for o in group)
        good = sum(len(o.case.good) for o in group)
        wrong_exit = sum(any(p.startswith(("exit", "skips with exit")) for p in o.problems) for o in group)
        rows.append(
            f"| {family} | {len(group)} | {counts['traceback']} | {counts['hang']} | {counts['invalid']} "
            f"| {wrong_exit} | {lost} / {good} | {slowest.seconds:.1f} s ({slowest.cpu:.1f} s) |"
        )
        if family == "all":
            totals.update(
                tracebacks=counts["traceback"],
                hangs=counts["hang"],
                invalid=counts["invalid"],
                wrong=wrong_exit,
                lost=lost,
                named=sum("a skip that names no file" in o.problems for o in group),
            )
    failures = [o for o in outcomes if o.problems]
    verdict = "pass" if not failures else "**FAIL**"
    lines = [
        "## Malformed input (issue 9, part 6)",
        "",
        f"{len(outcomes)} malformed inputs across every source, generated by `evals/malformed_inputs.py` and "
        "`evals/malformed_exports.py`; each run as its own `selfreview ingest KIND PATHS --json` process "
        f"(local embeddings), killed after {timeout:.0f} s. A good record is lost when its id is not stored in the "
        "workspace's ledger after the run. Target: 0 tracebacks, 0 hangs, 0 good records lost.",
        "",
        f"Result: {verdict}: {totals['tracebacks']} tracebacks, {totals['hangs']} hangs, {totals['lost']} good "
        f"records lost, {totals['invalid']} runs without valid JSON, {totals['wrong']} wrong exit codes, "
        f"{totals['named']} runs with a skip naming no file.",
        "",
        *rows,
        "",
    ]
    slowest_runs = sorted(outcomes, key=lambda o: -o.seconds)[:3]
    lines += [
        "Slowest runs: "
        + "; ".join(f"`{o.case.name}` {o.seconds:.1f} s ({o.cpu:.1f} s CPU)" for o in slowest_runs)
        + ".",
        "",
    ]
    if failures:
        lines += ["Runs with a problem:", ""]
        for outcome in failures:
            detail = outcome.stderr.strip().splitlines()[-1:] if outcome.stderr.strip() else []
            lost_ids = f"; lost {sorted(outcome.lost)}" if outcome.lost else ""
            lines.append(
                f"- `{outcome.case.name}`: {', '.join(outcome.problems)} (exit {outcome.code}, "
                f"{outcome.seconds:.1f} s, {outcome.cpu:.1f} s CPU){lost_ids}{': ' + detail[0][:200] if detail else ''}"
            )
    return "\n".join(lines)
