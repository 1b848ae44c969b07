"""Removing evidence items from a workspace: their chunks leave Chroma, then the ledger, and search sees a new
version. A run stopped between the two steps leaves Chroma holding fewer chunks than the ledger, which the
store's own check on the next write puts right."""

from __future__ import annotations

from ingest import chroma_store, keywords, sync
from ingest.store import Workspace


def remove(workspace: Workspace, ids: list[str]) -> int:
    """Remove these evidence items (ids not in the workspace are ignored); returns how many were removed."""
    known = set(workspace.ledger.states())
    wanted = [i for i in dict.fromkeys(ids) if i in known]
    if not wanted:
        return 0
    with workspace.writer():
        chunk_ids = [cid for evidence_id in wanted for cid in workspace.ledger.chunk_ids(evidence_id)]
        if chunk_ids:
            chroma_store.delete(workspace.collection(), chunk_ids)
        workspace.ledger.remove(wanted)
        _settle(workspace)
    return len(wanted)


def _settle(workspace: Workspace) -> None:
    """As after any completed write: a new ledger version for search, the store's fingerprint, the keyword
    index without the removed items."""
    sync.settle(workspace)
    keywords.build(workspace.dir, workspace.ledger)
