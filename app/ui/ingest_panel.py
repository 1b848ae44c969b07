"""Add evidence from the browser: upload export files (their kind read from the content) or, for the person
running selfreview, name a path; the ingest itself runs as a background job (app.jobs, shown by ingest_status)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import jobs, kinds, services
from app.ui import context
from app.ui.errors import message_for
from app.ui.safe import md
from ingest.pipeline import Progress
from ingest.sources import KINDS, SourceOptions

DETECT = "detect"
KIND_HELP = {
    DETECT: "detect from the file (recommended)",
    "git": "a local git repository (bare or not): your commits and merged PRs",
    "github": "JSON from `gh pr list --json ...`, `gh issue list --json ...` or `gh api`",
    "jira": "a Jira CSV export, REST search JSON or XML",
    "linear": "a Linear CSV export",
    "notes": "Markdown or text notes: brag document, 1:1 notes (dated headings split entries)",
    "email": ".eml messages or an .mbox mailbox (kudos, thank-you mails)",
    "jsonl": "one JSON object per line: id, source, kind, title, date, and optionally body, url, role, author",
}
KIND_FILES = {
    "github": ["json"],
    "jira": ["csv", "json", "xml"],
    "linear": ["csv"],
    "notes": ["md", "markdown", "txt"],
    "email": ["eml", "mbox"],
    "jsonl": ["jsonl", "json"],
}
ALL_FILES = sorted({ext for exts in KIND_FILES.values() for ext in exts})


class StreamlitProgress(Progress):
    """The pipeline's Progress interface drawn as an `st.progress` bar (for work done within one page run)."""

    def __init__(self) -> None:
        self.bar = st.progress(0.0, text="Reading the source…")
        self.name, self.total, self.done = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.done = name, total, 0
        self.bar.progress(0.0, text=f"{name.capitalize()}: 0 of {total} items")

    def advance(self, count: int = 1) -> None:
        self.done += count
        fraction = min(1.0, self.done / self.total) if self.total else 1.0
        self.bar.progress(fraction, text=f"{self.name.capitalize()}: {self.done} of {self.total} items")


def render(ctx: context.UIContext) -> None:
    for problem in st.session_state.get("ingest_refusals", {}).get(ctx.workspace, []):
        st.error(md(problem), icon=":material/block:")  # kept until the next files are ingested
    if ctx.user:  # a signed-in user reaches the server over the network: its folders are not theirs to read
        _upload_form(ctx)
        st.caption(
            "Signed in: evidence is added by uploading files. Reading folders or repositories on the "
            "selfreview server is for the person running it."
        )
        return
    upload_tab, path_tab = st.tabs(["Upload files", "From a path on this machine"])
    with upload_tab:
        _upload_form(ctx)
    with path_tab:
        _path_form(ctx)


def _authors(key: str) -> list[str]:
    text = st.text_input(
        "Your names and emails (optional, comma-separated)",
        key=key,
        help="Used to keep only your own commits and to tell authored work from reviews.",
    )
    return [a.strip() for a in (text or "").split(",") if a.strip()]


def _upload_form(ctx: context.UIContext) -> None:
    choices = [DETECT, *(k for k in KINDS if k != "git")]
    kind = st.selectbox(
        "Kind of export",
        choices,
        key="upload_kind",
        format_func=lambda k: KIND_HELP[k] if k == DETECT else f"{k}: {KIND_HELP[k]}",
    )
    accepted = ALL_FILES if kind == DETECT else KIND_FILES[kind]
    files = st.file_uploader(
        "Export files",
        type=accepted,
        accept_multiple_files=True,
        key=f"upload_files_{kind}",
        help="Accepted: " + ", ".join(f".{e}" for e in accepted),
    )
    authors = _authors("upload_authors")
    if st.button("Ingest uploaded files", key="upload_go", type="primary", disabled=not files):
        dest = ctx.paths.uploads
        saved = [(services.copy_upload(u.getvalue(), u.name, dest / "incoming"), u.name) for u in files or []]
        start(ctx, [(path, name, kind) for path, name in saved], SourceOptions(authors=authors), dest)


def _path_form(ctx: context.UIContext) -> None:
    kind = st.selectbox("Kind", KINDS, key="path_kind", format_func=lambda k: f"{k}: {KIND_HELP[k]}")
    raw = st.text_input(
        "Path (a repository, a folder or a file)",
        key="path_value",
        placeholder="/home/me/src/payments" if kind == "git" else "/home/me/notes",
    )
    authors = _authors("path_authors")
    if st.button("Ingest path", key="path_go", type="primary"):
        text = (raw or "").strip()
        if not text:
            st.warning("Type a path first.", icon=":material/edit:")
            return
        path = Path(text).expanduser()
        if not path.exists():
            st.error(
                md(
                    f"{path} does not exist on this machine: check the path (it is read by the selfreview "
                    "server, not uploaded from your browser)."
                ),
                icon=":material/error:",
            )
            return
        start(ctx, [(path, path.name, kind)], SourceOptions(authors=authors), None)


def start(
    ctx: context.UIContext, files: list[tuple[Path, str, str]], options: SourceOptions, uploads: Path | None
) -> None:
    """Check each file's kind against its content, then ingest the ones that fit as one background job."""
    ready, refusals = [], []
    for path, name, chosen in files:
        detected = kinds.detect(path) if path.is_file() else None
        kind = (detected.kind if detected else None) if chosen == DETECT else chosen
        problem = None
        if detected is not None and kind is None:
            problem = (
                f"{name}: cannot tell what kind of export this is (found {detected.found}). Choose its "
                "kind in the list; nothing was ingested from it."
            )
        elif detected is not None and kind is not None:
            problem = kinds.refusal(name, kind, detected)
        if problem:
            refusals.append(problem)
            continue
        if uploads is not None:  # one folder per kind: a file's evidence ids come from its own path
            path = services.file_upload(path, str(kind), uploads)
        ready.append(jobs.Upload(path, name, str(kind)))
    st.session_state.setdefault("ingest_refusals", {})[ctx.workspace] = refusals
    if not ready:
        for problem in refusals:
            st.error(md(problem), icon=":material/block:")
        return
    try:
        jobs.start(ctx.settings, ctx.workspace, ready, options)
    except Exception as exc:  # noqa: BLE001 - shown as a message
        st.error(md(message_for("start the ingest", exc)), icon=":material/error:")
        return
    st.rerun()
