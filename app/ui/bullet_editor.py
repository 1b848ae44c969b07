"""Editing one bullet so that no edit is lost: every save re-reads the saved draft, a text changed meanwhile in
another tab is offered as a merge instead of being overwritten, and each bullet has undo and its history."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st

from app import drafts
from app.search import HybridSearch
from app.ui import draft_state
from app.ui.errors import message_for
from app.ui.safe import one_line


class _NotSaved(Exception):
    """The typed text was not written: see the subclass for why."""


class _Conflict(_NotSaved):
    """The saved text changed since the page showed it: offered as a merge, not saved over."""


class _AlreadySaved(_NotSaved):
    """The saved text is already the typed text: nothing to write."""


class _Redrafted(_NotSaved):
    """The draft was redrafted or restored since the box was drawn: its bullets are other bullets now."""


@dataclass
class Editing:
    """Where the draft being edited is saved, and the index its edits are checked against."""

    home: Any
    workspace: str
    ladder: str
    level: str
    index: HybridSearch
    fallback: dict[str, Any]

    def load(self) -> dict[str, Any]:
        return drafts.load(self.home, self.workspace, self.ladder, self.level) or self.fallback

    def save(self, record: dict[str, Any]) -> None:
        drafts.save(self.home, self.workspace, self.ladder, self.level, record)
        st.session_state["draft_saved_at"] = datetime.now().strftime("%H:%M:%S")

    def change(self, action: str, step: Callable[[dict[str, Any]], Any]) -> Any:
        """Load, change and save the record; a failure becomes a message on the page."""
        try:
            record = self.load()
            result = step(record)
            self.save(record)
            return result
        except _NotSaved:
            raise
        except Exception as exc:  # noqa: BLE001 - shown on the page
            st.session_state["draft_error"] = message_for(action, exc)
            return None


def widget_key(record: dict[str, Any], criterion_id: str, i: int) -> str:
    return f"bullet:{record['revision']}:{criterion_id}:{i}"


def box_name(key: str) -> str:
    """The name the browser knows a bullet's box by (the class Streamlit gives a keyed element)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def boxes() -> dict[str, tuple[Editing, str, int, str] | None]:
    """Every bullet box this session has drawn, by box name: where its text is saved (None when two bullets
    share a name, so neither is guessed)."""
    return st.session_state.setdefault("bullet_boxes", {})


def _remember_box(editing: Editing, criterion_id: str, i: int, key: str) -> None:
    name, held = box_name(key), boxes()
    known = held.get(name, (editing, criterion_id, i, key))
    held[name] = None if known is None or known[3] != key else (editing, criterion_id, i, key)


def conflicts() -> dict[str, dict[str, Any]]:
    return st.session_state.setdefault("draft_conflicts", {})


def text_area(
    editing: Editing, record: dict[str, Any], criterion: dict[str, Any], i: int, bullet: dict[str, Any]
) -> None:
    key = widget_key(record, criterion["id"], i)
    base = f"base:{key}"
    shown = bullet["text"]
    held, behind = st.session_state.get(key), st.session_state.get(f"behind:{key}")
    if key not in conflicts() and (st.session_state.get(base, shown) != shown or (behind and held == behind)):
        # Saved elsewhere since this page last drew it, or carried by the page while the box still holds the
        # text before it: show the saved text.
        st.session_state[key] = shown
    elif held == shown:
        st.session_state.pop(f"behind:{key}", None)  # the box has caught up with the saved text
    st.session_state[base] = shown
    _remember_box(editing, criterion["id"], i, key)
    conflict = conflicts().get(key)
    if conflict:
        merge(editing, criterion["id"], i, key, conflict)
    st.text_area(
        f"Bullet {i + 1}",
        value=shown,
        key=key,
        height=68,
        on_change=on_edit,
        args=(editing, criterion["id"], i, key),
        label_visibility="collapsed",
    )
    past = draft_state.bullet_history(record, criterion["id"], i)
    if past:
        undo, older = st.columns([1, 4], vertical_alignment="center")
        undo.button(
            "Undo",
            key=f"undo:{key}",
            on_click=on_undo,
            args=(editing, criterion["id"], i, key),
            icon=":material/undo:",
            help=f"Put back: {one_line(past[-1]['text'], 100)}",
        )
        with older.popover(f"History ({len(past)})", icon=":material/history:"):
            for n, version in enumerate(reversed(past)):
                st.text(f"{version['time'][:19].replace('T', ' ')}  {version['text']}")
                st.button(
                    "Restore this text",
                    key=f"restore:{key}:{n}",
                    on_click=on_restore,
                    args=(editing, criterion["id"], i, key, version["text"]),
                )


def on_edit(editing: Editing, criterion_id: str, i: int, key: str) -> None:
    typed = st.session_state.get(key, "")
    if typed == st.session_state.get(f"behind:{key}"):
        # Not an edit: the box reports the text it held before the page carried and saved newer text from it
        # (its own update never arrived). Streamlit reports every box as changed after a run a newer request
        # stopped, so this stale text would otherwise overwrite what was typed.
        st.session_state[key] = st.session_state.get(f"base:{key}", typed)
        return
    st.session_state.pop(f"behind:{key}", None)
    save_typed(editing, criterion_id, i, key, typed)


def save_typed(
    editing: Editing, criterion_id: str, i: int, key: str, typed: str, *, carried: bool = False
) -> bool:
    """Save the typed text, re-verified; if the saved text changed since this page drew it, keep both. Saving
    the same text twice (the box and the page may both carry it) writes once. A text the page carried (not the
    box's own update) is not saved once the draft has been redrafted or restored since the box was drawn, and
    the text the box still holds is remembered as behind it. False when the save failed (the page says why):
    the text is still to be saved."""
    drawn = st.session_state.get(f"base:{key}")
    if typed == drawn or conflicts().get(key, {}).get("mine") == typed:
        return True  # the box holds what the page last drew, or this text is already offered as a merge

    def step(record: dict[str, Any]) -> bool:
        if carried and not key.startswith(f"bullet:{record.get('revision')}:"):
            raise _Redrafted
        now = draft_state.current_text(record, criterion_id, i)
        if now == typed:
            raise _AlreadySaved
        if drawn is not None and now is not None and now != drawn:
            conflicts()[key] = {"theirs": now, "mine": typed}
            raise _Conflict
        draft_state.set_edit(record, _criterion(record, criterion_id), i, typed, editing.index)
        return True

    try:
        saved = editing.change("save your edit", step)
    except _AlreadySaved:
        saved = True
    except (_Conflict, _Redrafted):
        return True
    if saved:  # only once written: a run stopped before the write must leave the next one free to save
        st.session_state[f"base:{key}"] = typed
        if carried and drawn is not None:
            st.session_state[f"behind:{key}"] = drawn
    return bool(saved)


def merge(editing: Editing, criterion_id: str, i: int, key: str, conflict: dict[str, Any]) -> None:
    st.warning(
        "This bullet was changed in another tab or window after this page showed it. Nothing was "
        "overwritten: choose what to keep.",
        icon=":material/merge:",
    )
    theirs, mine = st.columns(2)
    theirs.caption("Saved from the other tab")
    theirs.text(conflict["theirs"])
    mine.caption("Typed here")
    mine.text(conflict["mine"])
    both = f"{conflict['theirs']}\n{conflict['mine']}"
    cols = st.columns(3)
    cols[0].button(
        "Keep the other tab's",
        key=f"merge_theirs:{key}",
        on_click=resolve,
        args=(editing, criterion_id, i, key, conflict["theirs"]),
    )
    cols[1].button(
        "Keep mine",
        key=f"merge_mine:{key}",
        on_click=resolve,
        args=(editing, criterion_id, i, key, conflict["mine"]),
    )
    cols[2].button(
        "Keep both, to edit",
        key=f"merge_both:{key}",
        on_click=resolve,
        args=(editing, criterion_id, i, key, both),
    )


def resolve(editing: Editing, criterion_id: str, i: int, key: str, text: str) -> None:
    conflicts().pop(key, None)
    _set(editing, criterion_id, i, key, text)


def on_restore(editing: Editing, criterion_id: str, i: int, key: str, text: str) -> None:
    _set(editing, criterion_id, i, key, text)


def on_undo(editing: Editing, criterion_id: str, i: int, key: str) -> None:
    text = editing.change(
        "undo", lambda record: draft_state.undo(record, _criterion(record, criterion_id), i, editing.index)
    )
    if text is not None:
        st.session_state[key] = st.session_state[f"base:{key}"] = text
        st.session_state["draft_flash"] = f"Undone: the bullet reads “{one_line(text, 80)}” again."


def _set(editing: Editing, criterion_id: str, i: int, key: str, text: str) -> None:
    editing.change(
        "save your edit",
        lambda record: draft_state.set_edit(record, _criterion(record, criterion_id), i, text, editing.index),
    )
    st.session_state[key] = st.session_state[f"base:{key}"] = text


def _criterion(record: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    found = next((c for c in record["draft"]["criteria"] if c["id"] == criterion_id), None)
    if found is None:
        raise ValueError(f"criterion {criterion_id} is no longer in this draft: reload the page")
    return found
