"""Load career ladders and glossaries from YAML; every error names the file, the line and what is wrong."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app import verbs
from app.model import Criterion, Glossary, GlossaryTerm, Ladder, Level


class LadderError(ValueError):
    """A ladder or glossary file that cannot be used: `path:line: what is wrong (what to do)`."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}:{line}: {problem}" if line else f"{path}: {problem}")


def _compose(path: Path) -> tuple[Node, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LadderError(path, None, "file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LadderError(path, None, f"cannot be read ({exc})") from exc
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 431 criteria in 0.1 s, not 2 s
    try:  # an alias can expand a 1 KB file into gigabytes: a ladder needs none
        alias = next(
            (e for e in yaml.parse(text, Loader=loader_class) if isinstance(e, yaml.AliasEvent)), None
        )
    except yaml.YAMLError:
        alias = None  # reported with its line by the parse below
    if alias is not None:
        raise LadderError(path, alias.start_mark.line + 1, "YAML aliases (*name) are not allowed in a ladder")
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LadderError(path, 1, "the file is empty")
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise LadderError(path, line, f"not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise LadderError(path, None, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _child(node: Node, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value_node
    return None


def _items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def load_ladder(path: str | Path) -> Ladder:
    """A ladder: `name`, `levels: [{id, title, summary?}]`, `criteria: [{id, area, level, text, ...}]`."""
    path = Path(path)
    root, data = _compose(path)
    if not isinstance(data, dict):
        raise LadderError(path, _line(root), "expected a mapping with `name`, `levels` and `criteria`")
    levels = _levels(path, root, data.get("levels"))
    criteria_node = _child(root, "criteria")
    criteria_data = data.get("criteria")
    if criteria_node is None:
        raise LadderError(path, _line(root), "missing `criteria`: add a list of {id, area, level, text}")
    if not isinstance(criteria_data, list) or not criteria_data:
        raise LadderError(
            path, _line(criteria_node), "`criteria` must be a non-empty list of {id, area, level, text}"
        )
    known = {level.id for level in levels}
    seen: dict[str, int | None] = {}
    criteria = []
    for index, (node, record) in enumerate(zip(_items(criteria_node), criteria_data, strict=True), 1):
        found = _criteria(path, node, record, index, known)  # one per level it lists
        cid = found[0].id
        if cid in seen:
            raise LadderError(
                path, _line(node), f"duplicate criterion id {cid!r} (first at line {seen[cid]})"
            )
        seen[cid] = _line(node)
        criteria += found
    name = str(data.get("name") or path.stem)
    company = str(data.get("company") or "").strip() or _company_in(name, criteria)
    return Ladder(name=name, levels=levels, criteria=criteria, path=str(path), company=company)


def _company_in(name: str, criteria: list[Criterion]) -> str:
    """The organisation a ladder without `company:` is written for: a word of its title that is not English and
    that its criteria also write capitalised inside a sentence ("Dropbox Engineering Career Framework" and "promote
    Dropbox core values"). A name that is also an English word ("Stripe") is not guessed: say `company:`."""
    for word in re.findall(r"\b[A-Z][\w&.-]*[a-z]\w*\b", name):
        if verbs.is_known(word):
            continue
        inside = re.compile(rf"\b[a-z]+[,;:]? {re.escape(word)}\b")  # after a lowercase word
        if any(inside.search(c.text) for c in criteria):
            return word
    return ""


def _levels(path: Path, root: Node, data: Any) -> list[Level]:
    node = _child(root, "levels")
    if node is None:
        raise LadderError(path, _line(root), "missing `levels`: add a list of {id, title}")
    if not isinstance(data, list) or not data:
        raise LadderError(path, _line(node), "`levels` must be a non-empty list of {id, title}")
    levels = []
    for item_node, item in zip(_items(node), data, strict=True):
        if isinstance(item, str | int | float):
            levels.append(Level(id=str(item), title=str(item)))
            continue
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            raise LadderError(path, _line(item_node), "a level needs an `id` (e.g. `- id: IC3`)")
        extra = {k: v for k, v in item.items() if k not in ("id", "title", "summary")}
        levels.append(
            Level(
                id=str(item["id"]),
                title=str(item.get("title") or item["id"]),
                summary=str(item.get("summary") or ""),
                extra=extra,
            )
        )
    return levels


def _criteria(path: Path, node: Node, record: Any, index: int, known: set[str]) -> list[Criterion]:
    """One criterion, or one per level when `level` lists several (`level: [L3, L4]`: it applies to both)."""
    levels = record.get("level") if isinstance(record, dict) else None
    if isinstance(levels, list) and levels:
        return [_criterion(path, node, {**record, "level": level}, index, known) for level in levels]
    return [_criterion(path, node, record, index, known)]


def _criterion(path: Path, node: Node, record: Any, index: int, known: set[str]) -> Criterion:
    if not isinstance(record, dict):
        raise LadderError(
            path, _line(node), "a criterion must be a mapping with `id`, `area`, `level`, `text`"
        )
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        where = _child(node, "text") or node
        raise LadderError(path, _line(where), f"criterion {record.get('id', f'#{index}')!r} has no `text`")
    level = record.get("level")
    if level in (None, "") or isinstance(level, (list, dict)):
        raise LadderError(path, _line(node), f"criterion {record.get('id', f'#{index}')!r} has no `level`")
    if str(level) not in known:
        raise LadderError(
            path,
            _line(_child(node, "level")),
            f"level {level!r} is not in `levels` ({', '.join(sorted(known))})",
        )
    cid = str(record.get("id") or f"{level}-{index}")
    extra = {k: v for k, v in record.items() if k not in ("id", "area", "level", "text")}
    return Criterion(
        id=cid, area=str(record.get("area") or ""), level=str(level), text=" ".join(text.split()), extra=extra
    )


def load_glossary(path: str | Path) -> Glossary:
    """`values: [{term, meaning}]`, `terms: [{use, instead_of: [...]}]`, `avoid: [...]`; strings also accepted."""
    path = Path(path)
    root, data = _compose(path)
    if not isinstance(data, dict):
        raise LadderError(path, _line(root), "expected a mapping with `values`, `terms` and/or `avoid`")
    glossary = Glossary(path=str(path))
    for key in ("values", "terms", "avoid"):
        node, value = _child(root, key), data.get(key)
        if value is not None and not isinstance(value, list):
            raise LadderError(path, _line(node), f"`{key}` must be a list")
        for item_node, item in zip(_items(node), value or [], strict=True):
            _glossary_item(path, glossary, key, item_node, item)
    if not (glossary.values or glossary.terms or glossary.avoid):
        raise LadderError(path, _line(root), "no `values`, `terms` or `avoid` entries found")
    return glossary


def _glossary_item(path: Path, glossary: Glossary, key: str, node: Node, item: Any) -> None:
    if key == "values":
        if isinstance(item, str):
            glossary.values.append({"term": item, "meaning": ""})
        elif isinstance(item, dict) and item.get("term"):
            glossary.values.append({"term": str(item["term"]), "meaning": str(item.get("meaning") or "")})
        else:
            raise LadderError(path, _line(node), "a value needs a `term` (e.g. `- term: Customer obsession`)")
    elif key == "terms":
        if isinstance(item, str):
            glossary.terms.append(GlossaryTerm(use=item))
        elif isinstance(item, dict) and item.get("use"):
            instead = item.get("instead_of") or []
            instead = [instead] if isinstance(instead, str) else instead
            if not isinstance(instead, list) or not all(isinstance(i, str) for i in instead):
                raise LadderError(
                    path, _line(_child(node, "instead_of")), "`instead_of` must be a list of strings"
                )
            glossary.terms.append(GlossaryTerm(use=str(item["use"]), instead_of=list(instead)))
        else:
            raise LadderError(
                path, _line(node), "a term needs `use` (e.g. `- use: customer`, `instead_of: [user]`)"
            )
    else:
        word = (
            item
            if isinstance(item, str)
            else item.get("term") or item.get("word")
            if isinstance(item, dict)
            else None
        )
        if not word:
            raise LadderError(path, _line(node), "an `avoid` entry must be a word or phrase")
        glossary.avoid.append(str(word))
