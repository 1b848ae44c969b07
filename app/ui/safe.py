"""Evidence and model text as text: escape Markdown so no link, image, HTML or directive in it takes effect.

Streamlit renders `st.markdown`, `st.write_stream` and widget labels as Markdown. A note containing
`![](https://attacker/x.png)` would make the browser fetch that address, so every piece of text that came
from evidence, a file or a model goes through `md()` (or is shown with `st.text`/`st.code`/a text widget).
Backslash escapes are not enough for two of Streamlit's rules, which read the text after escapes are
undone: bare URLs and e-mail addresses become links, and `:material/name:` becomes an icon. An invisible
word joiner (U+2060) inside each such pattern keeps them as the characters they are.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them turns off
# emphasis, links, images, autolinks, HTML, code spans, tables, math ($) and Streamlit's :color[...] directives.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=^])")
JOINER = "\u2060"  # WORD JOINER: zero width, not shown, not copied as a space
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])|(?=@)")
_SHORTCODE = re.compile(r"(?<=:)(?=[A-Za-z_][\w+-]*(?:/[\w-]+)?:)")


def md(text: object) -> str:
    """`text` escaped for Markdown: it renders as exactly these characters, nothing is fetched or linked."""
    plain = _AUTOLINK.sub(lambda found: (found.group(1) or "") + JOINER, str(text))
    plain = _SHORTCODE.sub(JOINER, plain)
    escaped = _PUNCTUATION.sub(r"\\\1", plain)
    # A line break inside a label or paragraph stays a break; no line can start a block (list, quote, heading).
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def one_line(text: object, limit: int = 120) -> str:
    """Collapse whitespace and cut at a word boundary: for labels and table cells (not yet escaped)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def safe_url(url: object) -> str:
    """The url if it is http(s) and well formed, percent-encoding anything that could end a Markdown link; else ""."""
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(text, safe=":/?#[]@!$&'*+,;=%~-._")


def link(label: object, url: object) -> str:
    """A Markdown link with an escaped label to a checked http(s) url; just the escaped label otherwise."""
    target = safe_url(url)
    if not target:
        return md(label)
    target = target.replace("(", "%28").replace(")", "%29").replace("[", "%5B").replace("]", "%5D")
    return f"[{md(label)}]({target})"
