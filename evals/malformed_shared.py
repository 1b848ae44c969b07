"""What the malformed-input generators share: a case, writing its files, deep JSON text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Case:
    name: str  # family/variant, e.g. "jsonl/deep-array-900"
    kind: str  # the source kind given to `selfreview ingest`
    paths: list[Path]
    good: set[str]  # evidence ids that must be stored after the run
    usage: bool = False  # the run must refuse at once (exit 2, nothing done) instead of reading
    extra_args: list[str] = field(default_factory=list)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def deep_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth
