"""Evidence page: add evidence (upload or path), what the workspace holds, and workspace management."""

from __future__ import annotations

import streamlit as st

from app.ui import context, evidence_table, ingest_panel, ingest_status, workspace_panel
from app.ui.errors import guard
from app.ui.safe import md

ctx = context.current()
st.title("Evidence")
st.caption(md(f"Workspace: {ctx.label}. Everything you add stays in {ctx.home}."))

counts = st.container()  # filled after any ingest below, so it shows the new totals
# Expanders run their content only while open (on_change="rerun"): a closed panel costs the page nothing.
adding = st.expander(
    "Add evidence", expanded=not ctx.exists(), icon=":material/upload_file:", key="ev_add", on_change="rerun"
)
if adding.open:
    with adding:
        ingest_panel.render(ctx)
ingest_status.panel(ctx)

frame = None
with guard("read the workspace's evidence"):
    frame = evidence_table.load(ctx)

if frame is None:
    pass
elif frame.empty:
    counts.info(
        "This workspace holds no evidence yet. Add some below: upload an export or name a repository "
        "or a folder of notes.",
        icon=":material/inbox:",
    )
else:
    with counts:
        evidence_table.headline(frame)
    # One view at a time, drawn only when chosen: the chart library and the full grid load on demand, so
    # the page paints fast (the chart alone costs ~1 s of first paint in a browser with an empty cache).
    view = st.segmented_control(
        "View",
        ["Summary", "Timeline", "All evidence"],
        default="Summary",
        key="ev_view",
        required=True,
        label_visibility="collapsed",
    )
    if view == "All evidence":
        evidence_table.table(ctx, frame)
    elif view == "Timeline":
        evidence_table.timeline(frame)
    else:
        evidence_table.summary(frame)

past = st.expander("Ingest history", icon=":material/history:", key="ev_history", on_change="rerun")
if past.open:
    with past:
        ingest_status.history(ctx)

managing = st.expander("Workspaces", icon=":material/folder_managed:", key="ev_workspaces", on_change="rerun")
if managing.open:
    with managing:
        workspace_panel.render(ctx)
