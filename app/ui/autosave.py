"""Typed text is saved without leaving the box: a small script in the page applies a bullet's text area
(as Ctrl+Enter does) once typing pauses, so a reload, a closed tab or a click elsewhere loses nothing.

The text also rides with every request the page sends from then on: when the box is applied or left, the
script puts its text in this element's state, which the browser sends with every rerun, a page change
included (the box's own value is not: a page change sends only the widgets every page shares, and a newer
request stops the run that carried the box before it saved, which on a loaded machine is common). Each run
saves the typed texts it has not saved yet, before drawing the page, so the text is saved whichever run gets
to do it.

A click on a sidebar page right after typing can be swallowed by the rerun that saves the text. The script
follows such a click up: if the page has not changed at all a moment later and that rerun has finished, it
clicks the same page once more (only the latest click, and never once the page has changed: a quick second
click elsewhere must not be sent back)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.ui import bullet_editor

PAUSE_MS = 600  # after this long without a keystroke, the text is applied and saved
FOLLOW_UP_MS = 1200  # a sidebar click that has not changed the page by then is repeated once
KEY = "selfreview_autosave"
SAVED = "typed_saved"  # box name -> the stamp of the last typed text saved from it

SCRIPT = """
export default function (component) {
  window.__selfreviewCarry = component.setStateValue;  // the latest mount's
  if (window.__selfreviewAutosave) { return; }
  window.__selfreviewAutosave = true;
  const load = Math.random().toString(36).slice(2);
  let stamp = 0;
  const typed = {};  // every bullet box typed into since this page loaded: its latest text
  const pending = new Set();  // boxes typed into since their text was last carried
  const timers = new WeakMap();
  const isBullet = (area) => area instanceof HTMLTextAreaElement
    && (area.getAttribute("aria-label") || "").startsWith("Bullet ");
  const boxName = (area) => {
    const holder = area.closest('[class*="st-key-bullet"]');
    return holder ? [...holder.classList].find((name) => name.startsWith("st-key-bullet")) : null;
  };
  const carry = (area) => {
    if (!pending.delete(area)) { return; }
    const box = boxName(area);
    if (!box) { return; }
    stamp += 1;
    typed[box] = { text: area.value, stamp: `${load}:${stamp}` };
    window.__selfreviewCarry("typed", { ...typed });
  };
  const apply = (area) => {
    carry(area);
    area.dispatchEvent(new KeyboardEvent("keydown", {
      key: "Enter", code: "Enter", keyCode: 13, which: 13, ctrlKey: true, bubbles: true, cancelable: true,
    }));
  };
  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!isBullet(area)) { return; }
    pending.add(area);
    clearTimeout(timers.get(area));
    timers.set(area, setTimeout(() => apply(area), PAUSE));
  }, true);
  const applying = (event) => event.type === "focusout"
    || (event.key === "Enter" && (event.ctrlKey || event.metaKey));
  const leave = (event) => {  // before the box applies itself (on blur or Ctrl+Enter): one request for both
    if (!isBullet(event.target) || !applying(event)) { return; }
    clearTimeout(timers.get(event.target));
    carry(event.target);
  };
  document.addEventListener("focusout", leave, true);
  document.addEventListener("keydown", leave, true);
  let followUp = null;
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || !event.isTrusted) { return; }
    clearTimeout(followUp);  // a newer click is the one to follow up
    const from = location.pathname;
    const started = Date.now();
    const check = () => {  // once the rerun that saves the text has finished, and only if it kept the page
      const app = document.querySelector('[data-testid="stApp"]');
      const running = app && app.getAttribute("data-test-script-state") === "running";
      if (running && Date.now() - started < 30000) { followUp = setTimeout(check, 200); return; }
      if (location.pathname === from && link.isConnected) { link.click(); }
    };
    followUp = setTimeout(check, FOLLOW);
  }, true);
}
""".replace("PAUSE", str(PAUSE_MS)).replace("FOLLOW", str(FOLLOW_UP_MS))

_component = st.components.v2.component("selfreview.autosave", js=SCRIPT)


def _carried() -> None:
    """The state changed: saved by install() on this same run, before the page is drawn."""


def install() -> None:
    """Mount the script once per page (it draws nothing) and save the typed text the page carries."""
    state = _component(key=KEY, on_typed_change=_carried)
    save_carried(getattr(state, "typed", None))


def save_carried(typed: Any) -> int:
    """Save each carried text not saved yet to the bullet whose box it was typed in; the number saved. A text
    is marked saved only once its save has run and not failed, so a run stopped halfway, or a save that
    failed, leaves it to the next run."""
    if not isinstance(typed, dict):
        return 0
    saved = st.session_state.setdefault(SAVED, {})
    count = 0
    for box, entry in typed.items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if not isinstance(text, str) or saved.get(box) == entry.get("stamp"):
            continue
        # A box this session never drew, or a name two bullets share, is left to the box's own update; a box
        # of a draft since redrafted or restored is not saved into the bullets that replaced it.
        target = bullet_editor.boxes().get(box)
        if target is not None:
            if not bullet_editor.save_typed(*target, text, carried=True):
                continue
            count += 1
        saved[box] = entry.get("stamp")
    return count
