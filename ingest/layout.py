"""Where a workspace's data lives under the data directory: every file and folder it owns, in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


class WorkspaceError(ValueError):
    """A workspace name or location is not usable."""


def workspaces_root(home: Path) -> Path:
    return home / "workspaces"


def checked_name(name: str) -> str:
    """A workspace name is also a folder and file name: refuse anything but a plain, short one."""
    if not NAME.match(name):
        raise WorkspaceError(f"workspace name {name!r}: use letters, digits, '.', '_' or '-' (max 63)")
    return name


@dataclass(frozen=True)
class WorkspacePaths:
    """Every file and folder a workspace owns under the data directory: the one place that knows the layout.

    Deleting a workspace removes all of them (and its collection on a Chroma server)."""

    home: Path
    name: str

    def __post_init__(self) -> None:
        checked_name(self.name)

    @property
    def dir(self) -> Path:  # ledger, its backup, the embedded Chroma store, keyword index, caches, write lock
        return workspaces_root(self.home) / self.name

    @property
    def ledger(self) -> Path:
        return self.dir / "ledger.sqlite"

    @property
    def drafts(self) -> Path:  # saved drafts, their kept versions, the last ladder and level chosen
        return self.home / "drafts" / self.name

    @property
    def chat(self) -> Path:  # the Ask page's conversation
        return self.home / "chats" / f"{self.name}.json"

    @property
    def uploads(self) -> Path:  # files uploaded in the browser for ingest
        return self.home / "uploads" / self.name

    @property
    def ingest_history(self) -> Path:  # the browser's past ingests, each removable
        return self.home / "ingests" / f"{self.name}.json"

    @property
    def sync(self) -> Path:  # pages fetched from services' APIs and when each was last synced
        return self.home / "sync" / self.name

    def owned(self) -> list[Path]:
        return [self.dir, self.drafts, self.chat, self.uploads, self.ingest_history, self.sync]
