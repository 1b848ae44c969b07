"""LLM rewrites in organizational language: the text and the glossary -> `rewrite` prompt -> {"text": ...}.

Whether every fact, number and reference survived is checked by the caller (app.rewrite), for both paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import prompting
from app.llm import ChatModel
from app.llm_drafter import complete_json
from app.redact import redact

REWRITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"text": {"type": "string"}},
    "required": ["text"],
    "additionalProperties": False,
}


def _get(glossary: Any, name: str) -> list[Any]:
    value = glossary.get(name) if isinstance(glossary, Mapping) else getattr(glossary, name, None)
    return list(value or [])


def _field(entry: Any, *names: str) -> Any:
    for name in names:
        value = entry.get(name) if isinstance(entry, Mapping) else getattr(entry, name, None)
        if value:
            return value
    return None


def glossary_text(glossary: Any) -> str:
    """The glossary (app.model.Glossary or its YAML mapping) as short lines for the prompt."""
    if not glossary:
        return "(no glossary: keep the wording, fix only awkward phrasing)"
    lines = []
    values = _get(glossary, "values")
    if values:
        lines.append("Values:")
        for value in values:
            term = value if isinstance(value, str) else _field(value, "term", "name", "value")
            meaning = None if isinstance(value, str) else _field(value, "meaning", "description")
            lines.append(f"- {term}" + (f": {meaning}" if meaning else ""))
    terms = _get(glossary, "terms")
    if terms:
        lines.append("Preferred terms:")
        for term in terms:
            use = term if isinstance(term, str) else _field(term, "use", "term", "preferred")
            instead = [] if isinstance(term, str) else _field(term, "instead_of", "replaces") or []
            instead = [instead] if isinstance(instead, str) else instead
            lines.append(
                f'- "{use}"' + (" instead of " + ", ".join(f'"{w}"' for w in instead) if instead else "")
            )
    avoid = _get(glossary, "avoid")
    if avoid:
        lines.append("Avoid: " + ", ".join(f'"{word}"' for word in avoid))
    return "\n".join(lines) or "(empty glossary)"


def _text(value: Any) -> str:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) or not value["text"].strip():
        raise ValueError('expected an object {"text": "<the rewritten text>"}')
    return value["text"].strip()


def rewrite(chat: ChatModel, text: str, glossary: Any = None) -> str | None:
    """The text in the glossary's language; None when the LLM failed (reason logged): rewrite offline."""
    sent = redact(text)
    messages = prompting.render("rewrite", text=sent.text, glossary=glossary_text(glossary))
    return complete_json(chat, messages, REWRITE_SCHEMA, _text, purpose="rewrite", redactions=sent.count)
