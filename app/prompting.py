"""Prompt templates: load `prompts/<name>.md` (YAML front matter + body), check variables, render messages.

File format::

    ---
    variables: [criterion, evidence]
    description: one line saying what the prompt is for
    ---
    ---system---
    You write ... {{ criterion }} ...
    ---user---
    {{ evidence }}

Without `---system---` / `---user---` markers the whole body is one user message. Placeholders are
`{{ name }}`; every placeholder must be declared (checked when the file is loaded), and `render` needs exactly
the declared variables: a missing or an undeclared one raises `PromptError`. Values are inserted in one pass,
so a `{{ x }}` inside a value (evidence text, say) stays literal text and is never rendered.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

PACKAGE = "prompts"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
SECTION = re.compile(r"^---(system|user|assistant)---[ \t]*$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)


class PromptError(ValueError):
    """A prompt file that cannot be loaded, or a render call that does not match its declared variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (role, template), in order
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def placeholders(self) -> set[str]:
        return {m.group(1) for _, template in self.sections for m in PLACEHOLDER.finditer(template)}

    def render(self, **values: Any) -> list[dict[str, str]]:
        missing = [name for name in self.variables if name not in values]
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            problems = []
            if missing:
                problems.append(f"missing variable(s) {', '.join(missing)}")
            if extra:
                problems.append(f"undeclared variable(s) {', '.join(extra)}")
            raise PromptError(
                f"prompt {self.name!r}: {'; '.join(problems)} "
                f"(declared: {', '.join(self.variables) or 'none'})"
            )
        text = {name: _text(value) for name, value in values.items()}
        return [
            {"role": role, "content": PLACEHOLDER.sub(lambda m: text[m.group(1)], template).strip()}
            for role, template in self.sections
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value)
    return str(value)


def parse(name: str, source: str) -> Prompt:
    """Parse one prompt file's text; raises PromptError naming the file and what to fix."""
    where = f"prompts/{name}.md"
    match = FRONT_MATTER.match(source)
    if not match:
        raise PromptError(f"{where}: must start with YAML front matter ('---', 'variables: [...]', '---')")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"{where}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise PromptError(f"{where}: front matter must be a mapping with a 'variables' list")
    variables = meta.get("variables", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise PromptError(
            f"{where}: 'variables' must be a list of names, e.g. variables: [question, evidence]"
        )
    body = source[match.end() :]
    sections = _sections(body)
    if not any(template.strip() for _, template in sections):
        raise PromptError(f"{where}: the prompt body is empty")
    prompt = Prompt(name, tuple(variables), tuple(sections), meta)
    undeclared = sorted(prompt.placeholders() - set(variables))
    if undeclared:
        raise PromptError(
            f"{where}: placeholder(s) {', '.join('{{ ' + u + ' }}' for u in undeclared)} "
            f"not declared in 'variables' (declared: {', '.join(variables) or 'none'})"
        )
    return prompt


def _sections(body: str) -> list[tuple[str, str]]:
    markers = list(SECTION.finditer(body))
    if not markers:
        return [("user", body)]
    if body[: markers[0].start()].strip():
        raise PromptError("text before the first ---system---/---user--- marker")
    ends = [m.start() for m in markers[1:]] + [len(body)]
    return [(m.group(1), body[m.end() : end]) for m, end in zip(markers, ends, strict=True)]


def names() -> list[str]:
    """Every prompt shipped in the `prompts` package."""
    return sorted(p.name[:-3] for p in resources.files(PACKAGE).iterdir() if p.name.endswith(".md"))


@functools.lru_cache(maxsize=32)
def load(name: str) -> Prompt:
    path = resources.files(PACKAGE) / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"no prompt named {name!r} (prompts/{name}.md); available: {', '.join(names())}")
    try:
        return parse(name, path.read_text(encoding="utf-8"))
    except PromptError as exc:
        if str(exc).startswith("prompts/"):
            raise
        raise PromptError(f"prompts/{name}.md: {exc}") from exc


def render(name: str, **values: Any) -> list[dict[str, str]]:
    """Render prompt `name` into chat messages ([{"role", "content"}, ...])."""
    return load(name).render(**values)
