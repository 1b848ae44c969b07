"""JSON and YAML from untrusted files: nesting depth capped (a named skip, never a RecursionError), YAML
aliases refused (an alias bomb expands a 1 KB file into gigabytes)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from pathlib import Path

    from ingest.sources import Skips

# Deeper than any export we read (a Jira description in ADF with lists nested ten levels is ~45 deep) and far
# below Python's recursion limit (1,000), which every recursive walk over the value would otherwise meet.
MAX_JSON_DEPTH = 100
TOO_DEEP = f"a value nested more than {MAX_JSON_DEPTH} levels deep was left out (the rest was read)"

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DECODER = json.JSONDecoder()


def decode_json(
    text: str, pos: int = 0, path: Path | None = None, skips: Skips | None = None
) -> tuple[Any, int]:
    """`json.JSONDecoder().raw_decode` that never meets a RecursionError: a value nested deeper than
    MAX_JSON_DEPTH is read as null and named in `skips` by its line. Raises json.JSONDecodeError as before."""
    if text.count("[", pos) + text.count("{", pos) <= MAX_JSON_DEPTH:
        return _DECODER.raw_decode(text, pos)
    try:
        value, end = _DECODER.raw_decode(text, pos)
        if json_depth(value) <= MAX_JSON_DEPTH:
            return value, end
    except RecursionError:
        pass
    spans, end = _deep_spans(text, pos)  # the slow path, for deep JSON only: find the deep values by scanning
    if not spans:  # brackets the scan could not pair: broken JSON, not deep JSON
        raise json.JSONDecodeError("nested too deeply or unbalanced brackets", text, pos)
    pieces, last = [], pos
    for start, stop in spans:
        pieces += [text[last:start], "null"]
        last = stop
        if path is not None and skips is not None:
            skips.add(f"{path}:{text.count(chr(10), 0, start) + 1}", TOO_DEEP)
    pieces.append(text[last:end])
    value, _ = _DECODER.raw_decode("".join(pieces))
    return value, end


def load_json(text: str, path: Path | None = None, skips: Skips | None = None) -> Any:
    """`json.loads` with the depth cap of `decode_json`."""
    start = len(text) - len(text.lstrip())
    value, end = decode_json(text, start, path, skips)
    if text[end:].strip():
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (0 for a scalar), level by level, without recursion."""
    depth, level = 0, [value]
    while level:
        containers = [node for node in level if isinstance(node, dict | list)]
        if not containers:
            break
        depth += 1
        level = [
            child for node in containers for child in (node.values() if isinstance(node, dict) else node)
        ]
    return depth


def _deep_spans(text: str, pos: int) -> tuple[list[tuple[int, int]], int]:
    """Spans of the values that open deeper than the cap, and where the value starting at `pos` ends."""
    depth, spans, cut = 0, [], 0
    for match in _TOKEN.finditer(text, pos):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth == MAX_JSON_DEPTH + 1:
                cut = match.start()
        elif char in "]}":
            if depth == MAX_JSON_DEPTH + 1:
                spans.append((cut, match.end()))
            depth -= 1
            if depth == 0:
                return spans, match.end()
    return spans, len(text)


class _NoAliases(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (`*name`): anchors alone are harmless."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"YAML aliases (*name) are not read (line {mark.line + 1})")
        return super().compose_node(parent, index)


class YamlRefused(ValueError):
    """YAML that is not read: broken, aliased, nested too deeply, or holding an impossible value."""


def load_yaml(text: str) -> Any:
    """YAML as plain values, with aliases refused; every failure is a YamlRefused naming why."""
    try:
        return yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        raise YamlRefused(f"unreadable YAML: {exc.problem or exc.context}{where}") from exc
    except yaml.YAMLError as exc:
        raise YamlRefused(str(exc) or "unreadable YAML") from exc
    except RecursionError as exc:
        raise YamlRefused("YAML nested too deeply") from exc
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. `date: 2026-02-30`
        raise YamlRefused(f"impossible value: {exc}") from exc
