"""Hedges rewritten so the sentence stays grammatical, as strongly as the user's part in the work allows.

"I helped the team migrate X" is "I migrated X with the team" when the evidence shows the user did the work,
else "I worked with the team to migrate X" (never "I supported the team migrate X"). "was involved in cutting
Y" is "cut Y" when the user did the work, else "contributed to cutting Y".
"""

from __future__ import annotations

import re

from app import verbs
from app.actions import DETERMINERS, opens_action, opens_object
from app.text import base_form, is_past, past_tense
from app.verbs import readings

_CLAUSE_END = re.compile(r",\s|;\s|\.(?:\s|$)|\s+and\s+(?=(?:I\s+)?(?:was|were|also|then|\w+ed)\b)|\s+\(|$")
_NOT_OBJECT = {"to", "with", "on", "in", "by"}
# A party named by how many ("two teams", "several squads", "other teams") is not the user's own group: the user
# enabled them ("enabled two teams to adopt X"), never "adopted X with two teams".
_NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens")
_COUNTED = frozenset(
    (*_NUMBERS, "several", "multiple", "many", "few", "other", "another", "both", "some", "all", "a")
)
_HELPED = re.compile(r"\b(?:helped|assisted)(?=\s)", re.IGNORECASE)
_TOKEN = re.compile(r"[\w'-]+")
_HELPED_DOING = re.compile(r"\b(?:helped|assisted)\s+(?:with|on|in)\s+(?P<ger>[a-z]+ing)\b", re.IGNORECASE)
_INVOLVED = re.compile(
    r"\b(?:(?:was|were|have been|had been|been|got)\s+involved|participated|"
    r"(?:had|played)\s+(?:a\s+)?(?:(?:small|minor|little|tiny|modest|some)\s+)?(?:part|role|hand)|"
    r"(?:was|were)\s+(?:only\s+)?(?:partly|partially|somewhat|loosely|marginally|peripherally)\s+involved|"
    r"had\s+(?:(?:some|a\s+little|a\s+small|minor)\s+)?involvement|(?:pitched|chipped)\s+in|"
    r"(?:lent|gave)\s+(?:a\s+)?(?:helping\s+)?hand)\s+(?:in|with|on)\s+(?P<ger>[a-z]+ing)\b",
    re.IGNORECASE,
)
# "made a start on adding X", "had a go at adding X": "added X" when the user did the work, else "worked on adding X"
_STARTED = re.compile(
    r"\b(?:made\s+a\s+(?:small\s+)?start\s+on|had\s+a\s+(?:go|stab|crack)\s+at"
    r"|took\s+a\s+(?:(?:rough|quick|first|initial)\s+)*(?:stab|crack|pass|shot)\s+at|fiddled(?:\s+a\s+bit)?\s+with"
    r"|played\s+around\s+with|messed\s+around\s+with|tried\s+my\s+hand\s+at|tinkered\s+(?:with|on)|dabbled\s+(?:in|with)|did\s+(?:(?:a\s+(?:little\s+)?bit\s+of|a\s+little|some)\s+)?work\s+on"
    r"|did\s+(?:a\s+(?:little\s+)?bit|a\s+little)\s+on)\s+(?P<ger>[a-z]+ing)\b",
    re.IGNORECASE,
)
# "did a little housekeeping by starting a CHANGELOG and pushing out releases": the acts are the work
_BY_DOING = re.compile(
    r"\bdid\s+(?:(?:a\s+(?:little\s+)?(?:bit\s+of\s+)?|some\s+|a\s+spot\s+of\s+)?(?:housekeeping|cleanup|clean-up|tidying|"
    r"maintenance|work|chores?))\s+by\s+(?P<acts>[a-z]+ing\b[^.;]*)",
    re.IGNORECASE,
)
# "did some light tidying of QueryParams": "tidied QueryParams" (the act the sentence already claims)
_DID_SOME = re.compile(
    r"\b(?P<did>did)\s+(?:some|a\s+bit\s+of|a\s+little(?:\s+bit\s+of)?)\s+(?:(?:light|quick|minor|small|gentle)\s+)?"
    r"(?P<ger>[a-z]+ing)\s+(?:of|on)\s+",
    re.IGNORECASE,
)


def _did_some(match: re.Match[str]) -> str:
    base = base_of_gerund(match["ger"])
    return _same_case(match["did"], past_tense(base)) + " " if base else match.group(0)


# "supported Tom Christie in tightening X" reads as "helped Tom Christie tighten X", fixed as that is.
_SUPPORTED_IN = re.compile(
    r"\b(?:supported|assisted)\s+(?P<who>(?:[A-Z][\w'’-]*\s+){1,3}?|(?:the|our|my)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:team|group|squad|crew)\s+)in\s+(?P<ger>[a-z]+ing)\b"
)
# Credit for the user's own work given in the passive: "The ledger reads were cut over to Postgres, with some help
# from me" is "I cut the ledger reads over to Postgres" when the evidence shows the user did it, else "I contributed
# to cutting the ledger reads over to Postgres".
_CREDIT = (
    r"(?:with\s+(?:(?:some|a\s+(?:little\s+)?bit\s+of|a\s+little|a\s+lot\s+of)\s+)?help\s+from\s+me|with\s+my\s+help"
    r"|(?:(?:partly|partially|largely|in\s+part)\s+)?thanks\s+(?:in\s+part\s+)?to\s+me)"
)
CREDITED = re.compile(
    r"^\s*(?P<np>\S.*?)\s+(?:was|were|got|has\s+been|have\s+been|had\s+been)\s+(?P<part>[a-z]+)\b(?P<rest>[^;]*?)"
    rf",?\s+{_CREDIT}\s*(?P<end>[.!]?)\s*$",
    re.IGNORECASE,
)


def base_of_gerund(word: str) -> str | None:
    """'cutting' -> 'cut', 'migrating' -> 'migrate', 'building' -> 'build'; None when it is no known verb."""
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) < 5:
        return None
    known = verbs.base_of_gerund(lower)
    if known:
        return known
    stem = lower[:-3]
    undoubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz" else ""
    for candidate in (stem, stem + "e", undoubled):
        if candidate and base_form(candidate) == candidate:
            return candidate
    if undoubled:
        return undoubled  # mapping -> map
    return stem + "e" if re.search(r"(?:at|iz|is|ut|ud|uc|rv|lv|ag)$", stem) else stem  # migrating, revamping


def _past(verb: str) -> str:
    return past_tense(base_form(verb) or verb)


def _same_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


# "tried to improve X", "was part of the effort to add X": the user's own work when the evidence shows they did it
_TRIED_TO = re.compile(
    r"\b(?:(?:tried|attempted)(?:\s+(?:my\s+best|hard))?|did\s+(?:my\s+best|what\s+I\s+could)|"
    r"(?:was|were|have been|had been)\s+(?:a\s+)?part\s+of\s+(?:the|an?|our|my)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:effort|work|push|project|initiative|team|group))\s+to\s+(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)


# A filler hedge inside the hedge this module rewrites ("was sort of involved in"), dropped first so the rest reads.
_FILLER = re.compile(
    r"\b(?:sort of|kind of|just|maybe|perhaps|somewhat|really|actually)\s+"
    r"(?=(?:involved|helped|assisted|participated|part of|a part of|tried|attempted)\b)",
    re.IGNORECASE,
)
# "was part of the team that ran X": "ran X with the team" when the evidence shows the user did it
_PART_OF_WHO = re.compile(
    r"\b(?:was|were)\s+(?:(?:a\s+)?part\s+of|on)\s+(?P<who>(?:the|our|my|a)\s+(?:[\w-]+\s+){0,2}?(?:team|group|squad|crew))"
    r"\s+(?:that|which|who)\s+(?P<verb>[a-z]+)\b"
    r"|\b(?:was|were)\s+one\s+of\s+the\s+(?:people|engineers|folks|ones|maintainers|developers|devs)\s+(?:that|which|who)\s+"
    r"(?P<verb2>[a-z]+)\b",
    re.IGNORECASE,
)
# "was tasked with adding X", "was given the task of adding X": "added X" when the evidence shows the user did it
_TASKED = re.compile(
    r"\b(?:was|were|got)\s+(?:tasked\s+with|given\s+the\s+(?:task|job)\s+of)\s+(?P<ger>[a-z]+ing)\b",
    re.IGNORECASE,
)
# "My small contribution was running X": "I ran X" when the evidence shows the user did it, else "I contributed to
# running X"
_MY_PART = re.compile(
    r"^(?P<lead>\s*)my\s+(?:(?:small|little|modest|tiny|minor)\s+)?(?:contribution|part|role)\s+(?:was|involved)\s+"
    r"(?P<ger>[a-z]+ing)\b",
    re.IGNORECASE,
)


# "helped out with", "helped a bit with": the particle and the softener go, "helped with" is fixed below.
_HELPED_SOFTLY = re.compile(
    r"\b(?P<verb>helped|assisted)(?:\s+out)?(?:\s+a\s+(?:little\s+)?bit|\s+a\s+little)?(?:\s+out)?"
    r"(?=\s+(?:with|on|in)\b)",
    re.IGNORECASE,
)
# "was partly responsible for cutting X": "cut X" when the user did the work, else "contributed to cutting X".
_PARTLY = re.compile(
    r"\b(?:was|were)\s+(?:partly|partially|jointly|in\s+part)\s+responsible\s+for\s+(?P<ger>[a-z]+ing)\b",
    re.IGNORECASE,
)


def fix(
    text: str, owned: bool, acts: frozenset[str] = frozenset(), shown: frozenset[str] | None = None
) -> str:
    """Every hedge this module knows, fixed in place; other hedges are left to app.lint. `acts`: what the user's
    role in the work proves they did even when it was not their own ("merge" for a merger, "review" for a
    reviewer), so "was involved in merging X" is "merged X". `shown`: the verbs the user's own work on it is
    titled with, when known; after "dabbled in", "had a go at" and the like, an "-ing" word becomes the user's act
    only when one of them names it, since it may be no act at all ("dabbled in streaming text decoding" is not
    "streamed text decoding")."""
    text = _HELPED_SOFTLY.sub(lambda m: m["verb"], text)
    text = _FILLER.sub("", text)
    text = _part_of_who(text, owned, acts)
    text = _SUPPORTED_IN.sub(lambda m: _supported_in(m), text)
    text = _helped_someone(text, owned)
    text = _HELPED_DOING.sub(lambda m: _doing(m, owned, acts, "contributed to"), text)
    text = _INVOLVED.sub(lambda m: _doing(m, owned, acts, "contributed to"), text)
    text = _PARTLY.sub(lambda m: _doing(m, owned, acts, "contributed to"), text)
    # "dabbled in", "had a go at": often followed by an area, not an act ("dabbled in streaming text decoding")
    text = _STARTED.sub(lambda m: _doing(m, owned, acts, "worked on", shown), text)
    text = _TASKED.sub(lambda m: _tasked(m, owned, acts), text)
    text = _BY_DOING.sub(lambda m: _by_doing(m, owned), text)
    text = _DID_SOME.sub(_did_some, text)
    text = _MY_PART.sub(
        lambda m: m["lead"] + "I " + _lower_first(_doing(m, owned, acts, "contributed to")), text
    )
    return _TRIED_TO.sub(lambda m: _did(m, owned), text)


def _supported_in(match: re.Match[str]) -> str:
    base = base_of_gerund(match["ger"])
    return f"helped {match['who'].strip()} {base}" if base else match.group(0)


def credited(text: str, owned: bool) -> str:
    """The passive with its credit ("X was added, partly thanks to me") said in the active voice, as strongly as
    the user's part allows; other text as it is."""
    match = CREDITED.match(text)
    base = verbs.base_of_participle(match["part"]) if match else None
    if match is None or base is None or "verb" not in readings(base):
        return text
    thing, rest = match["np"], match["rest"]
    if thing.split()[0].lower() in DETERMINERS:
        thing = thing[0].lower() + thing[1:]
    if base == "make" and re.match(r"\s+to\s", rest):  # "were made to return" -> "made X return"
        rest = " " + rest.lstrip()[3:]
    said = past_tense(base) if owned else f"contributed to {verbs.gerund(base)}"
    return f"I {said} {thing}{rest.rstrip()}{match['end'] or '.'}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _part_of_who(text: str, owned: bool, acts: frozenset[str] = frozenset()) -> str:
    match = _PART_OF_WHO.search(text)
    verb = match["verb"] or match["verb2"] if match else ""
    if match is None or not (owned or base_form(verb) in acts) or not is_past(verb):
        return text
    end = _CLAUSE_END.search(text, match.end()).start()  # type: ignore[union-attr]
    tail = text[match.end() : end].rstrip()
    said = f"{verb}{tail} with {match['who']}" if match["who"] else f"{verb}{tail}"
    return text[: match.start()] + _same_case(match.group(0), said) + text[match.end() + len(tail) :]


def _did(match: re.Match[str], owned: bool) -> str:
    """'tried to improve' -> 'improved' when the user did the work; else as it was (app.lint weakens it)."""
    verb = match["verb"]
    if owned and base_form(verb) == verb.lower() and readings(verb) & {"verb"}:
        return _same_case(match.group(0), past_tense(verb.lower()))
    return match.group(0)


def _doing(
    match: re.Match[str], owned: bool, acts: frozenset[str], weaker: str, shown: frozenset[str] | None = None
) -> str:
    base = base_of_gerund(match["ger"])
    if base and ((owned and (shown is None or base in shown)) or base in acts):
        return _same_case(match.group(0), past_tense(base))
    return _same_case(match.group(0), f"{weaker} {match['ger']}")


def _tasked(match: re.Match[str], owned: bool, acts: frozenset[str]) -> str:
    done = _doing(match, owned, acts, "")
    return match.group(0) if done.startswith(" ") else done  # not shown to be the user's act: as it was


def _by_doing(match: re.Match[str], owned: bool) -> str:
    """'did a little housekeeping by starting a CHANGELOG and pushing out releases' -> 'started a CHANGELOG and pushed
    out releases' when the evidence shows the user did it; else as it was."""
    gerunds = [g for g in re.findall(r"(?:^|\band\s+)([a-z]+ing)\b", match["acts"])]
    bases = [base_of_gerund(g) for g in gerunds]
    if not owned or not gerunds or not all(bases):  # after "by", an -ing word is an act
        return match.group(0)
    said = match["acts"]
    for gerund, base in zip(gerunds, bases, strict=True):
        said = re.sub(rf"\b{gerund}\b", past_tense(base or gerund), said, count=1)
    return said


def _helped_someone(text: str, owned: bool) -> str:
    for _ in range(3):
        found = _someone(text)
        if found is None:
            return text
        start, after, who, verb = found
        end = _CLAUSE_END.search(text, after).start()  # type: ignore[union-attr]
        tail = text[after:end].rstrip()
        if owned and (not tail.strip() or _counted(who)):
            # "helped Lena and Sam onboard", "helped two teams adopt X": they did it; the user made it possible
            said = f"enabled {who} to {base_form(verb) or verb}"
            text = text[:start] + _same_case(text[start:], said) + text[after:]
        elif owned:
            said = f"{_past(verb)}{tail} with {who}"
            text = text[:start] + _same_case(text[start:], said) + text[after + len(tail) :]
        else:
            said = f"worked with {who} to {base_form(verb) or verb}"
            text = text[:start] + _same_case(text[start:], said) + text[after:]
    return text


def _counted(who: str) -> bool:
    first = who.split()[0].lower()
    return first in _COUNTED or first.isdigit()


def someone_then_verb(text: str) -> bool:
    """Does the text's first 'helped' name someone, then what they did ('helped the team migrate X')?"""
    found = _someone(text)
    return found is not None and found[0] == _HELPED.search(text).start()  # type: ignore[union-attr]


def _someone(text: str) -> tuple[int, int, str, str] | None:
    """'helped the on-call team reduce': (start, end, 'the on-call team', 'reduce') when an object, then a verb
    in its base form follow (not 'helped build', 'helped with')."""
    for match in _HELPED.finditer(text):
        tokens = list(_TOKEN.finditer(text, match.end()))[:6]
        words = [t.group(0) for t in tokens]
        found = _who_then_verb(words, clear=True)  # "the team migrate", "Lena and Sam onboard"
        if found is None and not (words and opens_action(words, 0)):  # "helped review code": the user's own
            found = _who_then_verb(words, clear=False)  # "the team review code"
        if found is not None:
            n, at = found
            return match.start(), tokens[at].end(), " ".join(words[:n]), words[at]
    return None


def _who_then_verb(words: list[str], clear: bool) -> tuple[int, int] | None:
    """(n, at): the first n words name someone and words[at] is the verb they did. `clear`: only a word that is
    nothing but a verb, or one its object plainly follows ('ship the release', 'set up')."""
    for n in range(1, 5):
        if len(words) <= n or words[0].lower() in _NOT_OBJECT:
            return None
        at = n + 1 if words[n].lower() == "to" and len(words) > n + 1 else n
        verb = words[at]
        if words[n - 1].lower() in DETERMINERS or not verb.islower() or base_form(verb) != verb:
            continue  # "the team": a noun after a determiner
        following = words[at + 1] if at + 1 < len(words) else ""
        if not clear and readings(following) != {"verb"}:  # not "team" in "the on-call team reduce"
            return n, at
        if clear and (readings(verb) == {"verb"} or opens_object(following)):
            return n, at
    return None
