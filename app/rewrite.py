"""Rewrite text in the organization's vocabulary without changing a fact: numbers, ids and names are checked."""

from __future__ import annotations

import difflib
import importlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from app import hedge_fixes, lint, numbers
from app.index import EvidenceIndex
from app.model import Glossary, Mode, RewriteResult
from app.rewrite_evidence import Receipts, receipts
from ingest.evidence import Evidence

_PROTECTED = re.compile(r"`[^`\n]*`|https?://\S+")
_IDS = re.compile(
    r"\b[A-Z][A-Z0-9]{1,9}-\d+\b|(?<![\w&])#\d+\b|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b|"
    r"\bv?\d+\.\d+(?:\.\d+)+\b|https?://\S+"
)
_TOKEN = re.compile(r"[A-Za-z][\w.+/-]*[\w+]|[A-Za-z]")


def substitute(text: str, glossary: Glossary) -> str:
    """Preferred terms for the ones to avoid: whole words, case kept, never inside code or links."""
    for term in glossary.terms:
        for phrase in sorted(term.instead_of, key=len, reverse=True):
            pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(s?)(?![\w-])", re.IGNORECASE)
            text = _replace_outside_code(text, pattern, term.use)
    return text


def _replace_outside_code(text: str, pattern: re.Pattern[str], use: str) -> str:
    protected = [m.span() for m in _PROTECTED.finditer(text)]

    def swap(match: re.Match[str]) -> str:
        if any(a <= match.start() < b for a, b in protected):
            return match.group(0)
        plural = bool(match.group(1)) and use.isalpha() and not use.endswith("s")
        return _same_case(match.group(0), use + ("s" if plural else ""))

    return pattern.sub(swap, text)


def _same_case(original: str, use: str) -> str:
    if original.isupper() and len(original) > 1:
        return use.upper()
    if original[:1].isupper():
        return use[:1].upper() + use[1:]
    return use


def facts(text: str, ignore: set[str] = frozenset()) -> dict[str, Counter[str]]:  # type: ignore[assignment]
    """What a rewrite must not change: numbers (by value and unit), ids, and named systems."""
    return {
        "numbers": Counter(f"{n.value:g}{n.unit}" for n in numbers.extract(text)),
        "ids": Counter(m.group(0) for m in _IDS.finditer(text)),
        "names": Counter(n for n in names(text) if n.lower() not in ignore),
    }


def names(text: str) -> list[str]:
    """Code spans, and tokens that name something: CamelCase, ALLCAPS, digits inside, or capitalised mid-sentence."""
    found = [m.group(0) for m in re.finditer(r"`[^`\n]*`", text)]
    plain = re.sub(r"`[^`\n]*`|https?://\S+", " ", text)
    for match in _TOKEN.finditer(plain):
        token = match.group(0)
        before = plain[: match.start()].rstrip()
        sentence_start = not before or before[-1] in ".!?:\n-•*"
        inner_caps = any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token) or "/" in token
        if token == "I" or _IDS.fullmatch(token):
            continue
        if inner_caps or (len(token) > 1 and token.isupper()) or (token[0].isupper() and not sentence_start):
            found.append(token)
    return found


def check(original: str, rewritten: str, glossary: Glossary | None = None, evidence: str = "") -> str:
    """'' when every fact survived, else what changed ("changed numbers: 38% -> 40%").

    A fact the rewrite adds is allowed only when `evidence` (the cited items' text) states it.
    """
    allowed = _glossary_words(glossary)
    before, after = facts(original, allowed), facts(rewritten, allowed)
    backed = facts(evidence, allowed) if evidence else {kind: Counter() for kind in before}
    backed["names"] = Counter(_TOKEN.findall(evidence)) + Counter(
        names(evidence)
    )  # any word the evidence says
    problems = []
    for kind in ("numbers", "ids", "names"):
        lost = before[kind] - after[kind]
        added = Counter({k: n for k, n in (after[kind] - before[kind]).items() if k not in backed[kind]})
        if lost or added:
            parts = ([f"removed {', '.join(sorted(lost))}"] if lost else []) + (
                [f"added {', '.join(sorted(added))}"] if added else []
            )
            problems.append(f"{kind}: {'; '.join(parts)}")
    return "; ".join(problems)


def _glossary_words(glossary: Glossary | None) -> set[str]:
    if glossary is None:
        return set()
    phrases = [t.use for t in glossary.terms] + [p for t in glossary.terms for p in t.instead_of]
    phrases += [v["term"] for v in glossary.values]
    return {w.lower() for p in phrases for w in _TOKEN.findall(p)}


def diff(original: str, rewritten: str) -> list[dict[str, str]]:
    a, b = original.split(), rewritten.split()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return [
        {"op": op, "from": " ".join(a[i1:i2]), "to": " ".join(b[j1:j2])}
        for op, i1, i2, j1, j2 in ops
        if op != "equal"
    ]


@dataclass
class Rewrite(RewriteResult):
    """A rewrite with the evidence it stands on: [{"id", "title", "date", "url", "snippet"}]."""

    citations: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "citations": self.citations}


def rewrite(
    text: str, glossary: Glossary | None = None, chat: Any = None, index: EvidenceIndex | None = None
) -> Rewrite:
    """The text in the glossary's words, hedges fixed as strongly as the evidence allows, the user's own work
    named with citations; the original back (preserved: false) if a fact moved."""
    glossary = glossary or Glossary()
    warnings: list[str] = []
    candidate: str | None = None
    mode: Mode = "offline"
    said = text
    if hedge_fixes.CREDITED.match(text):  # "X was added, partly thanks to me": said actively before the rest
        whole = receipts(index, text) if index is not None else Receipts()
        said = hedge_fixes.credited(text, whole.owned)
    clauses = [
        (part, receipts(index, part) if index is not None and part.strip() else Receipts())
        for part in _clauses(said)
    ]
    found = Receipts()
    for _, found_here in clauses:
        found.about += [e for e in found_here.about if e not in found.about]
        if found_here.owned:  # only work the sentence is about and the user did is named
            found.done += [e for e in found_here.done if e not in found.done]
    if chat is not None:
        try:
            candidate = importlib.import_module("app.llm_rewrite").rewrite(chat, text, glossary)
        except ImportError:
            candidate = None
        if candidate is None:
            warnings.append("LLM rewrite unusable; offline rewrite used")
        else:
            mode = "llm"
    if candidate is None:
        fixed = "".join(
            part if _SEPARATOR.fullmatch(part) else hedge_fixes.fix(part, r.owned, r.acts, r.shown)
            for part, r in clauses
        )
        candidate = lint.fix(substitute(fixed, glossary))[0]
        if len(clauses) == 1:  # one claim: its verb can come from the user's own work on it
            candidate = found.strongest(text, candidate)
        candidate = _with_clause(candidate, found.clause(candidate))
    for word in glossary.avoid:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", candidate, re.IGNORECASE):
            warnings.append(f"'{word}' is on the glossary's avoid list")
    cited = list({e.id: e for e in found.about + found.done}.values())
    backing = "\n".join(f"{e.title}\n{e.body}\n{_refs(e)}" for e in cited)
    problem = check(text, candidate, glossary, backing)
    if problem:
        return Rewrite(
            text, False, [], f"the rewrite changed facts ({problem}); original kept", mode, warnings
        )
    from app.ask_filters import citation

    return Rewrite(candidate, True, diff(text, candidate), "", mode, warnings, [citation(e) for e in cited])


_SEPARATOR = re.compile(
    r"\s+and\s+(?=(?:I\s+)?(?:was|were|helped|assisted|participated|got)\b)|[;,]\s+", re.IGNORECASE
)


def _clauses(text: str) -> list[str]:
    """The text cut before each 'and was involved ...', ', ' or '; ', separators kept as their own parts."""
    parts, at = [], 0
    for match in _SEPARATOR.finditer(text):
        parts += [text[at : match.start()], match.group(0)]
        at = match.end()
    return [p for p in [*parts, text[at:]] if p]


def _with_clause(text: str, clause: str) -> str:
    if not clause:
        return text
    end = re.search(r"[.!?]*\s*$", text)
    cut = end.start() if end else len(text)
    return text[:cut] + clause + text[cut:]


def _refs(evidence: Evidence) -> str:
    number, key = evidence.native.get("pr_number"), evidence.native.get("key")
    return " ".join(([f"#{number}"] if number else []) + ([str(key)] if key else []))
