"""Internal errors: the traceback goes to a log file in the data directory; the user gets one line and the path."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

KEEP_LOGS = 20  # the newest logs kept in logs/; older ones are removed when a new one is written


def write_crash_log(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the traceback of `exc` with the command line and versions; returns the log's path (None when no
    folder could be written, which never raises)."""
    from app.settings import default_home

    text = "".join(
        [
            f"selfreview {' '.join(argv)}\n",
            f"time: {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n",
            f"python: {sys.version.split()[0]}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in (default_home() / "logs", Path(tempfile.gettempdir()) / "selfreview-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"error-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        _prune(folder)
        return path
    return None


def crash_message(exc: BaseException, log: Path | None) -> str:
    """One line: what went wrong (the exception's type and first line) and where the details are."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    what = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    where = f"the details are in {log}" if log else "no log could be written"
    return f"internal error ({what}); {where}. Please report it with that file."


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("error-*.log"))
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
