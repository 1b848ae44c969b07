"""What a workspace holds: a summary by source, kind and month, a timeline chart and a filterable table."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app.ui import context
from app.ui.errors import guard
from app.ui.safe import md, safe_url

COLUMNS = ["date", "source", "kind", "title", "role", "url", "id", "month", "body"]


@st.cache_data(show_spinner=False, max_entries=32)
def evidence_frame(
    home: str, workspace: str, user: str, version: int, _ctx: context.UIContext
) -> pd.DataFrame:
    """Every evidence item as a row (keyed by the ledger version, so an ingest refreshes it)."""
    index = _ctx.index()
    items = index.all_evidence() if index is not None else []
    rows = [
        {
            "date": e.when.date(),
            "source": e.source,
            "kind": e.kind,
            "title": e.title,
            "role": e.role,
            "url": safe_url(e.url) or None,
            "id": e.id,
            "month": e.date[:7],
            "body": e.body,
        }
        for e in items
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def load(ctx: context.UIContext) -> pd.DataFrame:
    index = ctx.index()
    version = index.workspace.ledger.version if index is not None else -1
    return evidence_frame(str(ctx.home), ctx.workspace, ctx.user, version, _ctx=ctx)


def headline(frame: pd.DataFrame) -> None:
    first, last = frame["date"].min(), frame["date"].max()
    cols = st.columns([1, 1, 1, 2])
    cols[0].metric("Evidence items", len(frame))
    cols[1].metric("Sources", frame["source"].nunique())
    cols[2].metric("Kinds", frame["kind"].nunique())
    cols[3].metric("Period", f"{first:%Y-%m-%d} – {last:%Y-%m-%d}")


def summary(frame: pd.DataFrame) -> None:
    """Counts by source and kind, and by month and source (tables: they paint without loading a chart)."""
    left, right = st.columns([2, 3])
    with left:
        st.markdown("**By source and kind**")
        by_kind = frame.groupby(["source", "kind"]).size().reset_index(name="items")
        st.dataframe(by_kind, hide_index=True, width="stretch")
    with right:
        st.markdown("**By month and source**")
        by_month = frame.pivot_table(
            index="month", columns="source", values="id", aggfunc="count", fill_value=0
        )
        by_month["all"] = by_month.sum(axis=1)
        st.dataframe(by_month, width="stretch")


def timeline(frame: pd.DataFrame) -> None:
    """Evidence items per month, stacked by source."""
    by_month = frame.groupby(["month", "source"]).size().reset_index(name="items")
    chart = (
        alt.Chart(by_month)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title="Month"),
            y=alt.Y("items:Q", title="Evidence items"),
            color=alt.Color("source:N", title="Source"),
            tooltip=["month", "source", "items"],
        )
        .properties(height=360)
    )
    st.altair_chart(chart, width="stretch")


def table(ctx: context.UIContext, frame: pd.DataFrame) -> None:
    """Filters (text, source, kind, date range) over the evidence table; the selected row's text below it."""
    cols = st.columns([3, 2, 2, 3])
    text = cols[0].text_input("Contains", key="ev_filter_text", placeholder="refund, PAY-142, latency…")
    sources = cols[1].multiselect("Source", sorted(frame["source"].unique()), key="ev_filter_source")
    kinds = cols[2].multiselect("Kind", sorted(frame["kind"].unique()), key="ev_filter_kind")
    first, last = frame["date"].min(), frame["date"].max()
    period = cols[3].date_input(
        "Dates",
        value=(first, last),
        key="ev_filter_dates",
        min_value=date(1970, 1, 1),
        max_value=date(2100, 12, 31),
    )
    shown = filter_frame(frame, text, sources, kinds, period)
    st.caption(f"{len(shown)} of {len(frame)} items")
    event = st.dataframe(
        shown[["date", "source", "kind", "title", "role", "url", "id"]],
        hide_index=True,
        width="stretch",
        key="ev_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "url": st.column_config.LinkColumn("Link", display_text="open"),
            "id": st.column_config.TextColumn("Evidence id"),
        },
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows and rows[0] < len(shown):
        item = shown.iloc[rows[0]]
        with st.container(border=True):
            st.markdown(f"**{md(item['title'])}**  \n{md(item['id'])} · {item['date']:%Y-%m-%d}")
            st.text(item["body"] or "(no text)")
            st.button(
                "Delete this item from the workspace",
                key=f"ev_delete_{item['id']}",
                on_click=delete_item,
                args=(ctx, item["id"], item["title"]),
                icon=":material/delete:",
                help="Removes it from search and drafts. Ingesting its source file again brings it back.",
            )
    if flash := st.session_state.pop("ev_deleted", None):
        st.success(md(flash), icon=":material/check_circle:")


def delete_item(ctx: context.UIContext, evidence_id: str, title: str) -> None:
    from app import usecases

    with guard("delete the item"):
        usecases.remove_evidence(ctx.settings, [evidence_id], ctx.workspace)
        st.session_state["ev_deleted"] = f"Deleted “{title}” ({evidence_id}) from {ctx.label}."


def filter_frame(
    frame: pd.DataFrame, text: str, sources: list[str], kinds: list[str], period: object
) -> pd.DataFrame:
    shown = frame
    if text:
        needle = text.casefold()
        hay = (shown["title"] + "\n" + shown["body"] + "\n" + shown["id"]).str.casefold()
        shown = shown[hay.str.contains(needle, regex=False)]
    if sources:
        shown = shown[shown["source"].isin(sources)]
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if isinstance(period, tuple | list) and len(period) == 2:
        shown = shown[(shown["date"] >= period[0]) & (shown["date"] <= period[1])]
    return shown.sort_values(["date", "id"], ascending=[False, True])
