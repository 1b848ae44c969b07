"""Questions as people type them, said the plain way app.questions reads them.

Only general English constructions are here, never words of one history: contractions ("what's", "when'd"), a
request around the question ("Can you list …", "For my year-end review I'd like to know …", "Any idea how many …"),
a topic before a colon or dash ("Style/EndlessMethod: when did I add it?"), the passive with the user as the agent
("PRs written by me", "by whom were my PRs reviewed?"), progressive verbs ("who's been merging my PRs?"), search-box
questions ("Transport API merge date", "httpx user count"), asides in brackets and second questions the answer
gives anyway ("…, and when did it go in?"). Each was found by asking questions written by people who had not read
the rules (evals/data/ask_*.yaml, the paraphrase and held-out sections), and is measured there.
"""

from __future__ import annotations

import re

from app import timephrases
from app.verbs import base_form, base_of_gerund, base_of_participle, past_tense

# Conversational forms, said the plain way the rules read them (general English, not words of one history):
# contractions, a polite frame around the question ("can you list …", "I need the number of …"), a progressive
# verb ("who's been merging my PRs?", "what was I working on?") and "what PR" for "which PR".
_CONTRACTIONS = [
    (r"\b(what|who|where|how|when|that|there|it)['’]s\s+been\b", r"\1 has been"),
    (r"\b(what|who|where|how|when|that|there|it)['’]s\b", r"\1 is"),
    (r"\b(what|who|where|how|when|why)['’]d\b", r"\1 did"),
    (r"\b(what|who|where|how|when|why)['’](?:ve|re)\b", r"\1 have"),
    (r"\bI['’]ve\b", "I have"),
    (r"\bI['’]m\b", "I am"),
    (r"\b(do|does|did|is|are|was|were|has|have)n['’]t\b", r"\1 not"),
]
_POLITE = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|quick question|also|and)[,:!]?\s+)?(?:please\s+|kindly\s+)?"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|I(?:\s+(?:need|want|would\s+like)|['’]d\s+like)\s+"
    r"(?:to\s+(?:know|see|find\s+out|check)\s+)?|(?:do\s+you\s+know|(?:any|got\s+an?)\s+idea|I\s+wonder(?:ed)?|"
    r"I\s+am\s+(?:curious|wondering)(?:\s+about)?)[,:]?\s+)?"
    r"(?:(?:tell|show|give|find|get|pull\s+up)\s+(?:me|us)\s+|(?:help\s+me\s+)?(?:find|recall|remember)\s+)?",
    re.IGNORECASE,
)
# "For my year-end review, …": what the answer is for, not what it is about
_FOR_MY_REVIEW = re.compile(
    r"^\s*(?:for|in)\s+(?:my|the|our)\s+(?:[\w-]+\s+){0,2}?(?:review|self-review|appraisal|promo(?:tion)?(?:\s+packet)?"
    r"|brag\s+doc(?:ument)?|write-?up|performance\s+review)\b[,;:]?\s+",
    re.IGNORECASE,
)
# "Style/EndlessMethod: when did I add it?", "I'd like to mention mentoring; what mentoring did I do?"
_THEN_ASKED = re.compile(
    r"^(?P<head>[^:;?]+?)\s*(?:[:;]|\s[-–—])\s+(?P<tail>(?:how|what|which|who|whom|when|where|did|do|does|have|has|is|was|were|"
    r"in\s+which|on\s+which)\b.*)$",
    re.IGNORECASE,
)
_POINTING = re.compile(r"\b(?:that|it|this|them|those)\b(?=[\s?.!]*$)", re.IGNORECASE)
# "Did I ever add a troubleshooting guide, and if so when?"
_IF_SO = re.compile(
    r"^\s*did\s+I\s+(?:ever\s+)?(?P<rest>.+?),?\s+and\s+if\s+so,?\s+(?P<ask>when|who|which\s+\w+)\s*\??\s*$",
    re.IGNORECASE,
)
# "Q1 vs Q2: in which did I author more commits?": the two periods compared
_VERSUS = re.compile(
    r"^\s*(?P<a>[\w ]+?)\s+(?:vs\.?|versus)\s+(?P<b>[\w ]+?)\s*[:;,]\s*(?:in\s+)?(?:which|what)\s+(?:one\s+|period\s+)?"
    r"(?P<q>.+)$",
    re.IGNORECASE,
)
# "Compare Q1 and Q3 for me: was I committing more in one than the other?"
_COMPARE = re.compile(
    r"^\s*compare\s+(?P<a>[\w ]+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>[\w ]+?)(?:\s+for\s+me)?\s*[:;,-]\s*(?P<q>.+)$",
    re.IGNORECASE,
)
# "Which half of 2021 did I merge more PRs in, the first or the second?": the two periods compared
_WHICH_OF_TWO = re.compile(
    r"^\s*(?:in\s+)?which\s+(?P<unit>half|quarter|month)(?:\s+of\s+(?P<y>(?:19|20)\d\d))?\s+(?P<q>did\s+I\s+.+?)"
    r"(?:\s+in)?,?\s+(?P<a>[\w ]+?)\s+or\s+(?P<b>[\w ]+?)\s*\??\s*$",
    re.IGNORECASE,
)
# The passive with the user as the agent: "commits authored by me", "which PRs got merged by me", "by whom were my
# PRs reviewed?"
_BY_ME = re.compile(
    r"\b(?:were|was|got|get|have\s+been|has\s+been|had\s+been|been)\s+(?P<verb>[a-z]+)\s+by\s+me\b",
    re.IGNORECASE,
)
_WAS_IT_BY_ME = re.compile(
    r"\b(?:was|were)\s+(?P<what>(?:the|my|a|an)\s+.+?)\s+(?P<verb>[a-z]+ed)\s+by\s+me\b", re.IGNORECASE
)
_BY_WHOM = re.compile(
    r"^\s*by\s+whom\s+(?:were|was|are|is|have\s+been|has\s+been)\s+(?P<what>.+?)\s+(?P<verb>[a-z]+)\s*(?P<end>\??)\s*$",
    re.IGNORECASE,
)
# Search-box questions: "chardet removal PR", "Transport API merge date", "httpx user count"
_TERSE = [
    (re.compile(r"^(?P<what>[^?]+?)\s+(?:count|total|number)\s*\??\s*$", re.I), "how many {what}?"),
    (re.compile(r"^(?P<what>[^?]+?)\s+merge\s+date\s*\??\s*$", re.I), "when was {what} merged?"),
    (re.compile(r"^(?P<what>[^?]+?)\s+(?:date|day)\s*\??\s*$", re.I), "when was {what}?"),
    (
        re.compile(r"^(?P<what>[^?]+?)\s+(?P<kind>PR|pull request|commit)\s*\??\s*$", re.I),
        "which {kind} was {what}?",
    ),
]
_ASKING = re.compile(
    r"^\s*(?:how|what|which|who|whom|when|where|why|did|do|does|have|has|is|are|was|were|list|show|name|count|"
    r"give|tell|find|can|could|would|will)\b",
    re.IGNORECASE,
)
_PROGRESSIVE = re.compile(
    r"\b(?P<aux>was|were|has\s+been|have\s+been|had\s+been)\s+(?:(?P<who>I|you|we)\s+)?"
    r"(?:(?:been|mostly|mainly|usually)\s+)?(?P<verb>[a-z]+ing)\b",
    re.IGNORECASE,
)
_ROLE_NOUN = re.compile(
    r"^\s*(?P<who>who)\s+(?:were|are|was|is|have\s+been|has\s+been)\s+(?:the\s+|my\s+)?"
    r"(?P<role>reviewer|approver|merger)s?\s+(?:of|on|for|to)\s+",
    re.IGNORECASE,
)
_WHAT_KIND = re.compile(
    r"^\s*(?:(?:in|for|with|from|by|through)\s+)?(?:what|which)\s+(?=(?:prs?|pull requests?|commits?|tickets?)\b)",
    re.IGNORECASE,
)


# "(ones someone else authored)": an aside that restates the question; a PR number, key or path in brackets stays
_ASIDE = re.compile(r"\s*\((?![^)]*(?:#\d|[A-Z]{2,}-\d|/|\.\w))[^()]*\)")


def plain(text: str) -> str:
    """The question in the plain form the rules read ("Can you list the PRs I opened in Dec?" -> "list the PRs I
    opened in Dec?", "What's the number of …" -> "what is the number of …", "Who's been merging my PRs?" -> "who
    merged my PRs?", "Style/EndlessMethod: when did I add it?" -> "when did I add Style/EndlessMethod?")."""
    for pattern, said in _CONTRACTIONS:
        text = re.sub(pattern, said, text, flags=re.IGNORECASE)
    text = re.sub(
        r",?\s+and\s+(?:when|where)\s+(?:did|was|were|is)\s+(?:it|that|they)\b[^?]*(?=\?|$)"
        r"|,?\s+and\s+which\s+(?:one\s+)?(?:was|is)\s+the\s+\w+(?=\s*\?|\s*$)"
        r"|,?\s+and\s+(?:which\s+ones|how\s+many\s+of\s+(?:those|them|these)\b[^?]*)(?=\s*\?|\s*$)",
        "",
        text,
        flags=re.I,
    )
    text = (
        re.sub(r"(?<=\?)\s+[^?]*[.!]?\s*$", "", text) if re.search(r"\?\s+\S", text) else text
    )  # "…? I want to name them."
    text = re.sub(
        r"[,;.]?\s*(?:just\s+)?the\s+(?:number|count)\s+(?:plus|and|with)\s+the\s+(?:keys|ids|links|titles|numbers)\b"
        r"|,?\s+(?:plus|along\s+with)\s+the\s+(?:keys|ids|links|titles)\b",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(
        r"\bmy\s+(pull\s+requests|prs|mrs)\s+(?:were|got|have\s+been)\s+merged\b",
        r"\1 I landed",
        text,
        flags=re.I,
    )
    abbreviated = re.search(r"\b(?:e\.g|i\.e|etc|vs|no|approx)\.\s", text, re.IGNORECASE)
    asked_last = (
        None if abbreviated else re.match(r"^(?P<said>(?:[^?.!]+[.!]\s+)+)(?P<ask>[^.!?]+\?)\s*$", text)
    )
    if (
        asked_last
    ):  # "I'm trying to show steady delivery. Did I close more …?": the question, its context after
        ask, said = asked_last["ask"], asked_last["said"].strip()
        refers = re.search(r"\b(?:that|this|the\s+same)\s+\w+\b", ask, re.IGNORECASE)
        said = re.sub(
            r"^(?:I\s+(?:remember|recall|think|know)\s+)", "", said.rstrip(".!"), flags=re.IGNORECASE
        )
        text = ask if not refers else f"{ask.rstrip(' ?')} about {said}?"
    text = re.sub(r",?\s+and\s+how\s+many\s+in\s+each\b", "", text, flags=re.IGNORECASE)
    text = _ASIDE.sub("", text)
    # bots are never counted as people, so saying so narrows nothing; "rather than my own" restates the role
    text = re.sub(
        r"^\s*(?:not\s+counting|excluding|leaving\s+out|ignoring|without)\s+(?:the\s+)?bots?,?\s+",
        "",
        text,
        flags=re.I,
    )
    text = re.sub(r",?\s+(?:rather\s+than|instead\s+of)\s+(?:my\s+own|mine)\b", "", text, flags=re.IGNORECASE)
    text = _FOR_MY_REVIEW.sub("", text)
    text = _WHICH_OF_TWO.sub(_which_of_two, text)
    compared = _COMPARE.match(text)
    if compared and all(
        timephrases.parse(f"in {compared[side]}").phrase == f"in {compared[side]}" for side in "ab"
    ):
        either = re.sub(r"\s+(?:in\s+)?one\s+(?:than|or)\s+the\s+other\b", "", compared["q"].rstrip(" ?"))
        text = f"{either} in {compared['a']} or {compared['b']}?"
    versus = _VERSUS.match(text)
    if versus and all(
        timephrases.parse(f"in {versus[side]}").phrase == f"in {versus[side]}" for side in "ab"
    ):
        text = f"{versus['q'].rstrip(' ?')} in {versus['a']} or {versus['b']}?"
    asked = _THEN_ASKED.match(text)
    if asked:
        head, tail = asked["head"].strip(), asked["tail"]
        pointing = list(_POINTING.finditer(tail))
        if pointing:  # "Style/EndlessMethod: when did I add it?"
            text = tail[: pointing[-1].start()] + head + tail[pointing[-1].end() :]
        elif timephrases.parse(f"in {head}").phrase == f"in {head}":  # "Q3: how many PRs did I merge?"
            text = f"{tail.rstrip(' ?')} in {head}?"
        elif re.match(r"(?:I|my|for|as|since|because)\b", head, re.IGNORECASE):  # why it is asked, not what
            text = tail
        else:  # "Ledger work: which PRs did I write?"
            text = f"{tail.rstrip(' ?')} about {head}?"
    text = re.sub(
        r"\b(?:summari[sz]e|recap|sum\s+up|describe)\s+what\s+I\s+did\b",
        "what did I do",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(
        r"^\s*from\s+whom\s+did\s+I\s+(?P<rest>.+?)\s*(?P<end>\??)\s*$",
        r"who did I \g<rest> from\g<end>",
        text,
        flags=re.I,
    )
    framed = _POLITE.match(text)
    if framed and framed.end():
        rest = text[framed.end() :]
        asks = re.match(
            r"\s*(?:how|what|which|who|whom|when|where|why|did|do|does|have|has|is|are|was|were)\b",
            rest,
            re.I,
        )
        lists = re.match(r"\s*(?:list|show|name|count)\b", rest, re.I)
        text = rest if asks or lists else "list " + rest.lstrip()
    if_so = _IF_SO.match(text)
    if if_so:
        text = f"{if_so['ask']} did I {if_so['rest']}?"
    if not _ASKING.match(text):
        for shape, plainly in _TERSE:
            terse = shape.match(text)
            if terse:
                text = plainly.format(**terse.groupdict())
                break
    text = re.sub(r"\b(?:get|got)\s+up\s+to\b", "do", text, flags=re.IGNORECASE)
    text = re.sub(
        r"\b(?:that|which)\s+(?:ended\s+up|got|were|was)\s+(?=assigned\b)", "", text, flags=re.IGNORECASE
    )
    text = re.sub(r"\bdid\s+I\s+get\s+(?:\w+\s+)?done\b", "did I finish", text, flags=re.IGNORECASE)
    text = re.sub(r"\bI\s+(?:got|have\s+got(?:ten)?)\s+done\b", "I finished", text, flags=re.IGNORECASE)
    text = re.sub(
        r"^\s*(?:the\s+)?(?:date|day)\s+(?:when\s+|that\s+)?(?=I\b)", "when ", text, flags=re.IGNORECASE
    )
    text = re.sub(
        r"\b(?:did\s+I|have\s+I)\s+(?:get|got|have)\s+merged\b", "did I land", text, flags=re.IGNORECASE
    )
    text = re.sub(
        r"\bI\s+(?:got|had|have\s+had|have\s+got)\s+merged\b", "I landed", text, flags=re.IGNORECASE
    )
    text = re.sub(r"\b(?:in\s+|during\s+)?that\s+(?:year|period|time)\b", " ", text, flags=re.IGNORECASE)
    text = _WHAT_KIND.sub("which ", text)
    # "who were the reviewers on my PRs?" -> "who reviewed my PRs?"
    text = _ROLE_NOUN.sub(lambda m: f"{m['who']} {m['role'][:-2]}ed ", text)
    text = re.sub(r"\b(?:got|gotten|get|getting)\s+rid\s+of\b", "removed", text, flags=re.IGNORECASE)
    text = _BY_WHOM.sub(lambda m: f"who {_said_past(m['verb'])} {m['what']}{m['end']}", text)
    text = _WAS_IT_BY_ME.sub(lambda m: f"did I {base_form(m['verb']) or m['verb']} {m['what']}", text)
    text = _BY_ME.sub(lambda m: f"I {_said_past(m['verb'])}", text)
    text = re.sub(r"\b(?P<verb>[a-z]+ed)\s+by\s+me\b", r"that I \g<verb>", text, flags=re.IGNORECASE)
    return _PROGRESSIVE.sub(_simple_past, text)


def _which_of_two(match: re.Match[str]) -> str:
    """'Which half of 2021 did I merge more PRs in, the first or the second?' -> 'did I merge more PRs in the first
    half of 2021 or the second half of 2021?'"""
    sides = []
    for side in (match["a"], match["b"]):
        named = timephrases.parse(f"in {side}")
        if named.phrase != f"in {side}":  # "the first": the unit and year the question named
            side = f"{side} {match['unit']}" + (f" of {match['y']}" if match["y"] else "")
            if not timephrases.parse(f"in {side}").phrase:
                return match.group(0)
        sides.append(side)
    return f"{match['q']} in {sides[0]} or {sides[1]}?"


def _said_past(participle: str) -> str:
    """'written' -> 'wrote', 'merged' -> 'merged'."""
    base = base_of_participle(participle)
    return past_tense(base) if base else participle


def _simple_past(match: re.Match[str]) -> str:
    """'was I working' -> 'did I work', 'has been merging' -> 'merged' (a verb the lexicon knows, else as written)."""
    verb = base_of_gerund(match["verb"])
    if not verb:
        return match.group(0)
    if match["who"]:
        return f"did {match['who']} {verb}"
    return past_tense(verb)
