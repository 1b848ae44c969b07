"""The running ingest (on any page, refreshed every second), what each file's ingest did, and the workspace's
ingest history with "remove this ingest"."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app import jobs
from app.ui import context
from app.ui.errors import guard
from app.ui.safe import md


def sidebar(ctx: context.UIContext) -> None:
    """A running ingest of this user's current workspace, on every page."""
    if jobs.active(ctx.home, ctx.workspace) is not None:
        _live(ctx, compact=True)


@st.fragment(run_every=1.0)
def _live(ctx: context.UIContext, compact: bool = False) -> None:
    job = jobs.latest(ctx.home, ctx.workspace)
    if job is None:
        return
    key = "sidebar" if compact else "page"
    if job.state == "running":
        label = f"Ingesting into {ctx.label}: {job.status()}" if compact else job.status()
        st.progress(job.fraction(), text=md(label))
        st.button(
            "Cancel",
            key=f"ingest_cancel_{key}",
            on_click=job.cancel,
            icon=":material/cancel:",
            help="Stop the ingest; what it added so far is removed again.",
        )
        if job.cancel_requested.is_set():
            st.caption("Cancelling: removing what this ingest added…")
    elif st.session_state.get(f"ingest_seen_{key}") != job.id:
        st.session_state[f"ingest_seen_{key}"] = job.id
        st.rerun(scope="app")  # the job ended: every page shows the new evidence


def panel(ctx: context.UIContext) -> None:
    """The current or last ingest of this workspace, with a summary per file."""
    job = jobs.latest(ctx.home, ctx.workspace)
    if job is None:
        return
    if job.state == "running":
        _live(ctx)
        return
    summaries(job)


def summaries(job: jobs.Job) -> None:
    if job.state == "cancelled":
        st.warning(
            md(
                f"Ingest cancelled: the {job.removed_on_cancel} new item(s) it had stored were removed "
                "again. Items that were already here and that it had re-read keep their new text."
            ),
            icon=":material/cancel:",
        )
        return
    if job.state == "failed":
        st.error(md(f"The ingest failed: {job.error}"), icon=":material/error:")
        return
    for result in job.results:
        file_summary(result)


def file_summary(result: dict[str, Any]) -> None:
    """Green only when something was added or updated; said as it happened otherwise."""
    name, report = result["name"], result.get("report")
    if result.get("error") or report is None:
        st.error(md(f"{name}: nothing was ingested. {result.get('error', '')}"), icon=":material/error:")
        return
    skipped = report.get("skipped") or []
    changed = report["added"] + report["updated"]
    counts = (
        f"{report['added']} added, {report['updated']} updated, {report['unchanged']} unchanged; "
        f"{report['chunks']} chunks embedded in {report['seconds']:.1f} s"
    )
    if changed:
        st.success(md(f"{name} ({result['kind']}): {counts}."), icon=":material/check_circle:")
    elif report["unchanged"]:
        st.info(
            md(f"{name} ({result['kind']}): nothing new, every item was already here ({counts})."),
            icon=":material/info:",
        )
    else:
        st.error(
            md(
                f"{name} ({result['kind']}): nothing was ingested"
                + (
                    f": all {len(skipped)} record(s) were skipped."
                    if skipped
                    else ": no records found in it."
                )
            ),
            icon=":material/error:",
        )
    if skipped:
        if changed or report["unchanged"]:
            st.warning(
                md(
                    f"{len(skipped)} record(s) of {name} skipped; the others were ingested. Fix the lines "
                    "named below and ingest the file again."
                ),
                icon=":material/warning:",
            )
        rows = [{"where": _short(s.get("where", ""), name), "why": s.get("why", "")} for s in skipped]
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={"where": "File:line", "why": "Why it was skipped"},
        )


def _short(where: str, name: str) -> str:
    """A saved upload's path shown as the name the user uploaded ("notes.md:12")."""
    head, sep, tail = where.rpartition(name)
    return name + tail if sep and ("/" in head or not head) else where


def history(ctx: context.UIContext) -> None:
    entries = jobs.history(ctx.home, ctx.workspace)
    if not entries:
        st.caption("No ingest from this page yet.")
        return
    for flash in st.session_state.pop("history_flash", []):
        st.success(md(flash), icon=":material/check_circle:")
    for entry in entries[:30]:
        files = entry.get("files", [])
        names = ", ".join(f.get("name", "") for f in files) or "nothing"
        added = sum((f.get("report") or {}).get("added", 0) for f in files)
        row = st.columns([5, 2], vertical_alignment="center")
        state = entry.get("state", "")
        told = (
            f"removed ({entry.get('removed', 0)} items)" if state == "removed" else f"{state}, {added} added"
        )
        row[0].markdown(md(f"{entry.get('time', '')} · {names} · {told}"))
        if state == "finished":
            row[1].button(
                "Remove this ingest",
                key=f"history_remove_{entry['id']}",
                on_click=_remove,
                args=(ctx, entry["id"], names),
            )


def _remove(ctx: context.UIContext, entry_id: str, names: str) -> None:
    with guard("remove the ingest"):
        removed = jobs.remove_ingest(ctx.settings, ctx.workspace, entry_id)
        st.session_state.setdefault("history_flash", []).append(
            f"Removed {removed} item(s) that came from {names}."
        )
