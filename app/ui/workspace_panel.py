"""Create, switch and delete workspaces (deleting asks for the name to be typed again)."""

from __future__ import annotations

import streamlit as st

from app import usecases
from app.ui import context
from app.ui.errors import message_for
from app.ui.safe import md


def render(ctx: context.UIContext) -> None:
    for kind, text in st.session_state.pop("workspace_flash", []):
        (st.success if kind == "ok" else st.error)(md(text))
    names = ctx.workspaces()
    left, right = st.columns(2)
    with left:
        st.markdown("**Your workspaces**")
        for name in names:
            row = st.columns([3, 1])
            current = " (current)" if name == ctx.workspace else ""
            row[0].markdown(md(context.display_name(name, ctx.user) + current))
            row[1].button(
                "Switch", key=f"ws_switch_{name}", disabled=bool(current), on_click=_switch, args=(name,)
            )
        if not names:
            st.caption("None yet: ingest evidence or create one.")
        st.text_input("New workspace name", key="ws_new_name", placeholder="review-2026")
        st.button("Create workspace", key="ws_create", on_click=_create, args=(ctx,))
    with right:
        st.markdown("**Delete a workspace**")
        if not names:
            st.caption("Nothing to delete.")
            return
        target = st.selectbox(
            "Workspace to delete",
            names,
            key="ws_delete_target",
            format_func=lambda n: context.display_name(n, ctx.user),
        )
        label = context.display_name(target, ctx.user)
        st.caption(
            md(
                f"This deletes every evidence item, saved draft and chat of '{label}' from this machine. "
                "The source files are not touched. Type the name to confirm."
            )
        )
        st.text_input("Type the workspace name to confirm", key="ws_delete_confirm")
        st.button("Delete workspace", key="ws_delete", type="primary", on_click=_delete, args=(ctx, target))


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault("workspace_flash", []).append((kind, text))


def _switch(name: str) -> None:
    st.session_state["workspace"] = name


def _create(ctx: context.UIContext) -> None:
    name = (st.session_state.get("ws_new_name") or "").strip()
    problem = context.check_new_name(name, ctx.user)
    full = context.full_name(name, ctx.user)
    if problem is None and full in ctx.workspaces():
        problem = f"A workspace named '{name}' already exists: switch to it instead."
    if problem:
        _flash("error", problem)
        return
    try:
        usecases.create_workspace(ctx.settings, full)
    except Exception as exc:  # noqa: BLE001 - shown as a message
        _flash("error", message_for(f"create the workspace '{name}'", exc))
        return
    st.session_state["workspace"] = full
    st.session_state["ws_new_name"] = ""
    _flash("ok", f"Created workspace '{name}' and switched to it. Add evidence below.")


def _delete(ctx: context.UIContext, name: str) -> None:
    label = context.display_name(name, ctx.user)
    if (st.session_state.get("ws_delete_confirm") or "").strip() != label:
        _flash(
            "error", f"Nothing deleted: type '{label}' exactly in the confirmation box, then click Delete."
        )
        return
    try:
        context.forget_workspace(ctx, name)
        usecases.delete_workspace(ctx.settings, name)  # its drafts, chat, uploads, history and sync pages too
    except Exception as exc:  # noqa: BLE001 - shown as a message
        _flash("error", message_for(f"delete the workspace '{label}'", exc))
        return
    st.session_state.get("ingest_reports", {}).pop(name, None)
    st.session_state["ws_delete_confirm"] = ""
    if st.session_state.get("workspace") == name:
        remaining = [n for n in ctx.workspaces() if n != name]
        st.session_state["workspace"] = (
            remaining[0] if remaining else context.full_name(ctx.settings.workspace, ctx.user)
        )
    _flash("ok", f"Deleted workspace '{label}'.")
