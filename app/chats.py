"""Ask-page chat history, one JSON file per workspace (where ingest.layout.WorkspacePaths.chat says)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.drafts import read_json, write_json_atomic
from ingest.layout import WorkspacePaths

MAX_MESSAGES = 400  # oldest messages are dropped beyond this


def chat_path(home: Path, workspace: str) -> Path:
    return WorkspacePaths(home, workspace).chat


def load(home: Path, workspace: str) -> list[dict[str, Any]]:
    """Messages oldest first: {"role": "user" | "assistant", "content", "citations"?, "mode"?, "time"}."""
    record = read_json(chat_path(home, workspace))
    if not isinstance(record, dict):
        return []
    messages = record.get("messages")
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


def save(home: Path, workspace: str, messages: list[dict[str, Any]]) -> None:
    write_json_atomic(
        chat_path(home, workspace), {"workspace": workspace, "messages": messages[-MAX_MESSAGES:]}
    )


def clear(home: Path, workspace: str) -> None:
    chat_path(home, workspace).unlink(missing_ok=True)
