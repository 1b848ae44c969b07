"""Connect page: who you are (the first thing to record: every source matches it exactly) and a panel per
service (GitHub, GitLab, Jira Cloud, Linear) with what its live sync lacks, a token kept in the OS keyring,
and a sync into the current workspace."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from app import usecases
from app.ui import context
from app.ui.errors import guard
from app.ui.safe import md
from ingest.identity import SERVICES as LOGIN_KINDS
from ingest.identity import Identity, load_identity, save_identity, update
from ingest.live import services
from ingest.live.http import SyncError
from ingest.live.sync import save_token
from ingest.sources import SourceOptions, UsageError

LABELS = {
    "github": "GitHub login",
    "gitlab": "GitLab username",
    "jira": "Jira accountId (or Data Center username)",
    "linear": "Linear name or email",
}

ctx = context.current()
st.title("Connect")
if flash := st.session_state.pop("connect_flash", None):
    st.success(md(flash), icon=":material/check_circle:")


@contextlib.contextmanager
def said_plainly() -> Iterator[None]:
    """A sync's own errors already say what to do: shown as they are, not as a failure to report."""
    try:
        yield
    except SyncError as exc:
        raise UsageError(str(exc)) from None


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def identity_step(identity: Identity) -> None:
    st.subheader("Who you are")
    if identity.is_empty():
        st.warning(
            "First, say who you are. Until you do, every item you ingest is taken as yours, teammates' "
            "tickets and pull requests included.",
            icon=":material/person_alert:",
        )
    st.caption(
        "Every source matches these exactly (no partial names): `dan` never matches `jordan-lee`. "
        "Separate several values with commas." + (" Kept for your account only." if ctx.user else "")
    )
    with st.form("identity_form"):
        names = st.text_input("Names", value=", ".join(identity.names), placeholder="Maya Chen, M. Chen")
        emails = st.text_input("Emails", value=", ".join(identity.emails), placeholder="maya@example.com")
        logins = {
            kind: st.text_input(LABELS[kind], value=", ".join(identity.logins.get(kind, [])))
            for kind in LOGIN_KINDS
        }
        saved = st.form_submit_button("Save who I am", type="primary")
    if saved:
        with guard("save who you are"):
            values = {"names": _split(names), "emails": _split(emails)} | {
                k: _split(v) for k, v in logins.items()
            }
            fresh = update(Identity(), {k: v for k, v in values.items() if v}, [])
            path = save_identity(ctx.home, fresh, ctx.user)
            st.session_state["connect_flash"] = f"Saved to {path}. Ingest again to apply it to what you have."
            st.rerun()


def sync_now(name: str, identity: Identity, full: bool) -> None:
    with (
        guard(f"sync {services.service(name).title}"),
        said_plainly(),
        st.spinner("Fetching and ingesting..."),
    ):
        fetched = services.sync(ctx.home, ctx.workspace, name, identity, full=full)
        options = SourceOptions(identity=fetched["identity"])
        report = usecases.ingest(
            ctx.settings, fetched["kind"], [fetched["folder"]], options, name=ctx.workspace
        )
        skipped = len(report.skipped) + len(fetched["skipped"])
        since = f"changes since {fetched['since']:%Y-%m-%d %H:%M} UTC" if fetched["since"] else "everything"
        st.session_state["connect_flash"] = (
            f"{services.service(name).title}: fetched {since}; {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {skipped} skipped. {options.tally.get('yours', 0)} items are yours."
        )
        st.rerun()


def service_panel(name: str, identity: Identity) -> None:
    chosen = services.service(name)
    status = services.status(ctx.home, ctx.workspace, name, identity)
    ready = "ready" if not status.missing else "needs " + ", ".join(status.missing)
    with st.expander(f"{chosen.title}: {ready}", expanded=False):
        token = {"environment": "from the environment", "keyring": "in the OS keyring", "": "none"}[
            status.token
        ]
        last = f"{status.last_sync:%Y-%m-%d %H:%M} UTC" if status.last_sync else "never"
        st.markdown(
            md(
                f"Token: {token}. {chosen.login.capitalize() or 'Who you are'}: "
                f"{status.login or ('from the token' if not chosen.login else 'not recorded')}. "
                f"Last sync: {last}."
            )
        )
        if chosen.where:
            st.caption(md(f"Create a token at {chosen.where}. The token is never shown or logged."))
        if ctx.user:
            st.info(
                "Signed in to a shared server: tokens here would be shared with its other users. Run "
                f"`selfreview sync {name}` on your own machine instead.",
                icon=":material/lock:",
            )
            return
        with st.form(f"token_{name}"):
            value = st.text_input("Token", type="password", key=f"token_value_{name}")
            if st.form_submit_button("Keep it in the OS keyring"):
                with guard("keep the token"), said_plainly():
                    save_token(name, value)
                    st.session_state["connect_flash"] = f"{chosen.title} token kept in the OS keyring."
                    st.rerun()
        full = st.checkbox("Fetch everything, not only changes since the last sync", key=f"full_{name}")
        if st.button(
            f"Sync {chosen.title} now", key=f"sync_{name}", disabled=bool(status.missing), type="primary"
        ):
            sync_now(name, identity, full)


with guard("read who you are"):
    identity = load_identity(ctx.home, ctx.user)
    identity_step(identity)
    st.subheader("Services")
    st.caption(
        md(
            f"A sync fetches your work with a read-only token and ingests it into {ctx.label}; a second "
            "sync asks only for what changed."
        )
    )
    for service_name in services.SERVICES:
        service_panel(service_name, identity)
