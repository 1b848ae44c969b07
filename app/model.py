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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.criterion.id,
            "area": self.criterion.area,
            "text": self.criterion.text,
            "status": self.status,
            "bullets": [b.to_json() for b in self.bullets],
            "retrieved": [h.evidence.id for h in self.retrieved],
            "question": self.question,
        }
