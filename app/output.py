"""The CLI's one output layer: JSON on stdout, human text through rich, progress bars on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def error(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/] {message}", markup=True)


def line(text: str = "", style: str | None = None) -> None:
    out.print(text, style=style, markup=False)


class BarProgress:
    """Pipeline progress as a rich bar on stderr (never used with --json)."""

    def __init__(self) -> None:
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=err, transient=True)
        self._task: Any = None

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def stage(self, name: str, total: int) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, count: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)
