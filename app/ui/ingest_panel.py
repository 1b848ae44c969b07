"""Add evidence from the browser: upload export files or name a path, ingest with a visible progress bar."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from app import services
from app.ui import context
from app.ui.errors import guard
from app.ui.safe import md
from ingest.pipeline import IngestReport, Progress
from ingest.sources import KINDS, SourceOptions

KIND_HELP = {
    "git": "a local git repository (bare or not): your commits and merged PRs",
    "github": "JSON from `gh pr list --json ...`, `gh issue list --json ...` or `gh api`",
    "jira": "a Jira CSV export or REST search JSON",
    "linear": "a Linear CSV export",
    "notes": "Markdown or text notes: brag document, 1:1 notes (dated headings split entries)",
    "email": ".eml messages or an .mbox mailbox (kudos, thank-you mails)",
    "jsonl": "one Evidence record per line (the schema in DESIGN.md)",
}
KIND_FILES = {
    "github": ["json"],
    "jira": ["csv", "json"],
    "linear": ["csv"],
    "notes": ["md", "markdown", "txt"],
    "email": ["eml", "mbox"],
    "jsonl": ["jsonl", "json"],
}
ALL_FILES = sorted({ext for exts in KIND_FILES.values() for ext in exts})


class StreamlitProgress(Progress):
    """The pipeline's Progress interface drawn as an `st.progress` bar inside an `st.status` box."""

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
    if ctx.user:  # a signed-in user reaches the server over the network: its folders are not theirs to read
        _upload_form(ctx)
        st.caption("Signed in: evidence is added by uploading files. Reading folders or repositories on the "
                   "selfreview server is for the person running it.")
    else:
        upload_tab, path_tab = st.tabs(["Upload files", "From a path on this machine"])
        with upload_tab:
            _upload_form(ctx)
        with path_tab:
            _path_form(ctx)
    show_report(ctx)


def _authors(key: str) -> list[str]:
    text = st.text_input("Your names and emails (optional, comma-separated)", key=key,
                         help="Used to keep only your own commits and to tell authored work from reviews.")
    return [a.strip() for a in (text or "").split(",") if a.strip()]


def _upload_form(ctx: context.UIContext) -> None:
    kinds = [k for k in KINDS if k != "git"] if ctx.user else list(KINDS)
    kind = st.selectbox("Kind of export", kinds, index=kinds.index("jsonl"), key="upload_kind",
                        format_func=lambda k: f"{k}: {KIND_HELP[k]}")
    if kind == "git" and not ctx.user:
        st.info("A git history cannot be uploaded: type the path of a local repository below "
                "(the same as the 'From a path' tab).", icon=":material/info:")
        repo = st.text_input("Repository path", key="upload_git_path", placeholder="/home/me/src/payments")
        authors = _authors("upload_git_authors")
        if st.button("Ingest repository", key="upload_git_go", type="primary"):
            _ingest_path(ctx, "git", repo, authors)
        return
    files = st.file_uploader("Export files", type=KIND_FILES[kind], accept_multiple_files=True,
                             key=f"upload_files_{kind}", help="Accepted: " + ", ".join(f".{e}" for e in KIND_FILES[kind]))
    authors = _authors("upload_authors")
    if st.button("Ingest uploaded files", key="upload_go", type="primary", disabled=not files):
        dest = ctx.home / "uploads" / ctx.workspace / kind
        paths, names = [], {}
        for upload in files or []:
            path = services.copy_upload(upload.getvalue(), upload.name, dest)
            paths.append(path)
            names[str(path)] = upload.name
        ingest(ctx, kind, paths, SourceOptions(authors=authors), names)


def _path_form(ctx: context.UIContext) -> None:
    kind = st.selectbox("Kind", KINDS, key="path_kind", format_func=lambda k: f"{k}: {KIND_HELP[k]}")
    raw = st.text_input("Path (a repository, a folder or a file)", key="path_value",
                        placeholder="/home/me/src/payments" if kind == "git" else "/home/me/notes")
    authors = _authors("path_authors")
    if st.button("Ingest path", key="path_go", type="primary"):
        _ingest_path(ctx, kind, raw, authors)


def _ingest_path(ctx: context.UIContext, kind: str, raw: str | None, authors: list[str]) -> None:
    if ctx.user:
        st.error("Signed in: upload files instead; paths on the selfreview server are not readable from here.")
        return
    text = (raw or "").strip()
    if not text:
        st.warning("Type a path first.", icon=":material/edit:")
        return
    path = Path(text).expanduser()
    if not path.exists():
        st.error(md(f"{path} does not exist on this machine: check the path (it is read by the selfreview "
                    "server, not uploaded from your browser)."), icon=":material/error:")
        return
    ingest(ctx, kind, [path], SourceOptions(authors=authors), names={})


def ingest(ctx: context.UIContext, kind: str, paths: list[Path], options: SourceOptions,
           names: dict[str, str]) -> IngestReport | None:
    """Run the pipeline in this script run, drawing progress; keep the report for the page to show."""
    report = None
    with guard(f"ingest {kind} evidence"), st.status(f"Ingesting {kind} evidence…", expanded=True) as status:
        progress = StreamlitProgress()
        workspace = services.open_workspace(ctx.settings, ctx.workspace)
        try:
            report = services.ingest_paths(ctx.settings, workspace, kind, paths, options, progress=progress)
        except Exception:
            status.update(label=f"Ingesting {kind} evidence failed", state="error")
            raise
        finally:
            workspace.close()
        status.update(label=f"Ingested {kind} evidence", state="complete", expanded=False)
    if report is not None:
        st.session_state.setdefault("ingest_reports", {})[ctx.workspace] = {
            "kind": kind, "report": report.to_json(), "names": names, "time": time.strftime("%H:%M:%S")}
    return report


def show_report(ctx: context.UIContext) -> None:
    saved = st.session_state.get("ingest_reports", {}).get(ctx.workspace)
    if not saved:
        return
    report, names = saved["report"], saved["names"]
    st.success(md(f"{saved['kind']} ingested at {saved['time']}: {report['added']} added, {report['updated']} "
                  f"updated, {report['unchanged']} unchanged; {report['chunks']} chunks embedded in "
                  f"{report['seconds']:.1f} s."), icon=":material/check_circle:")
    skipped = report.get("skipped") or []
    if skipped:
        st.warning(md(f"{len(skipped)} record(s) skipped. Every other record was ingested. Fix the lines named "
                      "below and ingest the same files again (unchanged records are not embedded twice)."),
                   icon=":material/warning:")
        rows = [{"where": _short(s.get("where", ""), names), "why": s.get("why", "")} for s in skipped]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"where": "File:line", "why": "Why it was skipped"})


def _short(where: str, names: dict[str, str]) -> str:
    """An upload's saved path shown as the name the user uploaded ("notes.md:12")."""
    for saved, name in names.items():
        if where.startswith(saved):
            return name + where[len(saved):]
    return where
