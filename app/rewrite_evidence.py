"""The evidence a sentence to rewrite is about, and what it shows the user did: the receipts a rewrite stands on.

The sentence (without its hedges) is searched in the workspace and weighed by meaning (app.ask_search); items
the user did themselves (author, assignee, owner; a co-author is not the owner) make the rewrite as strong as
that work, and the strongest of them are named in the rewrite with their citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.ask_search import find
from app.index import EvidenceIndex
from app.phrasing import clean_title
from app.text import terms
from ingest.evidence import Evidence

DOING_ROLES = frozenset({"author", "assignee", "owner"})
WORK_KINDS = frozenset({"pr", "commit", "ticket", "issue", "incident"})
MAX_ITEMS = 4
MAX_NAMED = 2
_HEDGES = re.compile(
    r"\b(?:helped|assisted|was involved in|were involved in|involved in|participated in|just|"
    r"I think|I believe|sort of|kind of|a bit|somewhat|maybe|perhaps)\b",
    re.IGNORECASE,
)


@dataclass
class Receipts:
    """Items the sentence is about, and those of them the user did."""

    about: list[Evidence] = field(default_factory=list)
    done: list[Evidence] = field(default_factory=list)

    @property
    def owned(self) -> bool:
        """The piece of work most about the sentence is one the user did themselves."""
        work = [e for e in self.about if e.kind in WORK_KINDS]
        return bool(work) and work[0] in self.done

    def clause(self, sentence: str) -> str:
        """' (wrote “…”; landed “…”)': the user's own work the sentence does not name yet, in their words."""
        named = []
        for e in self.done:
            title = clean_title(e) or e.title
            if set(terms(title)) <= set(terms(sentence)):
                continue  # the sentence already says it
            phrase = done_phrase(e, title)
            if phrase in named:
                continue  # a PR and its squashed commit name the same piece of work once
            named.append(phrase)
            if len(named) == MAX_NAMED:
                break
        return f" ({'; '.join(named)})" if named else ""


def done_phrase(evidence: Evidence, title: str) -> str:
    """'landed “Dual-write ledger entries to Postgres” (#431)': what the user did, in words that fit any title."""
    ref = evidence.native.get("pr_number") or evidence.native.get("key")
    ref_text = f" (#{ref})" if isinstance(ref, int) else f" ({ref})" if ref else ""
    verb = {"pr": "landed", "commit": "landed", "incident": "resolved"}.get(evidence.kind, "delivered")
    if evidence.kind in ("ticket", "issue") and re.search(
        r"\b(?:doc|design|rfc|proposal|guide)\b", title, re.I
    ):
        verb = "wrote"
    return f"{verb} “{title}”{ref_text}"


def receipts(index: EvidenceIndex | None, sentence: str) -> Receipts:
    if index is None:
        return Receipts()
    query = " ".join(_HEDGES.sub(" ", sentence).split())
    about = [s.evidence for s in find(index, query) if s.about][:MAX_ITEMS]
    done = [e for e in about if e.role in DOING_ROLES and e.kind in WORK_KINDS]
    return Receipts(about, done)
