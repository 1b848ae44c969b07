"""Reliability eval, every figure from real `selfreview` processes. Each section runs on its own and rewrites
only its own part of evals/results/reliability.md (between `<!-- section: NAME -->` and `<!-- end: NAME -->`),
so sections can be added and re-run independently.

    .venv/bin/python -m evals.reliability                          # every section
    .venv/bin/python -m evals.reliability --section inputs --jobs 2 [--only jsonl,notes]

Sections: `inputs` (malformed input across every source: tracebacks, hangs, good records lost), `users` (two
people signed in to one server: reads and writes that cross from one to the other), `browser` (the demo in
Chromium: requests off the machine, links or icons from evidence, same-named files, held-back bullets in exports).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from evals.reliability_browser import browser_section
from evals.reliability_inputs import malformed_inputs_section
from evals.reliability_users import two_user_section

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "reliability.md"
TITLE = "# Reliability: real processes against bad input and damage\n"

Section = Callable[[argparse.Namespace, Path], str]  # (arguments, a scratch folder) -> Markdown
SECTIONS: dict[str, Section] = {
    "inputs": malformed_inputs_section,
    "users": two_user_section,
    "browser": browser_section,
}


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{date.today().isoformat()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} at the start"
    )


def write_section(name: str, body: str, results: Path = RESULTS) -> None:
    """Replace this section's part of the results file (or append it), keeping every other section."""
    text = results.read_text() if results.exists() else TITLE
    block = f"<!-- section: {name} -->\n{body.rstrip()}\n<!-- end: {name} -->\n"
    pattern = re.compile(
        rf"<!-- section: {re.escape(name)} -->\n.*?<!-- end: {re.escape(name)} -->\n", re.DOTALL
    )
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.reliability", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--section", action="append", choices=sorted(SECTIONS), help="run only these sections"
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time (default 2)")
    parser.add_argument(
        "--only", default="", help="inputs: comma-separated families (jsonl, notes, jira, ...)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a run counts as a hang")
    args = parser.parse_args(argv)
    failed = 0
    for name in args.section or list(SECTIONS):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"selfreview-reliability-{name}-") as scratch:
            body = SECTIONS[name](args, Path(scratch))
        body += f"\n\nRun: {machine()}; the section took {time.perf_counter() - started:.0f} s.\n"
        write_section(name, body)
        failed += "**FAIL**" in body
        print(body)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
