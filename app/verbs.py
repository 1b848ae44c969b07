"""English verbs from a general lexicon: whether a word is a verb, its base form, past tense and -ing form.

The lexicon is lemminflect's (MIT, pinned), read from the tables its wheel ships: no download, no network. Its
own loader takes about 0.9 s to parse both tables into nested dicts; this module reads the table of inflections
once (about 0.15 s on a busy 2-core machine), keeps the classes of each base word and the forms of each verb,
and a test checks it agrees with lemminflect's API. Words the lexicon lacks that engineers use as verbs are the
one short list here.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

# Engineering verbs the lexicon lacks (measured: the verbs of commit and ticket titles that it does not know).
ENGINEERING_VERBS = frozenset({"backfill", "decouple", "inline", "memoize", "onboard", "refactor", "sync"})
# Prefixes that make verbs of verbs ("reindex", "unskip", "deflake"): a verb the lexicon lacks is read through them.
_VERB_PREFIXES = ("re", "un", "de", "pre", "dis", "mis", "over", "under", "auto")


@dataclass
class Lexicon:
    nouns: set[str] = field(default_factory=set)  # base words with a noun reading, and their plurals
    plurals: set[str] = field(default_factory=set)  # plurals that are not also a singular: "exceptions"
    others: set[str] = field(default_factory=set)  # base words with an adjective or adverb reading
    verbs: set[str] = field(default_factory=set)  # base forms of verbs
    past: dict[str, str] = field(default_factory=dict)  # "build" -> "built"
    gerund: dict[str, str] = field(default_factory=dict)  # "mapping" -> "map"
    base: dict[str, str] = field(default_factory=dict)  # "maps", "mapped" -> "map" (base, third person, past)
    past_forms: set[str] = field(default_factory=set)  # every simple past: "mapped", "built", "led"
    participles: dict[str, str] = field(
        default_factory=dict
    )  # "written" -> "write" (irregular past participles)


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon, read on first use: one pass over the table of inflections (word,class,forms...)."""
    found = Lexicon()
    text = gzip.decompress(_resource("infl_lu.csv.gz").read_bytes()).decode()
    plurals: list[str] = []
    for line in text.splitlines():
        if not line[:1].islower():
            continue  # proper nouns ("Mark", "Will") say nothing about the common word
        word, category, *forms = line.split(",")
        if category == "noun":
            found.nouns.add(word)
            plurals.append(forms[0] if forms else "")
        elif category == "verb":
            _add_verb(found, word, *(f.split("/", 1)[0] for f in (*forms, "", "", "", "")[:4]))
        elif category in ("adj", "adv"):
            found.others.add(word)
    found.plurals = set("/".join(plurals).split("/")) - found.nouns
    found.nouns |= found.plurals
    with _resource("infl_overrides.csv").open(encoding="utf-8") as overrides:
        for row in csv.reader(overrides):
            if len(row) == 3 and row[1] == "VBD" and row[0] in found.verbs:
                found.past_forms.discard(found.past[row[0]])
                found.past[row[0]] = row[2]
                found.past_forms.add(row[2])
                found.base.setdefault(row[2], row[0])
    for verb in ENGINEERING_VERBS - found.verbs:
        _add_verb(found, verb, regular_past(verb), "", "", "")
    return found


def _resource(name: str) -> Path:
    """A table lemminflect ships, found without importing it (its import loads numpy-backed models)."""
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("lemminflect is not installed: run `pip install -c constraints.txt -e .`")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / name


def _add_verb(found: Lexicon, verb: str, past: str, participle: str, gerund: str, third: str) -> None:
    past = past or regular_past(verb)
    found.verbs.add(verb)
    found.past[verb] = past
    found.past_forms.add(past)
    found.gerund.setdefault(gerund or _regular_gerund(verb), verb)
    if participle and participle != past:
        found.participles.setdefault(participle, verb)
    for form in (third or _regular_third(verb), past):
        found.base.setdefault(form, verb)
    found.base[verb] = verb  # a base form names itself, even where it is another verb's past ("found")


def readings(word: str) -> frozenset[str]:
    """The classes a word can be in its base form: {'noun', 'verb'} for 'map', {'noun'} for 'header'
    ('other' for an adjective or adverb reading); {'verb'} for a prefixed verb the lexicon lacks ('reindex')."""
    lower, known = word.lower(), lexicon()
    found = {"noun"} if lower in known.nouns else set()
    found |= {"verb"} if lower in known.verbs or (not found and _prefixed(lower)) else set()
    return frozenset(found | {"other"} if lower in known.others else found)


def is_known(word: str) -> bool:
    """Whether the lexicon knows the word at all (as any class, or as any verb form)."""
    lower = word.lower()
    known = lexicon()
    tables = (known.nouns, known.others, known.base, known.gerund)
    return any(lower in table for table in tables) or _prefixed(lower) is not None


@functools.lru_cache(maxsize=65536)
def _prefixed(word: str) -> tuple[str, str] | None:
    """('re', 'indexed') for 'reindexed': a prefix that makes verbs, on a verb form the lexicon knows, where the
    whole word is one it does not know ('reindex', 'unskip', 'deflake', 'prefetch', 'repurpose')."""
    known = lexicon()
    if word in known.base or word in known.nouns or word in known.others or word in known.gerund:
        return None
    for prefix in _VERB_PREFIXES:
        stem = word[len(prefix) :]
        if word.startswith(prefix) and len(stem) >= 4 and (stem in known.base or stem in known.gerund):
            return prefix, stem
    return None


@functools.lru_cache(maxsize=65536)
def base_form(word: str) -> str | None:
    """'Adds' -> 'add', 'mapped' -> 'map', 'led' -> 'lead': a verb in its base, third-person or past form."""
    lower = word.lower()
    found = lexicon().base.get(lower)
    split = _prefixed(lower) if found is None else None
    return split[0] + lexicon().base[split[1]] if split and split[1] in lexicon().base else found


def base_of_participle(word: str) -> str | None:
    """'written' -> 'write', 'merged' -> 'merge', 'cut' -> 'cut': the verb of a past participle."""
    lower = word.lower()
    return lexicon().participles.get(lower) or base_form(lower)


def is_past(word: str) -> bool:
    lower = word.lower()
    split = _prefixed(lower)
    return lower in lexicon().past_forms or (split is not None and split[1] in lexicon().past_forms)


def past_tense(verb: str) -> str:
    """'add' -> 'added', 'map' -> 'mapped', 'build' -> 'built' (case of the first letter kept)."""
    lower = verb.lower()
    split = _prefixed(lower)
    past = lexicon().past.get(lower)
    if past is None and split and split[1] in lexicon().past:
        past = split[0] + lexicon().past[split[1]]
    past = past or regular_past(lower)
    return past.capitalize() if verb[:1].isupper() else past


def base_of_gerund(word: str) -> str | None:
    """'mapping' -> 'map', 'cutting' -> 'cut'; None when the lexicon knows no such verb."""
    lower = word.lower()
    split = _prefixed(lower)
    if split and split[1] in lexicon().gerund:
        return split[0] + lexicon().gerund[split[1]]
    return lexicon().gerund.get(lower)


def gerund(verb: str) -> str:
    """'cut' -> 'cutting', 'migrate' -> 'migrating': the -ing form the lexicon gives the verb, else the regular one."""
    lower = verb.lower()
    return _gerunds().get(lower) or _regular_gerund(lower)


@functools.lru_cache(maxsize=1)
def _gerunds() -> dict[str, str]:
    found: dict[str, str] = {}
    for form, base in lexicon().gerund.items():
        found.setdefault(base, form)
    return found


def regular_past(verb: str) -> str:
    """The regular past of a verb the lexicon lacks: 'dedupe' -> 'deduped', 'backfill' -> 'backfilled'."""
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if re.search(r"(?:^|[^aeiou])[aeiou][^aeiouwxy]$", verb) and len(re.findall(r"[aeiouy]+", verb)) == 1:
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _regular_third(verb: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", verb):
        return verb + "es"
    return verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + "s"


def _regular_gerund(verb: str) -> str:
    return verb[:-1] + "ing" if verb.endswith("e") and not verb.endswith("ee") else verb + "ing"
