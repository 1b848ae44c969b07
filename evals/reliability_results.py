"""evals/results/reliability.md, section by section: each section (between `<!-- section: NAME -->` and
`<!-- end: NAME -->`) is rewritten on its own, keeping every other section."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "reliability.md"
TITLE = "# Reliability: real processes against bad input and damage\n"


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def machine(load_at_start: float) -> str:
    """The date, Python, cores and the load average at the start and at the end of a run."""
    return (
        f"{date.today().isoformat()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load_at_start:.1f} at the start, {load():.1f} at the end"
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
