"""Forgotten wins: high-signal work a draft does not cite (big changes, incidents, kudos, high-priority tickets)."""

from __future__ import annotations

from collections.abc import Callable

from app.metrics import owns, resolved
from ingest.evidence import Evidence

HIGH_PRIORITY = {"highest", "high", "urgent", "critical", "blocker", "p0", "p1", "sev1", "sev-1", "sev 1"}


def forgotten_wins(
    evidence: list[Evidence],
    cited_ids: set[str] | list[str],
    limit: int = 8,
    same_work: Callable[[Evidence], str] | None = None,
) -> list[dict]:
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
            scored.append(
                (
                    lines,
                    e,
                    f"a large change: +{e.stats.get('insertions', 0):g}/"
                    f"−{e.stats.get('deletions', 0):g} lines",
                )
            )
    scored.sort(key=lambda s: (-s[0], s[1].date, s[1].id))
    wins, seen = [], set()
    for _, e, why in scored:
        shape = (
            same_work(e)
            if same_work
            else (e.stats.get("insertions"), e.stats.get("deletions"))
            if e.kind in ("pr", "commit")
            else e.id
        )
        if shape in seen or shape in done:
            continue  # a merged PR and its commit are one change
        seen.add(shape)
        wins.append({"id": e.id, "title": e.title, "date": e.date, "url": e.url, "why": why})
        if len(wins) >= limit:
            break
    return wins
