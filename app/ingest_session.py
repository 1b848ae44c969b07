"""An ingest session: one workspace open while one or more sources are synced into it, the way every face ingests.

`selfreview ingest` runs a session of one source; the browser's background job runs one per upload batch, with a
progress object, an embedder wrapper (to report by chunk and stop quickly) and `take_back()` to remove what a
cancelled batch added. Closing the session rebuilds the keyword index once, whatever happened inside it.
`remove_ingested` takes out what a past ingest brought in, by the sources it read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.settings import Settings
    from ingest.embeddings import Embedder
    from ingest.pipeline import IngestReport, Progress
    from ingest.sources import SourceOptions

EmbedderWrapper = Callable[["Embedder"], "Embedder"]


class IngestSession:
    """Open with `usecases.ingest_session`; use as a context manager so the workspace is always closed."""

    def __init__(self, settings: Settings, name: str | None = None, undoable: bool = False) -> None:
        from app import services

        self._settings = settings
        self.workspace = services.open_workspace(settings, name)
        self._before = set(self.workspace.ledger.states()) if undoable else None
        self._origins: list[str] = []

    def ingest(
        self,
        kind: str,
        paths: list[Path],
        options: SourceOptions | None = None,
        prune: bool = False,
        progress: Progress | None = None,
        embed_with: EmbedderWrapper | None = None,
    ) -> IngestReport:
        """Sync one source's files (idempotent); `embed_with` wraps the configured embedder for this sync."""
        from app import services
        from ingest.pipeline import ingest, origin_key

        configured = services.embedder_factory(self._settings, self.workspace)
        embedder = configured if embed_with is None else (lambda: embed_with(configured()))
        self._origins.append(origin_key(kind, paths))
        return ingest(self.workspace, embedder, kind, paths, options, prune, progress)

    def take_back(self) -> int:
        """Remove every item this session's sources added (what the workspace held before stays); returns how
        many. Only for a session opened `undoable`."""
        from app import evidence_removal

        if self._before is None:
            raise RuntimeError("this ingest session was not opened undoable")
        ledger = self.workspace.ledger
        added = {i for origin in dict.fromkeys(self._origins) for i in ledger.ids_from(origin)} - self._before
        return evidence_removal.remove(self.workspace, sorted(added))

    def close(self) -> None:
        from app import services

        try:
            services.build_snapshot(self.workspace)  # the first search afterwards is as fast as any other
        finally:
            self.workspace.close()

    def __enter__(self) -> IngestSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def remove_ingested(settings: Settings, origins: list[str], name: str | None = None) -> int:
    """Remove every item that came from these sources (origin keys an ingest recorded); returns how many."""
    from app import evidence_removal, services

    workspace = services.open_workspace(settings, name)
    try:
        ids = sorted({i for origin in origins for i in workspace.ledger.ids_from(origin)})
        removed = evidence_removal.remove(workspace, ids)
        services.build_snapshot(workspace)
        return removed
    finally:
        workspace.close()
