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
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from evals.reliability_browser import browser_section
from evals.reliability_inputs import malformed_inputs_section
from evals.reliability_results import load, machine, write_section
from evals.reliability_users import two_user_section

Section = Callable[[argparse.Namespace, Path], str]  # (arguments, a scratch folder) -> Markdown
SECTIONS: dict[str, Section] = {
    "inputs": malformed_inputs_section,
    "users": two_user_section,
    "browser": browser_section,
}


def command(argv: list[str] | None) -> str:
    """The command line that ran, with its niceness."""
    niceness = os.nice(0)
    words = " ".join(sys.argv[1:] if argv is None else argv)
    return (
        f"{f'nice -n {niceness} ' if niceness else ''}.venv/bin/python -m evals.reliability {words}".rstrip()
    )


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
        started, load_at_start = time.perf_counter(), load()
        with tempfile.TemporaryDirectory(prefix=f"selfreview-reliability-{name}-") as scratch:
            body = SECTIONS[name](args, Path(scratch))
        body += f"\n\nRun: `{command(argv)}`, {machine(load_at_start)}; the section took {time.perf_counter() - started:.0f} s.\n"
        write_section(name, body)
        failed += "**FAIL**" in body
        print(body)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
