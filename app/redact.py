"""Secret redaction: every text bound for an LLM endpoint passes through `redact` first.

Patterns only (no model download): provider API keys (OpenAI `sk-`, AWS `AKIA...`, GitHub `ghp_`/`gho_`/
`github_pat_`, Slack `xoxb-`/`xoxp-`, Google `AIza...`), bearer tokens, JWTs, `password=`/`pwd:` values,
whole PEM private-key blocks (header, body and footer; a block cut short by a snippet is redacted to its
last base64 line), credentials in connection strings (`postgres://user:pass@host` keeps the scheme and
host) and high-entropy values after the words token/secret/key.

Endpoints on this machine (127.0.0.1, localhost, ::1) are redacted too, by default: one rule for every
endpoint is simpler to reason about, and a "local" URL can be a tunnel to somewhere else. Each secret becomes
`[REDACTED:<kind>]`; redacting redacted text finds nothing more.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MARK = "[REDACTED:{kind}]"
_NOT_MARK = r"(?!\[REDACTED)"


@dataclass(frozen=True)
class Redacted:
    text: str
    count: int


def _whole(kind: str) -> Callable[[re.Match[str]], str]:
    return lambda match: MARK.format(kind=kind)


def _keep_label(kind: str) -> Callable[[re.Match[str]], str]:
    """Keep group 1 (the label, e.g. `password=`), redact the rest of the match."""
    return lambda match: match.group(1) + MARK.format(kind=kind)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _high_entropy(match: re.Match[str]) -> str | None:
    value = match.group(2)
    if entropy(value) < 3.2 or not re.search(r"\d", value) or not re.search(r"[A-Za-z]", value):
        return None
    return match.group(1) + MARK.format(kind="secret")


_PEM_HEAD = r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
_PEM_TAIL = r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"

# (pattern, replacement): the replacement returns None to leave a match alone. Order matters: whole blocks
# and URLs first, so a key inside them is counted once.
RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    (re.compile(_PEM_HEAD + r"[\s\S]*?" + _PEM_TAIL), _whole("private-key")),
    (re.compile(_PEM_HEAD + r"(?:(?:\r?\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info):[^\r\n\\]*)[ \t]*"
                r"(?=\r?\n|\\n|\Z|[\"']))*"), _whole("private-key")),  # a block cut off by a snippet
    (re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)" + _NOT_MARK + r"[^\s:/@'\"]+:[^\s@/'\"]+@"),
     lambda m: m.group(1) + MARK.format(kind="credentials") + "@"),
    (re.compile(r"\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}"), _whole("api-key")),
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b"), _whole("aws-key")),
    (re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
     _whole("github-token")),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), _whole("slack-token")),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), _whole("google-key")),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), _whole("jwt")),
    (re.compile(r"(?i)(\bbearer\s+)" + _NOT_MARK + r"[A-Za-z0-9._~+/-]{16,}=*"), _keep_label("bearer-token")),
    (re.compile(r"(?i)(\b[\w-]*(?:password|passwd|passphrase|pwd)\b[\"']?\s*(?:[:=]|=>)\s*)" + _NOT_MARK
                + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s,;&]+)"), _keep_label("password")),
    (re.compile(r"(?i)(\b[\w-]*(?:token|secret|key|credential)s?\b[\"']?\s*(?:[:=]|=>|\bis\b)?\s*[\"']?)"
                + _NOT_MARK + r"([A-Za-z0-9_+/=.-]{16,})"), _high_entropy),
]


def redact(text: str) -> Redacted:
    """Replace every secret in `text` with a `[REDACTED:<kind>]` marker; also say how many there were."""
    count = 0
    for pattern, replace in RULES:

        def substitute(match: re.Match[str], replace: Callable[[re.Match[str]], str | None] = replace) -> str:
            nonlocal count
            replacement = replace(match)
            if replacement is None:
                return match.group(0)
            count += 1
            return replacement

        text = pattern.sub(substitute, text)
    return Redacted(text, count)


def redact_all(texts: Iterable[str]) -> tuple[list[str], int]:
    """Redact several texts; returns them in order and the total number of secrets removed."""
    results = [redact(text) for text in texts]
    return [r.text for r in results], sum(r.count for r in results)


def redact_messages(messages: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """Chat messages with every `content` redacted (the adapter's last line of defence)."""
    total = 0
    clean = []
    for message in messages:
        result = redact(message.get("content") or "")
        total += result.count
        clean.append({**message, "content": result.text})
    return clean, total
