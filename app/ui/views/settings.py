"""Settings page: the operator's LLM endpoint, embedding backend and Chroma; each user's own preferences and
egress log. A user signed in to the UI sees the operator's settings but cannot change or test them elsewhere."""

from __future__ import annotations

import dataclasses
import os

import pandas as pd
import streamlit as st

from app import settings as app_settings
from app import usecases
from app.ui import context, ingest_panel
from app.ui.errors import guard
from app.ui.safe import md
from ingest.layout import workspaces_root

BACKENDS: list[str] = ["local", "local-float", "openai", "fake"]
BACKEND_HELP = {
    "local": "local: all-MiniLM-L6-v2 on this machine, int8 (default; works offline)",
    "local-float": "local-float: the same model in full precision, about half as fast to ingest (works offline)",
    "openai": "openai: the endpoint's embeddings API (evidence text is sent to it)",
    "fake": "fake: hashed words, for tests only (poor search quality)",
}

ctx = context.current()
s = ctx.settings
st.title("Settings")
if flash := st.session_state.pop("settings_flash", None):
    st.success(md(flash), icon=":material/check_circle:")
st.info(context.mode_statement(s), icon=":material/cloud_off:" if s.mode == "offline" else ":material/cloud:")
st.markdown(
    "With no endpoint and no API key selfreview runs **offline**: answers are extracted from your evidence, "
    "drafts are composed by the deterministic drafter from evidence fields and computed metrics, and nothing "
    "leaves this machine. With an endpoint, an LLM writes the prose; every number is still checked against "
    "the evidence, secrets are redacted first, and each request is logged locally (below)."
)


def env_note(field: str) -> None:
    env = app_settings._ENV.get(field)
    if env and env in os.environ:
        st.caption(md(f"{env} is set in the environment: it wins over the value saved here."))


def operator_form() -> None:
    """The local user runs selfreview: they choose where requests and evidence go."""
    with st.form("settings_form"):
        st.subheader("LLM")
        base_url = st.text_input(
            "Endpoint (OpenAI-compatible base URL)",
            value=s.openai_base_url,
            placeholder="http://localhost:11434/v1  (empty: api.openai.com when a key is set)",
        )
        env_note("openai_base_url")
        chat_model = st.text_input("Chat model", value=s.chat_model)
        env_note("chat_model")
        key_state = "set" if s.openai_api_key else "not set"
        st.caption(
            f"The API key comes only from the OPENAI_API_KEY environment variable of the process running "
            f"selfreview (currently {key_state}); it is never saved to a file or shown here, and it is "
            "sent only to the saved endpoint."
        )
        st.subheader("Embeddings")
        embedding = st.selectbox(
            "Embedding backend",
            BACKENDS,
            index=BACKENDS.index(s.embedding) if s.embedding in BACKENDS else 0,
            format_func=lambda b: BACKEND_HELP[b],
        )
        env_note("embedding")
        embedding_model = st.text_input("Embedding model (openai backend only)", value=s.embedding_model)
        st.subheader("Chroma")
        chroma_url = st.text_input(
            "Chroma server URL (empty: embedded store on this machine)",
            value=s.chroma_url,
            placeholder="http://127.0.0.1:8000",
        )
        env_note("chroma_url")
        st.caption(md(f"Embedded store: {workspaces_root(s.home)} (one folder per workspace)."))
        save_col, test_col = st.columns(2)
        save = save_col.form_submit_button("Save settings", type="primary")
        test = test_col.form_submit_button("Test connection")

    changes = {
        "openai_base_url": (base_url or "").strip(),
        "chat_model": (chat_model or "").strip(),
        "embedding": embedding or "local",
        "embedding_model": (embedding_model or "").strip(),
        "chroma_url": (chroma_url or "").strip(),
    }
    if save:
        with guard("save the settings"):
            app_settings.save(s, **changes)
            notes = [f"Saved to {s.home / 'selfreview.toml'}."]
            if embedding != s.embedding:
                notes.append(
                    "The embedding backend changed: embed each existing workspace again (below) before "
                    "searching or drafting it."
                )
            st.session_state["settings_flash"] = " ".join(notes)
            st.rerun()
    if test:
        typed = changes["openai_base_url"]
        # The API key goes only to the saved endpoint: an address typed here but not saved is tried without it.
        key = s.openai_api_key if typed == s.openai_base_url else ""
        trial = dataclasses.replace(
            s, openai_base_url=typed, chat_model=changes["chat_model"], openai_api_key=key
        )
        if key != s.openai_api_key:
            st.caption(
                md(
                    f"{typed} is not the saved endpoint: tested without the API key. Save it first to "
                    "test it with the key."
                )
            )
        test_connection(trial)


def test_connection(trial: app_settings.Settings) -> None:
    if not trial.llm_configured:
        st.info("No endpoint and no OPENAI_API_KEY: offline mode, nothing to connect to.")
        return
    with guard("test the connection"), st.spinner("Asking the endpoint for a short reply…"):
        from app.llm import test_connection as ask_endpoint

        ok, message = ask_endpoint(dataclasses.replace(trial, home=ctx.egress_home))
        (st.success if ok else st.error)(md(message))


def operator_summary() -> None:
    """A signed-in user sees where their requests go, but the operator decides it."""
    st.subheader("Set by the operator")
    endpoint = s.openai_base_url or ("https://api.openai.com/v1" if s.openai_api_key else "none (offline)")
    rows = [
        ("LLM endpoint", endpoint),
        ("Chat model", s.chat_model if s.mode == "llm" else "none (offline)"),
        ("Embedding backend", BACKEND_HELP.get(s.embedding, s.embedding)),
        ("Chroma", s.chroma_url or "embedded store on the selfreview server"),
    ]
    st.table(pd.DataFrame(rows, columns=["setting", "value"]).set_index("setting"))
    st.caption(
        "Only the person running selfreview can change these (environment or selfreview.toml). "
        "Your evidence, drafts, chats and egress log are yours alone."
    )
    if s.mode == "llm" and st.button("Test the operator's connection", key="settings_test_operator"):
        test_connection(s)


if ctx.user:
    operator_summary()
else:
    operator_form()

with st.expander("Your preferences", icon=":material/tune:"):
    preferences = app_settings.load_preferences(ctx.home, ctx.user)
    chosen = {
        name: st.checkbox(text[0].upper() + text[1:], value=preferences[name], key=f"pref_{name}")
        for name, (_, text) in app_settings.PREFERENCES.items()
    }
    if chosen != preferences:
        with guard("save your preferences"):
            app_settings.save_preferences(ctx.home, ctx.user, **chosen)
            st.caption("Saved.")

with st.expander("Embed this workspace again", icon=":material/refresh:"):
    index = ctx.index()
    recorded = index.workspace.ledger.get("embedder") if index is not None else ""
    st.caption(
        md(
            f"Workspace '{ctx.label}' was embedded with {recorded or 'nothing yet'}; the configured "
            f"backend is {s.embedding}. Embedding again reads every item once more."
        )
    )
    if st.button("Embed again with the configured backend", disabled=not ctx.exists()):
        with guard("embed the workspace again"), st.status("Embedding again…") as status:
            context.forget_workspace(ctx, ctx.workspace)
            report = usecases.reembed(s, ingest_panel.StreamlitProgress(), ctx.workspace)
            status.update(label=f"Embedded {report.updated} items again", state="complete")

with st.expander("What was sent to an LLM", icon=":material/outbox:"):
    entries: list[dict] = []
    with guard("read the egress log"):
        from app.egress import read_log

        entries = read_log(ctx.egress_home, 50)
    if not entries:
        st.caption(
            "Nothing has been sent to any LLM endpoint for you."
            if ctx.user
            else "Nothing has been sent to any LLM endpoint from this data directory."
        )
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "time": e.get("time"),
                        "purpose": e.get("purpose"),
                        "endpoint": e.get("endpoint"),
                        "model": e.get("model"),
                        "evidence": ", ".join(e.get("evidence_ids", [])),
                    }
                    for e in entries
                ]
            ),
            hide_index=True,
            width="stretch",
        )
