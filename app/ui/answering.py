"""The Ask page's answer as Markdown: its text escaped (nothing in it links, fetches or formats), and each citation
marker, [n] or [evidence id], a link to citation n in the list under the answer: an anchor on the page itself."""

from __future__ import annotations

import re
from typing import Any

from app.ui.safe import md

MARKER = re.compile(r"\[(\d+|[a-z]+:[^\]\s,;]+)\]")


def anchor(message: int, number: int) -> str:
    """The id of citation `number` under the chat's message `message` (unique on the page)."""
    return f"citation-{message}-{number}"


def linked(text: str, citations: list[dict[str, Any]], message: int) -> str:
    """`text` escaped, with each marker of a citation in `citations` linked to it; other brackets stay text."""
    numbers = {str(n): n for n in range(1, len(citations) + 1)}
    for n, cited in reversed(list(enumerate(citations, 1))):
        numbers.setdefault(str(cited.get("id", "")), n)
    out: list[str] = []
    done = 0
    for marker in MARKER.finditer(text):
        number = numbers.get(marker.group(1))
        if number is None:
            continue
        out += [md(text[done : marker.start()]), f"[{md(marker.group(0))}](#{anchor(message, number)})"]
        done = marker.end()
    return "".join([*out, md(text[done:])])
