"""The evidence a sentence to rewrite is about, and what it shows the user did: the receipts a rewrite stands on.

The sentence (without its hedges) is searched in the workspace and weighed by meaning (app.ask_search); items
the user did themselves (author, assignee, owner; a co-author is not the owner) make the rewrite as strong as
that work, and the strongest of them are named in the rewrite with their citations.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from app import hedge_fixes, lint
from app.actions import opens_action
from app.ask_search import find
from app.index import EvidenceIndex
from app.participants import people_of
from app.phrasing import clean_title, work_key
from app.questions import topic
from app.text import base_form, past_tense, terms
from app.verbs import readings
from ingest.evidence import Evidence

DOING_ROLES = frozenset({"author", "assignee", "owner"})
WORK_KINDS = frozenset({"pr", "commit", "ticket", "issue", "incident"})
MAX_ITEMS = 4
MAX_NAMED = 2


@dataclass
class Receipts:
    """Items the sentence is about, and those of them the user did."""

    about: list[Evidence] = field(default_factory=list)
    done: list[Evidence] = field(default_factory=list)

    @property
    def acts(self) -> frozenset[str]:
        """What the user's role in the piece of work most about the sentence proves they did, though it was not
        their own ("merge" when they merged it)."""
        work = [e for e in self.about if e.kind in WORK_KINDS]
        return frozenset({_ACTS[work[0].role]}) if work and work[0].role in _ACTS else frozenset()

    @property
    def shown(self) -> frozenset[str]:
        """The verbs the user's own work is titled with ("Document Unix Domain Socket usage": "document")."""
        words = " ".join(clean_title(e) or e.title for e in self.done).split()  # "stream_text()" is no verb
        return frozenset(base_form(w) or w.lower() for w in words if re.fullmatch(r"[A-Za-z]+", w))

    @property
    def owned(self) -> bool:
        """The piece of work most about the sentence is one the user did themselves."""
        work = [e for e in self.about if e.kind in WORK_KINDS]
        return bool(work) and work[0] in self.done

    def strongest(self, original: str, fixed: str) -> str:
        """'I contributed to the nw-kafka library' -> 'I built the nw-kafka library' when the fix weakened a hedge
        to "contributed to" or "worked on" and the user's own work most about it says what they did ("Build a shared Kafka
        consumer library (nw-kafka)"), about everything the sentence names; else the fixed text."""
        said = _CONTRIBUTED.search(fixed)
        if not self.owned or said is None or said.group(0) in original or not self.done:
            return fixed
        title = clean_title(self.done[0]) or self.done[0].title
        words = title.split()
        if not words or not opens_action(words, 0):
            return fixed
        verb = base_form(words[0]) or words[0].lower()
        named = set(terms(re.split(r"[(;,.]", fixed[said.end() :], maxsplit=1)[0]))
        if not named or not named <= set(terms(title)) or "verb" not in readings(verb):
            return fixed
        if set(terms(verb)) & named:
            return fixed  # "the cluster decommission" already names the action: never "decommissioned … decommission"
        return fixed[: said.start()] + past_tense(verb) + fixed[said.end() :]

    def clause(self, sentence: str) -> str:
        """' (wrote “…”; landed “…”)': the user's own work the sentence does not name yet, in their words."""
        named = []
        for at, e in enumerate(self.done):
            title = clean_title(e) or e.title
            if set(terms(title)) <= set(terms(sentence)):
                # the sentence already says it: when it is the work most about the sentence, its reference is the
                # receipt, and weaker matches are not named beside it
                ref = reference(e)
                if at == 0:
                    return f" ({ref})" if ref and ref not in sentence else ""
                continue
            phrase = done_phrase(e, title)
            if phrase in named:
                continue  # a PR and its squashed commit name the same piece of work once
            named.append(phrase)
            if len(named) == MAX_NAMED:
                break
        return f" ({'; '.join(named)})" if named else ""


def reference(evidence: Evidence) -> str:
    """'#431' or 'PAY-104': how the work is referred to, or '' when it has no number or key."""
    ref = evidence.native.get("pr_number") or evidence.native.get("key")
    return f"#{ref}" if isinstance(ref, int) else str(ref) if ref else ""


def done_phrase(evidence: Evidence, title: str) -> str:
    """'landed “Dual-write ledger entries to Postgres” (#431)': what the user did, in words that fit any title."""
    ref = reference(evidence)
    ref_text = f" ({ref})" if ref else ""
    verb = {"pr": "landed", "commit": "landed", "incident": "resolved"}.get(evidence.kind, "delivered")
    if evidence.kind in ("ticket", "issue") and re.search(
        r"\b(?:doc|design|rfc|proposal|guide)\b", title, re.I
    ):
        verb = "wrote"
    return f"{verb} “{title}”{ref_text}"


def receipts(index: EvidenceIndex | None, sentence: str) -> Receipts:
    if index is None:
        return Receipts()
    about: list[Evidence] = []
    pieces: set[str] = set()
    people = people_of(index.all_evidence())
    for found in find(index, subject(sentence, people)):
        if (
            found.about and work_key(found.evidence) not in pieces
        ):  # a PR once, not its record and its commits
            pieces.add(work_key(found.evidence))
            about.append(found.evidence)
    named = _IDENTIFIER.findall(sentence)
    if named:
        # "I had a small part in writing RFC-017": the user's own work that names it (their ticket "RFC-017: …",
        # their PR, their commits) stands for it before a colleague's PR that also mentions it; a PR or ticket
        # before the commits it gathers
        def rank(e: Evidence) -> tuple[bool, bool]:
            theirs = _does(e) and any(_names(e, n) for n in named)
            return not theirs, theirs and e.kind == "commit"

        about.sort(key=rank)
    about = about[:MAX_ITEMS]
    done = [e for e in about if _does(e)]
    return Receipts(about, done)


_ACTS = {"merger": "merge", "reviewer": "review"}
_CONTRIBUTED = re.compile(r"\b(?:contributed to|worked on)(?= )")  # what a weakened hedge says
# A name a piece of work goes by: a ticket, incident or document key ("RFC-017", "INC-247") or a PR number ("#466").
_IDENTIFIER = re.compile(r"(?<![\w-])(?:[A-Z][A-Z0-9]{1,9}-\d{1,7}|#\d{1,7})(?![\w-])")


def _does(evidence: Evidence) -> bool:
    return evidence.role in DOING_ROLES and evidence.kind in WORK_KINDS


def _names(evidence: Evidence, identifier: str) -> bool:
    return reference(evidence) == identifier or bool(
        re.search(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])", evidence.title)
    )


_WITH_GROUP = re.compile(
    r"\b(?:with|alongside)\s+(?:the|our|my)\s+(?:[\w-]+\s+){0,2}?(?:team|group|squad|crew)\b", re.IGNORECASE
)


def subject(sentence: str, people: Collection[str] = ()) -> str:
    """What the sentence is about, as a search: its words without the hedges the linter knows, the person, the
    `people` it names (who took part is structure, not the topic) and the work verbs ("I believe I helped write the
    troubleshooting guide" -> "troubleshooting guide")."""
    sentence = hedge_fixes.fix(sentence, owned=True)  # "was part of the effort to add X" -> "added X"
    sentence = _WITH_GROUP.sub(" ", sentence)  # "… with the team": who took part, not the topic
    for name in sorted(people, key=len, reverse=True):
        if len(name) > 2:
            sentence = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", sentence)
    for found in sorted(lint.hedges(sentence), key=lambda f: f.span[0], reverse=True):
        # the hedge's words go; a verb it carried stays ("helped tune" -> "tune", "helped with" -> "")
        said = {base_form(w) or w.lower() for w in (found.replacement or "").split()}
        kept = [w for w in found.text.split() if (base_form(w) or w.lower()) in said]
        sentence = sentence[: found.span[0]] + " " + " ".join(kept) + " " + sentence[found.span[1] :]
    return topic(sentence) or " ".join(sentence.split())
