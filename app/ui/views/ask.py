"""Ask page: questions about past work, answered from the workspace's evidence with numbered citations."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import streamlit as st

from app import chats
from app.ui import answering, context
from app.ui.draft_view import evidence_title
from app.ui.errors import guard
from app.ui.safe import link, md, one_line

ctx = context.current()
st.title("Ask")
index = ctx.index()
if index is None:
    st.info(
        "This workspace holds no evidence yet: add some on the Evidence page, then ask here.",
        icon=":material/inbox:",
    )
    st.stop()


def citations(items: list[dict[str, Any]]) -> None:
    for n, item in enumerate(items, 1):
        title = one_line(evidence_title(item.get("id", ""), item), 90)
        with st.expander(f"[{n}] {md(title)} · {md(str(item.get('date', ''))[:10])}"):
            where = link("open", item.get("url"))
            opened = f" · {where}" if where != md("open") else ""
            st.markdown(
                f"**{md(item.get('title', ''))}**  \n{md(str(item.get('date', ''))[:10])} · "
                f"{md(item.get('id', ''))}{opened}"
            )
            if item.get("snippet"):
                st.caption(md(item["snippet"]))


def show(message: dict[str, Any]) -> None:
    with st.chat_message(message["role"]):
        st.markdown(md(message["content"]))
        if message.get("note"):
            st.caption(md(message["note"]))
        if message["role"] == "assistant":
            citations(message.get("citations", []))


history: list[dict[str, Any]] = []
with guard("read the chat history"):
    history = chats.load(ctx.home, ctx.workspace)

with st.expander(
    "Period (optional: a question can also say 'in Q2', 'last year', 'since March')",
    icon=":material/date_range:",
):
    cols = st.columns(3)
    since_day = cols[0].date_input("From", value=None, key="ask_since")
    until_day = cols[1].date_input("Until", value=None, key="ask_until")
    if cols[2].button("Clear history", key="ask_clear", disabled=not history):
        with guard("clear the chat history"):
            chats.clear(ctx.home, ctx.workspace)
            history = []
since = datetime.combine(since_day, time.min).astimezone() if since_day else None
until = datetime.combine(until_day, time.max).astimezone() if until_day else None

if not history:
    st.caption(
        md(
            f"Answers come only from the evidence in {ctx.label}, with the items they rest on. "
            "When nothing matches, the answer says so."
        )
    )
for message in history:
    show(message)

question = st.chat_input(
    "Ask about your work, e.g. what did I do for the payments migration?", key="ask_input"
)
if question:
    asked = {"role": "user", "content": question, "time": datetime.now().isoformat(timespec="seconds")}
    show(asked)
    out = answering.Streamed()
    with st.chat_message("assistant"), guard("answer the question"):
        pieces = answering.stream(index, question, since, until, ctx.chat(), out)
        st.write_stream(md(piece) for piece in pieces)
        if out.note:
            st.caption(md(out.note))
        citations(out.citations)
    if out.text:
        history += [
            asked,
            {
                "role": "assistant",
                "content": out.text,
                "citations": out.citations,
                "mode": out.mode,
                "note": out.note,
                "time": datetime.now().isoformat(timespec="seconds"),
            },
        ]
        with guard("save the chat history"):
            chats.save(ctx.home, ctx.workspace, history)
