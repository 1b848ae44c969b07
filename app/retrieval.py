"""Evidence for a criterion: a query from its text, search in the period, re-ranking by what the user did."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app import numbers
from app.fakes import searchable_text
from app.index import EvidenceIndex
from app.metrics import owns, resolved, reviewed_for_others
from app.model import Criterion, Hit
from app.text import terms
from ingest.evidence import Evidence

K = 16
KEEP_RATIO = 0.3  # hits scoring below this share of the best hit are weak matches and dropped
STRONG_RATIO = 0.4
STRONG_MATCH = 1.5  # matched terms (own words 1, theme words 0.5) a hit needs to count toward coverage
THEME_TERM = 0.5
GENERIC_TERM = 0.4
# Words every commit log is full of: a criterion sharing only these with an item is not about that item.
GENERIC = frozenset(terms("""update updates commit committing add added fix fixes change changes make making move moving
use using new remove improve improvement support allow avoid necessary forward case need test work code issue way
time right set take get keep able ensure better help across within order one ones part value values result
results resulting same regardless"""))
ROLE_WEIGHT = {"author": 1.0, "assignee": 1.0, "owner": 1.0, "co-author": 0.8, "merger": 0.8, "reviewer": 0.8,
               "reporter": 0.55, "recipient": 0.55, "mentioned": 0.3}
# For criteria about other people (mentoring, reviews, collaboration), an item the user did alone counts toward
# coverage only when it speaks of such work itself: a commit about a parser is no evidence of mentoring.
PEOPLE_WORK = frozenset(terms("""mentor mentored mentoring pair paired pairing onboard onboarded onboarding coach
coached coaching teach taught review reviewed reviewing feedback guidance interview interviewed intern interns
apprentice workshop talk presentation collaborated collaboration partnered teammates"""))
HIGH_PRIORITY = {"highest", "high", "urgent", "critical", "blocker", "p0", "p1", "sev1", "sev-1", "sev 1"}

# Ladder wording is abstract, evidence concrete: each theme (triggered by a word-start in the criterion) adds the
# words that work of that kind is described with in commits, PRs and tickets.
THEMES: dict[str, tuple[str, str]] = {
    "people": (r"mentor|level up|less-experienced|code review|reviews?\b|collaborat|guidance|constructive feedback|"
               r"onboard|coach|teach|other team members|teammates|helps? them|contributors?",
               "review reviewed merge merged pull request contributor contribution mentor pair onboarding"),
    "delivery": (r"deliver(?:s|ed|ing)?\b|ship|execut|production|features?\b|prolific|milestones?\b|"
                 r"consistent flow|implement|projects?\b",
                 "add added new feature implement implemented release support ship launch"),
    "quality": (r"quality|bugs?\b|reliab|resilient software|correctness|tests?\b|testing|craft",
                "fix fixed bug test spec regression false positive crash error correct"),
    "debt": (r"tech(?:nical)? debt|toil|ktlo|simplif|simplicity|clean|maintainab|sustainab|refactor",
             "refactor cleanup remove simplify extract deprecate consolidate rename typo"),
    "operations": (r"operational|incidents?\b|on-call|outages?\b|monitor|slas?\b|root cause",
                   "incident outage fix crash error infinite loop regression root cause"),
    "knowledge": (r"document|evangeli|share (?:the )?learnings|technical writing|playbook",
                  "documentation docs guide instructions readme example clarify"),
    "process": (r"process|workflow|best practices|coding standards", "process changelog instructions workflow ci automate"),
    "technology": (r"technolog|tools?\b|adopt|proofs? of concept|stack|libraries|frameworks?\b",
                   "add new support version upgrade tool"),
    "customer": (r"customers?\b|users?\b", "user customer report feedback request support"),
    "design": (r"design|architect|decompos|components?\b|abstraction", "design refactor mixin extract architecture module api"),
}


@dataclass
class Ranked:
    hit: Hit
    ratio: float  # the hit's search score as a share of the best hit's
    matched: float  # query terms found in the evidence: the criterion's own words 1, its theme words 0.5
    weight: float  # how much the user's role in it counts for this criterion
    strong: bool  # counts toward coverage: the user did or reviewed it, and it matches well

    @property
    def evidence(self) -> Evidence:
        return self.hit.evidence

    @property
    def rank(self) -> float:
        """Match x role, with a mild preference for bigger changes (review material is the substantial work)."""
        stats = self.evidence.stats
        size = math.log10(1 + stats.get("insertions", 0) + stats.get("deletions", 0))
        return self.ratio * self.weight * (1 + 0.1 * size) * (1.15 if self.figures else 1.0)

    @property
    def figures(self) -> bool:
        """Does the item state a measured result (a percentage, money, a duration, a ratio)?"""
        return any(n.unit for n in numbers.extract(f"{self.evidence.title}\n{self.evidence.body}"))


def themes(criterion: Criterion) -> list[str]:
    text = _criterion_text(criterion).lower()
    return [name for name, (trigger, _) in THEMES.items() if re.search(rf"\b(?:{trigger})", text)]


def _criterion_text(criterion: Criterion) -> str:
    parts = [criterion.text]
    for key in ("label", "signals", "examples"):
        value = criterion.extra.get(key)
        parts += [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []
    return " ".join(parts)


def _theme_words(criterion: Criterion) -> str:
    return " ".join(THEMES[name][1] for name in themes(criterion))


def criterion_query(criterion: Criterion) -> str:
    """The criterion's text, its label / signals / examples when given, and the words of its themes."""
    return f"{_criterion_text(criterion)} {_theme_words(criterion)}".strip()


def retrieve(index: EvidenceIndex, criterion: Criterion, since: datetime | None = None,
             until: datetime | None = None, k: int = K) -> list[Ranked]:
    hits = index.search(criterion_query(criterion), k=2 * k, since=since, until=until)
    people = "people" in themes(criterion)
    signals = criterion.extra.get("signals")
    phrases = [str(s) for s in signals] if isinstance(signals, list) else [str(signals)] if signals else []
    return rerank(hits, _criterion_text(criterion), people, k, _theme_words(criterion), phrases)


def rerank(hits: list[Hit], query: str, prefer_review: bool = False, k: int = K, theme: str = "",
           signals: list[str] | None = None) -> list[Ranked]:
    """Drop weak matches, then order by score x role: author/assignee/owner > co-author/merger/reviewer > ...

    With `signals` (phrases the ladder says show up in evidence for the criterion), an item counts toward
    coverage only when it contains one of them; otherwise it needs enough matching words.
    """
    phrases = [set(terms(s)) for s in signals or [] if terms(s)]
    if not hits:
        return []
    best = max(h.score for h in hits) or 1.0
    own = set(terms(query))
    extra = set(terms(theme)) - own
    ranked = []
    for hit in hits:
        ratio = hit.score / best
        have = set(terms(searchable_text(hit.evidence)))
        shared = own & have
        matched = len(shared - GENERIC) + GENERIC_TERM * len(shared & GENERIC) + THEME_TERM * len(extra & have)
        if ratio < KEEP_RATIO or matched < 1:
            continue
        relevant = any(p <= have for p in phrases) if phrases else ratio >= STRONG_RATIO and matched >= STRONG_MATCH
        if prefer_review and not reviewed_for_others(hit.evidence) and not PEOPLE_WORK & have:
            relevant = False
        ranked.append(Ranked(hit, ratio, matched, _weight(hit.evidence, prefer_review),
                             (owns(hit.evidence) or reviewed_for_others(hit.evidence)) and relevant))
    ranked.sort(key=lambda r: (-r.rank, r.evidence.id))
    return ranked[:k]


def _weight(evidence: Evidence, prefer_review: bool) -> float:
    if owns(evidence):
        return 0.85 if prefer_review else 1.0
    if reviewed_for_others(evidence):
        return 1.0 if prefer_review else 0.8
    return ROLE_WEIGHT.get(evidence.role, 0.3)


def relevance(question: str, evidence: Evidence, idf: dict[str, float]) -> float:
    """Share (idf-weighted) of the question's terms found in the evidence: 0 for off-topic items."""
    wanted = set(terms(question))
    if not wanted:
        return 0.0
    have = set(terms(searchable_text(evidence)))
    total = sum(idf.get(t, idf.get("", 1.0)) for t in wanted)
    return sum(idf.get(t, idf.get("", 1.0)) for t in wanted & have) / total


def forgotten_wins(evidence: list[Evidence], cited_ids: set[str] | list[str], limit: int = 8,
                   same_work: Callable[[Evidence], str] | None = None) -> list[dict]:
    """High-signal items the draft does not cite: big changes, incidents, kudos, high-priority tickets.

    `same_work` maps an item to a key shared by items that are one piece of work (a PR and its commit).
    """
    cited = set(cited_ids)
    by_id = {e.id: e for e in evidence}
    done = {same_work(by_id[i]) for i in cited if i in by_id} if same_work else set()
    scored: list[tuple[float, Evidence, str]] = []
    for e in evidence:
        if e.id in cited:
            continue
        lines = e.stats.get("insertions", 0) + e.stats.get("deletions", 0)
        priority = str(e.native.get("priority") or "").strip().lower()
        if e.kind == "incident" and owns(e):
            scored.append((3000, e, "an incident you owned"))
        elif e.kind == "kudos" and e.role == "recipient":
            scored.append((2500, e, f"kudos from {e.author}" if e.author else "kudos you received"))
        elif e.kind in ("ticket", "issue") and owns(e) and resolved(e) and priority in HIGH_PRIORITY:
            scored.append((2000, e, f"{e.native['priority']}-priority ticket you resolved"))
        elif e.kind in ("pr", "commit") and owns(e) and lines >= 150:
            scored.append((lines, e, f"a large change: +{e.stats.get('insertions', 0):g}/"
                                     f"−{e.stats.get('deletions', 0):g} lines"))
    scored.sort(key=lambda s: (-s[0], s[1].date, s[1].id))
    wins, seen = [], set()
    for _, e, why in scored:
        shape = same_work(e) if same_work else (e.stats.get("insertions"), e.stats.get("deletions")) if e.kind in (
            "pr", "commit") else e.id
        if shape in seen or shape in done:
            continue  # a merged PR and its commit are one change
        seen.add(shape)
        wins.append({"id": e.id, "title": e.title, "date": e.date, "url": e.url, "why": why})
        if len(wins) >= limit:
            break
    return wins


def idf_table(evidence: list[Evidence]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for e in evidence:
        df.update(set(terms(searchable_text(e))))
    n = len(evidence)
    table = {t: math.log(1 + n / c) for t, c in df.items()}
    table[""] = math.log(1 + n)  # a term no evidence has: rarer than any
    return table

