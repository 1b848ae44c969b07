"""Source connectors: each module parses one format into Evidence with the same signature.

    iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]

A connector only parses. A bad record is reported with `skips.add(where, why)` (where = "file:line" or
"file#record") and parsing goes on; chunking, embedding and writing belong to the pipeline.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.evidence import Evidence

KINDS = ("git", "github", "jira", "linear", "notes", "email", "jsonl")


@dataclass
class SourceOptions:
    authors: list[str] = field(default_factory=list)  # names and emails: the user's aliases
    since: datetime | None = None
    until: datetime | None = None

    def in_period(self, when: datetime) -> bool:
        return (self.since is None or when >= self.since) and (self.until is None or when <= self.until)

    def is_user(self, who: str) -> bool:
        """True when `who` (a name, email, login or "Name <email>") matches one of the user's aliases."""
        if not self.authors:
            return True
        text = who.casefold()
        return any(alias.casefold() in text for alias in self.authors if alias.strip())


@dataclass
class Skip:
    where: str
    why: str


@dataclass
class Skips:
    items: list[Skip] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        self.items.append(Skip(where, why))


class UsageError(Exception):
    """The command cannot run at all (a path that does not exist, an unknown kind): exit code 2."""


Connector = Callable[[list[Path], SourceOptions, Skips], Iterator[Evidence]]


def connector(kind: str) -> Connector:
    if kind not in KINDS:
        raise UsageError(f"unknown source kind {kind!r}; choose one of: {', '.join(KINDS)}")
    module = importlib.import_module(f"ingest.sources.{kind}_source")
    return module.iter_records


def expand(paths: list[Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files named directly, and files under folders with one of `suffixes` (hidden folders skipped)."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in suffixes:
                    yield child
        else:
            yield path


def read_text(path: Path, skips: Skips) -> str | None:
    """File text as UTF-8 (BOM tolerated); binary or undecodable files are skipped and reported."""
    data = path.read_bytes()
    if not data.strip():
        skips.add(str(path), "empty file")
        return None
    if b"\x00" in data[:8192]:
        skips.add(str(path), "binary file, not text")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        skips.add(f"{path}:{line}", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return None
