"""The egress log: one JSON line per LLM request in SELFREVIEW_HOME/egress.log.jsonl (what left, where, why).

Each line: `time` (ISO 8601, UTC), `endpoint` (base URL), `model`, `purpose` (draft / ask / rewrite / test /
embed: chunks and queries sent to an embeddings endpoint, with `texts` per request),
`evidence_ids` sent, `redactions` made, `prompt_tokens` (cl100k count), `outcome` ("ok", "invalid-json",
"error: ...", "cut", ...) and any extra fields (attempts, response format). Never the prompt text itself:
the log says what was sent, it is not a second copy of it.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILENAME = "egress.log.jsonl"
PURPOSES = ("draft", "ask", "rewrite", "test", "embed")
_lock = threading.Lock()


def log_path(home: Path) -> Path:
    return Path(home) / FILENAME


def record(
    home: Path | None,
    *,
    endpoint: str,
    model: str,
    purpose: str,
    evidence_ids: Iterable[str] = (),
    redactions: int = 0,
    prompt_tokens: int = 0,
    outcome: str = "ok",
    **extra: Any,
) -> dict[str, Any]:
    """Append one request to the log (no-op when `home` is None: a fake model sends nothing anywhere)."""
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "endpoint": endpoint,
        "model": model,
        "purpose": purpose,
        "evidence_ids": list(evidence_ids),
        "redactions": redactions,
        "prompt_tokens": prompt_tokens,
        "outcome": outcome,
        **extra,
    }
    if home is None:
        return entry
    path = log_path(home)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one line in append mode: concurrent writers (CLI + UI) interleave whole lines.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    return entry


def record_for(chat: object, **fields: Any) -> dict[str, Any]:
    """`record` for a chat model: endpoint, model and log home come from the model's attributes."""
    stats = dict(getattr(chat, "last_stats", None) or {})
    return record(
        getattr(chat, "egress_home", None),
        endpoint=str(getattr(chat, "endpoint", "")),
        model=str(getattr(chat, "model", "")),
        **{**stats, **fields},
    )


def read_log(home: Path, limit: int | None = 50) -> list[dict[str, Any]]:
    """The last `limit` entries, oldest first (all of them when limit is None); unreadable lines are skipped."""
    path = log_path(home)
    if not path.is_file():
        return []
    entries = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a crash: the rest of the log still reads
            if isinstance(entry, dict):
                entries.append(entry)
    return entries if limit is None else entries[-limit:] if limit > 0 else []
