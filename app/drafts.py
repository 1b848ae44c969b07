"""Saved drafts and the user's edits, one JSON file per workspace, ladder and level, written atomically.

Layout: <the workspace's drafts folder>/<ladder-name>-<level>.json (ingest.layout.WorkspacePaths). A draft survives a reload of the
page and a restart of the app; opening the same workspace + ladder + level brings it back with its edits.
Before anything replaces bullets (drafting again, regenerating, restoring), the whole record is kept as a
version in .versions/<ladder-name>-<level>/, so any of them can be brought back.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest.layout import WorkspacePaths


class DraftFileError(ValueError):
    """A saved draft file cannot be read: the message names the file and what to do."""


def slug(text: str) -> str:
    """A file-name-safe form of a ladder name or level id ("Staff Engineer (L6)" -> "staff-engineer-l6")."""
    cleaned = re.sub(r"[^a-z0-9._]+", "-", text.strip().lower()).strip("-.")
    return cleaned[:80] or "untitled"


def draft_path(home: Path, workspace: str, ladder: str, level: str) -> Path:
    return drafts_dir(home, workspace) / f"{slug(ladder)}-{slug(level)}.json"


def drafts_dir(home: Path, workspace: str) -> Path:
    """The workspace's drafts folder (ingest.layout); a name that is not a plain folder name raises WorkspaceError."""
    return WorkspacePaths(home, workspace).drafts


def last_choice_path(home: Path, workspace: str) -> Path:
    """The ladder and level last drafted in the workspace (the Draft page opens on them)."""
    return drafts_dir(home, workspace) / ".last-choice.json"


def load(home: Path, workspace: str, ladder: str, level: str) -> dict[str, Any] | None:
    """The saved draft record, or None when there is none yet."""
    return read_json(draft_path(home, workspace, ladder, level))


def save(home: Path, workspace: str, ladder: str, level: str, record: dict[str, Any]) -> Path:
    path = draft_path(home, workspace, ladder, level)
    write_json_atomic(path, record)
    return path


def delete(home: Path, workspace: str, ladder: str, level: str) -> None:
    draft_path(home, workspace, ladder, level).unlink(missing_ok=True)


def read_json(path: Path) -> Any | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DraftFileError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file or delete it to start over"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftFileError(f"{path}: cannot be read ({exc}); check its permissions or delete it") from exc


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, indent=1, default=str)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


VERSIONS_KEPT = 50


def versions_dir(home: Path, workspace: str, ladder: str, level: str) -> Path:
    return drafts_dir(home, workspace) / ".versions" / f"{slug(ladder)}-{slug(level)}"


def keep_version(
    home: Path, workspace: str, ladder: str, level: str, record: dict[str, Any], reason: str
) -> Path:
    """Keep `record` as it is now, saying why ("before drafting again"); the oldest beyond VERSIONS_KEPT go."""
    folder = versions_dir(home, workspace, ladder, level)
    path = folder / f"{time.time_ns()}.json"
    write_json_atomic(path, {"reason": reason, "time": time.strftime("%Y-%m-%d %H:%M:%S"), "record": record})
    for old in sorted(folder.glob("*.json"))[:-VERSIONS_KEPT]:
        old.unlink(missing_ok=True)
    return path


def versions(home: Path, workspace: str, ladder: str, level: str) -> list[dict[str, Any]]:
    """Kept versions, newest first: {"path", "time", "reason"} (the record is read by `version_record`)."""
    out = []
    for path in sorted(versions_dir(home, workspace, ladder, level).glob("*.json"), reverse=True):
        saved = read_json(path) or {}
        out.append({"path": path, "time": saved.get("time", ""), "reason": saved.get("reason", "")})
    return out


def version_record(path: Path) -> dict[str, Any]:
    saved = read_json(path)
    if not isinstance(saved, dict) or not isinstance(saved.get("record"), dict):
        raise DraftFileError(f"{path}: not a saved draft version; delete it")
    return saved["record"]
