"""Typed text is saved without leaving the box: a small script in the page applies a bullet's text area
(as Ctrl+Enter does) once typing pauses, so a reload, a closed tab or a click elsewhere loses nothing.

A click on a sidebar page right after typing also applies the text: the browser leaves the box, Streamlit
reruns the page to save it, and that rerun swallowed the click. The script follows such a click up: if the
page has not changed at all a moment later and that rerun has finished (so the text is saved first), it clicks
the same page once more (only the latest click, and never once the page has changed: a quick second click
elsewhere must not be sent back)."""

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


def install() -> None:
    """Mount the script once per page (it draws nothing)."""
    _component(key="selfreview_autosave")
