"""The application's shared vocabulary: search hits, ladders, metrics, bullets and drafts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ingest.evidence import Evidence

Status = Literal["covered", "thin", "missing"]
Mode = Literal["llm", "offline"]


@dataclass
class Hit:
    """One evidence item found by search, with its best chunk as the snippet."""

    evidence: Evidence
    score: float
    snippet: str

    def to_json(self) -> dict[str, Any]:
        e = self.evidence
        return {
            "id": e.id,
            "source": e.source,
            "kind": e.kind,
            "title": e.title,
            "date": e.date,
            "url": e.url,
            "role": e.role,
            "score": round(self.score, 6),
            "native": e.native,
            "stats": e.stats,
            "snippet": self.snippet,
        }


@dataclass
class Criterion:
    id: str
    area: str
    level: str
    text: str
    extra: dict[str, Any] = field(default_factory=dict)  # label, signals, examples, ...


@dataclass
class Level:
    id: str
    title: str
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Ladder:
    name: str
    levels: list[Level]
    criteria: list[Criterion]
    path: str = ""

    def for_level(self, level: str) -> list[Criterion]:
        return [c for c in self.criteria if c.level == level]


@dataclass
class Metric:
    """A number computed by code from evidence, with the ids it counted (its receipt)."""

    name: str
    value: float | int
    evidence: list[str]
    unit: str = ""
    label: str = ""  # human phrase, e.g. "PRs authored and merged"


@dataclass
class NumberCheck:
    text: str
    grounded: bool
    evidence: str | None  # evidence id (or "metric:<name>") that backs it


@dataclass
class LintFinding:
    rule: str
    span: tuple[int, int]
    text: str
    suggestion: str
    replacement: str | None = None  # the automatic fix, when there is a safe one


@dataclass
class Bullet:
    text: str
    evidence: list[str]
    numbers: list[NumberCheck] = field(default_factory=list)
    lint: list[LintFinding] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # e.g. "phantom citation removed: X", "role check: ..."
    role_ok: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "evidence": self.evidence,
            "numbers": [asdict(n) for n in self.numbers],
            "lint": [{"rule": f.rule, "span": list(f.span), "text": f.text, "suggestion": f.suggestion}
                     for f in self.lint],
            "flags": self.flags,
            "role_ok": self.role_ok,
        }


@dataclass
class CriterionDraft:
    criterion: Criterion
    status: Status
    bullets: list[Bullet]
    retrieved: list[Hit]
    question: str = ""  # asked of the user when thin or missing
    mode: Mode = "offline"  # who wrote the bullets: the LLM or the offline drafter
    reasons: list[dict[str, Any]] = field(default_factory=list)  # why each unit of work was matched

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.criterion.id,
            "area": self.criterion.area,
            "text": self.criterion.text,
            "status": self.status,
            "bullets": [b.to_json() for b in self.bullets],
            "retrieved": [h.evidence.id for h in self.retrieved],
            "question": self.question,
            "mode": self.mode,
            "matched": self.reasons,
        }


@dataclass
class GlossaryTerm:
    use: str
    instead_of: list[str] = field(default_factory=list)


@dataclass
class Glossary:
    """Organizational language: values (term + meaning), preferred terms and words to avoid."""

    values: list[dict[str, str]] = field(default_factory=list)  # [{"term", "meaning"}]
    terms: list[GlossaryTerm] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    path: str = ""


@dataclass
class Draft:
    """A drafted review for one ladder level: bullets per criterion, computed metrics and coverage."""

    ladder: str
    level: str
    criteria: list[CriterionDraft]
    metrics: list[Metric]
    cited: int
    available: int
    mode: Mode
    forgotten_wins: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ladder": self.ladder,
            "level": self.level,
            "criteria": [c.to_json() for c in self.criteria],
            "metrics": [{"name": m.name, "value": m.value, "evidence": m.evidence, "unit": m.unit,
                         "label": m.label} for m in self.metrics],
            "coverage": {"cited": self.cited, "available": self.available},
            "mode": self.mode,
            "forgotten_wins": self.forgotten_wins,
            "notes": self.notes,
        }


@dataclass
class Answer:
    answer: str
    citations: list[dict[str, Any]]  # [{"id", "title", "date", "url", "snippet"}]
    mode: Mode
    since: str | None = None
    until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.answer, "citations": self.citations, "mode": self.mode,
                "since": self.since, "until": self.until}


@dataclass
class RewriteResult:
    text: str
    preserved: bool
    diff: list[dict[str, str]]
    reason: str = ""
    mode: Mode = "offline"
    warnings: list[str] = field(default_factory=list)  # e.g. words from the glossary's avoid list

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "preserved": self.preserved, "diff": self.diff, "reason": self.reason,
                "mode": self.mode, "warnings": self.warnings}
