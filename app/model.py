"""The application's shared vocabulary: search hits, ladders, metrics, bullets and drafts.

Every `to_json` has a `from_json` beside it that rebuilds the typed object (a saved draft comes back as a Draft,
not as dicts); malformed JSON raises ValueError saying which field is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar, get_args

from ingest.evidence import Evidence

Status = Literal["covered", "thin", "missing"]
Mode = Literal["llm", "offline"]
_T = TypeVar("_T", bound=str)


def _one_of(value: Any, allowed: tuple[_T, ...], name: str) -> _T:
    for option in allowed:
        if value == option:
            return option
    raise ValueError(f"{name} {value!r} is not one of: {', '.join(allowed)}")


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} is not a list of strings: {value!r}")
    return list(value)


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
    company: str = ""  # the organisation the ladder is written for (`company:`, else named in its title)

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

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "evidence": self.evidence,
            "unit": self.unit,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Metric:
        value = data["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"metric {data.get('name')!r}: value {value!r} is not a number")
        return cls(
            str(data["name"]),
            value,
            _strings(data.get("evidence", []), "metric evidence"),
            str(data.get("unit", "")),
            str(data.get("label", "")),
        )


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
            "lint": [
                {"rule": f.rule, "span": list(f.span), "text": f.text, "suggestion": f.suggestion}
                for f in self.lint
            ],
            "flags": self.flags,
            "role_ok": self.role_ok,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bullet:
        return cls(
            text=str(data["text"]),
            evidence=_strings(data.get("evidence", []), "bullet evidence"),
            numbers=[
                NumberCheck(str(n["text"]), bool(n.get("grounded")), n.get("evidence"))
                for n in data.get("numbers", [])
            ],
            lint=[
                LintFinding(
                    str(f["rule"]),
                    (int(f["span"][0]), int(f["span"][1])),
                    str(f["text"]),
                    str(f.get("suggestion", "")),
                )
                for f in data.get("lint", [])
            ],
            flags=_strings(data.get("flags", []), "bullet flags"),
            role_ok=bool(data.get("role_ok", True)),
        )


@dataclass
class CriterionDraft:
    criterion: Criterion
    status: Status
    bullets: list[Bullet]
    retrieved: list[Hit]
    question: str = ""  # asked of the user when thin or missing
    mode: Mode = "offline"  # who wrote the bullets: the LLM or the offline drafter
    reasons: list[dict[str, Any]] = field(default_factory=list)  # why each unit of work was matched
    retrieved_ids: list[str] = field(
        default_factory=list
    )  # read back from JSON when the items are not at hand

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.criterion.id,
            "area": self.criterion.area,
            "text": self.criterion.text,
            "status": self.status,
            "bullets": [b.to_json() for b in self.bullets],
            "retrieved": [h.evidence.id for h in self.retrieved] or self.retrieved_ids,
            "question": self.question,
            "mode": self.mode,
            "matched": self.reasons,
        }

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], level: str = "", evidence: Mapping[str, Evidence] | None = None
    ) -> CriterionDraft:
        """`evidence` (id -> item), when given, makes `retrieved` hits again; the ids are kept either way."""
        ids = _strings(data.get("retrieved", []), "retrieved")
        found = evidence or {}
        return cls(
            criterion=Criterion(str(data["id"]), str(data.get("area", "")), level, str(data.get("text", ""))),
            status=_one_of(data.get("status"), get_args(Status), "status"),
            bullets=[Bullet.from_json(b) for b in data.get("bullets", [])],
            retrieved=[Hit(found[i], 0.0, "") for i in ids if i in found],
            question=str(data.get("question", "")),
            mode=_one_of(data.get("mode", "offline"), get_args(Mode), "mode"),
            reasons=list(data.get("matched", [])),
            retrieved_ids=ids,
        )


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
            "metrics": [m.to_json() for m in self.metrics],
            "coverage": {"cited": self.cited, "available": self.available},
            "mode": self.mode,
            "forgotten_wins": self.forgotten_wins,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], evidence: Mapping[str, Evidence] | None = None) -> Draft:
        """A draft as `to_json` wrote it (a saved draft's "draft"); ValueError names what is missing or wrong."""
        try:
            level = str(data["level"])
            coverage = data.get("coverage", {})
            return cls(
                ladder=str(data["ladder"]),
                level=level,
                criteria=[CriterionDraft.from_json(c, level, evidence) for c in data.get("criteria", [])],
                metrics=[Metric.from_json(m) for m in data.get("metrics", [])],
                cited=int(coverage.get("cited", 0)),
                available=int(coverage.get("available", 0)),
                mode=_one_of(data.get("mode", "offline"), get_args(Mode), "mode"),
                forgotten_wins=list(data.get("forgotten_wins", [])),
                notes=_strings(data.get("notes", []), "notes"),
            )
        except KeyError as exc:
            raise ValueError(f"not a saved draft: the field {exc} is missing") from None
        except (TypeError, AttributeError, IndexError) as exc:
            raise ValueError(f"not a saved draft: {exc}") from None


@dataclass
class Answer:
    answer: str
    citations: list[dict[str, Any]]  # [{"id", "title", "date", "url", "snippet"}]
    mode: Mode
    since: str | None = None
    until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": self.citations,
            "mode": self.mode,
            "since": self.since,
            "until": self.until,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            str(data["answer"]),
            list(data.get("citations", [])),
            _one_of(data.get("mode", "offline"), get_args(Mode), "mode"),
            data.get("since"),
            data.get("until"),
        )


@dataclass
class RewriteResult:
    text: str
    preserved: bool
    diff: list[dict[str, str]]
    reason: str = ""
    mode: Mode = "offline"
    warnings: list[str] = field(default_factory=list)  # e.g. words from the glossary's avoid list

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "preserved": self.preserved,
            "diff": self.diff,
            "reason": self.reason,
            "mode": self.mode,
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RewriteResult:
        return cls(
            str(data["text"]),
            bool(data["preserved"]),
            list(data.get("diff", [])),
            str(data.get("reason", "")),
            _one_of(data.get("mode", "offline"), get_args(Mode), "mode"),
            _strings(data.get("warnings", []), "warnings"),
        )
