"""Answer questions about past work from the user's own evidence, with citations, or say nothing was found.

One path for every face (CLI, UI, evals): `prepare` reads the question; a question about fields (counts, lists,
file paths, people, PR numbers, dates) is answered there from the fields (app.ask_rules); an open question gets
the items that are about it in meaning (app.ask_search), which `ask` (or the UI's stream) puts into words.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app import ask_rules, questions
from app.ask_context import Context
from app.ask_filters import citation, reference
from app.ask_search import find
from app.index import EvidenceIndex
from app.metrics import compute, in_period, user_names
from app.model import Answer, Hit, Metric
from app.phrasing import describe
from app.text import terms

MAX_LISTED = 8


@dataclass
class Prepared:
    """A question read against the workspace: a finished answer, or the items an answer is to be written from."""

    question: questions.Question
    since: datetime | None
    until: datetime | None
    when: str
    answer: Answer | None = None  # set when the fields answered it, or when nothing is about it
    hits: list[Hit] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)

    def period(self) -> tuple[str | None, str | None]:
        return (self.since.isoformat() if self.since else None), (
            self.until.isoformat() if self.until else None
        )


MERGE_TITLE = re.compile(r"^Merge (?:pull request|branch|remote-tracking branch)\b")


def prepare(
    index: EvidenceIndex,
    question: str,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> Prepared:
    everything = index.all_evidence()
    parsed = questions.parse(question, everything, now)
    named = since is None and until is None and bool(parsed.period.phrase)
    if since is None and until is None:
        since, until = parsed.period.since, parsed.period.until
    when = f" ({parsed.period.phrase})" if named else ""
    evidence = [
        e
        for e in everything
        if in_period(e, since, until)
        and (not named or parsed.period.holds(e.when))
        and (not parsed.sources or e.source in parsed.sources)  # "Jira tickets", "Linear issues"
        and not (parsed.no_merges and e.kind == "commit" and MERGE_TITLE.match(e.title))
        and e.kind != parsed.excluded
    ]
    prepared = Prepared(parsed, since, until, when)
    ctx = Context(index, evidence, everything, user_names(everything), since, until, when)
    prepared.answer = ask_rules.answer(parsed, ctx)
    if prepared.answer is not None:
        return prepared
    subject = parsed.subject or question.strip(" ?")
    held = {e.id for e in evidence}
    prepared.hits = [s.hit for s in find(index, subject, since, until) if s.about and s.evidence.id in held][
        :MAX_LISTED
    ]
    if not prepared.hits:
        prepared.answer = Answer(
            f"I found nothing in your evidence about {subject}{when}.", [], "offline", *prepared.period()
        )
    else:
        prepared.metrics = compute(evidence, since, until)
    return prepared


def ask(
    index: EvidenceIndex,
    question: str,
    since: datetime | None = None,
    until: datetime | None = None,
    chat: Any = None,
    now: datetime | None = None,
) -> Answer:
    prepared = prepare(index, question, since, until, now)
    if prepared.answer is not None:
        return prepared.answer
    if chat is not None:
        answered = _llm_answer(chat, question, prepared.hits, prepared.metrics)
        if answered is not None:
            return Answer(answered[0], answered[1], "llm", *prepared.period())
    return offline_answer(prepared)


def offline_answer(prepared: Prepared) -> Answer:
    """The items about the question, oldest first, each said once in the user's role, with numbered citations."""
    if prepared.answer is not None:
        return prepared.answer
    subject = prepared.question.subject or prepared.question.text.strip(" ?")
    lines = [f"Here is what your evidence shows about {subject}{prepared.when}:"]
    ordered: list[Hit] = []
    seen: set[str] = set()
    focus = set(terms(subject))
    for hit in sorted(prepared.hits, key=lambda h: (h.evidence.date, h.evidence.id)):
        said = describe(hit.evidence, focus)
        ref = reference(hit.evidence)
        said += f" ({ref})" if ref.startswith("#") and ref not in said else ""
        if said not in seen:  # a merged PR and its commit say the same thing once
            seen.add(said)
            ordered.append(hit)
            lines.append(f"- {hit.evidence.date[:10]}: {said} [{len(ordered)}]")
    return Answer(
        "\n".join(lines), [citation(h.evidence, h.snippet) for h in ordered], "offline", *prepared.period()
    )


def _llm_answer(
    chat: Any, question: str, hits: list[Hit], metrics: list[Metric]
) -> tuple[str, list[dict[str, Any]]] | None:
    try:
        module = importlib.import_module("app.llm_ask")
    except ImportError:
        return None
    result = module.answer(chat, question, hits, metrics)
    if result is None:
        return None
    text, cited_ids = result
    retrieved = {h.evidence.id: h for h in hits}
    kept = [i for i in dict.fromkeys(cited_ids) if i in retrieved]
    return text, [citation(retrieved[i].evidence, retrieved[i].snippet) for i in kept]
