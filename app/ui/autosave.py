"""Typed text is saved without leaving the box: a small script in the page applies a bullet's text area
(as Ctrl+Enter does) once typing pauses, so a reload, a closed tab or a click elsewhere loses nothing.

A click on a sidebar page right after typing also applies the text: the browser leaves the box, Streamlit
reruns the page to save it, and that rerun swallowed the click. The script follows such a click up: if the
page has not changed a moment later, it clicks the same page once more."""

from __future__ import annotations

import streamlit as st

PAUSE_MS = 600  # after this long without a keystroke, the text is applied and saved
FOLLOW_UP_MS = 1200  # a sidebar click that has not changed the page by then is repeated once

SCRIPT = """
export default function (component) {
  if (window.__selfreviewAutosave) { return; }
  window.__selfreviewAutosave = true;
  const timers = new WeakMap();
  const apply = (area) => {
    area.dispatchEvent(new KeyboardEvent("keydown", {
      key: "Enter", code: "Enter", keyCode: 13, which: 13, ctrlKey: true, bubbles: true, cancelable: true,
    }));
  };
  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement)) { return; }
    if (!(area.getAttribute("aria-label") || "").startsWith("Bullet ")) { return; }
    clearTimeout(timers.get(area));
    timers.set(area, setTimeout(() => apply(area), PAUSE));
  }, true);
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || !event.isTrusted) { return; }
    const wanted = new URL(link.href, location.href).pathname;
    setTimeout(() => { if (location.pathname !== wanted && link.isConnected) { link.click(); } }, FOLLOW);
  }, true);
}
""".replace("PAUSE", str(PAUSE_MS)).replace("FOLLOW", str(FOLLOW_UP_MS))

_component = st.components.v2.component("selfreview.autosave", js=SCRIPT)


def install() -> None:
    """Mount the script once per page (it draws nothing)."""
    _component(key="selfreview_autosave")
