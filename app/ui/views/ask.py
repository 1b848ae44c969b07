"""Ask page: questions about past work, answered from the workspace's evidence with numbered citations."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import streamlit as st

from app import chats, usecases
from app.answer_stream import Listener
from app.ui import answering, context
from app.ui.draft_view import evidence_title
from app.ui.errors import guard
from app.ui.safe import link, md, one_line
from ingest.evidence import Period

ctx = context.current()
st.title("Ask")
index = ctx.index()
if index is None:
    st.info(
        "This workspace holds no evidence yet: add some on the Evidence page, then ask here.",
        icon=":material/inbox:",
    )
    st.stop()


def citations(items: list[dict[str, Any]], message: int, stamp: str = "") -> None:
    """The answer's citations, numbered as its [n] markers; each marker links to the anchor inside its drawer,
    which the browser opens when the link is followed."""
    for n, item in enumerate(items, 1):
        title = one_line(evidence_title(item.get("id", ""), item), 90)
        # keyed by message, time and number: a drawer the user opened stays open when the page is drawn again, and
        # a new chat after "Clear history" never inherits an old answer's open drawers
        with st.expander(
            f"[{n}] {md(title)} · {md(str(item.get('date', ''))[:10])}",
            key=f"citation-drawer-{message}-{stamp}-{n}",
        ):
            st.markdown(f'<span id="{answering.anchor(message, n)}"></span>', unsafe_allow_html=True)
            where = link("open", item.get("url"))
            opened = f" · {where}" if where != md("open") else ""
            st.markdown(
                f"**{md(item.get('title', ''))}**  \n{md(str(item.get('date', ''))[:10])} · "
                f"{md(item.get('id', ''))}{opened}"
            )
            if item.get("snippet"):
                st.caption(md(item["snippet"]))


def show(message: dict[str, Any], number: int) -> None:
    with st.chat_message(message["role"]):
        if message["role"] == "assistant":
            st.markdown(answering.linked(message["content"], message.get("citations", []), number))
        else:
            st.markdown(md(message["content"]))
        if message.get("note"):
            st.caption(md(message["note"]))
        if message["role"] == "assistant":
            citations(message.get("citations", []), number, str(message.get("time") or ""))
            # drawn from the saved history: the answer as it streams has no time yet
            if message.get("time"):
                st.caption(md(f"Answered {str(message['time']).replace('T', ' ')[:16]}"))


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
for number, message in enumerate(history):
    show(message, number)

question = st.chat_input(
    "Ask about your work, e.g. what did I do for the payments migration?", key="ask_input"
)
if question:
    asked = {"role": "user", "content": question, "time": datetime.now().isoformat(timespec="seconds")}
    show(asked, len(history))
    number = len(history) + 1
    answer = None
    with st.chat_message("assistant"), guard("answer the question"):
        shown = st.empty()
        listener = Listener(lambda text: shown.markdown(md(text)))
        answer = usecases.ask(index, question, Period(since, until), ctx.chat(), listener)
        shown.markdown(answering.linked(answer.answer, answer.citations, number))
        if listener.note:
            st.caption(md(listener.note))
        citations(answer.citations, number)
    if answer is not None and answer.answer:
        history += [
            asked,
            {
                "role": "assistant",
                "content": answer.answer,
                "citations": answer.citations,
                "mode": answer.mode,
                "note": listener.note,
                "time": datetime.now().isoformat(timespec="seconds"),
            },
        ]
        saved = False
        with guard("save the chat history"):
            chats.save(ctx.home, ctx.workspace, history)
            saved = True
        if saved:  # drawn again from the history, where every later run draws it: a drawer opened stays open
            st.rerun()
