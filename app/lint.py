"""The humility linter: hedges, weak verbs, passive voice, a team "we" for solo work, and figures left out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from app import hedge_fixes, numbers
from app.actions import opens_action
from app.grammar import newly_broken
from app.metrics import owns
from app.model import LintFinding
from app.text import base_form, past_tense, plural
from app.verbs import base_of_gerund, is_past, readings
from ingest.evidence import Evidence

Fix = str | Callable[[re.Match[str]], str | None] | None
# What a fix returns when the words matched are no hedge after all ("got to the root cause" is not "got to lead").
NOT_A_HEDGE = "\0not a hedge"

# (rule, pattern, automatic replacement, suggestion). Order matters: earlier patterns win overlaps.
_RULES: list[tuple[str, re.Pattern[str], Fix, str]] = []


def _rule(rule: str, pattern: str, fix: Fix, suggestion: str) -> None:
    _RULES.append((rule, re.compile(pattern, re.IGNORECASE), fix, suggestion))


def _helped(match: re.Match[str]) -> str | None:
    verb = match["verb"]
    following = match.string[match.start("verb") :].split() if verb else []
    if verb and base_form(verb) == verb.lower() and _verb_then_object(following):
        return past_tense(verb.lower())  # "helped design the API", "helped cut costs": a verb and its object
    if match["prep"]:
        return "contributed to"
    if hedge_fixes.someone_then_verb(match.string[match.start() :]):
        return None  # "helped users migrate": "supported users migrate" would not read; left as a suggestion
    rest = match.group(0)[
        len("helped") :
    ].strip()  # "helped users": the object is kept, only the verb changes
    return f"supported {rest}" if rest else "supported"


def _verb_then_object(words: list[str]) -> bool:
    """'design the API', 'cut hosting costs' (after 'helped' a verb in its base form is the action); not 'team
    members' (a noun before a plural reads as a noun)."""
    plural = len(words) > 1 and "noun" in readings(words[1]) and base_form(words[1]) is None
    action = opens_action(words, 0) or "verb" in readings(words[0])
    return action and not ("noun" in readings(words[0]) and plural)


_rule(
    "hedge",
    r"\bhelped\s+(?:(?P<prep>with|on|in)\b|(?:to\s+)?(?P<verb>[a-z]+)\b)",
    _helped,
    "say what you did: 'built', 'fixed', 'supported' rather than 'helped'",
)
_rule("hedge", r"\bassisted\s+(?:with|in|on)\b", "contributed to", "say what you did rather than 'assisted'")
_rule(
    "hedge",
    r"\b(?:was|were)\s+(?:partly|partially|jointly|in\s+part)\s+responsible\s+for\b",
    "contributed to",
    "say what your part was rather than 'partly responsible for'",
)
_rule("hedge", r"\bassisted\b", "supported", "say what you did rather than 'assisted'")
_rule(
    "hedge",
    r"\b(?:pitched|chipped)\s+in\s+(?:on|with|to)\b|\b(?:lent|gave)\s+(?:a\s+)?(?:helping\s+)?hand\s+(?:with|on|in|to)\b",
    "contributed to",
    "say what your part was rather than 'pitched in on'",
)


def _gave_a_hand(match: re.Match[str]) -> str:
    return f"supported {match['who']} with"


_rule(
    "hedge",
    r"\b(?:gave|lent)\s+(?P<who>(?!a\b)[\w'’-]+(?:\s+[A-Z][\w'’-]*)?)\s+a\s+(?:helping\s+)?hand\s+(?:with|on|in)\b",
    _gave_a_hand,
    "say what you did for them rather than 'gave them a hand'",
)
_rule(
    "hedge",
    r"\b(?:was|were|have been|had been|been|got)\s+involved\s+(?:in|with)\b",
    "contributed to",
    "say what your part was rather than 'was involved in'",
)
_rule(
    "hedge",
    r"\bparticipated\s+in\b",
    "contributed to",
    "say what your part was rather than 'participated in'",
)
_rule(
    "hedge",
    r"\b(?:(?:tried|attempted)(?:\s+(?:my\s+best|hard))?|did\s+(?:my\s+best|what\s+I\s+could))\s+to\b",
    "worked to",
    "say what you achieved rather than what you tried",
)


def _lucky(match: re.Match[str]) -> str | None:
    """'was lucky enough to work on' -> 'worked on': the luck goes, the verb takes the past tense."""
    verb = match["verb"]
    return past_tense(verb) if base_form(verb) == verb.lower() and "verb" in readings(verb) else None


_rule(
    "hedge",
    r"\b(?:(?:was|were)\s+(?:lucky|fortunate)(?:\s+enough)?|(?:had|got)\s+the\s+(?:chance|opportunity|privilege))"
    r"\s+to\s+(?P<verb>[a-z]+)\b",
    _lucky,
    "say what you did: the chance was yours because of your work",
)


def _got_to(match: re.Match[str]) -> str | None:
    """'I got to give a talk' -> 'I gave a talk'; 'got to the root cause' is no hedge."""
    verb = match["verb"]
    if base_form(verb) == verb.lower() and "verb" in readings(verb):
        return past_tense(verb)
    return NOT_A_HEDGE


_rule(
    "hedge",
    r"(?<=\bI )(?:got|get)\s+to\s+(?P<verb>[a-z]+)\b",
    _got_to,
    "say what you did, not that you got to",
)
_rule(
    "hedge",
    r"\b(?:handled|did|took)\s+(?:some|a\s+few|part|a\s+couple)\s+of\s+the\s+(?:code\s+)?reviews?\s+(?:on|for|of)\b",
    "reviewed",
    "say what you reviewed rather than 'some of the reviews'",
)


def _ended_up(match: re.Match[str]) -> str | None:
    """'I ended up disabling X' -> 'I disabled X'."""
    base = base_of_gerund(match["ger"])
    return past_tense(base) if base else NOT_A_HEDGE


_rule(
    "hedge",
    r"\bended\s+up\s+(?P<ger>[a-z]+ing)\b",
    _ended_up,
    "say what you did, not that you ended up doing it",
)
_rule(
    "hedge",
    r"^\s*it\s+was\s+(?:mostly|mainly|largely|really)\s+(?:others|other\s+people|the\s+team|my\s+team|[A-Z][\w-]*"
    r"(?:\s+and\s+[A-Z][\w-]*)?)(?:['’]s\s+work)?,?\s+but\s+(?=I\b)",
    "",
    "say what you did; others can speak for their part",
)
_rule(
    "hedge",
    r"\b(?:was|were)\s+(?:around|there|present)\s+for\b",
    "contributed to",
    "say what your part was rather than that you were there",
)
# Ownership said as an assignment ("was tasked with adding X", "was on the team that shipped X", "was one of the
# people who merged X"): fixed by app.hedge_fixes when the evidence shows the user did it, else a suggestion.
_rule(
    "hedge",
    r"\b(?:was|were|got)\s+(?:tasked\s+with|given\s+the\s+(?:task|job)\s+of|asked\s+to|assigned\s+to)(?=\s+[a-z])"
    r"|\b(?:was|were)\s+(?:on\s+(?:the|a|our|my)\s+(?:[\w-]+\s+){0,2}?(?:team|group|squad|crew)|one\s+of\s+the\s+"
    r"(?:people|engineers|folks|ones|maintainers|developers|devs))\s+(?:that|which|who)\b"
    r"|^\s*my\s+(?:(?:small|little|modest|tiny|minor)\s+)?(?:contribution|part|role)\s+(?:was|involved)\b",
    None,
    "say what you did: 'I added X'",
)


def _might_have(match: re.Match[str]) -> str | None:
    """'might have renamed' -> 'renamed' (a past form follows); 'could have been' stays a suggestion."""
    following = match.string[match.end() :].split()
    word = following[0].strip(".,;:") if following else ""
    return "" if word and word.lower() != "been" and is_past(word) else None


_rule(
    "hedge",
    r"\b(?:might|may|could)\s+have\s+(?=[a-z])",
    _might_have,
    "say what you did, without 'might have'",
)
_rule(
    "hedge",
    r"\b(?:had|played)\s+(?:a\s+)?(?:(?:small|minor|little|tiny|modest|some)\s+)?(?:part|role|hand)\s+in\b"
    r"|\bhad\s+(?:(?:some|a\s+little|a\s+small|minor)\s+)?involvement\s+(?:in|with)\b",
    "contributed to",
    "say what your part was rather than 'had a small part in'",
)
_rule(
    "hedge",
    r"\b(?:made\s+a\s+(?:small\s+)?start\s+on|had\s+a\s+(?:go|stab|crack)\s+at"
    r"|took\s+a\s+(?:(?:rough|quick|first|initial)\s+)*(?:stab|crack|pass|shot)\s+at|fiddled(?:\s+a\s+bit)?\s+with"
    r"|played\s+around\s+with|messed\s+around\s+with|poked\s+(?:at|around(?:\s+(?:at|in|with))?)|tried\s+my\s+hand\s+at"
    r"|tinkered\s+(?:with|on)|dabbled\s+(?:in|with))\b",
    "worked on",
    "name what you did rather than 'made a start on'",
)


def _all_i_did(match: re.Match[str]) -> str | None:
    """'All I really did was drop X' -> 'I dropped X'."""
    verb = match["verb"]
    return f"I {past_tense(verb)}" if base_form(verb) == verb.lower() and "verb" in readings(verb) else None


_rule(
    "hedge",
    r"\ball\s+I\s+(?:really\s+|ever\s+|actually\s+)?did\s+was\s+(?:to\s+)?(?P<verb>[a-z]+)\b",
    _all_i_did,
    "say what you did, without 'all I did was'",
)


# Minimising the work: "I only fixed", "Mostly I just fixed", "I merely wrote", "Probably not a big deal, but I …".
def _minimised(match: re.Match[str]) -> str | None:
    verb = match["verb"]
    return "" if verb is None or is_past(verb) else NOT_A_HEDGE


_rule(
    "hedge",
    r"^\s*(?:(?:mostly|mainly|basically)|(?:probably|maybe|perhaps)\s+not\s+a\s+big\s+deal,?\s+but),?\s+(?=I\b)"
    r"|(?<=\bI )(?:mostly|merely|simply|only|really)\s+(?=(?P<verb>[a-z]+)\b)",
    _minimised,
    "drop the hedge: say what you did",
)
# The work played down after it is said ("…, nothing major", "…, if that counts for anything")
_rule(
    "hedge",
    r",?\s*\b(?:nothing\s+(?:(?:too|very|that|particularly|really)\s+)?(?:major|fancy|big|special|much|exciting|interesting"
    r"|serious|glamorous)|no\s+big\s+deal|if\s+that\s+counts(?:\s+for\s+(?:anything|much))?|for\s+what\s+it['’]s\s+worth"
    r"|(?:and\s+)?that\s+(?:kind|sort)\s+of\s+(?:stuff|thing)|and\s+(?:stuff|things)\s+like\s+that|and\s+so\s+on"
    r"|along\s+the\s+way|if\s+I\s+(?:remember|recall)(?:\s+(?:right|rightly|correctly))?|IIRC"
    r"|as\s+far\s+as\s+I\s+(?:remember|recall|know))"
    r"\b(?=\s*[.!]?\s*$)",
    "",
    "drop it: let the work speak",
)
_rule(
    "hedge",
    r"\bmade\s+(?:a|some)\s+(?:small\s+|minor\s+|modest\s+|quick\s+)?(?:tweaks?|changes?|fix(?:es)?|patch(?:es)?)\s+so\s+(?:that\s+)?",
    "made sure ",
    "say what the change did",
)
# ... or before it: "a small Response.stream_text() addition", "a few small releases", "a modest tweak"
_rule(
    "hedge",
    r"(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bsome\s)|(?<=\bfew\s)|(?<=\bthe\s)|(?<=\bmy\s))(?:small|minor|modest|tiny|quick|little)\s+(?=(?:[\w`./()-]+\s+){0,3}?(?:tweaks?|fix(?:es)?"
    r"|changes?|additions?|patch(?:es)?|improvements?|updates?|clean-?ups?|refactors?|PRs?|commits?|features?|cops?"
    r"|releases?|contributions?|scripts?|tools?|notes?|things?|helpers?|utilit(?:y|ies)|clients?|talks?|presentations?"
    r"|workshops?|demos?|docs?|guides?|librar(?:y|ies)|services?|projects?)\b)",
    "",
    "drop the hedge: the work is what it is",
)


def _seemed(match: re.Match[str]) -> str | None:
    """'which some sites seemed to dislike': a suggestion, never a fix (what others did is not the user's to
    make certain)."""
    verb = match["verb"]
    return None if base_form(verb) == verb.lower() and "verb" in readings(verb) else NOT_A_HEDGE


_rule("hedge", r"\b(?:seemed|appeared)\s+to\s+(?P<verb>[a-z]+)\b", _seemed, "say it if the evidence shows it")
_rule("hedge", r"\bjotted\s+down\b", "wrote", "say what you wrote")
_rule(
    "hedge",
    r"\b(?:threw|thrown|knocked|hacked|cobbled)\s+together\b|\bwhipped\s+up\b|(?<=\bI\s)put\s+together\b",
    "built",
    "say what you built",
)
# "…, a bit." at the end of what was done, and "…, mostly Marcelo's work": the work said with who else did it
_rule("hedge", r"\s+(?:a\s+(?:little\s+)?bit|a\s+little)(?=\s*[.,;!]?\s*$)", "", "drop the hedge")


def _mostly_theirs(match: re.Match[str]) -> str:
    return f" with {match['who']}"


_rule(
    "hedge",
    r",?\s+(?:mostly|mainly|largely)\s+(?P<who>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)['’]s\s+(?:work|doing|idea)\b",
    _mostly_theirs,
    "say what you did, and with whom",
)
# Credit given to others for one's own work, in the passive ("X was migrated, with some help from me"): fixed by
# app.hedge_fixes when the evidence shows whose work it was, else a suggestion.
_rule(
    "hedge",
    r",?\s*\b(?:with\s+(?:(?:some|a\s+(?:little\s+)?bit\s+of|a\s+little|a\s+lot\s+of)\s+)?help\s+from\s+me|with\s+my\s+help"
    r"|(?:(?:partly|partially|largely|in\s+part)\s+)?thanks\s+(?:in\s+part\s+)?to\s+me)\b",
    None,
    "say what you did in the active voice: 'I migrated X'",
)
_rule(
    "hedge",
    r"\bdid\s+(?:a\s+(?:little\s+)?bit\s+of|a\s+little|some)\s+work\b",
    "worked",
    "name what you did rather than 'did a little work'",
)
_rule(
    "hedge",
    r"\b(?:was|were|have been|had been)\s+(?:a\s+)?part\s+of\b",
    "contributed to",
    "say what your part was rather than 'was part of'",
)
_rule("hedge", r"\bI\s+(?:think|believe|feel|guess)\b(?:\s+that\b)?,?\s*", "", "state it; drop 'I think'")
_rule(
    "hedge",
    r"\b(?:sort|kind)\s+of\b(?!\s+(?:bug|issue|problem|change|work|thing)s?\b)|\b(?:kinda|sorta|more\s+or\s+less)\b",
    "",
    "drop the hedge",
)
_rule(
    "hedge",
    r"\bdid\s+(?:a\s+(?:little\s+)?bit|a\s+little|some\s+stuff)\s+(?:on|for|with)\b",
    "worked on",
    "name what you did rather than 'did a bit on'",
)
_rule("hedge", r"\b(?:a\s+(?:little\s+)?bit(?:\s+of)?|a\s+little)\b(?=\s+[a-z])", "", "drop the hedge")
_rule("hedge", r"\b(?:just|somewhat|maybe|perhaps|hopefully|fairly)\b(?![-'])\s*", "", "drop the hedge")
_rule("weak_verb", r"\bworked\s+on\b", None, "name the result: built, shipped, fixed, improved, migrated")
_rule(
    "weak_verb",
    r"\bwas\s+responsible\s+for\b",
    None,
    "say 'owned' if you owned it, or name what you delivered",
)
_rule(
    "weak_verb", r"\b(?:did|handled|dealt\s+with)\b", None, "name the action: resolved, ran, delivered, fixed"
)
_rule(
    "passive",
    r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?(?!(?:involved|interested|excited|pleased|"
    r"concerned|based|able|responsible)\b)(?:[a-z]+ed|built|made|done|written|shipped|led|run|set|taken|given|"
    r"driven|chosen|found|held|sent|brought)\b(?:\s+by\b)?",
    None,
    "use the active voice and say who did it: 'I fixed ...' rather than 'was fixed'",
)
_NOUN_USE = re.compile(r"\b(?:a|an|this|that|the|what|any|some|every|each|one|same|which)\s+$", re.IGNORECASE)
_WE = re.compile(r"\b(?:we\s+were|we\s+are|we're|we've|we)\b", re.IGNORECASE)
_WE_FIX = {"we were": "I was", "we are": "I am", "we're": "I'm", "we've": "I've", "we": "I"}


def lint(text: str, evidence: list[Evidence] | None = None) -> list[LintFinding]:
    """Findings in text order; each has a span, the text found, a suggestion and, when safe, a replacement."""
    findings: list[LintFinding] = []
    taken: list[tuple[int, int]] = []
    for rule, pattern, fix, suggestion in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            found = match.group(0).lower()
            if ("kind" in found or "sort" in found) and _NOUN_USE.search(text[:start]):
                continue
            replacement = fix(match) if callable(fix) else fix
            if replacement == NOT_A_HEDGE:
                continue
            findings.append(LintFinding(rule, (start, end), match.group(0), suggestion, replacement))
            taken.append((start, end))
    if evidence:
        findings += _we(text, evidence) + _missing_number(text, evidence)
    return sorted(findings, key=lambda f: f.span)


def _sole_author(evidence: list[Evidence]) -> bool:
    def solo(e: Evidence) -> bool:
        others = e.extra.get("co_authors") or []
        branch = e.extra.get("pr_commit_authors") or [e.author]
        return e.role in ("author", "assignee", "owner") and not others and len(set(branch)) <= 1

    return bool(evidence) and all(solo(e) for e in evidence)


def _we(text: str, evidence: list[Evidence]) -> list[LintFinding]:
    if not _sole_author(evidence):
        return []
    return [
        LintFinding(
            "we_sole_author",
            m.span(),
            m.group(0),
            "the cited evidence shows you did this alone: say 'I'",
            _WE_FIX[" ".join(m.group(0).lower().split())],
        )
        for m in _WE.finditer(text)
    ]


def _missing_number(text: str, evidence: list[Evidence]) -> list[LintFinding]:
    if numbers.extract(text):
        return []
    figures: list[str] = []
    for e in (e for e in evidence if owns(e)):  # others' lines are theirs to claim
        stats = e.stats
        if stats.get("insertions") or stats.get("deletions"):
            figures.append(f"+{stats.get('insertions', 0):g}/−{stats.get('deletions', 0):g} lines ({e.id})")
        elif stats.get("story_points"):
            figures.append(f"{plural(stats['story_points'], 'story point')} ({e.id})")
        figures += [f"{n.text} ({e.id})" for n in numbers.extract(f"{e.title}\n{e.body}") if n.unit]
    if not figures:
        return []
    return [
        LintFinding(
            "missing_number",
            (0, len(text)),
            text,
            "the cited evidence has figures you could use: " + "; ".join(figures[:3]),
        )
    ]


# "contributed to X and in making Y" (from "played a part in X and in making Y"): the second preposition follows
_PARALLEL = re.compile(r"\b(contributed to\b[^.;()]*?\band\s+)in(?=\s+[a-z]+ing\b)", re.IGNORECASE)


def apply(text: str, findings: list[LintFinding]) -> str:
    """Apply every automatic fix (hedges dropped or replaced, a solo 'we' made 'I'); the rest stay suggestions."""
    fixable = sorted(
        (f for f in findings if f.replacement is not None), key=lambda f: f.span[0], reverse=True
    )
    end_of_last = len(text) + 1
    for finding in fixable:
        start, end = finding.span
        if end > end_of_last or text[start:end] != finding.text:
            continue
        replacement = finding.replacement or ""
        if finding.text[:1].isupper() and replacement and replacement != "I'm":
            replacement = replacement[0].upper() + replacement[1:]
        text = text[:start] + replacement + text[end:]
        end_of_last = start
    return _tidy(_PARALLEL.sub(r"\1to", text))


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text).strip()
    text = re.sub(r"^([,;:]\s*)", "", text)
    text = re.sub(r"[,;:]+(?=[.!?]|$)", "", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text


def fix(text: str, evidence: list[Evidence] | None = None) -> tuple[str, list[LintFinding]]:
    """Apply the automatic fixes until none is left; return the text and the findings that remain.

    A fix that would leave a sentence that no longer reads ("by contributed to") is not applied: it stays a
    suggestion for the person to act on.
    """
    unsafe: set[tuple[str, str]] = set()
    for _ in range(3):
        findings = _safe(text, lint(text, evidence), unsafe)
        if not any(f.replacement is not None for f in findings):
            return text, findings
        text = apply(text, findings)
    return text, _safe(text, lint(text, evidence), unsafe)


def _safe(text: str, findings: list[LintFinding], unsafe: set[tuple[str, str]]) -> list[LintFinding]:
    """The findings, with the replacement taken off every fix that would break the sentence."""
    fixable = [
        f for f in findings if f.replacement is not None and (f.text.lower(), f.replacement) not in unsafe
    ]
    if fixable and not newly_broken(text, apply(text, fixable)):
        # together they read ("sort of poked at" -> "worked on"), though one alone would not ("sort of worked on")
        return [
            f if f in fixable or f.replacement is None else replace(f, replacement=None) for f in findings
        ]
    out = []
    for finding in findings:
        key = (finding.text.lower(), finding.replacement or "")
        if finding.replacement is not None and (key in unsafe or newly_broken(text, apply(text, [finding]))):
            unsafe.add(key)
            finding = replace(finding, replacement=None)
        out.append(finding)
    return out


def hedges(text: str) -> list[LintFinding]:
    return [f for f in lint(text) if f.rule == "hedge"]
