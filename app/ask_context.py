"""What every ask rule answers with: the question's context, and items listed one a line with their citations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import ask_filters as filters
from app.index import EvidenceIndex
from app.model import Answer
from app.participants import who_wrote
from app.phrasing import clean_title, describe
from ingest.evidence import Evidence

MAX_LISTED = 8


@dataclass
class Context:
    index: EvidenceIndex
    evidence: list[Evidence]  # the period's
    everything: list[Evidence]  # the whole workspace's, to tell "none this period" from "none at all"
    me: set[str]
    since: datetime | None
    until: datetime | None
    when: str  # " (in November)" when the question named the period, else ""

    def answer(self, text: str, cited: list[Evidence]) -> Answer:
        start, end = (
            (self.since.isoformat() if self.since else None),
            (self.until.isoformat() if self.until else None),
        )
        return Answer(text, [filters.citation(e) for e in cited], "offline", start, end)


def line(e: Evidence, ctx: Context, number: int, note: str = "") -> str:
    """'- 2020-09-15: #1269 “Drop chardet” by Tom Christie, co-authored by you [3]' (`note` goes before the [3])."""
    if e.kind not in ("pr", "commit"):
        return f"- {e.date[:10]}: {describe(e)}{note} [{number}]"
    author, co = who_wrote(e, ctx.me)
    ref = filters.reference(e)
    by = f" by {author}" if author else ""
    by += f", co-authored by {joined(co)}" if co else ""
    return f"- {e.date[:10]}: {ref + ' ' if ref else ''}“{clean_title(e) or e.title}”{by}{note} [{number}]"


def joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def listing(
    head: str, items: list[Evidence], ctx: Context, by_date: bool = True, most: int | None = None
) -> Answer:
    """The head, then the items (by date, or in the order given), at most `most` of them (MAX_LISTED)."""
    shown = (sorted(items, key=lambda e: (e.date, e.id)) if by_date else items)[: most or MAX_LISTED]
    lines = [head] + [line(e, ctx, n) for n, e in enumerate(shown, 1)]
    if len(items) > len(shown):
        lines.append(f"… and {len(items) - len(shown)} more.")
    return ctx.answer("\n".join(lines), shown)
