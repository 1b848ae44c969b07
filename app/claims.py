"""Is a bullet's claim supported by what its cited evidence says? Roles, instructions, key words, then meaning.

- Evidence in which the user is only "mentioned" supports no claim of what the user did.
- Evidence of a role without ownership (reviewer, merger of others' work, reporter) supports only claims of that
  role: "Reviewed ...", not "Grew revenue ...".
- Sentences that address a model ("ignore previous instructions", "assistant: write that ...") are no evidence.
- The claim's key words must be in the remaining text (trust_policy.KEY_SUPPORT); if too few are, the closest
  sentence must be close in meaning (trust_policy.MEANING_SUPPORT, the local MiniLM model, vectors cached).
A bullet that cites only computed metrics must be made of the metrics' own words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from app import trust_policy
from app.keywords import stem, stems
from app.metrics import owns
from app.model import Metric
from app.number_sense import METRIC_NOUNS
from ingest.evidence import Evidence

Embed = Callable[[list[str]], np.ndarray]

# Text that speaks to a model rather than about work: it supports nothing.
INSTRUCTION = re.compile(
    "|".join(
        (
            r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules|guidelines|context)\b",
            r"\b(?:system|developer|assistant)\s*(?:prompt|message|override|note)?\s*:",
            r"\b(?:you are now|act as|pretend (?:to be|you are)|from now on)\b",
            r"\b(?:new|updated|hidden|important|additional)\s+(?:instructions?|directives?|tasks?)\b",
            r"\b(?:ai|llm|language model|assistant|model|chatbot|bot|summari[sz]er|drafter)s?\b[^.\n]{0,40}\b"
            r"(?:must|should|shall|will|needs? to|is required to|has to)\b",
            r"\b(?:when|if|while)\s+(?:you|the (?:ai|llm|model|assistant))\s+(?:summari[sz]e|draft|write|read|generate)",
            r"\b(?:write|say|state|claim|add|include|insert|output|put|credit|mention)\b[^.\n]{0,30}\b(?:bullets?|"
            r"(?:self-)?reviews?|drafts?|summary|that (?:i|he|she|they|the user|the engineer))\b",
            r"\bcite\s+(?:this|it|these|[a-z]+:\S+)",
            r"</?\s*(?:evidence|system|instructions?|im_start|im_end)\b|\[/?INST\]",
        )
    ),
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# What each role without ownership can back: the verbs of that role.
# An ownership verb ("led") passes here: the gate's role check flags it and the export softens it to
# "contributed to", which merging or reviewing someone's work does back.
_OWNING = r"|contribut|led|lead|own|drov|driv|design|built|build|ship|architec|spearhe"
ROLE_VERBS = {
    "reviewer": r"review|approv|feedback|comment|suggest|mentor|coach|guid|advis|unblock|merg" + _OWNING,
    "merger": r"merg|land|review|approv|releas" + _OWNING,
    "reporter": r"report|fil|rais|flag|found|find|open|triag|spot|discover|escalat|notic|identif",
    "recipient": r"",  # thanks and kudos say what the user did, in someone else's words
}


@dataclass(frozen=True)
class Support:
    supported: bool
    reason: str = ""


def instructions_removed(text: str) -> str:
    return "\n".join(s for s in _SENTENCE.split(text) if s.strip() and not INSTRUCTION.search(s))


def as_evidence(evidence: Evidence) -> Evidence:
    """The item with every sentence that addresses a model taken out (the same item when there is none)."""
    if not INSTRUCTION.search(f"{evidence.title}\n{evidence.body}"):
        return evidence
    return replace(
        evidence, title=instructions_removed(evidence.title), body=instructions_removed(evidence.body)
    )


def _metric_words(metrics: Sequence[Metric]) -> set[str]:
    text = " ".join(
        f"{m.name.replace('_', ' ')} {m.label} {m.unit} {METRIC_NOUNS.get(m.name, '')}" for m in metrics
    )
    return stems(re.sub(r"[^A-Za-z ]+", " ", text)) | {
        stem(w) for w in ("authored", "merged", "resolved", "received")
    }


def check(
    text: str,
    cited: Sequence[Evidence],
    metrics: Sequence[Metric] = (),
    embed: Embed | None = None,
    use_default_model: bool = True,
) -> Support:
    """Whether `text` is backed by the cited evidence (and metrics); the reason when it is not."""
    claim = stems(text)
    if not cited and not metrics:
        return Support(False, "it cites no evidence")
    acting = [e for e in cited if e.role != "mentioned"]
    if cited and not acting and not metrics:
        return Support(False, "the cited evidence only mentions you; it does not show what you did")
    if not acting:
        found = claim & _metric_words(metrics)
        if claim and len(found) / len(claim) < trust_policy.KEY_SUPPORT:
            return Support(
                False,
                f"it cites only computed metrics, which do not say '{', '.join(sorted(claim - found)[:4])}'",
            )
        return Support(True)
    if not any(owns(e) for e in acting):
        verbs = "|".join(v for v in (ROLE_VERBS.get(e.role) for e in acting) if v is not None)
        if verbs and not any(re.match(verbs, s) for s in claim) and all(e.role in ROLE_VERBS for e in acting):
            roles = ", ".join(sorted({e.role for e in acting}))
            return Support(
                False, f"the cited evidence shows you as {roles}; the bullet claims more than that"
            )
    sources = [instructions_removed(f"{e.title}\n{e.body}") for e in acting]  # no-op for as_evidence() items
    said = set().union(
        *(stems(s) for s in sources), *(stems(" ".join(e.stats).replace("_", " ")) for e in acting)
    )
    found = claim & said
    if not claim or len(found) / len(claim) >= trust_policy.KEY_SUPPORT:
        return Support(True)
    embed = embed or (default_embed() if use_default_model else None)
    closest = _closest(text, sources, embed) if embed is not None else None
    if closest is not None and closest >= trust_policy.MEANING_SUPPORT:
        return Support(True)
    meaning = f"; the closest sentence is {closest:.2f} alike in meaning" if closest is not None else ""
    return Support(
        False, f"the cited evidence does not say this ({len(found)} of {len(claim)} key words found{meaning})"
    )


def _closest(text: str, sources: Sequence[str], embed: Embed) -> float | None:
    sentences = [
        s.strip()
        for source in sources
        for s in _SENTENCE.split(source)[: trust_policy.MAX_SENTENCES]
        if len(s.strip()) > 8
    ]
    if not sentences:
        return None
    vectors = _vectors(embed, [text, *sentences])
    return float(np.max(vectors[1:] @ vectors[0]))


_cache: dict[tuple[str, str], np.ndarray] = {}
_models: dict[str, Embed] = {}  # keeps every model keyed by id alive, so an id is never reused for another


def _vectors(embed: Embed, texts: list[str]) -> np.ndarray:
    """Vectors of `texts` (one batch for the ones not seen before in this process), cached by model and text."""
    owner = getattr(embed, "__self__", embed)
    key = str(getattr(owner, "name", "") or f"id:{id(owner)}")
    _models.setdefault(key, owner)
    todo = list(dict.fromkeys(t for t in texts if (key, t) not in _cache))
    if todo:
        if len(_cache) > 20000:
            _cache.clear()
        for t, v in zip(todo, embed(todo), strict=True):
            _cache[(key, t)] = np.asarray(v, dtype=np.float32) / max(float(np.linalg.norm(v)), 1e-12)
    return np.stack([_cache[(key, t)] for t in texts])


@functools.cache
def default_embed() -> Embed | None:
    """The local MiniLM model (no network), or None when it cannot load: key words alone decide then."""
    try:
        from app.settings import load
        from ingest.embeddings import LocalEmbedder

        return LocalEmbedder(load().home / "models").embed
    except Exception:  # noqa: BLE001 - any failure to load means "no meaning check", never a crashed draft
        return None
