"""The Draft page's saved record: a draft plus the user's edits, re-verified as they are typed.

record = {"workspace", "ladder", "ladder_path", "level", "since", "until", "created", "revision",
          "draft": Draft.to_json(), "evidence": {id: {title, date, url, snippet, source, kind, role}},
          "edits": {"<criterion id>/<bullet index>": text}}
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import export, gate, lint, usecases
from app.ladder import load_ladder
from app.model import Bullet, Draft, Ladder, Metric
from app.search import HybridSearch
from ingest.evidence import Evidence, Period

SNIPPET_CHARS = 320
HISTORY_KEPT = 50  # earlier texts kept per bullet


def edit_key(criterion_id: str, index: int) -> str:
    return f"{criterion_id}/{index}"


def new_record(
    workspace: str,
    ladder: Ladder,
    level: str,
    since: datetime | None,
    until: datetime | None,
    result: Draft,
    index: HybridSearch,
    revision: int = 1,
) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "ladder": ladder.name,
        "ladder_path": ladder.path,
        "level": level,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision,
        "draft": result.to_json(),
        "evidence": evidence_cards(result, index),
        "edits": {},
    }


def evidence_cards(result: Draft, index: HybridSearch) -> dict[str, dict[str, Any]]:
    """Title, date, link and snippet of every item a bullet cites or a criterion retrieved (for the drawers)."""
    cards: dict[str, dict[str, Any]] = {}
    for item in result.criteria:
        for hit in item.retrieved:
            cards[hit.evidence.id] = card(hit.evidence, hit.snippet)
    wanted = {
        c for item in result.criteria for b in item.bullets for c in b.evidence if not c.startswith("metric:")
    }
    wanted |= {w["id"] for w in result.forgotten_wins}
    missing = sorted(wanted - set(cards))
    for evidence in lookup(index, missing).values():
        cards[evidence.id] = card(evidence)
    return cards


def card(evidence: Evidence, snippet: str = "") -> dict[str, Any]:
    text = snippet or " ".join((evidence.body or evidence.title).split())
    if len(text) > SNIPPET_CHARS:
        text = text[: SNIPPET_CHARS - 1].rstrip() + "…"
    return {
        "title": evidence.title,
        "date": evidence.date,
        "url": evidence.url,
        "snippet": text,
        "source": evidence.source,
        "kind": evidence.kind,
        "role": evidence.role,
    }


def lookup(index: HybridSearch, ids: list[str]) -> dict[str, Evidence]:
    """Evidence items by id, straight from the workspace's ledger."""
    return index.workspace.ledger.records(ids)


def metrics_of(record: dict[str, Any]) -> list[Metric]:
    return [
        Metric(m["name"], m["value"], list(m.get("evidence", [])), m.get("unit", ""), m.get("label", ""))
        for m in record["draft"].get("metrics", [])
    ]


def recheck(
    record: dict[str, Any],
    criterion: dict[str, Any],
    bullet: dict[str, Any],
    text: str,
    index: HybridSearch | None,
) -> dict[str, Any]:
    """The bullet as edited, through the same gate and linter as a drafted one: numbers, role, lint."""
    if index is None:
        return {**bullet, "text": text}
    ids = [
        c
        for c in dict.fromkeys([*criterion.get("retrieved", []), *bullet.get("evidence", [])])
        if not c.startswith("metric:")
    ]
    retrieved = lookup(index, ids)
    metrics = metrics_of(record)
    period_ids = {i for m in metrics for i in m.evidence}
    flags = [f for f in bullet.get("flags", []) if f.startswith("phantom citation removed")]
    checked = gate.verify(
        Bullet(text, list(bullet.get("evidence", [])), flags=flags), retrieved, metrics, period_ids
    )
    checked.lint = lint.lint(text, [retrieved[c] for c in checked.evidence if c in retrieved])
    return {**checked.to_json(), "edited": True}


def current_bullets(record: dict[str, Any], criterion: dict[str, Any]) -> list[dict[str, Any]]:
    """The criterion's bullets with the user's edits (and their checks) in place of the drafted text."""
    out = []
    for i, bullet in enumerate(criterion.get("bullets", [])):
        edited = record.get("checked", {}).get(edit_key(criterion["id"], i))
        out.append(edited if edited is not None else bullet)
    return out


def set_edit(
    record: dict[str, Any], criterion: dict[str, Any], i: int, text: str, index: HybridSearch | None
) -> dict[str, Any]:
    """Record an edit and its re-verification, keeping the text it replaces in the bullet's history; an edit
    back to the drafted text removes the edit."""
    key = edit_key(criterion["id"], i)
    original = criterion["bullets"][i]
    before = record["edits"].get(key, original["text"])
    if text != before:
        past = record.setdefault("history", {}).setdefault(key, [])
        past.append({"text": before, "time": datetime.now(UTC).isoformat(timespec="seconds")})
        del past[:-HISTORY_KEPT]
    return _apply(record, criterion, i, text, index)


def _apply(
    record: dict[str, Any], criterion: dict[str, Any], i: int, text: str, index: HybridSearch | None
) -> dict[str, Any]:
    key = edit_key(criterion["id"], i)
    original = criterion["bullets"][i]
    if text == original["text"]:
        record["edits"].pop(key, None)
        record.setdefault("checked", {}).pop(key, None)
        return original
    checked = recheck(record, criterion, original, text, index)
    record["edits"][key] = text
    record.setdefault("checked", {})[key] = checked
    return checked


def bullet_history(record: dict[str, Any], criterion_id: str, i: int) -> list[dict[str, str]]:
    """Earlier texts of one bullet, oldest first."""
    return list(record.get("history", {}).get(edit_key(criterion_id, i), []))


def undo(record: dict[str, Any], criterion: dict[str, Any], i: int, index: HybridSearch | None) -> str | None:
    """Put back the bullet's previous text (None when it has no earlier text)."""
    past = record.get("history", {}).get(edit_key(criterion["id"], i))
    if not past:
        return None
    text = past.pop()["text"]
    _apply(record, criterion, i, text, index)
    return text


def current_text(record: dict[str, Any], criterion_id: str, i: int) -> str | None:
    key = edit_key(criterion_id, i)
    if key in record.get("edits", {}):
        return record["edits"][key]
    criterion = next((c for c in record["draft"]["criteria"] if c["id"] == criterion_id), None)
    if criterion is None or i >= len(criterion["bullets"]):
        return None
    return criterion["bullets"][i]["text"]


def edit_count(record: dict[str, Any] | None, criterion_id: str | None = None) -> int:
    edits = (record or {}).get("edits", {})
    return sum(1 for k in edits if criterion_id is None or k.startswith(f"{criterion_id}/"))


def carry_edits(
    old: dict[str, Any], new: dict[str, Any], index: HybridSearch | None, only: str | None = None
) -> int:
    """Keep the user's edited bullets (and their history) in a freshly drafted `new` record: in place when the
    new draft has the same drafted bullet there, beside the new bullets otherwise. Returns how many were kept."""
    kept = 0
    criteria = {c["id"]: c for c in new["draft"]["criteria"]}
    before = {c["id"]: c for c in old["draft"]["criteria"]}
    for key, text in old.get("edits", {}).items():
        criterion_id, _, number = key.rpartition("/")
        if (only is not None and criterion_id != only) or criterion_id not in criteria:
            continue
        i, target = int(number), criteria[criterion_id]
        original = before[criterion_id]["bullets"][i]
        bullets = target["bullets"]
        if not (i < len(bullets) and bullets[i]["text"] == original["text"]):
            bullets.append(original)
            i = len(bullets) - 1
        new.setdefault("history", {})[edit_key(criterion_id, i)] = old.get("history", {}).get(key, [])
        _apply(new, target, i, text, index)
        kept += 1
    return kept


def edited_payload(record: dict[str, Any]) -> dict[str, Any]:
    """The draft JSON with the user's edits applied: what the export functions read."""
    payload = copy.deepcopy(record["draft"])
    for criterion in payload["criteria"]:
        criterion["bullets"] = current_bullets(record, criterion)
    return payload


def held_back(record: dict[str, Any]) -> list[dict[str, str]]:
    """Bullets (as currently edited) that every export leaves out, with why: the export policy's own list."""
    return export.held_back(edited_payload(record))


def regenerate(
    record: dict[str, Any],
    ladder: Ladder,
    criterion_id: str,
    index: HybridSearch,
    chat: Any,
    keep_edits: bool = True,
) -> dict[str, Any]:
    """Draft one criterion again (the use case's redraft, matched against the whole level as in a full draft);
    its edited bullets stay unless `keep_edits` is False. The rest of the draft stays as it is."""
    result = usecases.redraft(
        index, ladder, record["level"], [criterion_id], Period.from_json(record), chat=chat
    )
    old = copy.deepcopy(record)
    fresh = result.criteria[0].to_json()
    record["draft"]["criteria"] = [
        fresh if c["id"] == criterion_id else c for c in record["draft"]["criteria"]
    ]
    record["evidence"].update(evidence_cards(result, index))
    for store in (record["edits"], record.setdefault("checked", {}), record.setdefault("history", {})):
        for key in [k for k in store if k.startswith(f"{criterion_id}/")]:
            del store[key]
    if keep_edits:
        carry_edits(old, record, index, only=criterion_id)
    record["revision"] = record.get("revision", 1) + 1
    return record


def ladder_from(path: str | Path) -> Ladder:
    return load_ladder(path)
