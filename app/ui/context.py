"""What every page needs: settings, the signed-in user, the current workspace and its cached search index.

Heavy objects (the workspace's ledger connection, its search index and embedder) live in `st.cache_resource`,
which Streamlit shares across every session: each cache key therefore holds the data directory, the workspace
and the signed-in user. Only `st.session_state` is per browser session.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app import usecases
from app.search import HybridSearch
from app.settings import Settings, egress_home, load
from app.ui.safe import md
from ingest.layout import NAME, WorkspacePaths

USER_SEPARATOR = "--"  # "<user-slug>--<workspace>" when signed in; plain names are for local use


@dataclass
class UIContext:
    settings: Settings
    user: str  # slug of the signed-in user's email, "" when nobody is signed in
    workspace: str  # the full workspace name (with the user prefix when signed in)

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def paths(self) -> WorkspacePaths:
        """Every file and folder the current workspace owns."""
        return WorkspacePaths(self.home, self.workspace)

    @property
    def label(self) -> str:
        return display_name(self.workspace, self.user)

    def workspaces(self) -> list[str]:
        return user_workspaces(self.settings, self.user)

    def own_files(self, kind: str) -> Path:
        """Where this user's uploaded ladders or glossaries live: shared locally, per user when signed in."""
        return self.home / "users" / self.user / kind if self.user else self.home / kind

    def chat(self) -> object | None:
        """The LLM client for this user (None offline)."""
        return chat_model(self.settings, self.user)

    @property
    def egress_home(self) -> Path:
        return egress_home(self.home, self.user)

    def exists(self) -> bool:
        return self.workspace in usecases.workspaces(self.settings)

    def index(self) -> HybridSearch | None:
        """The workspace's search index, or None while the workspace holds nothing yet."""
        if not self.exists():
            return None
        s = self.settings
        return _open_index(
            str(s.home),
            self.workspace,
            self.user,
            s.chroma_url,
            s.embedding,
            s.embedding_model,
            s.openai_base_url,
            _settings=s,
        )


def mode_statement(settings: Settings) -> str:
    if settings.mode == "offline":
        embeddings = "fake test embeddings" if settings.embedding == "fake" else "local embeddings"
        return f"Offline mode: {embeddings} and the deterministic drafter; no data leaves this machine"
    endpoint = settings.openai_base_url or "https://api.openai.com/v1"
    return md(f"LLM: {settings.chat_model} at {endpoint}")


# --- users -----------------------------------------------------------------------------------------------


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return False


def current_user() -> str:
    """The signed-in user's slug (see user_slug), or "" when st.login is not in use."""
    try:
        if st.user.is_logged_in:
            return user_slug(str(st.user.get("email") or st.user.get("sub") or "user"))
    except Exception:  # noqa: BLE001 - no auth configured
        return ""
    return ""


def user_slug(identity: str) -> str:
    """A readable, collision-free folder prefix for a signed-in user: "maya-example-com-1f2e3d4c5b".

    The readable part alone would let "a.b@x.com" and "a-b@x.com" share workspaces; the digest of the whole
    identity keeps them apart, and the prefix stays short enough for a workspace name (63 characters)."""
    key = identity.strip().lower()
    readable = re.sub(r"[^a-z0-9]+", "-", key)[:20].strip("-") or "user"
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def full_name(name: str, user: str) -> str:
    return f"{user}{USER_SEPARATOR}{name}" if user else name


def display_name(name: str, user: str) -> str:
    prefix = f"{user}{USER_SEPARATOR}"
    return name[len(prefix) :] if user and name.startswith(prefix) else name


def user_workspaces(settings: Settings, user: str) -> list[str]:
    """Workspaces this user may see: their own when signed in; the unprefixed ones otherwise."""
    names = usecases.workspaces(settings)
    if user:
        return [n for n in names if n.startswith(f"{user}{USER_SEPARATOR}")]
    return [n for n in names if USER_SEPARATOR not in n]


def check_new_name(name: str, user: str = "") -> str | None:
    """What is wrong with a new workspace name, or None when it is usable."""
    if not name:
        return "Type a name for the workspace."
    if USER_SEPARATOR in name:
        return f"A workspace name cannot contain '{USER_SEPARATOR}'."
    longest = 63 - len(full_name("", user))
    if not NAME.match(full_name(name, user)):
        return (
            f"Use letters, digits, '.', '_' or '-' (up to {longest} characters, starting with a letter or"
            " digit)."
        )
    return None


# --- the current context -----------------------------------------------------------------------------------


def current() -> UIContext:
    """Settings, user and workspace for this run. The chosen workspace is kept in session state."""
    settings = load()
    user = current_user()
    names = user_workspaces(settings, user)
    default = full_name(settings.workspace, user)
    chosen = st.session_state.get("workspace")
    if chosen not in names:  # first run, a deleted workspace, or another user's name
        chosen = default if default in names or not names else names[0]
    if st.session_state.get("workspace") != chosen:  # (never after the sidebar's switcher is drawn)
        st.session_state["workspace"] = chosen
    return UIContext(settings, user, chosen)


# --- cached heavy objects -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=16)
def _open_index(
    home: str,
    workspace: str,
    user: str,
    chroma_url: str,
    embedding: str,
    embedding_model: str,
    base_url: str,
    _settings: Settings,
) -> HybridSearch:
    """One read-side index per (home, workspace, user, backend) across all sessions. Streamlit runs each rerun
    in its own thread, so its ledger is shared across threads; writes go through the use cases, which open
    the workspace in the writing thread."""
    return usecases.open_index(_settings, workspace, shared=True)


def forget_workspace(ctx: UIContext, name: str) -> None:
    """Close and drop the cached index of `name` (before deleting it), and every other cached index."""
    if name in usecases.workspaces(ctx.settings):
        s = ctx.settings
        cached = _open_index(
            str(s.home),
            name,
            ctx.user,
            s.chroma_url,
            s.embedding,
            s.embedding_model,
            s.openai_base_url,
            _settings=s,
        )
        cached.workspace.ledger.close()
    _open_index.clear()


@st.cache_resource(show_spinner=False, max_entries=8)
def _chat_model(base_url: str, model: str, key_digest: str, user: str, _settings: Settings) -> object:
    from app.llm import chat_from_settings

    chat = chat_from_settings(_settings)
    if chat is not None:  # each signed-in user's requests go to their own egress log
        chat.egress_home = egress_home(_settings.home, user)  # type: ignore[attr-defined]
    return chat


def chat_model(settings: Settings, user: str = "") -> object | None:
    """The operator's LLM client in LLM mode (one per user, for their own egress log); None offline."""
    if settings.mode != "llm":
        return None
    digest = hashlib.sha256(settings.openai_api_key.encode()).hexdigest()
    return _chat_model(settings.openai_base_url, settings.chat_model, digest, user, _settings=settings)
