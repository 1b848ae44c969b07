"""The search interface the application reads evidence through (implemented by app.search.HybridSearch)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.model import Hit
from ingest.evidence import Evidence


class EvidenceIndex(Protocol):
    def search(
        self,
        query: str,
        k: int = 10,
        since: datetime | None = None,
        until: datetime | None = None,
        sources: list[str] | None = None,
    ) -> list[Hit]:
        """Hybrid (dense + BM25) search: one Hit per evidence item, best first, within the filters."""
        ...

    def all_evidence(self, since: datetime | None = None, until: datetime | None = None) -> list[Evidence]:
        """Every evidence item in the workspace within the period, oldest first."""
        ...
