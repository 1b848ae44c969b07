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
    """Always valid JSON: a number that is not finite (NaN, infinity) is written as null, never as NaN."""
    try:
        text = json.dumps(payload, ensure_ascii=False, indent=2, default=str, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(payload), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


def _finite(value: Any) -> Any:
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def error(message: str) -> None:
    from rich.markup import escape  # a path or message holding "[...]" is text, never markup

    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)


def warn(message: str) -> None:
    from rich.markup import escape

    err.print(f"[yellow]warning:[/] {escape(message)}", markup=True, soft_wrap=True)


def line(text: str = "", style: str | None = None) -> None:
    out.print(text, style=style, markup=False)


class BarProgress:
    """Pipeline progress as a rich bar on stderr (never used with --json)."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=_consoles()[1],
            transient=True,
        )
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
