"""Key words of a text for matching a claim with its evidence: content words, crudely stemmed, with positions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _set("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours out over own same she should so some such than that the their them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would
you your yours via per across within including etc new one ones
""")
# Words that state a unit, not a thing counted: "38 ms", "3 weeks", "5 x".
UNIT_WORDS = _set("""
ms millisecond milliseconds s sec secs second seconds m min mins minute minutes h hr hrs hour hours d day days
wk wks week weeks mo mos month months y yr yrs year years x times percent pct pp k kb mb gb tb usd eur gbp dollars
""")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
_SUFFIXES = ("ingly", "edly", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


@dataclass(frozen=True)
class Word:
    stem: str
    start: int
    end: int


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """'reviewed' / 'reviews' / 'reviewer' -> 'review'; 'owned' / 'owner' -> 'own'; 'latencies' -> 'latenc'; 'stories' -> 'story'."""
    word = word.lower().removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    word = word.removesuffix("e") if len(word) > 3 else word
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # shipp -> ship
    return word[:6]


def words(text: str) -> list[Word]:
    """Content words in order (stop words, unit words and one-letter words left out)."""
    found = []
    for match in _WORD.finditer(text):
        raw = match.group(0).lower()
        if len(raw) < 2 or raw in STOPWORDS or raw in UNIT_WORDS:
            continue
        found.append(Word(stem(raw), match.start(), match.end()))
    return found


def stems(text: str) -> set[str]:
    return {w.stem for w in words(text)}
