"""Secret redaction: every text bound for an LLM or embeddings endpoint passes through `redact` first.

Patterns only (no model download), from two places:
- detect-secrets' maintained provider patterns (AWS, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, npm, PyPI,
  Azure storage, Discord, Telegram, JWT, ...), compiled once. Its keyword and entropy scanners are not used: on
  plain work text they flag ordinary words and ids ("PAY-142", "latency"); its public-IP pattern is no secret.
- our own, for what it misses or cuts short: whole PEM private-key blocks (header, body and footer; a block cut
  short by a snippet is redacted to its last base64 line; detect-secrets catches only the header), credentials
  in any `scheme://user:pass@host` (empty user, a password holding `@` or `/`), Slack / Discord / Teams webhook
  URLs, `password=` / "the password is X", bearer and basic auth headers, OpenAI and Google keys, and
  high-entropy values after the words token/secret/key.

Each secret becomes `[REDACTED:<kind>]` (a placeholder, so the model still reads a sentence); numbers and ids
("38%", "PAY-142", "#412") are left alone; redacting redacted text finds nothing more. Endpoints on this machine
are redacted for too: one rule for every endpoint, and a "local" URL can be a tunnel to somewhere else.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MARK = "[REDACTED:{kind}]"
_NOT_MARK = r"(?!\[REDACTED)"
Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]


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
_PASSWORD = r"(?:password|passwd|passphrase|passcode|pwd)"

# (pattern, replacement): the replacement returns None to leave a match alone. Order matters: whole blocks
# and URLs first, so a key inside them is counted once.
RULES: list[Rule] = [
    (re.compile(_PEM_HEAD + r"[\s\S]*?" + _PEM_TAIL), _whole("private-key")),
    (
        re.compile(
            _PEM_HEAD + r"(?:(?:\r?\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info):[^\r\n\\]*)[ \t]*"
            r"(?=\r?\n|\\n|\Z|[\"']))*"
        ),
        _whole("private-key"),
    ),  # a block cut off by a snippet
    (
        re.compile(r"\bPuTTY-User-Key-File-\d+:[^\n]*(?:\n[A-Za-z-]+:[^\n]*|\n[A-Za-z0-9+/=]{16,})*"),
        _whole("private-key"),
    ),
    (
        re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]+"),
        _whole("slack-webhook"),
    ),
    (
        re.compile(r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]+"),
        _whole("discord-webhook"),
    ),
    (re.compile(r"https://[\w.-]+\.webhook\.office\.com/[^\s'\"<>)]+"), _whole("teams-webhook")),
    # Userinfo runs to the last `@` of the URL, so a password holding `@` or `/` goes whole; the user may be empty.
    (
        re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)" + _NOT_MARK + r"[^\s/@'\"<>]*:[^\s'\"<>]*@(?=[\w\[])"),
        lambda m: m.group(1) + MARK.format(kind="credentials") + "@",
    ),
    (re.compile(r"\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}"), _whole("api-key")),
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b"), _whole("aws-key")),
    (
        re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
        _whole("github-token"),
    ),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), _whole("slack-token")),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), _whole("google-key")),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), _whole("jwt")),
    (re.compile(r"(?i)(\bbearer\s+)" + _NOT_MARK + r"[A-Za-z0-9._~+/-]{16,}=*"), _keep_label("bearer-token")),
    (
        re.compile(
            r"(?i)(\bauthorization\b[\"']?\s*[:=]\s*[\"']?basic\s+)" + _NOT_MARK + r"[A-Za-z0-9+/]{8,}={0,2}"
        ),
        _keep_label("basic-auth"),
    ),
    (
        re.compile(
            r"(?i)(\b[\w-]*"
            + _PASSWORD
            + r"\b[\"']?\s*(?:[:=]|=>)\s*)"
            + _NOT_MARK
            + r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s,;&]+)"
        ),
        _keep_label("password"),
    ),
    # "the password for prod is X", "changed the password to X": X is quoted, or holds more than lowercase
    # letters (so "the password is rotated monthly" stays as it is).
    (
        re.compile(
            r"(?i)(\b"
            + _PASSWORD
            + r"\b(?:\s+[\w.-]+){0,4}?\s+(?:is|was|to)\s+)"
            + _NOT_MARK
            + r"(?:\"[^\"\n]+\"|'[^'\n]+'|“[^”\n]+”|(?-i:(?=[^\s,;]*[^a-z\s,;])[^\s,;]+?))"
            r"(?=[\s,;]|[.!?]?(?:\s|$))"
        ),
        _keep_label("password"),
    ),
    (
        re.compile(
            r"(?i)(\b[\w-]*(?:token|secret|key|credential)s?\b[\"']?\s*(?:[:=]|=>|\bis\b)?\s*[\"']?)"
            + _NOT_MARK
            + r"([A-Za-z0-9_+/=.-]{16,})"
        ),
        _high_entropy,
    ),
]

# detect-secrets patterns that are not secrets, or that our own rules above already handle better.
_SKIPPED_DETECTORS = frozenset(
    {"Public IP (ipv4)", "Private Key", "Basic Auth Credentials", "JSON Web Token"}
)


@functools.cache
def maintained_rules() -> list[Rule]:
    """detect-secrets' provider patterns (imported on first use: offline drafts never pay for it)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector

    rules: list[Rule] = []
    plugin: Any
    for secret_type, plugin in sorted(get_mapping_from_secret_type_to_class().items()):
        if secret_type in _SKIPPED_DETECTORS or not issubclass(plugin, RegexBasedDetector):
            continue
        kind = re.sub(r"[^a-z0-9]+", "-", secret_type.lower()).strip("-")
        for pattern in plugin().denylist:
            rules.append((pattern, functools.partial(_just_the_secret, kind=kind)))
    return rules


def _just_the_secret(match: re.Match[str], kind: str) -> str | None:
    """Redact the captured secret (or the match without the quotes and spaces around it), keep the rest."""
    whole = match.group(0)
    if "[REDACTED" in whole:
        return None
    if (
        match.re.groups and len(match.group(1) or "") >= 12
    ):  # group 1 is the secret, not a prefix like "glpat"
        start, end = match.span(1)
    else:
        start = match.start() + len(whole) - len(whole.lstrip(" \t\r\n=:\"'"))
        end = match.end() - (len(whole) - len(whole.rstrip(" \t\r\n\"'")))
    offset = match.start()
    return whole[: start - offset] + MARK.format(kind=kind) + whole[end - offset :]


def redact(text: str) -> Redacted:
    """Replace every secret in `text` with a `[REDACTED:<kind>]` marker; also say how many there were."""
    count = 0
    for pattern, replace in [*RULES[:-1], *maintained_rules(), RULES[-1]]:

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
