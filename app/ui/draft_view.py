"""Drawing a saved draft: coverage heatmap, criteria with badged, editable bullets, evidence drawers, export."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app import export, usecases
from app.ui import bullet_editor, draft_state
from app.ui.safe import link, md, one_line

STATUS_COLORS = {"covered": "#2e7d32", "thin": "#f9a825", "missing": "#c62828"}
STATUS_BADGE = {"covered": "green", "thin": "orange", "missing": "red"}


def badge(label: str, color: str) -> str:
    """A Markdown badge whose label cannot break out of the directive (no brackets, links or markup)."""
    clean = re.sub(r"[\[\]()<>!`*_\\]", "", label)
    return f":{color}-badge[{clean}]"


def coverage(record: dict[str, Any]) -> None:
    """The level's criteria as a colored grid (one cell per criterion, by area) and the counts."""
    criteria = record["draft"]["criteria"]
    if not criteria:
        return
    rows: list[dict[str, Any]] = []
    position: dict[str, int] = {}
    for c in criteria:
        area = c.get("area") or "criteria"
        position[area] = position.get(area, 0) + 1
        rows.append(
            {
                "area": area,
                "slot": position[area],
                "criterion": c["id"],
                "status": c["status"],
                "text": one_line(c["text"], 140),
                "bullets": len(c["bullets"]),
            }
        )
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(
        x=alt.X("slot:O", title=None, axis=None),
        y=alt.Y("area:N", title=None, sort=list(dict.fromkeys(frame["area"])), axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=4).encode(
        color=alt.Color(
            "status:N",
            title="Coverage",
            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
        ),
        tooltip=["criterion", "status", "bullets", "text"],
    )
    labels = base.mark_text(color="white", fontWeight="bold").encode(text="criterion:N")
    height = 44 * frame["area"].nunique() + 40
    st.altair_chart((cells + labels).properties(height=height), width="stretch")
    counts = frame["status"].value_counts()
    st.markdown(" ".join(badge(f"{counts.get(s, 0)} {s}", STATUS_BADGE[s]) for s in STATUS_COLORS))


def criterion_block(
    editing: bullet_editor.Editing,
    record: dict[str, Any],
    criterion: dict[str, Any],
    on_regenerate: Callable[..., None],
) -> None:
    status = criterion["status"]
    cid = criterion["id"]
    with st.container(border=True):
        head, action = st.columns([6, 1], vertical_alignment="center")
        head.markdown(
            f"**{md(cid)}** · {md(criterion.get('area', ''))} "
            f"{badge(status, STATUS_BADGE.get(status, 'gray'))}  \n{md(criterion['text'])}"
        )
        action.button(
            "Regenerate",
            key=f"regen:{record['revision']}:{cid}",
            help="Draft this criterion again from the evidence (you confirm first; edits can be kept)",
            on_click=_ask_regenerate,
            args=(cid,),
            icon=":material/refresh:",
        )
        if st.session_state.get("regen_confirm") == cid:
            confirm_regenerate(record, cid, on_regenerate)
        if criterion.get("question"):
            st.info(md(criterion["question"]), icon=":material/help:")
        bullets = draft_state.current_bullets(record, criterion)
        if not bullets:
            st.caption("No bullet: nothing in this period's evidence shows this yet.")
        for i, bullet in enumerate(bullets):
            bullet_block(editing, record, criterion, i, bullet)


def _ask_regenerate(criterion_id: str) -> None:
    st.session_state["regen_confirm"] = criterion_id


def confirm_regenerate(record: dict[str, Any], criterion_id: str, on_regenerate: Callable[..., None]) -> None:
    edited = draft_state.edit_count(record, criterion_id)
    with st.container(border=True):
        st.markdown(
            md(
                f"Draft {criterion_id} again from the evidence? The current text is kept as a version "
                "you can restore."
            )
        )
        keep = True
        if edited:
            keep = st.radio(
                f"Your {edited} edited bullet(s) here",
                [True, False],
                key=f"regen_keep:{criterion_id}",
                format_func=lambda k: "Keep them beside the new bullets" if k else "Replace them too",
                horizontal=True,
            )
        go, cancel = st.columns(2)
        go.button(
            "Regenerate now",
            key=f"regen_go:{criterion_id}",
            type="primary",
            on_click=on_regenerate,
            args=(criterion_id, keep),
        )
        cancel.button(
            "Cancel",
            key=f"regen_cancel:{criterion_id}",
            on_click=st.session_state.pop,
            args=("regen_confirm", None),
        )


def bullet_block(
    editing: bullet_editor.Editing,
    record: dict[str, Any],
    criterion: dict[str, Any],
    i: int,
    bullet: dict[str, Any],
) -> None:
    text, beside = st.columns([3, 2], vertical_alignment="top")
    with text:
        bullet_editor.text_area(editing, record, criterion, i, bullet)
        st.markdown(
            " ".join(badges(bullet)) + (" " + badge("edited", "blue") if bullet.get("edited") else "")
        )
        for finding in bullet.get("lint", []):
            found = finding.get("text", "")
            said = f"“{one_line(found, 60)}”: " if finding.get("rule") != "missing_number" else ""
            rule = LINT_LABELS.get(finding.get("rule", ""), finding.get("rule", "").replace("_", " "))
            st.caption(md(f"{rule}: {said}{finding.get('suggestion', '')}"))
        for flag in bullet.get("flags", []):
            if not flag.startswith(("ungrounded number", "role check")):
                st.caption(md(flag))
    with beside:
        citations(record, bullet, bullet_editor.widget_key(record, criterion["id"], i))


LINT_LABELS = {
    "hedge": "Hedging",
    "weak_verb": "Weak verb",
    "passive": "Passive voice",
    "missing_number": "No number",
}


def badges(bullet: dict[str, Any]) -> list[str]:
    out = []
    numbers = bullet.get("numbers", [])
    unverified = [n["text"] for n in numbers if not n.get("grounded")]
    held = export.held_back({"criteria": [{"id": "", "bullets": [bullet]}]})
    if held:
        out.append(badge("held back from the export", "red"))
    elif bullet.get("evidence") and not unverified:
        out.append(badge("grounded", "green"))
    if not bullet.get("evidence"):
        out.append(badge("no citation", "gray"))
    out += [badge(f"unverified number: {text}", "red") for text in unverified]
    if not bullet.get("role_ok", True):
        out.append(badge("role check", "orange"))
    return out


def citations(record: dict[str, Any], bullet: dict[str, Any], key: str) -> None:
    """The bullet's citations as [n] chips; a click shows that evidence here, beside the bullet."""
    cited = bullet.get("evidence", [])
    for flag in (f for f in bullet.get("flags", []) if f.startswith("role check")):
        st.warning(md(flag), icon=":material/person_search:")
    if not cited:
        st.caption("No evidence cited.")
        return
    metrics = {f"metric:{m['name']}": m for m in record["draft"].get("metrics", [])}

    def label(n: int) -> str:
        cid = cited[n - 1]
        metric = metrics.get(cid)
        name = (
            (metric.get("label") or metric["name"])
            if metric
            else evidence_title(cid, record["evidence"].get(cid))
        )
        return md(f"[{n}] {one_line(name, 38)}")

    chosen = st.pills(
        "Cited evidence",
        list(range(1, len(cited) + 1)),
        format_func=label,
        key=f"cite:{key}",
        label_visibility="collapsed",
    )
    if chosen is None:
        return
    cid = cited[chosen - 1]
    with st.container(border=True):
        if cid in metrics:
            m = metrics[cid]
            st.markdown(
                f"**{md(m.get('label') or m['name'])}: {md(m['value'])}**  \n"
                f"computed from {len(m.get('evidence', []))} evidence item(s)"
            )
        elif (item := record["evidence"].get(cid)) is None:
            st.caption(md(f"{cid}: no longer in this workspace"))
        else:
            evidence_card(cid, item)


DATE_ONLY = re.compile(r"^\W*\d{4}-\d{2}-\d{2}(?:[ T][\d:.+-Z]*)?\W*$|^\W*\d{1,2} \w{3,9} \d{4}\W*$")


def evidence_title(cid: str, item: dict[str, Any] | None) -> str:
    """A title to show for an item: a heading that is only a date says nothing, so its text's opening is used."""
    if item is None:
        return cid
    title = str(item.get("title") or "")
    if title and not DATE_ONLY.match(title):
        return title
    text = " ".join(str(item.get("snippet") or "").split())
    return one_line(text, 70) if text else f"{item.get('kind') or 'item'} of {str(item.get('date', ''))[:10]}"


def evidence_card(cid: str, item: dict[str, Any]) -> None:
    where = link("open", item.get("url"))
    opened = f" · {where}" if where != md("open") else ""
    st.markdown(
        f"**{md(evidence_title(cid, item))}**  \n"
        f"{md(str(item.get('date', ''))[:10])} · {md(item.get('source', ''))} {md(item.get('kind', ''))} · "
        f"your part: {md(item.get('role', ''))}{opened}"
    )
    if item.get("snippet"):
        st.caption(md(item["snippet"]))


def forgotten_wins(record: dict[str, Any]) -> None:
    wins = record["draft"].get("forgotten_wins", [])
    if not wins:
        st.caption("Nothing notable left out: every high-signal item is cited.")
        return
    for win in wins:
        where = link("open", win.get("url"))
        opened = f" · {where}" if where != md("open") else ""
        st.markdown(
            f"- **{md(win.get('summary') or win.get('title', ''))}** ({md(str(win.get('date', ''))[:10])}, "
            f"{md(win.get('why', ''))}) · {md(win['id'])}{opened}"
        )


def metrics_table(record: dict[str, Any]) -> None:
    metrics = record["draft"].get("metrics", [])
    if not metrics:
        st.caption("No numbers could be computed from this period's evidence.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "metric": m.get("label") or m["name"],
                    "value": m["value"],
                    "items counted": len(m.get("evidence", [])),
                    "name": m["name"],
                }
                for m in metrics
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def export_panel(record: dict[str, Any], base_name: str, title: str, preferences: dict[str, bool]) -> None:
    """Clean exports by default (no ids, no empty criteria), exactly what the export policy lets through."""
    cols = st.columns([2, 2, 3])
    ids = cols[0].checkbox(
        "Evidence ids after each bullet", value=preferences.get("export_ids", False), key="export_ids"
    )
    empty = cols[1].checkbox(
        "Criteria with no bullet yet", value=preferences.get("export_empty", False), key="export_empty"
    )
    limit = cols[2].number_input(
        "Character limit per criterion field (0 = no limit)",
        min_value=0,
        max_value=20000,
        value=0,
        step=100,
        key="export_limit",
        help="Review tools often cap each field; text is cut at a word boundary.",
    )
    payload = draft_state.edited_payload(record)
    choices: dict[str, Any] = {"ids": ids, "empty": empty, "field_limit": limit or None}
    markdown = usecases.export(payload, "markdown", **choices)
    plain = usecases.export(payload, "plain", **choices)
    held = draft_state.held_back(record)
    if held:
        st.warning(
            md(
                f"{len(held)} bullet(s) are held back: they are in none of the exports below, which say "
                "so. Fix them above to include them: "
                + "; ".join(f"{h['criterion']}: “{one_line(h['text'], 80)}” ({h['reason']})" for h in held)
            ),
            icon=":material/block:",
        )
    shortened = [line for line in plain.splitlines() if " section(s) shortened to " in line]
    if shortened:
        st.info(
            md(shortened[-1]) + " (cut at a word boundary, marked with …)",
            icon=":material/content_cut:",
        )
    left, middle, right = st.columns(3)
    left.download_button(
        "Download Markdown",
        markdown,
        file_name=f"{base_name}.md",
        mime="text/markdown",
        icon=":material/download:",
        key="export_md",
    )
    middle.download_button(
        "Download plain text",
        plain,
        file_name=f"{base_name}.txt",
        mime="text/plain",
        icon=":material/download:",
        key="export_txt",
    )
    right.download_button(
        "Download Word (.docx)",
        usecases.export(payload, "docx", title=title, **choices),
        file_name=f"{base_name}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:",
        key="export_docx",
    )
    st.caption("Copy with the icon at the top right of each block.")
    tab_plain, tab_md, tab_each = st.tabs(["Plain text", "Markdown", "One criterion at a time"])
    tab_plain.code(plain, language=None, wrap_lines=True)
    tab_md.code(markdown, language="markdown", wrap_lines=True)
    with tab_each:
        for criterion in payload["criteria"]:
            field = usecases.export(payload, "plain", criterion=criterion["id"], **choices)
            if field or empty:
                st.markdown(md(criterion.get("text") or criterion["id"]))
                st.code(field or export.NO_EVIDENCE, language=None, wrap_lines=True)
