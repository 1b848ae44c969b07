"""The CLI's one output layer: JSON on stdout, human text through rich, progress bars on stderr."""

from __future__ import annotations

import functools
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def _consoles() -> tuple[Console, Console]:
    from rich.console import Console  # imported on first use: `--json` runs never pay for rich

    return Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False)


class _Lazy:
    def __init__(self, index: int) -> None:
        self._index = index

    def __getattr__(self, name: str) -> Any:
        return getattr(_consoles()[self._index], name)


out: Any = _Lazy(0)
err: Any = _Lazy(1)


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
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=_consoles()[1], transient=True)
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
