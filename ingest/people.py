"""People and bots: one rule, used by every connector, by units of work and by metrics.

A bot is recognised by structure, never by a list of names grown from one dataset:
- GitHub's own markers: a `[bot]` login or name (`dependabot[bot]`, `pre-commit-ci[bot]`), an `app/<slug>`
  login (`gh` prints apps that way), `is_bot: true`, or `type: "Bot"` on a user object;
- the noreply address GitHub gives apps (`<id>+<slug>[bot]@users.noreply.github.com`);
- a login or name that ends in a separate `bot` word (`renovate-bot`, `snyk_bot`, `Release Bot`).
"""

from __future__ import annotations

import re
from typing import Any

_BOT_WORD = re.compile(r"(?:^|[\s._-])bot$", re.IGNORECASE)
_NAME_EMAIL = re.compile(r"^(.*?)\s*<([^>]*)>\s*$")


def is_bot(who: str | None) -> bool:
    """True for an account that is a bot: a name, a login, an email or "Name <email>"."""
    text = (who or "").strip()
    if not text:
        return False
    match = _NAME_EMAIL.match(text)
    parts = [match.group(1), match.group(2)] if match else [text]
    for part in parts:
        lower = part.strip().casefold()
        if not lower:
            continue
        if "[bot]" in lower or lower.startswith("app/"):
            return True
        local = lower.split("@", 1)[0] if "@" in lower else lower
        if _BOT_WORD.search(local):
            return True
    return False


def is_bot_user(user: Any) -> bool:
    """True for a user object from an API or an export: `is_bot`, `type == "Bot"`, or a bot login/name."""
    if isinstance(user, str):
        return is_bot(user)
    if not isinstance(user, dict):
        return False
    if user.get("is_bot") is True or str(user.get("type") or "").casefold() == "bot":
        return True
    return any(is_bot(str(user.get(key) or "")) for key in ("login", "name", "username", "email"))


def humans(names: list[str]) -> list[str]:
    """The names that are people, in order, without bots and duplicates."""
    return [n for n in dict.fromkeys(names) if n and not is_bot(n)]
