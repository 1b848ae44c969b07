"""Draft page: period, ladder and level in; a verified draft out, editable, saved as you type, exportable."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import streamlit as st

from app import drafts, services, usecases
from app import settings as app_settings
from app.search import HybridSearch
from app.ui import bullet_editor, context, draft_state, draft_view, evidence_table
from app.ui.errors import guard, or_stop, show
from app.ui.safe import md
from ingest.evidence import Period

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
    st.info(
        "This workspace holds no evidence yet: add some on the Evidence page, then draft here.",
        icon=":material/inbox:",
    )
    st.stop()
assert index is not None  # st.stop() above ends this run of the page
workspace_index: HybridSearch = index  # narrowed for the callbacks below

choice_file = drafts.last_choice_path(ctx.home, ctx.workspace)
last: dict = {}
with guard("read your last ladder choice"):
    last = drafts.read_json(choice_file) or {}

ladders = {SAMPLE: services.sample_ladder()}
ladders.update({p.name: p for p in sorted(ctx.own_files("ladders").glob("*.y*ml"))})
names = [*ladders, UPLOAD]
picked = st.session_state.get("draft_ladder") or last.get("ladder_choice")
cols = st.columns([3, 3, 2, 2])
choice = cols[0].selectbox(
    "Ladder", names, index=names.index(picked) if picked in names else 0, key="draft_ladder"
)
if choice == UPLOAD:
    upload = st.file_uploader(
        "Ladder YAML (name, levels, criteria)", type=["yaml", "yml"], key="draft_ladder_file"
    )
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
level = cols[1].selectbox(
    "Level",
    level_ids,
    index=level_ids.index(wanted) if wanted in level_ids else 0,
    format_func=lambda i: f"{i}: {levels[i].title}" if levels[i].title != i else i,
    key=f"draft_level_{ladder.name}",
)

record = or_stop("open the saved draft", lambda: drafts.load(ctx.home, ctx.workspace, ladder.name, level))

first = final = date.today()
frame = None
with guard("read the workspace's evidence dates"):
    frame = evidence_table.load(ctx)
if frame is not None and frame.empty:
    st.info(
        "This workspace holds no evidence yet: add some on the Evidence page, then draft here.",
        icon=":material/inbox:",
    )
    st.stop()
if frame is not None:
    first, final = frame["date"].min(), frame["date"].max()
if record and record.get("since"):
    first = datetime.fromisoformat(record["since"]).date()
if record and record.get("until"):
    final = datetime.fromisoformat(record["until"]).date()
since_day = cols[2].date_input("From", value=first, key=f"draft_since_{ladder.name}_{level}")
until_day = cols[3].date_input("Until", value=final, key=f"draft_until_{ladder.name}_{level}")
since = datetime.combine(since_day, time.min).astimezone() if since_day else None
until = datetime.combine(until_day, time.max).astimezone() if until_day else None
editing = bullet_editor.Editing(ctx.home, ctx.workspace, ladder.name, level, index, record or {})


def draft_now(keep_edits: bool) -> None:
    """Draft the level; the draft it replaces is kept as a version, and its edited bullets unless not wanted."""
    st.session_state.pop("redraft_confirm", None)
    with guard(f"draft level {level}"), st.spinner(f"Drafting {ladder.name}, level {level}…"):
        result = usecases.draft(workspace_index, ladder, level, Period(since, until), chat=ctx.chat())
        old = drafts.load(ctx.home, ctx.workspace, ladder.name, level)
        fresh = draft_state.new_record(
            ctx.workspace,
            ladder,
            level,
            since,
            until,
            result,
            workspace_index,
            old["revision"] + 1 if old else 1,
        )
        if old:
            drafts.keep_version(ctx.home, ctx.workspace, ladder.name, level, old, "before drafting again")
            kept = draft_state.carry_edits(old, fresh, index) if keep_edits else 0
            edited = draft_state.edit_count(old)
            st.session_state["draft_flash"] = (
                f"Drafted again. {kept} edited bullet(s) kept."
                if keep_edits
                else f"Drafted again; your {edited} edit(s) were replaced."
            ) + " Undo brings back the draft as it was."
        drafts.save(ctx.home, ctx.workspace, ladder.name, level, fresh)
        drafts.write_json_atomic(choice_file, {"ladder_choice": choice, "level": level})


def restore(path: str, why: str) -> None:
    with guard("restore the draft"):
        current = drafts.load(ctx.home, ctx.workspace, ladder.name, level)
        if current:
            drafts.keep_version(ctx.home, ctx.workspace, ladder.name, level, current, why)
        chosen = drafts.version_record(Path(path))
        chosen["revision"] = (current or chosen).get("revision", 1) + 1  # fresh text boxes show it
        drafts.save(ctx.home, ctx.workspace, ladder.name, level, chosen)
        st.session_state["draft_flash"] = (
            "Restored the draft as it was; what it replaced is kept as a version."
        )


if not record:
    if st.button("Draft", type="primary", key="draft_go", icon=":material/edit_note:"):
        draft_now(True)
        record = drafts.load(ctx.home, ctx.workspace, ladder.name, level)
elif st.button("Draft again", key="draft_go", icon=":material/edit_note:"):
    st.session_state["redraft_confirm"] = True
if record and st.session_state.get("redraft_confirm"):
    with st.container(border=True):
        edited = draft_state.edit_count(record)
        st.markdown(
            md(
                f"Draft {ladder.name}, level {level} again for {since_day} to {until_day}? The current draft "
                "is kept as a version you can restore."
            )
        )
        keep = True
        if edited:
            keep = st.radio(
                f"Your {edited} edited bullet(s)",
                [True, False],
                key="redraft_keep",
                horizontal=True,
                format_func=lambda k: "Keep them (recommended)" if k else "Replace them with the new draft",
            )
        go, stop = st.columns(2)
        go.button("Draft again now", key="redraft_go", type="primary", on_click=draft_now, args=(keep,))
        stop.button(
            "Cancel", key="redraft_cancel", on_click=st.session_state.pop, args=("redraft_confirm", None)
        )

if not record:
    st.caption(
        md(
            f"Pick the period and level, then Draft. Bullets are composed from your evidence in "
            f"{ctx.label} and every number is checked against the items each bullet cites."
        )
    )
    st.stop()
editing.fallback = record


def on_regenerate(criterion_id: str, keep_edits: bool) -> None:
    st.session_state.pop("regen_confirm", None)

    def step(saved: dict) -> None:
        drafts.keep_version(
            ctx.home, ctx.workspace, ladder.name, level, saved, f"before regenerating {criterion_id}"
        )
        draft_state.regenerate(
            saved, ladder, criterion_id, workspace_index, ctx.chat(), keep_edits=keep_edits
        )

    editing.change(f"regenerate {criterion_id}", step)
    st.session_state["draft_flash"] = (
        f"Regenerated {criterion_id}"
        + (", edited bullets kept." if keep_edits else ".")
        + " Undo brings back the draft as it was."
    )


if problem := st.session_state.pop("draft_error", None):
    show(problem)
payload = record["draft"]
cover = payload.get("coverage", {})
period = f"{(record.get('since') or '…')[:10]} to {(record.get('until') or '…')[:10]}"
st.markdown(
    f"**{md(ladder.name)}, level {md(level)}** · {md(period)} · "
    f"{'written by the LLM' if payload.get('mode') == 'llm' else 'offline drafter'} · "
    f"**cited {cover.get('cited', 0)} of {cover.get('available', 0)} items**"
)
if (since_day, until_day) != (first, final):
    st.caption(
        md(f"The dates above differ from this draft's period ({first} to {final}): Draft again to use them.")
    )
if flash := st.session_state.get("draft_flash"):
    note, undo = st.columns([5, 1], vertical_alignment="center")
    note.success(md(flash), icon=":material/check_circle:")
    kept = drafts.versions(ctx.home, ctx.workspace, ladder.name, level)
    if kept and "Undo" in flash:
        undo.button(
            "Undo",
            key="draft_undo",
            icon=":material/undo:",
            on_click=restore,
            args=(str(kept[0]["path"]), "before undoing"),
        )
    if undo.button("Dismiss", key="draft_flash_dismiss"):
        st.session_state.pop("draft_flash", None)
        st.rerun()
saved_at = st.session_state.get("draft_saved_at")
st.caption(
    md(
        f"Saved in {drafts.draft_path(ctx.home, ctx.workspace, ladder.name, level)}"
        + (f" · last edit saved at {saved_at}" if saved_at else "")
    )
)
for note in payload.get("notes", []):
    st.caption(md(f"Note: {note}"))

draft_view.coverage(record)
for criterion in payload["criteria"]:
    draft_view.criterion_block(editing, record, criterion, on_regenerate)

with st.expander(f"Forgotten wins ({len(payload.get('forgotten_wins', []))})", icon=":material/star:"):
    st.caption("High-signal items this draft does not cite: worth a bullet?")
    draft_view.forgotten_wins(record)
with st.expander("Numbers computed from your evidence", icon=":material/calculate:"):
    draft_view.metrics_table(record)
with st.expander("Earlier versions of this draft", icon=":material/history:"):
    for n, version in enumerate(drafts.versions(ctx.home, ctx.workspace, ladder.name, level)[:20]):
        row = st.columns([4, 1], vertical_alignment="center")
        row[0].caption(md(f"{version['time']}: {version['reason']}"))
        row[1].button(
            "Restore",
            key=f"version_restore_{n}",
            on_click=restore,
            args=(str(version["path"]), "before restoring an earlier version"),
        )
st.subheader("Export")
draft_view.export_panel(
    record,
    f"{drafts.slug(ladder.name)}-{drafts.slug(level)}",
    f"{ladder.name}, level {level}: {period}",
    app_settings.load_preferences(ctx.home, ctx.user),
)
