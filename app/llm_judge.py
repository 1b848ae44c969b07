"""The LLM judging step: for each criterion, which of its candidate units (matched by meaning) a manager would
accept as evidence, with a one-line reason. The model may reject all of them.

Requests go in batches of criteria; each unit is sent once per batch as a numbered, redacted data block. Verdicts
are cached by model, criterion text and unit content, so a draft that has not changed asks nothing again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import budget, prompting
from app.llm import ChatModel
from app.llm_drafter import _escape, complete_json
from app.matching import Match, Profile
from app.redact import redact
from app.units import Unit

log = logging.getLogger(__name__)

BATCH = 6  # criteria per request at most; fewer when their candidates' blocks exceed budget.EVIDENCE_BUDGET
UNIT_TEXT = 250  # tokens of a unit's description a judge reads (its title, facts and size come first)
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "criteria": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "accept": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"unit": {"type": "integer"}, "why": {"type": "string"}},
                            "required": ["unit", "why"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["id", "accept"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["criteria"],
    "additionalProperties": False,
}


@dataclass
class Verdict:
    accepted: bool
    why: str = ""


class VerdictCache:
    """(model, criterion text, unit content) -> verdict, kept in one JSON file in the workspace folder."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, dict[str, Any]] = {}
        if path is not None and path.exists():
            try:
                self._entries = json.loads(path.read_text())
            except (OSError, ValueError):
                self._entries = {}  # a damaged cache is asked again, never trusted

    @staticmethod
    def key(model: str, profile: Profile, unit: Unit) -> str:
        content = "\n".join(sorted(e.content_hash() for e in unit.items))
        raw = f"{model}\n{profile.criterion.id}\n{profile.criterion.text}\n{content}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def get(self, key: str) -> Verdict | None:
        entry = self._entries.get(key)
        return Verdict(bool(entry["accepted"]), str(entry.get("why", ""))) if entry else None

    def put(self, key: str, verdict: Verdict) -> None:
        self._entries[key] = {"accepted": verdict.accepted, "why": verdict.why}

    def save(self) -> None:
        if self.path is None:
            return
        tmp = self.path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(self._entries))
            tmp.replace(self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def judge(
    chat: ChatModel, candidates: Sequence[tuple[Profile, list[Match]]], cache: VerdictCache
) -> list[list[tuple[Match, str]]] | None:
    """For each (criterion, candidates), the accepted candidates with the model's reason, in the matcher's order.

    None when the model could not be used (the caller falls back to the matcher's own shortlist).
    """
    model = getattr(chat, "model", "model")
    verdicts: dict[str, Verdict] = {}
    todo: list[tuple[Profile, Match]] = []
    for profile, found in candidates:
        for match in found:
            key = VerdictCache.key(model, profile, match.unit)
            cached = cache.get(key)
            if cached is None:
                todo.append((profile, match))
            else:
                verdicts[key] = cached
    pending: dict[str, tuple[Profile, list[Match]]] = {}
    for profile, match in todo:
        pending.setdefault(profile.criterion.id, (profile, []))[1].append(match)
    for batch in _batches(list(pending.values())):
        answered = _ask(chat, batch)
        if answered is None:
            return None
        for profile, matches in batch:
            accepted = answered.get(profile.criterion.id, {})
            for match in matches:
                key = VerdictCache.key(model, profile, match.unit)
                verdict = Verdict(match.unit.key in accepted, accepted.get(match.unit.key, ""))
                cache.put(key, verdict)
                verdicts[key] = verdict
    cache.save()
    out = []
    for profile, found in candidates:
        kept = []
        for match in found:
            judged = verdicts.get(VerdictCache.key(model, profile, match.unit))
            if judged is not None and judged.accepted:
                kept.append((match, judged.why))
        out.append(kept)
    return out


def _batches(groups: list[tuple[Profile, list[Match]]]) -> list[list[tuple[Profile, list[Match]]]]:
    """Criteria in requests of at most BATCH, whose distinct candidates' blocks fit budget.EVIDENCE_BUDGET tokens
    (a local model's context is often 8k); a criterion whose candidates alone exceed it goes on its own."""
    cost: dict[str, int] = {}
    batches: list[list[tuple[Profile, list[Match]]]] = []
    current: list[tuple[Profile, list[Match]]] = []
    seen: set[str] = set()
    used = 0
    for profile, matches in groups:
        for match in matches:
            if match.unit.key not in cost:
                cost[match.unit.key] = budget.count_tokens(_unit_block(0, match.unit)[0])
        extra = sum(cost[m.unit.key] for m in matches if m.unit.key not in seen)
        if current and (len(current) >= BATCH or used + extra > budget.EVIDENCE_BUDGET):
            batches.append(current)
            current, seen, used = [], set(), 0
            extra = sum(cost[m.unit.key] for m in matches)
        current.append((profile, matches))
        seen |= {m.unit.key for m in matches}
        used += extra
    return batches + [current] if current else batches


def _ask(chat: ChatModel, groups: list[tuple[Profile, list[Match]]]) -> dict[str, dict[str, str]] | None:
    """One request for a batch of criteria: criterion id -> {unit key: why} for the units the model accepted."""
    units: list[Unit] = []
    number: dict[str, int] = {}
    for _, matches in groups:
        for match in matches:
            if match.unit.key not in number:
                units.append(match.unit)
                number[match.unit.key] = len(units)
    blocks, redactions = [], 0
    for n, unit in enumerate(units, start=1):
        text, count = _unit_block(n, unit)
        blocks.append(text)
        redactions += count
    criteria = "\n".join(
        f"- {p.criterion.id}: {p.criterion.text} (candidates: "
        f"{', '.join(str(number[m.unit.key]) for m in matches)})"
        for p, matches in groups
    )
    messages = prompting.render("judge_units", criteria=criteria, units="\n\n".join(blocks))
    by_number = {n: unit.key for unit, n in ((u, number[u.key]) for u in units)}
    allowed = {p.criterion.id: {number[m.unit.key] for m in matches} for p, matches in groups}

    def validate(value: Any) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict) or not isinstance(value.get("criteria"), list):
            raise ValueError('expected an object {"criteria": [...]}')
        out: dict[str, dict[str, str]] = {}
        for entry in value["criteria"]:
            if not isinstance(entry, dict) or entry.get("id") not in allowed:
                continue  # an unknown criterion id is ignored, never trusted
            for item in entry.get("accept") or []:
                n = item.get("unit") if isinstance(item, dict) else None
                if isinstance(n, int) and n in allowed[entry["id"]]:  # only its own candidates
                    out.setdefault(entry["id"], {})[by_number[n]] = " ".join(
                        str(item.get("why", "")).split()
                    )[:200]
        return out

    ids = [e.id for u in units for e in u.items]
    return complete_json(
        chat, messages, JUDGE_SCHEMA, validate, purpose="judge", evidence_ids=ids, redactions=redactions
    )


def _unit_block(n: int, unit: Unit) -> tuple[str, int]:
    title, body = redact(" ".join(unit.lead.title.split())), redact(unit.lead.body)
    size = f"+{unit.insertions}/-{unit.deletions} lines, {unit.files} files" if unit.lines else ""
    head = [
        f"title: {_escape(title.text)}",
        f"dates: {unit.start[:10]} to {unit.end[:10]}",
        f"kind: {unit.kind}",
        f"my role: {unit.role}",
    ]
    head += [f"others: {', '.join(unit.people[:4])}"] if unit.people else []
    head += [f"size: {size}"] if size else []
    head += [f"areas: {', '.join(sorted(unit.areas))}"] if unit.areas else []
    # what its structure proves ("helped Ed Singleton land their first change"), not what it reads like
    facts = redact("; ".join(why for why in unit.labels.values() if not why.startswith("reads like")))
    head += [f"facts: {_escape(facts.text)}"] if facts.text else []
    text = budget.truncate(_escape(body.text.strip()), UNIT_TEXT)
    counted = title.count + body.count + facts.count
    return f'<unit n="{n}">\n' + "\n".join(head) + f"\ntext:\n{text}\n</unit>", counted
