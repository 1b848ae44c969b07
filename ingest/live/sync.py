"""What every live sync shares: the token (environment or OS keyring), the last sync time, and where fetched
pages are kept so the file connector reads them exactly as it reads an export."""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.layout import WorkspacePaths
from ingest.live.http import SyncError

TOKEN_ENV = {
    "github": ("GITHUB_TOKEN", "GH_TOKEN"),
    "gitlab": ("GITLAB_TOKEN",),
    "jira": ("JIRA_API_TOKEN",),
    "linear": ("LINEAR_API_KEY",),
}
KEYRING_SERVICE = "selfreview"
STATE = ".state.json"  # hidden: the connectors reading the folder skip it


def token(service: str) -> str:
    """The service's token from the environment, else from the OS keyring (`keyring set selfreview github`)."""
    for name in TOKEN_ENV[service]:
        if os.environ.get(name, "").strip():
            return os.environ[name].strip()
    with contextlib.suppress(Exception):  # no keyring package or no backend: the environment is the way
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, service)
        if stored:
            return stored
    names = " or ".join(TOKEN_ENV[service])
    raise SyncError(
        f"no {service} token: set {names}, or store one with `keyring set {KEYRING_SERVICE} {service}`"
    )


def token_source(service: str) -> str:
    """Where the service's token would come from ("environment", "keyring") or "" when there is none; the
    token itself is never returned."""
    if any(os.environ.get(name, "").strip() for name in TOKEN_ENV[service]):
        return "environment"
    with contextlib.suppress(Exception):
        import keyring

        if keyring.get_password(KEYRING_SERVICE, service):
            return "keyring"
    return ""


def save_token(service: str, value: str) -> None:
    """Keep the token in the OS keyring (`selfreview` / service); a SyncError says why it could not be."""
    if not value.strip():
        raise SyncError(f"the {service} token is empty")
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, service, value.strip())
    except Exception as exc:  # noqa: BLE001 - every keyring backend failure reads the same to a user
        names = " or ".join(TOKEN_ENV[service])
        raise SyncError(
            f"no OS keyring can keep the token here ({type(exc).__name__}); set {names} in the "
            "environment of the process running selfreview instead"
        ) from None


def sync_dir(home: Path, workspace: str, service: str) -> Path:
    """Where the service's fetched pages for the workspace are kept (made if missing)."""
    path = WorkspacePaths(home, workspace).sync / service
    path.mkdir(parents=True, exist_ok=True)
    return path


def last_sync(folder: Path) -> datetime | None:
    state = folder / STATE
    if not state.is_file():
        return None
    try:
        return datetime.fromisoformat(json.loads(state.read_text())["synced_at"])
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None


def mark_synced(folder: Path, started: datetime) -> None:
    (folder / STATE).write_text(json.dumps({"synced_at": started.isoformat()}) + "\n")


def save_pages(folder: Path, name: str, pages: list[Any], started: datetime) -> Path | None:
    """Pages written back to back into one JSON file per query and run (the connectors read that shape)."""
    if not any(page.get("items") if isinstance(page, dict) and "items" in page else page for page in pages):
        return None  # nothing found: no file
    path = folder / f"{started.strftime('%Y%m%dT%H%M%SZ')}-{name}.json"
    path.write_text(
        "\n".join(json.dumps(page, ensure_ascii=False) for page in pages) + "\n", encoding="utf-8"
    )
    return path


def save_document(folder: Path, name: str, document: Any, started: datetime) -> Path:
    """One JSON document (Jira's search result with every page's issues) into `<run>-<name>.json`."""
    path = folder / f"{started.strftime('%Y%m%dT%H%M%SZ')}-{name}.json"
    path.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def save_evidence(folder: Path, name: str, records: list[Any], started: datetime) -> Path | None:
    """Evidence one JSON object per line into `<run>-<name>.jsonl` (the jsonl connector reads it); None when
    there is nothing. A later run's file comes later by name, so its version of a record wins."""
    if not records:
        return None
    path = folder / f"{started.strftime('%Y%m%dT%H%M%SZ')}-{name}.jsonl"
    lines = (json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True) for record in records)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
