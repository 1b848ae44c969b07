"""Whether a word opens an action: 'Map HTTPCore exceptions' does, 'Header refinements' and 'Version 0.11' do not.

Read with the lexicon (app.verbs) and English grammar's closed word classes, not with a list of verbs: a commit or
PR title is imperative by convention, so a word that can be a verb is one when what follows reads as its object.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from app.verbs import base_form, base_of_gerund, is_known, is_past, lexicon, readings


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Closed word classes of English (grammar, not vocabulary): what may start a verb's object, and what may not.
DETERMINERS = _wordset("""
a an the all any each every some no our my your his her its their this that these those both either neither
more most several multiple many few much other another one two three four five six seven eight nine ten
""")
_OBJECT_START = DETERMINERS | _wordset("it them us me him")
_PARTICLES = _wordset("up out down off over back away together apart")
_FUNCTION_WORDS = _wordset("""
and or nor but & / + - – — for of to in on at by with from as into onto via vs versus than when while if
because since until unless after before during without within about against between among per is are was
were be been being am has have had do does did will would can could shall should may might must not
""")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+\w*$")
_NOT_ACTION = _wordset("and or & / not n't")
_VERB_PREPOSITIONS = _wordset("to against into through across")
_CODE = re.compile(r"[`_./()\[\]{}<>#=@$:\\\d]|[a-z][A-Z]|^[A-Z]{2,}[a-z]")


def opens_action(
    words: list[str],
    at: int = 0,
    imperative: bool = True,
    plain_object: bool = True,
    in_use: Collection[str] = frozenset(),
) -> bool:
    """Whether words[at] is the verb of an action, read with what follows it.

    A past form ('Mapped', 'Encoded') is. A word the lexicon has only as a verb ('Revamp', 'Adds') is. A word that
    is also a noun or an adjective ('Map', 'Version', 'Record') is a verb only when what follows reads as its
    object: a determiner or pronoun, an adjective, code, a count, a word the lexicon does not know, or a particle
    ('Clean up'). When a plain noun follows, a commit or PR title, conventionally imperative, reads as a verb
    unless that noun is a verb too ('Type check tests': a compound, kept quoted) or ends the title ('Transport
    API'); a ticket, a note or a branch name, often a noun phrase ('Refund status webhook'), does not, nor does
    a title's rest after an area when `plain_object` is off ('Ledger: mismatch dashboard and alert').

    `in_use`: words the user's history opens actions with (app.history_verbs): such a word reads as the verb
    before any object ('Correct stray reference', 'Update instances of X'), though never before a compound
    verb's second word ('Type check tests'), a version, a preposition or a heading.
    """
    if words[at].endswith(":"):
        return False  # "Refunds: ...": an area, not an action
    word = words[at].rstrip(",").lower()
    base = base_form(word)
    rest = words[at + 1 :]
    if base is None or (rest and rest[0].lower() in _NOT_ACTION):
        return False  # "retry and backoff guidelines", "Do not register": no action said
    sorts = readings(word)
    if word != base and is_past(word):
        return "other" not in sorts or _object_follows(
            word, rest, False, False
        )  # "Structured logs": adjective
    if word == base and not sorts - {"verb"}:
        return True
    if word != base and word not in lexicon().nouns:
        return True  # a third-person form that is no plural noun: "Adds", "Becomes"
    if base in in_use:
        return _object_follows(word, rest, True, True, in_use=True)
    return _object_follows(word, rest, imperative, plain_object)


def _object_follows(
    word: str, rest: list[str], imperative: bool, plain_object: bool, in_use: bool = False
) -> bool:
    if not rest or _heading(rest):
        return False  # one word ("Release"), or a heading ("Pilot results: ...")
    first = rest[0].strip(",;")
    lower = first.lower().strip("“”\"'")
    known = lexicon()
    if lower.isdigit():
        return len(rest) > 1  # "Keep 4 warm workers"; not "March 2026"
    if _VERSION.match(lower):
        return False  # "Version 0.11.1"
    if lower in _OBJECT_START or lower in _PARTICLES or _CODE.search(first):
        return True  # "Reverse the 212 refunds", "Clean up docs", "Map HTTPCore exceptions"
    if lower in _VERB_PREPOSITIONS and base_form(word) == word:
        return True  # "Switch to", "Guard against"
    if lower in _FUNCTION_WORDS:
        return False  # "Support for X", "Fix for Y"
    # A name in a sentence-case title: "Tweak Question issue template", "Upgrade Postgres to 16".
    if imperative and first[:1].isupper() and any(w[:1].islower() for w in rest[1:]):
        return True
    # Jargon the lexicon lacks ("typo", "parens"); after an area only a name or a compound ("batch endpoint").
    if not is_known(lower) and not first.isupper():
        return imperative and (plain_object or first[:1].isupper() or "-" in first)
    # An adjective: "Fix broken tests"; not "Minor refactoring".
    if lower in known.others and lower not in known.nouns and lower not in known.verbs:
        return in_use or "other" not in readings(word) or not lower.endswith("ing")
    # A gerund: one noun with a word that is a noun too ("Type checking tests"), unless the history uses that
    # word as a verb ("Fix caching bug").
    if lower not in known.nouns and lower not in known.others and base_of_gerund(lower) is not None:
        return in_use
    # Another verb form: "Fix orphaned files"; "Client becomes read-only" is a clause.
    if lower not in known.nouns and lower not in known.others and base_form(lower) not in (None, lower):
        return is_past(lower) and imperative
    # A plain noun: the object in an imperative title ("Drop concurrency backends", "Record history of X"),
    # unless the word before it is also an adjective ("Minor update") or the two words are the whole title
    # ("Transport API", "Progress examples"), as noun phrases often are. An adjective may open the object
    # ("Fix invalid lines").
    if not (imperative and plain_object) or ("other" in readings(word) and not in_use):
        return False
    if (
        len(rest) < 2
    ):  # "Update dependencies" in a history that updates things; never "Fix tests", "Release notes"
        return in_use and _only_noun(lower)
    if lower in known.others or base_form(lower) is None:
        return True
    after = rest[1].lower().strip(",;")
    if after in _NOT_ACTION:
        return False
    if base_form(lower) != lower:
        # A plural that is a verb too: the object when a noun follows ("Move types definitions to X"); before a
        # preposition the two words may be one noun ("Release notes for 0.12") unless the history says otherwise.
        return _only_noun(after) or (in_use and after in _FUNCTION_WORDS)
    # A base form that is a verb too: the object before a preposition, a plural that is no verb or a gerund ("Fix
    # support for X", "Cache refund lookups", "Fix type checking breakage"); a compound verb's second word before
    # its object ("Type check tests") is not.
    return (
        after in _FUNCTION_WORDS
        or (after in known.plurals and base_form(after) is None)
        or (after not in known.nouns and base_of_gerund(after) is not None)
    )


def _only_noun(word: str) -> bool:
    """'definitions', 'dependencies': a noun that is no verb form and no adjective."""
    known = lexicon()
    return word in known.nouns and word not in known.others and base_form(word) is None


def _heading(rest: list[str]) -> bool:
    """'day:' in 'Game day: production failover drill': the first words name a topic, not an action."""
    return rest[0].endswith(":") and not _CODE.search(rest[0][:-1])


def pairs_verbs(words: list[str], at: int, imperative: bool = True, plain_object: bool = True) -> bool:
    """'Use and pin black 20': two verbs in one form joined by 'and', then the second one's object."""
    if len(words) < at + 4 or words[at + 1].lower() != "and":
        return False
    first, second = words[at].lower(), words[at + 2].lower()
    return (
        base_form(first) == first
        and base_form(second) == second
        and opens_action(words, at + 2, imperative, plain_object)
    )


def opens_object(word: str) -> bool:
    """'the', 'them', 'up': a word that starts what a verb acts on, whatever the verb."""
    return word.lower() in _OBJECT_START or word.lower() in _PARTICLES
