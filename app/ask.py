"""Answer questions about past work from the user's own evidence, with citations, or say nothing was found."""

from __future__ import annotations

import importlib
import re
from datetime import datetime
from typing import Any

from app import timephrases
from app.index import EvidenceIndex
from app.metrics import compute
from app.model import Answer, Hit, Metric
from app.phrasing import describe
from app.retrieval import idf_table, relevance
from app.text import FILLER, STOPWORDS, terms, words, wordset
from ingest.evidence import Evidence

K = 12
MIN_RELEVANCE = 0.5  # share (idf-weighted) of the question's topic words an item must contain
KEEP_RATIO = 0.3
MAX_LISTED = 8
QUESTION_WORDS = FILLER | wordset("what which who whom when where why how many much tell show list give any "
                                  "anything everything all me my i")
_COUNTS = [  # (words in the question, metric names to report)
    (r"\breview|\bothers'?|\bcontributors?\b", ("prs_reviewed_or_merged", "review_authors")),
    (r"\bprs?\b|pull requests?", ("prs_authored", "prs_reviewed_or_merged")),
    (r"\bcommits?\b", ("commits",)),
    (r"\blines?\b", ("lines_added", "lines_removed")),
    (r"\bincidents?\b|\bsevs?\b|outages?", ("incidents",)),
    (r"\bbugs?\b", ("tickets_resolved_bug",)),
    (r"story points?", ("story_points",)),
    (r"\btickets?\b|\bissues?\b", ("tickets_resolved",)),
    (r"\bkudos\b|thank", ("kudos",)),
]


def topic(question: str) -> str:
    kept = [w for w in words(question) if w.lower() not in QUESTION_WORDS and w.lower() not in STOPWORDS]
    return " ".join(kept) or question.strip(" ?")


def ask(index: EvidenceIndex, question: str, since: datetime | None = None, until: datetime | None = None,
        chat: Any = None, now: datetime | None = None) -> Answer:
    period = timephrases.parse(question, now)
    if since is None and until is None:
        since, until = period.since, period.until
    query = period.rest if period.phrase else question
    when = f" ({period.phrase})" if period.phrase and (since, until) == (period.since, period.until) else ""
    evidence = index.all_evidence(since, until)
    metrics = compute(evidence, since, until)
    start, end = (since.isoformat() if since else None), (until.isoformat() if until else None)
    if re.search(r"\bhow many\b|\bhow much\b|\bnumber of\b|\bcount\b", question, re.IGNORECASE):
        counted = _count_answer(question, metrics, evidence, when)
        if counted is not None:
            return Answer(counted[0], counted[1], "offline", start, end)
    hits = relevant(index, query, evidence, since, until)
    subject = topic(query)
    if not hits:
        return Answer(f"I found nothing in your evidence about {subject}{when}.", [], "offline", start, end)
    if chat is not None:
        answered = _llm_answer(chat, question, hits, metrics)
        if answered is not None:
            return Answer(answered[0], answered[1], "llm", start, end)
    lines = [f"Here is what your evidence shows about {subject}{when}:"]
    ordered, seen, focus = [], set(), set(terms(query))
    for hit in sorted(hits[:MAX_LISTED], key=lambda h: (h.evidence.date, h.evidence.id)):
        line = describe(hit.evidence, focus)
        if line not in seen:  # a merged PR and its commit say the same thing once
            seen.add(line)
            ordered.append(hit)
            lines.append(f"- {hit.evidence.date[:10]}: {line} [{len(ordered)}]")
    return Answer("\n".join(lines), [citation(h.evidence, h.snippet) for h in ordered], "offline", start, end)


def relevant(index: EvidenceIndex, query: str, evidence: list[Evidence], since: datetime | None,
             until: datetime | None) -> list[Hit]:
    """Hits that are about the question: most of its topic words (weighted by rarity) appear in them."""
    subject = topic(query)
    if not evidence or not subject:
        return []
    idf = idf_table(evidence)
    hits = [h for h in index.search(query, k=K, since=since, until=until)
            if relevance(subject, h.evidence, idf) >= MIN_RELEVANCE]
    best = max((h.score for h in hits), default=0.0)
    return [h for h in hits if h.score >= KEEP_RATIO * best]


def citation(evidence: Evidence, snippet: str = "") -> dict[str, Any]:
    text = snippet or " ".join((evidence.body or evidence.title).split())[:320]
    return {"id": evidence.id, "title": evidence.title, "date": evidence.date, "url": evidence.url, "snippet": text}


def _count_answer(question: str, metrics: list[Metric], evidence: list[Evidence],
                  when: str) -> tuple[str, list[dict[str, Any]]] | None:
    by_name = {m.name: m for m in metrics}
    for pattern, names in _COUNTS:
        if not re.search(pattern, question, re.IGNORECASE):
            continue
        found = [by_name[n] for n in names if n in by_name]
        if not found:
            return f"I found nothing in your evidence about {topic(question)}{when}.", []
        items = {e.id: e for e in evidence}
        cited = [items[i] for i in dict.fromkeys(i for m in found for i in m.evidence) if i in items]
        shown = sorted(cited, key=lambda e: (e.date, e.id))[:MAX_LISTED]
        facts = "; ".join(f"{m.value:,} {m.label}" for m in found)
        lines = [f"{facts}{when}, counted from your evidence:"]
        lines += [f"- {e.date[:10]}: {describe(e, set(terms(question)))} [{n}]" for n, e in enumerate(shown, 1)]
        if len(cited) > len(shown):
            lines.append(f"… and {len(cited) - len(shown)} more items.")
        return "\n".join(lines), [citation(e) for e in shown]
    return None


def _llm_answer(chat: Any, question: str, hits: list[Hit], metrics: list[Metric]):  # type: ignore[no-untyped-def]
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
