"""Draft page: period, ladder and level in; a verified draft out, editable, saved as you type, exportable."""

from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st

from app import drafting, drafts, services
from app.search import HybridSearch
from app.ui import context, draft_state, draft_view, evidence_table
from app.ui.errors import guard, message_for, or_stop, show
from app.ui.safe import md

UPLOAD = "Upload a ladder YAML…"
SAMPLE = "Sample ladder (bundled)"



def sample_level() -> str | None:
    """The level the bundled sample workspace is meant to be drafted at (its workspace.yaml)."""
    try:
        return str(services.sample_manifest().get("level") or "") or None
    except (OSError, ValueError):
        return None


ctx = context.current()
st.title("Draft")
index = ctx.index()
if index is None:
    st.info("This workspace holds no evidence yet: add some on the Evidence page, then draft here.",
            icon=":material/inbox:")
    st.stop()

choice_file = drafts.drafts_dir(ctx.home, ctx.workspace) / ".last-choice.json"
last: dict = {}
with guard("read your last ladder choice"):
    last = drafts.read_json(choice_file) or {}

ladders = {SAMPLE: services.sample_ladder()}
ladders.update({p.name: p for p in sorted(ctx.own_files("ladders").glob("*.y*ml"))})
names = [*ladders, UPLOAD]
picked = st.session_state.get("draft_ladder") or last.get("ladder_choice")
cols = st.columns([3, 3, 2, 2])
choice = cols[0].selectbox("Ladder", names, index=names.index(picked) if picked in names else 0,
                           key="draft_ladder")
if choice == UPLOAD:
    upload = st.file_uploader("Ladder YAML (name, levels, criteria)", type=["yaml", "yml"], key="draft_ladder_file")
    if upload is None:
        st.caption("The format: `name`, `levels: [{id, title}]`, `criteria: [{id, area, level, text}]`.")
        st.stop()
    saved = services.copy_upload(upload.getvalue(), upload.name, ctx.own_files("ladders"))
    ladders[saved.name] = saved
    choice = saved.name

ladder = or_stop("load the ladder", lambda: draft_state.ladder_from(ladders[choice]))
levels = {lv.id: lv for lv in ladder.levels}
level_ids = list(levels)
wanted = last.get("level") or (sample_level() if choice == SAMPLE else None)
level = cols[1].selectbox("Level", level_ids, index=level_ids.index(wanted) if wanted in level_ids else 0,
                          format_func=lambda i: f"{i}: {levels[i].title}" if levels[i].title != i else i,
                          key=f"draft_level_{ladder.name}")

record = or_stop("open the saved draft", lambda: drafts.load(ctx.home, ctx.workspace, ladder.name, level))

first = final = date.today()
with guard("read the workspace's evidence dates"):
    frame = evidence_table.load(ctx)
    if not frame.empty:
        first, final = frame["date"].min(), frame["date"].max()
if record and record.get("since"):
    first = datetime.fromisoformat(record["since"]).date()
if record and record.get("until"):
    final = datetime.fromisoformat(record["until"]).date()
since_day = cols[2].date_input("From", value=first, key=f"draft_since_{ladder.name}_{level}")
until_day = cols[3].date_input("Until", value=final, key=f"draft_until_{ladder.name}_{level}")
since = datetime.combine(since_day, time.min).astimezone() if since_day else None
until = datetime.combine(until_day, time.max).astimezone() if until_day else None

label = "Draft again (replaces your edits)" if record else "Draft"
if st.button(label, type="primary", key="draft_go", icon=":material/edit_note:"):
    with guard(f"draft level {level}"), st.spinner(f"Drafting {ladder.name}, level {level}…"):
        result = drafting.draft(index, ladder, level, since, until, chat=ctx.chat())
        revision = record["revision"] + 1 if record else 1
        record = draft_state.new_record(ctx.workspace, ladder, level, since, until, result, index, revision)
        drafts.save(ctx.home, ctx.workspace, ladder.name, level, record)
        drafts.write_json_atomic(choice_file, {"ladder_choice": choice, "level": level})

if not record:
    st.caption(md(f"Pick the period and level, then Draft. Bullets are composed from your evidence in "
                  f"{ctx.label} and every number is checked against the items each bullet cites."))
    st.stop()
shown: dict = record  # what this run draws; the callbacks below read the saved file again
ready: HybridSearch = index


def on_edit(criterion_id: str, i: int, key: str) -> None:
    """Save an edit as soon as the text area changes, re-verified (numbers, role, lint)."""
    try:
        saved = drafts.load(ctx.home, ctx.workspace, ladder.name, level) or shown
        criterion = next(c for c in saved["draft"]["criteria"] if c["id"] == criterion_id)
        draft_state.set_edit(saved, criterion, i, st.session_state.get(key, ""), ready)
        drafts.save(ctx.home, ctx.workspace, ladder.name, level, saved)
        st.session_state["draft_saved_at"] = datetime.now().strftime("%H:%M:%S")
    except Exception as exc:  # noqa: BLE001 - shown on the page
        st.session_state["draft_error"] = message_for("save your edit", exc)


def on_regenerate(criterion_id: str) -> None:
    try:
        saved = drafts.load(ctx.home, ctx.workspace, ladder.name, level) or shown
        draft_state.regenerate(saved, ladder, criterion_id, ready, ctx.chat())
        drafts.save(ctx.home, ctx.workspace, ladder.name, level, saved)
    except Exception as exc:  # noqa: BLE001 - shown on the page
        st.session_state["draft_error"] = message_for(f"regenerate {criterion_id}", exc)


if problem := st.session_state.pop("draft_error", None):
    show(problem)
payload = record["draft"]
cover = payload.get("coverage", {})
period = f"{(record.get('since') or '…')[:10]} to {(record.get('until') or '…')[:10]}"
st.markdown(f"**{md(ladder.name)}, level {md(level)}** · {md(period)} · "
            f"{'written by the LLM' if payload.get('mode') == 'llm' else 'offline drafter'} · "
            f"**cited {cover.get('cited', 0)} of {cover.get('available', 0)} items**")
if (since_day, until_day) != (first, final):
    st.caption("The dates above differ from this draft's period: Draft again to use them.")
saved_at = st.session_state.get("draft_saved_at")
st.caption(md(f"Saved in {drafts.draft_path(ctx.home, ctx.workspace, ladder.name, level)}"
              + (f" · last edit saved at {saved_at}" if saved_at else "")))
for note in payload.get("notes", []):
    st.caption(md(f"Note: {note}"))

draft_view.coverage(record)
for criterion in payload["criteria"]:
    draft_view.criterion_block(record, criterion, on_edit, on_regenerate)

with st.expander(f"Forgotten wins ({len(payload.get('forgotten_wins', []))})", icon=":material/star:"):
    st.caption("High-signal items this draft does not cite: worth a bullet?")
    draft_view.forgotten_wins(record)
with st.expander("Numbers computed from your evidence", icon=":material/calculate:"):
    draft_view.metrics_table(record)
st.subheader("Export")
draft_view.export_panel(record, f"{drafts.slug(ladder.name)}-{drafts.slug(level)}")
