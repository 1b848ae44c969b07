"""Where a running `selfreview ingest` or `reembed` is, read from its workspace's ledger while it runs, and the
kill -9 that lands at a chosen point of its progress (not at a time guessed from an earlier run)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.01


@dataclass(frozen=True)
class Progress:
    """What the ledger says: the interrupted mark, a reembed under way (the model it embeds with), items staged
    but not confirmed in Chroma, and of the items carrying `revision` (the round's new text) how many are
    staged (pending or stored) and how many are confirmed in Chroma."""

    dirty: bool = False
    reembedding: str = ""
    pending: int = 0
    new_staged: int = 0
    new_stored: int = 0
    embedder: str = ""  # the model the workspace's vectors are from

    @property
    def half_done(self) -> bool:
        return self.dirty or bool(self.reembedding) or self.pending > 0

    def phase(self, count: int) -> str:
        """The phase a kill at this moment lands in, in words."""
        if self.reembedding:
            return f"reembedding, {count - self.pending} of {count} written"
        if not self.dirty:
            return "not marked interrupted"
        if self.new_staged == 0:
            return "marked, nothing staged"
        return f"marked, {self.new_staged} staged, {self.new_stored} confirmed"


def ledger_path(home: Path, workspace: str = "default") -> Path:
    return home / "workspaces" / workspace / "ledger.sqlite"


def read(home: Path, revision: int | None = None) -> Progress | None:
    """The ledger's progress, read-only; None while the ledger does not exist yet or is locked by a write."""
    path = ledger_path(home)
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
    except sqlite3.OperationalError:
        return None
    try:
        meta = dict(
            db.execute(
                "SELECT key, value FROM meta WHERE key IN ('dirty', 'reembedding', 'embedder')"
            ).fetchall()
        )
        pending = db.execute("SELECT count(*) FROM items WHERE state = 'pending'").fetchone()[0]
        staged = stored = 0
        if revision is not None:
            like = f'%"body": "Revision {revision} of %'
            staged, stored = db.execute(
                "SELECT count(*), coalesce(sum(state = 'stored'), 0) FROM items WHERE evidence LIKE ?",
                (like,),
            ).fetchone()
    except sqlite3.OperationalError:  # being created, or locked by the writer
        return None
    finally:
        db.close()
    return Progress(
        meta.get("dirty") == "1",
        meta.get("reembedding", ""),
        pending,
        staged,
        stored,
        meta.get("embedder", ""),
    )


@dataclass
class Kill:
    """One kill: whether the process was still running when SIGKILL was sent, and where it was."""

    mid_run: bool
    phase: str
    after_s: float


def kill_when(
    process: subprocess.Popen,
    home: Path,
    reached: Callable[[Progress], bool],
    count: int,
    revision: int | None = None,
    delay: float = 0.0,
) -> Kill:
    """SIGKILL `process` `delay` seconds after the ledger first shows `reached` (or when it ends first)."""
    started = time.monotonic()
    seen: Progress | None = None
    while process.poll() is None:
        now = read(home, revision)
        if now is not None and reached(now):
            seen = now
            break
        time.sleep(POLL_S)
    if delay and process.poll() is None:
        time.sleep(delay)
    alive = process.poll() is None
    if alive:
        process.send_signal(signal.SIGKILL)
    killed = process.wait(timeout=120) == -signal.SIGKILL
    phase = seen.phase(count) if seen is not None else "the run had ended"
    return Kill(mid_run=alive and killed, phase=phase, after_s=round(time.monotonic() - started, 2))


def kill_after(process: subprocess.Popen, seconds: float) -> Kill:
    """SIGKILL `process` after `seconds` (the start-up kills, before the ledger shows anything)."""
    time.sleep(seconds)
    alive = process.poll() is None
    if alive:
        process.send_signal(signal.SIGKILL)
    killed = process.wait(timeout=120) == -signal.SIGKILL
    return Kill(mid_run=alive and killed, phase="starting" if alive else "the run had ended", after_s=seconds)
