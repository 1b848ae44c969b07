"""Settings, defined once: environment variables first, then `selfreview.toml` in the data directory."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def default_home() -> Path:
    if env := os.environ.get("SELFREVIEW_HOME"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "selfreview"


@dataclass
class Settings:
    home: Path = field(default_factory=default_home, metadata={"help": "data directory (SELFREVIEW_HOME)"})
    chroma_url: str = field(
        default="", metadata={"help": "Chroma server http://host:port (SELFREVIEW_CHROMA_URL)"}
    )
    workspace: str = field(default="default", metadata={"help": "workspace (one Chroma collection)"})
    embedding: str = field(
        default="local", metadata={"help": "embedding backend: local | local-float | openai | fake"}
    )
    embedding_model: str = field(
        default="text-embedding-3-small", metadata={"help": "model for the openai embedding backend"}
    )
    openai_api_key: str = field(default="", metadata={"help": "API key (OPENAI_API_KEY, environment only)"})
    openai_base_url: str = field(
        default="", metadata={"help": "OpenAI-compatible endpoint (OPENAI_BASE_URL)"}
    )
    chat_model: str = field(
        default="gpt-4o-mini", metadata={"help": "chat model name (SELFREVIEW_CHAT_MODEL)"}
    )
    llm_timeout: float = field(default=60.0, metadata={"help": "seconds before an LLM request times out"})
    llm_retries: int = field(default=3, metadata={"help": "retries on 429, 5xx and timeouts"})

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_base_url or self.openai_api_key)

    @property
    def mode(self) -> str:
        return "llm" if self.llm_configured else "offline"


_ENV = {
    "chroma_url": "SELFREVIEW_CHROMA_URL",
    "workspace": "SELFREVIEW_WORKSPACE",
    "embedding": "SELFREVIEW_EMBEDDING",
    "embedding_model": "SELFREVIEW_EMBEDDING_MODEL",
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "chat_model": "SELFREVIEW_CHAT_MODEL",
    "llm_timeout": "SELFREVIEW_LLM_TIMEOUT",
    "llm_retries": "SELFREVIEW_LLM_RETRIES",
}
_SECRET = {"openai_api_key"}


def load(**overrides: object) -> Settings:
    """Settings from selfreview.toml under the data directory, then the environment, then `overrides`."""
    settings = Settings()
    config = settings.home / "selfreview.toml"
    values: dict[str, Any] = {}  # TOML values, environment strings and overrides
    if config.is_file():
        with config.open("rb") as handle:
            values.update({k: v for k, v in tomllib.load(handle).items() if k not in _SECRET})
    for name, env in _ENV.items():
        if env in os.environ:
            values[name] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    types = {f.name: f.type for f in fields(Settings)}
    for name, value in values.items():
        if name not in types or name == "home":
            continue
        if types[name] == "float":
            value = float(value)
        elif types[name] == "int":
            value = int(value)
        setattr(settings, name, value)
    return settings


def save(settings: Settings, **changes: object) -> None:
    """Persist non-secret settings to selfreview.toml (the API key stays in the environment)."""
    config = settings.home / "selfreview.toml"
    current: dict[str, object] = {}
    if config.is_file():
        with config.open("rb") as handle:
            current = tomllib.load(handle)
    current.update({k: v for k, v in changes.items() if k not in _SECRET})
    lines = [f"{key} = {_toml_value(value)}" for key, value in sorted(current.items())]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("\n".join(lines) + "\n")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- operator settings and per-user preferences ---------------------------------------------------------------

OPERATOR_FIELDS = (
    "openai_base_url",
    "openai_api_key",
    "chat_model",
    "embedding",
    "embedding_model",
    "chroma_url",
)
"""Where requests and evidence go: set by whoever runs selfreview (environment or selfreview.toml), never by a
user signed in to the browser UI."""

PREFERENCES = {
    "export_ids": (False, "exports carry the evidence ids after each bullet"),
    "export_empty": (False, "exports list criteria that have no bullet yet"),
}


def user_dir(home: Path, user: str) -> Path:
    """A signed-in user's own folder under the data directory ("" = the local user: the data directory)."""
    return home / "users" / user if user else home


def egress_home(home: Path, user: str) -> Path:
    """Where a user's egress log lives: each signed-in user has their own, the local user the shared one."""
    return user_dir(home, user)


def load_preferences(home: Path, user: str) -> dict[str, bool]:
    """The user's preferences (defaults for anything unsaved or unreadable)."""
    values = {name: default for name, (default, _) in PREFERENCES.items()}
    path = user_dir(home, user) / "preferences.toml"
    if path.is_file():
        try:
            saved = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return values
        values.update({k: bool(v) for k, v in saved.items() if k in PREFERENCES})
    return values


def save_preferences(home: Path, user: str, **changes: bool) -> Path:
    """Save preferences under the user's own folder; names other than PREFERENCES are refused."""
    unknown = sorted(set(changes) - set(PREFERENCES))
    if unknown:
        raise ValueError(f"unknown preference(s): {', '.join(unknown)}")
    values = {**load_preferences(home, user), **changes}
    path = user_dir(home, user) / "preferences.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k} = {_toml_value(v)}\n" for k, v in sorted(values.items())), encoding="utf-8")
    return path
