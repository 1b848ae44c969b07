"""Who the user is: names, emails and per-service logins, stored per data directory, matched exactly.

Matching is exact after normalisation (case folded, whitespace collapsed, `Name <email>` split into its name
and its email, GitHub's noreply address read as its login). A substring is never a match: the alias `dan`
does not match `jordan-lee`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SERVICES = ("github", "gitlab", "jira", "linear")
FILE = "identity.json"
_NAME_EMAIL = re.compile(r"^(.*?)\s*<([^<>]*)>\s*$")
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$")
_USER_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class IdentityError(ValueError):
    """An identity file that cannot be read, or a value that cannot be stored."""


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().strip("\"'").strip().casefold()


def keys_of(who: str) -> set[str]:
    """The normalised forms a person string can be matched by: itself, its name, its email, a noreply login."""
    text = normalize(who)
    if not text:
        return set()
    keys = {text}
    match = _NAME_EMAIL.match(text)
    if match:
        keys |= {part.strip() for part in match.groups() if part.strip()}
    for key in list(keys):
        if key.startswith("@"):
            keys.add(key[1:])
        noreply = _NOREPLY.match(key)
        if noreply:
            keys.add(noreply.group(1))
    return keys


@dataclass
class Identity:
    """The user's names, emails and logins (or account ids) per service."""

    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    logins: dict[str, list[str]] = field(default_factory=dict)  # service -> logins / account ids

    def is_empty(self) -> bool:
        return not (self.names or self.emails or any(self.logins.values()))

    def with_aliases(self, aliases: list[str]) -> Identity:
        """A copy with `--author` values added for one run: an email when it has an @, else a name or login."""
        merged = Identity(list(self.names), list(self.emails), {k: list(v) for k, v in self.logins.items()})
        for alias in aliases:
            alias = alias.strip()
            if not alias:
                continue
            target = merged.emails if "@" in alias and " " not in alias else merged.names
            if alias not in target:
                target.append(alias)
        return merged

    def keys(self, service: str | None = None) -> set[str]:
        """Every normalised alias; logins of `service` only when one is named (all services' otherwise)."""
        found = {normalize(v) for v in [*self.names, *self.emails]}
        for name, values in self.logins.items():
            if service is None or name == service:
                found |= {normalize(v) for v in values}
        found.discard("")
        return found

    def matches(self, who: str, service: str | None = None) -> bool:
        """True when `who` (a name, an email, a login, an account id or "Name <email>") is the user."""
        cache: dict[str | None, set[str]] = self.__dict__.setdefault("_keys", {})
        if service not in cache:
            cache[service] = self.keys(service)
        return bool(keys_of(who) & cache[service])

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any, where: str = FILE) -> Identity:
        if not isinstance(data, dict):
            raise IdentityError(f"{where}: expected a JSON object with names, emails and logins")
        names, emails, logins = data.get("names", []), data.get("emails", []), data.get("logins", {})
        if not _strings(names) or not _strings(emails) or not isinstance(logins, dict):
            raise IdentityError(f"{where}: names and emails must be lists of text, logins an object")
        for service, values in logins.items():
            if service not in SERVICES or not _strings(values):
                raise IdentityError(
                    f"{where}: logins.{service} is not one of {', '.join(SERVICES)} with a list of text"
                )
        return cls(list(names), list(emails), {k: list(v) for k, v in logins.items()})

    def describe(self) -> list[str]:
        """One line per kind of alias, for `selfreview me`."""
        lines = [f"names: {', '.join(self.names) or '-'}", f"emails: {', '.join(self.emails) or '-'}"]
        lines += [f"{service}: {', '.join(self.logins.get(service, [])) or '-'}" for service in SERVICES]
        return lines


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def identity_path(home: Path, user: str = "") -> Path:
    """Where the identity lives: the data directory's, or a signed-in user's (their slug as `user`)."""
    if not user:
        return home / FILE
    if not _USER_KEY.match(user):
        raise IdentityError(f"not a user key: {user!r} (lower-case letters, digits and '-')")
    return home / "users" / user / FILE


def load_identity(home: Path, user: str = "") -> Identity:
    """The stored identity, or an empty one when none was recorded. Raises IdentityError when unreadable."""
    path = identity_path(home, user)
    if not path.is_file():
        return Identity()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IdentityError(
            f"{path}: cannot read the identity ({exc}); fix it or record it again with `selfreview me`"
        ) from exc
    return Identity.from_json(data, str(path))


def save_identity(home: Path, identity: Identity, user: str = "") -> Path:
    """Write the identity atomically; returns its path."""
    path = identity_path(home, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(identity.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def update(identity: Identity, add: dict[str, list[str]], remove: list[str]) -> Identity:
    """`add`: {"names"|"emails"|<service>: values}; `remove`: aliases to drop wherever they are."""
    result = Identity(
        list(identity.names), list(identity.emails), {k: list(v) for k, v in identity.logins.items()}
    )
    for kind, values in add.items():
        if kind not in ("names", "emails", *SERVICES):
            raise IdentityError(f"unknown kind of alias {kind!r}")
        target = getattr(result, kind) if kind in ("names", "emails") else result.logins.setdefault(kind, [])
        for value in values:
            value = value.strip()
            if not value:
                raise IdentityError(f"an empty {kind} value cannot be stored")
            if kind == "emails" and "@" not in value:
                raise IdentityError(f"{value!r} is not an email address")
            if normalize(value) not in {normalize(v) for v in target}:
                target.append(value)
    gone = {normalize(v) for v in remove}
    result.names = [v for v in result.names if normalize(v) not in gone]
    result.emails = [v for v in result.emails if normalize(v) not in gone]
    result.logins = {k: [v for v in vs if normalize(v) not in gone] for k, vs in result.logins.items()}
    result.logins = {k: vs for k, vs in result.logins.items() if vs}
    return result
