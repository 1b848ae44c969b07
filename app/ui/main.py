"""The selfreview browser UI: navigation, the workspace switcher and a plain statement of the mode."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.ui import autosave, context, ingest_status
from app.ui.safe import md

PAGES = Path(__file__).resolve().parent / "views"
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"  # served by this server: no icon font fetched


def sidebar(ctx: context.UIContext) -> None:
    with st.sidebar:
        names = ctx.workspaces()
        if ctx.workspace not in names:
            names = [ctx.workspace, *names]
        st.selectbox(
            "Workspace",
            names,
            key="workspace",
            format_func=lambda n: context.display_name(n, ctx.user),
            help="Each workspace is a separate evidence store. Create or delete them on the Evidence page.",
        )
        st.caption(context.mode_statement(ctx.settings))
        ingest_status.sidebar(ctx)
        if ctx.user:
            st.caption(f"Signed in as {md(st.user.get('email', ''))}")
            st.button("Log out", on_click=st.logout)


def login_gate() -> None:
    """With [auth] in .streamlit/secrets.toml, nobody sees anything before signing in."""
    if context.auth_configured() and not context.current_user():
        st.title("selfreview")
        st.write("Sign in to see your workspaces. Each account sees only its own evidence and drafts.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()


def main() -> None:
    st.set_page_config(page_title="selfreview", page_icon=str(ICON), layout="wide")
    login_gate()
    ctx = context.current()
    pages = [
        st.Page(PAGES / "evidence.py", title="Evidence", icon=":material/inventory_2:", default=True),
        st.Page(PAGES / "connect.py", title="Connect", icon=":material/link:"),
        st.Page(PAGES / "draft.py", title="Draft", icon=":material/edit_note:"),
        st.Page(PAGES / "ask.py", title="Ask", icon=":material/forum:"),
        st.Page(PAGES / "rewrite.py", title="Rewrite", icon=":material/translate:"),
        st.Page(PAGES / "settings.py", title="Settings", icon=":material/settings:"),
    ]
    page = st.navigation(pages)
    sidebar(ctx)
    autosave.install()
    page.run()


main()
