"""What the store reliability eval and its damage scenarios share: items with words no other item has, the
environment of a run, the command line, and a fresh process that checks what a workspace can still find."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def records(count: int, revision: int = 0) -> list[dict[str, Any]]:
    """Items each carrying four words no other item has (`uq<n>a` ... `uq<n>d`), and the revision in their body."""
    return [
        {
            "id": f"jsonl:rel-{n}",
            "source": "jsonl",
            "kind": "ticket",
            "title": f"Ticket {n} {unique(n)}",
            "body": f"Revision {revision} of work item {n}. " + "detail " * (n % 40),
            "author": "Maya Chen",
            "date": f"2026-{n % 12 + 1:02d}-{n % 27 + 1:02d}T10:00:00+00:00",
            "role": "assignee",
        }
        for n in range(count)
    ]


def unique(n: int) -> str:
    return " ".join(f"uq{n}{letter}" for letter in "abcd")


def write(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in items))
    return path


def env_for(home: Path, chroma_url: str = "", embedding: str = "fake") -> dict[str, str]:
    env = {
        **os.environ,
        "SELFREVIEW_HOME": str(home),
        "SELFREVIEW_EMBEDDING": embedding,
        "ANONYMIZED_TELEMETRY": "False",
    }
    env.pop("SELFREVIEW_CHROMA_URL", None)
    if chroma_url:
        env["SELFREVIEW_CHROMA_URL"] = chroma_url
    return env


def cli(
    home: Path, *args: str, chroma_url: str = "", timeout: float = 900, embedding: str = "fake"
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO,
        env=env_for(home, chroma_url, embedding),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def verify(
    home: Path, count: int, revision: int, chroma_url: str = "", embedding: str = "fake"
) -> dict[str, Any]:
    """In a fresh process: how many items a query unique to them finds among the first ten (found), how many
    it does not (lost), found in an old revision (stale), chunks Chroma holds twice or the ledger does not
    know (duplicated), chunks whose vector is not the configured model's (old model), and whether the
    command before left the workspace marked interrupted (looked at before the search opens it)."""
    result = subprocess.run(
        [sys.executable, "-m", "evals.reliability_store", "verify", str(home), str(count), str(revision)],
        cwd=REPO,
        env=env_for(home, chroma_url, embedding),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        return {"found": 0, "lost": count, "stale": 0, "duplicated": 0, "error": result.stderr.strip()[-300:]}
    return json.loads(result.stdout.strip().splitlines()[-1])
