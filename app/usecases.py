"""What a user can do with their evidence, one function each, called alike by the CLI and the UI.

Workspace lifecycle (list, create, delete everything a workspace owns), ingest, remove evidence, search, draft,
redraft chosen criteria, ask, rewrite, export, metrics, re-embed, repair and status. The faces (app/cli.py +
app/commands.py, app/ui) parse input and show results; the use cases do the work. Reading use cases take an open index
(`open_index`) so a face may keep one open; writing ones open and close the workspace themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ingest.evidence import Period

if TYPE_CHECKING:  # imported where used: `selfreview lint` or `--help` never pays for Chroma or the model
    from app.answer_stream import Listener
    from app.export import Format as ExportFormat
    from app.index import EvidenceIndex
    from app.ingest_session import EmbedderWrapper, IngestSession
    from app.model import Answer, Draft, Glossary, Hit, Ladder, Metric
    from app.rewrite import Rewrite
    from app.search import HybridSearch
    from app.settings import Settings
    from ingest.pipeline import IngestReport, Progress
    from ingest.sources import SourceOptions

ALL_TIME = Period()

# --- workspaces ---------------------------------------------------------------------------------------------


def workspaces(settings: Settings) -> list[str]:
    """Every workspace under the data directory, by name."""
    from ingest.store import list_workspaces

    return list_workspaces(settings.home)


def create_workspace(settings: Settings, name: str) -> str:
    """An empty workspace (a ledger and its folder); a bad name raises WorkspaceError, an existing one is kept."""
    from ingest.store import Workspace

    Workspace(settings.home, name, chroma_url=settings.chroma_url).close()
    return name


def delete_workspace(settings: Settings, name: str) -> list[Path]:
    """Remove everything the workspace owns: its Chroma collection, ledger, caches, saved drafts and their
    versions, chat, uploads, ingest history and fetched sync pages. Returns what was removed."""
    from ingest.store import WorkspaceError, delete_workspace, list_workspaces

    if name not in list_workspaces(settings.home):
        raise WorkspaceError(f"no workspace named {name!r}")
    return delete_workspace(settings.home, name, settings.chroma_url)


def open_index(settings: Settings, name: str | None = None, shared: bool = False) -> HybridSearch:
    """The workspace's search index. `shared`: its ledger may be read from any thread (a UI's cached index)."""
    from app import services

    workspace = services.open_workspace(settings, name)
    if shared:
        workspace.ledger.share_across_threads()
    return services.search_index(settings, workspace)


def status(settings: Settings, name: str | None = None) -> dict[str, Any]:
    """What the workspace holds: items, chunks, embedding model, version."""
    from app import services

    workspace = services.open_workspace(settings, name)
    try:
        return workspace.summary()
    finally:
        workspace.close()


# --- writing evidence ---------------------------------------------------------------------------------------


def ingest(
    settings: Settings,
    kind: str,
    paths: list[Path],
    options: SourceOptions | None = None,
    prune: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
    *,
    embed_with: EmbedderWrapper | None = None,
) -> IngestReport:
    """Read one source's files into the workspace (an idempotent sync); `prune` removes what left the source;
    `embed_with` wraps the configured embedder (to watch each batch of chunks)."""
    with ingest_session(settings, name) as session:
        return session.ingest(kind, paths, options, prune, progress, embed_with)


def ingest_session(settings: Settings, name: str | None = None, undoable: bool = False) -> IngestSession:
    """The workspace open for several ingests in a row (the browser's upload batch): each `session.ingest` syncs
    as `ingest` does, `take_back()` (when `undoable`) removes what the session added, and closing it rebuilds
    the keyword index once. Use it as a context manager."""
    from app.ingest_session import IngestSession

    return IngestSession(settings, name, undoable)


def remove_ingested(settings: Settings, origins: list[str], name: str | None = None) -> int:
    """Remove every item that came from these sources (the origin keys of a past ingest); returns how many."""
    from app.ingest_session import remove_ingested as run

    return run(settings, origins, name)


def ingest_sample(
    settings: Settings, progress: Progress | None = None, name: str | None = None
) -> IngestReport:
    """Ingest the bundled sample (a fictional engineer's year)."""
    from app import services

    workspace = services.open_workspace(settings, name)
    try:
        return services.ingest_sample(settings, workspace, progress)
    finally:
        workspace.close()


def remove_evidence(settings: Settings, ids: list[str], name: str | None = None) -> int:
    """Remove these evidence items from the workspace (from Chroma, the ledger and the keyword index); ids it
    does not hold are ignored. Returns how many were removed."""
    from app import evidence_removal, services

    workspace = services.open_workspace(settings, name)
    try:
        removed = evidence_removal.remove(workspace, ids)
        services.build_snapshot(workspace)
        return removed
    finally:
        workspace.close()


def reembed(settings: Settings, progress: Progress | None = None, name: str | None = None) -> IngestReport:
    """Embed every item again with the configured embedding backend."""
    from app import services
    from ingest.pipeline import reembed as run

    workspace = services.open_workspace(settings, name)
    try:
        report = run(workspace, services.embedder_factory(settings)(), progress)
        services.build_snapshot(workspace)
        return report
    finally:
        workspace.close()


def repair(settings: Settings, name: str | None = None) -> Any:
    """Rebuild a damaged ledger (from Chroma or its backup) and check the Chroma store (ingest.repair)."""
    from app import services
    from ingest.repair import repair as run

    name = name or settings.workspace
    return run(settings.home, name, settings.chroma_url, services.embedder_factory(settings, name))


# --- reading evidence ---------------------------------------------------------------------------------------


def search(
    index: EvidenceIndex, query: str, k: int = 10, period: Period = ALL_TIME, sources: list[str] | None = None
) -> list[Hit]:
    return index.search(query, k, period.since, period.until, sources or None)


def metrics(index: EvidenceIndex, period: Period = ALL_TIME) -> list[Metric]:
    """Counts computed by code from the period's evidence, each with the ids it counted."""
    from app.metrics import compute

    return compute(index.all_evidence(period.since, period.until), period.since, period.until)


def draft(
    index: EvidenceIndex, ladder: Ladder, level: str, period: Period = ALL_TIME, chat: Any = None
) -> Draft:
    """Bullets for every criterion of the level, each checked by the gate, with coverage and metrics."""
    from app.drafting import draft as run

    return run(index, ladder, level, period.since, period.until, chat=chat)


def redraft(
    index: EvidenceIndex,
    ladder: Ladder,
    level: str,
    criteria: list[str],
    period: Period = ALL_TIME,
    chat: Any = None,
) -> Draft:
    """Draft only the named criteria of the level again (the rest of a saved draft is the caller's to keep).

    Each criterion is matched against the whole level, as in a full draft, so its bullets come out the same."""
    from app.drafting import draft as run

    known = {c.id for c in ladder.for_level(level)}
    unknown = [c for c in criteria if c not in known]
    if unknown:
        where = ladder.path or ladder.name
        raise ValueError(
            f"criterion {', '.join(map(repr, unknown))} is not in level {level} of {where}: "
            "draft the whole level again"
        )
    return run(index, ladder, level, period.since, period.until, chat=chat, only=list(criteria))


def ask(
    index: EvidenceIndex,
    question: str,
    period: Period = ALL_TIME,
    chat: Any = None,
    listener: Listener | None = None,
) -> Answer:
    """The answer to a question about past work, with citations, or "I found nothing". With a `listener`, the
    answer is shown to it while it is written (an LLM's stream) and a stream that fails is named in its note."""
    if listener is not None:
        from app.answer_stream import answer as streamed

        return streamed(index, question, period.since, period.until, chat, listener)
    from app.ask import ask as run

    return run(index, question, period.since, period.until, chat=chat)


def rewrite(
    text: str, glossary: Glossary | None = None, chat: Any = None, index: EvidenceIndex | None = None
) -> Rewrite:
    """The text in the organization's vocabulary, as strong as the user's part in the cited work."""
    from app.rewrite import rewrite as run

    return run(text, glossary, chat=chat, index=index)


@overload
def export(
    draft: Draft | dict[str, Any],
    format: Literal["text", "markdown", "plain"] = ...,
    *,
    ids: bool = ...,
    empty: bool = ...,
    field_limit: int | None = ...,
    coverage: bool = ...,
    criterion: str | None = ...,
    title: str = ...,
    markdown: bool = ...,
) -> str: ...
@overload
def export(
    draft: Draft | dict[str, Any],
    format: Literal["docx"],
    *,
    ids: bool = ...,
    empty: bool = ...,
    field_limit: int | None = ...,
    coverage: bool = ...,
    criterion: None = ...,
    title: str = ...,
    markdown: bool = ...,
) -> bytes: ...
def export(
    draft: Draft | dict[str, Any],
    format: ExportFormat = "plain",
    *,
    ids: bool = False,
    empty: bool = False,
    field_limit: int | None = None,
    coverage: bool = False,
    criterion: str | None = None,
    title: str = "Self-review",
    markdown: bool = False,
) -> str | bytes:
    """The draft as a document to hand in, through the export policy: flagged bullets are held back and the
    document says how many and why. Clean by default: `ids` puts the evidence ids after each bullet, `empty`
    lists criteria with no bullet, `coverage` closes with "Cited X of Y", `field_limit` cuts each criterion at a
    word boundary and says so; `criterion` gives only that criterion's bullets, to paste into its field.
    Formats: text (as a terminal shows it), markdown, plain, docx (bytes). `markdown=True` is format="markdown"."""
    from app.export import Options, document

    options = Options(
        format="markdown" if markdown else format,
        ids=ids,
        empty=empty,
        field_limit=field_limit,
        coverage=coverage,
        criterion=criterion,
        title=title,
    )
    return document(draft, options)
