"""Word-level text helpers shared by retrieval, the in-memory index, the drafter and the linter."""

from __future__ import annotations

import functools
import re

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


_IRREGULAR = {
    "build": "built",
    "make": "made",
    "write": "wrote",
    "rewrite": "rewrote",
    "run": "ran",
    "set": "set",
    "split": "split",
    "keep": "kept",
    "get": "got",
    "give": "gave",
    "bring": "brought",
    "lead": "led",
    "drive": "drove",
    "take": "took",
    "send": "sent",
    "spend": "spent",
    "teach": "taught",
    "find": "found",
    "hold": "held",
    "begin": "began",
    "put": "put",
    "cut": "cut",
    "let": "let",
    "read": "read",
    "do": "did",
    "go": "went",
    "see": "saw",
    "choose": "chose",
    "undo": "undid",
    "shut": "shut",
    "speed": "sped",
    "feed": "fed",
    "win": "won",
    "sell": "sold",
    "tell": "told",
    "think": "thought",
    "buy": "bought",
    "catch": "caught",
    "seek": "sought",
    "forbid": "forbade",
    "mean": "meant",
    "stand": "stood",
    "understand": "understood",
    "withdraw": "withdrew",
    "draw": "drew",
    "grow": "grew",
    "know": "knew",
    "show": "showed",
    "become": "became",
    "come": "came",
    "overcome": "overcame",
    "rebuild": "rebuilt",
    "spin": "spun",
    "upset": "upset",
    "reset": "reset",
    "rerun": "reran",
}
_STRESS_FINAL = {
    "commit",
    "prefer",
    "omit",
    "permit",
    "submit",
    "refer",
    "admit",
    "occur",
    "control",
    "compel",
    "patrol",
    "propel",
    "transfer",
    "defer",
    "regret",
    "equip",
    "upset",
    "rebut",
    "embed",
    "format",
    "reformat",
    "unwrap",
    "rerun",
    "debug",
}

# Verbs that open commit subjects and ticket titles ("Add ...", "Fix ..."): their base forms.
VERBS = wordset("""
add fix update remove refactor improve correct clarify make allow change handle support use move rename extract
implement introduce create replace drop delete enable disable prevent avoid ensure document simplify optimize
reduce cut migrate upgrade bump revert mark register raise return restore rewrite split convert build ship set
skip test tweak validate extend expand adjust apply check clean deprecate detect expose fetch format generate
hide ignore include exclude limit log parse pass release rework run show sort standardize store switch unify
cache speed define design lead drive own deliver launch automate write merge review mentor onboard teach plan
investigate debug resolve unblock harden secure monitor instrument profile benchmark measure track triage
document deploy roll rollout consolidate decouple isolate modernize port integrate wire configure tune fold
align sync prune trim inline memoize guard catch rescue warn report accept reject permit respect recognize
teach pair coach host organize run present propose evaluate research prototype establish standardise optimise
take help encourage coordinate manage moderate evolve learn adopt enhance push follow enforce challenge understand
connect listen engage foster promote practice champion solicit offer escalate navigate embrace remain model
reformat reorganize reword rephrase restructure reorder rearrange regenerate relax tighten loosen silence
suppress wrap unwrap mention note explain describe disallow forbid require allow prefer rename reuse recheck
stop start finish complete open close begin keep retry backfill shadow cut over decommission partition
identify advocate respond seek eliminate unblock communicate represent tailor contribute execute initiate know
give receive share ask grow support mentor coach speak publish talk hire interview listen learn
""")


def past_tense(verb: str) -> str:
    """'add' -> 'added', 'fix' -> 'fixed', 'stop' -> 'stopped', 'build' -> 'built' (case of the first letter kept)."""
    lower = verb.lower()
    if lower in _IRREGULAR:
        past = _IRREGULAR[lower]
    elif lower.endswith("e"):
        past = lower + "d"
    elif re.search(r"[^aeiou]y$", lower):
        past = lower[:-1] + "ied"
    elif _doubles(lower):
        past = lower + lower[-1] + "ed"
    else:
        past = lower + "ed"
    return past.capitalize() if verb[:1].isupper() else past


def _doubles(verb: str) -> bool:
    if verb in _STRESS_FINAL:
        return True
    if not re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb):
        return False
    return len(re.findall(r"[aeiouy]+", verb)) == 1


@functools.lru_cache(maxsize=4096)
def base_form(word: str) -> str | None:
    """The base form of a verb in base, third-person or past form ('Adds' -> 'add'), when it is a known verb."""
    lower = word.lower()
    if lower in VERBS:
        return lower
    for base in VERBS:
        if lower in (
            base + "s",
            base + "es",
            past_tense(base),
            base[:-1] + "ies" if base.endswith("y") else "",
        ):
            return base
    return None


def is_past(word: str) -> bool:
    base = base_form(word)
    return base is not None and word.lower() == past_tense(base)


def plural(count: float, noun: str) -> str:
    """'1 commit', '1,204 commits'."""
    text = f"{int(count):,}" if float(count).is_integer() else f"{count:,}"
    return f"{text} {noun}" if count == 1 else f"{text} {noun}s"
