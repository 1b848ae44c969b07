"""Word-level text helpers shared by retrieval, the in-memory index, the drafter and the linter."""

from __future__ import annotations

import functools
import re

# Verbs are the lexicon's (app.verbs); re-exported for the modules that read words from here.
from app.verbs import base_form as base_form
from app.verbs import is_past as is_past
from app.verbs import past_tense as past_tense

WORD = re.compile(r"[A-Za-z][\w']*")  # snake_case identifiers stay one word


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string (lists of words read better that way)."""
    return frozenset(text.split())


STOPWORDS = wordset("""
a an and are as at be been being but by can could did do does doing done for from had has have having he her
his how i if in into is it its itself just may me might more most my myself no nor not of on once only or other
our ours out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
yours also any each few many much both all am via per etc e.g ie i.e
""")

# Words that say nothing about a topic in a question or a ladder criterion.
FILLER = wordset("""
ask question work worked working thing things stuff something anything did do does done make made get got lead led
leading own owned drive drove help helped helping year month week quarter last this since ago during
tell show list give find know about regarding related time times level able way ways well right new good
""")

_SUFFIXES = (
    ("ational", "ate"),
    ("ation", "ate"),
    ("ities", "ity"),
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("edly", ""),
    ("ed", ""),
    ("ly", ""),
)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic stemmer: migrate / migrated / migration / migrating share one stem."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if re.search(r"(s|x|z|ch|sh)es$", w):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return WORD.findall(text)


def terms(text: str, drop: frozenset[str] = STOPWORDS) -> list[str]:
    """Stemmed content words of `text`, in order, without stopwords (and without `drop`)."""
    return [
        stem(w) for w in words(text) if w.lower() not in drop and w.lower() not in STOPWORDS and len(w) > 1
    ]


def plural(count: float, noun: str) -> str:
    """'1 commit', '1,204 commits'."""
    text = f"{int(count):,}" if float(count).is_integer() else f"{count:,}"
    return f"{text} {noun}" if count == 1 else f"{text} {noun}s"
