"""Draft a review for one ladder level: evidence per criterion, bullets (LLM or offline), gate, lint, coverage."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from app import gate, lint
from app.index import EvidenceIndex
from app.matching import Match, Profile, match_all, profiles, shortlist, spread
from app.metrics import compute
from app.model import Bullet, Criterion, CriterionDraft, Draft, Hit, Ladder, Metric, Mode, Status
from app.offline_drafter import OfflineDrafter
from app.phrasing import describe, work_key
from app.policy import LLM_UNITS, MAX_UNITS
from app.retrieval import forgotten_wins
from app.text import base_form
from app.understanding import cache_for, understand, workspace_dir
from ingest.evidence import Evidence

LLM_UNUSABLE = "LLM output unusable; offline draft used"


def draft(
    index: EvidenceIndex,
    ladder: Ladder,
    level: str,
    since: datetime | None = None,
    until: datetime | None = None,
    chat: Any = None,
    only: list[str] | None = None,
) -> Draft:
    """Bullets for every criterion of `level` (or the criteria named in `only`), each verified against the units of
    work matched to it by meaning."""
    levels = [lv.id for lv in ladder.levels]
    if level not in levels:
        raise ValueError(
            f"level {level!r} is not in the ladder {ladder.name!r}; its levels are: {', '.join(levels)}"
        )
    evidence = index.all_evidence(since, until)
    metrics = compute(evidence, since, until)
    period_ids = {e.id for e in evidence}
    work = understand(evidence, cache_for(index))
    level_profiles = profiles(ladder.for_level(level), work, ladder.company)
    chosen = [p for p in level_profiles if only is None or p.criterion.id in only]
    notes: list[str] = []
    offline: Drafter = OfflineDrafter(metrics, evidence)  # the history says which words are its verbs
    llm: Drafter | None = LLMDrafter(chat, metrics, notes) if chat is not None else None
    claim_embed = (  # the gate's meaning test; bullets are one-off texts, kept out of the cache file
        None if work.cache.model.startswith("fake:") else work.cache.embed_passing
    )
    drafts: list[CriterionDraft] = []
    matched = spread(match_all(chosen, work, level_profiles))
    judged = None
    if chat is not None:
        # the model judges every criterion's best candidates, also where meaning alone would abstain
        candidates = match_all(chosen, work, level_profiles, abstain=False)
        judged = _judged(chat, chosen, candidates, index, notes)
    for row, (profile, found) in enumerate(zip(chosen, matched, strict=True)):
        criterion = profile.criterion
        why_of: dict[str, str] = {}
        if judged is not None:  # the model saw more candidates and kept the ones a manager would accept
            top = [m for m, _ in judged[row]]
            why_of = {m.unit.key: why for m, why in judged[row]}
        else:
            top = shortlist(found)
        hits = [Hit(e, m.score, "") for m in top for e in m.unit.items]
        retrieved = {h.evidence.id: h.evidence for h in hits}
        bullets = llm.bullets(profile, top) if llm is not None else None
        mode: Mode = "llm" if bullets is not None else "offline"
        if bullets is None:
            top = top[:MAX_UNITS] if judged is not None else shortlist(found)
            bullets = offline.bullets(profile, top) or []
        bullets = [finish(b, retrieved, metrics, period_ids, claim_embed) for b in bullets]
        strong = len(top) if judged is not None else len(shortlist(found))
        status: Status = "covered" if strong >= 2 else "thin" if strong == 1 else "missing"
        question = "" if status == "covered" else question_for(criterion)
        drafts.append(
            CriterionDraft(
                criterion,
                status,
                bullets,
                hits,
                question,
                mode,
                reasons=[why(m, why_of.get(m.unit.key, "")) for m in top],
            )
        )
    if not drafts:
        notes.append(f"the ladder has no criteria for level {level}")
    if not evidence:
        notes.append("no evidence in this period: ingest some sources or widen the dates")
    cited = {c for d in drafts for b in d.bullets for c in b.evidence if not c.startswith("metric:")}
    llm_used = any(d.mode == "llm" for d in drafts)
    return Draft(
        ladder=ladder.name,
        level=level,
        criteria=drafts,
        metrics=metrics,
        cited=len(cited),
        available=len(evidence),
        mode="llm" if llm_used else "offline",
        forgotten_wins=_wins(evidence, cited),
        notes=notes,
    )


def why(match: Match, judged: str = "") -> dict[str, Any]:
    """Why a unit was matched to a criterion, for the UI and `--json`: its kinds of work, the scores, and the
    model's reason when a model judged it."""
    unit = match.unit
    reason = {
        "unit": unit.key,
        "evidence": unit.witness.id,
        "role": unit.role,
        "score": round(match.score, 3),
        "meaning": round(match.meaning, 3),
        "kinds": {k: unit.labels[k] for k in match.kinds},
    }
    return {**reason, "judged": judged} if judged else reason


def _judged(
    chat: Any, chosen: list[Profile], matched: list[list[Match]], index: EvidenceIndex, notes: list[str]
) -> list[list[tuple[Match, str]]] | None:
    """The model's verdicts on each criterion's candidates; None (with a note) when the model cannot be used."""
    from app import llm_judge

    folder = workspace_dir(index)
    cache = llm_judge.VerdictCache(folder / "judgements.json" if folder else None)
    verdicts = llm_judge.judge(
        chat, [(p, found[:LLM_UNITS]) for p, found in zip(chosen, matched, strict=True)], cache
    )
    if verdicts is None:
        _note(notes, "LLM judging unusable; units chosen by meaning alone")
    return verdicts


def _wins(evidence: list[Evidence], cited: set[str]) -> list[dict[str, Any]]:
    by_id = {e.id: e for e in evidence}
    wins = forgotten_wins(evidence, cited, same_work=work_key)
    return [{**win, "summary": describe(by_id[win["id"]])} for win in wins]


def finish(
    bullet: Bullet,
    retrieved: dict[str, Evidence],
    metrics: list[Metric],
    period_ids: set[str],
    embed: Any = None,
) -> Bullet:
    """Gate, then the linter's automatic fixes, then the gate again on the final text (with its lint findings).

    `embed` is the workspace's model (cached), for the claim check's meaning test; None loads the local model."""
    checked = gate.verify(gate.attach_metrics(bullet, metrics), retrieved, metrics, period_ids, embed=embed)
    cited = [retrieved[c] for c in checked.evidence if c in retrieved]
    text, findings = lint.fix(checked.text, cited)
    final = gate.verify(
        Bullet(text, checked.evidence, flags=checked.flags), retrieved, metrics, period_ids, embed=embed
    )
    final.flags = list(dict.fromkeys(final.flags))
    final.lint = findings
    return final


class Drafter(Protocol):
    """Writes one criterion's bullets from the units matched to it; None means "let the next drafter write"."""

    def bullets(self, profile: Profile, matches: list[Match]) -> list[Bullet] | None: ...


class LLMDrafter:
    """The model writes the prose from the matched units' evidence; the same gate checks it afterwards."""

    def __init__(self, chat: Any, metrics: list[Metric], notes: list[str]) -> None:
        self.chat, self.metrics, self.notes = chat, metrics, notes

    def bullets(self, profile: Profile, matches: list[Match]) -> list[Bullet] | None:
        from app import llm_drafter

        hits = [Hit(e, m.score, "") for m in matches for e in m.unit.items]
        if not hits:
            return None
        bullets = llm_drafter.draft_bullets(self.chat, profile.criterion, hits, self.metrics)
        if bullets is None:
            _note(self.notes, LLM_UNUSABLE)
            return None
        return [b for b in bullets if isinstance(b, Bullet)]


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


_PRONOUNS = [
    (r"\bI am\b", "you are"),
    (r"\bI'm\b", "you're"),
    (r"\bI’m\b", "you’re"),
    (r"\bI\b", "you"),
    (r"\bmyself\b", "yourself"),
    (r"\bmy\b", "your"),
    (r"\bMy\b", "Your"),
    (r"\bme\b", "you"),
    (r"\bmine\b", "yours"),
]
_THIRD = {"is": "are", "has": "have", "does": "do", "was": "were"}


def second_person(text: str) -> str:
    """'I own and deliver projects.' -> 'you own and deliver projects'; 'designs and implements X' -> 'design and
    implement X'."""
    text = re.sub(r"^[A-Z][\w /&’'-]{0,40} - ", "", text.strip())
    text = re.split(r"(?<=[.!?])\s+", text)[0].rstrip(".!? ")
    if re.match(r"^(?:I|When I|If I)\b", text) or re.search(r"\bI\b", text):
        for pattern, replacement in _PRONOUNS:
            text = re.sub(pattern, replacement, text)
        return text[:1].lower() + text[1:]
    words = text.split()
    verb_at = 1 if words and words[0].lower().endswith("ly") and len(words) > 1 else 0
    if words:
        verb = _base(words[verb_at])
        if verb is None:  # not a sentence about the engineer ("Security and compliance are built in")
            return text
        words[verb_at] = verb
        words[0] = words[0][:1].lower() + words[0][1:]
        for i in range(verb_at + 1, len(words)):
            after_and = words[i - 1].lower() == "and"
            if (
                (after_and or words[i - 1].endswith((",", ";")))
                and words[i].endswith("s")
                and base_form(words[i])
            ):
                words[i] = _base(words[i]) or words[i]  # a clause's own verb: "..., gives and receives ..."
    return "you " + " ".join(words)


def _base(word: str) -> str | None:
    """'Publishes' -> 'publish', 'owns' -> 'own'; None when the word does not read as a third-person verb."""
    lower = word.lower()
    if lower in _THIRD:
        return _THIRD[lower]
    if not lower.endswith("s") or lower.endswith("ss"):
        return None
    known = base_form(lower)
    if known:
        return known
    if lower.endswith("ies"):
        return lower[:-3] + "y"
    if re.search(r"(?:sh|ch|x|z|ss)es$", lower):
        return lower[:-2]
    return lower[:-1]


def question_for(criterion: Criterion) -> str:
    phrase = second_person(criterion.text)
    if phrase.startswith("you "):
        return f"Do you have notes on how {phrase}?"
    return f"Do you have notes or examples that show this: “{phrase}”?"
