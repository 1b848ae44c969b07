"""What a question asks for: count, list, when, who or an open question, and the fields it names.

Fields are read from the question's words and matched against the workspace itself: a file path is a
path some item touched (or looks like one), a person is a name someone in the evidence goes by. What is
left once the fields are taken out is the topic, matched by meaning (app.ask_search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from app import timephrases
from app.participants import handles_of, people_of
from app.plain_questions import plain
from app.text import STOPWORDS, wordset
from app.verbs import is_known
from ingest.evidence import Evidence

Intent = Literal["count", "list", "when", "who", "open"]

# Kinds of evidence a question can count or list: (pattern of the words, kind, singular, plural).
KINDS: list[tuple[str, str, str, str]] = [
    (r"pull[- ]requests?|merge[- ]requests?|\bprs?\b|\bmrs?\b", "pr", "PR", "PRs"),
    (r"\bcommits?\b", "commit", "commit", "commits"),
    (r"\b(?:code[- ])?reviews?\b(?!ed)", "review", "review", "reviews"),  # "code reviews" names one kind
    (r"\bincidents?\b|\boutages?\b|\bsevs?\b", "incident", "incident", "incidents"),
    (r"\btickets?\b|\bissues?\b|\bstories\b|\bbugs?\b", "ticket", "ticket", "tickets"),
    (
        r"\bkudos(?:\s+(?:emails?|messages?|mails?|notes?))?\b|\bthank[- ]you (?:notes?|messages?|mails?|emails?)\b"
        r"|\bthank(?:ed|s)?\s+(?:me|us)\b"
        r"|\bprais(?:e|ed)\b|\bshout[- ]?outs?\b",
        "kudos",
        "kudos message",
        "kudos messages",
    ),
    (
        r"\b1[:-]1s?\b(?:\s+notes?)?|\bone[- ]on[- ]ones?\b(?:\s+notes?)?",
        "one-on-one",
        "one-on-one",
        "one-on-ones",
    ),
    (r"\bnotes?\b", "note", "note", "notes"),
    (r"(?<![\w-])lines?\b(?!-)(?: of code)?", "lines", "line", "lines"),  # not "command-line"
    (r"\breleases?\b", "release", "release", "releases"),
]
COUNTING = re.compile(r"\bhow many\b|\bhow much\b|\bnumber of\b|\bcount\b", re.IGNORECASE)
_HOW_MANY = re.compile(
    r"\b(?:how many|how much|number of|count(?: of)?)\s+((?:[\w'/.-]+\s*){1,3})", re.IGNORECASE
)
_WHEN = re.compile(r"^\s*(?:and\s+)?when\b|\b(?:on\s+)?(?:what|which)\s+(?:date|day)\b(?!s)", re.IGNORECASE)
_WHO = re.compile(r"^\s*who\b|\band who\b|\bwho (?:wrote|authored|made|merged|reviewed|did)\b", re.IGNORECASE)
_LIST = re.compile(r"^\s*(?:which|what|list|show|name)\b", re.IGNORECASE)
_PR_NUMBER = re.compile(r"(?:\bPRs?\s*#?|\bpull request\s*#?|(?<![\w&])#)(\d{1,7})\b", re.IGNORECASE)
_PATH = re.compile(
    r"`([^`\n]+)`|(?<![\w/.-])((?:[\w.-]+/)+[\w.-]*|[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,5})(?![\w/-])"
)
# "still open", "open tickets", "unresolved", "not merged yet", "in progress" ("which PRs did I open?" is authoring)
_UNFINISHED = re.compile(
    r"\b(?:(?:are|is)\s+(?:still\s+)?|still\s+)open\b|\bopen(?=\s+(?:tickets?|issues?|prs?|pull requests?|incidents?)\b)"
    r"|\bunresolved\b|\bunfinished\b|\bin\s+progress\b|\b(?:are|is)?\s*not\s+(?:yet\s+)?(?:done|resolved|finished|merged)"
    r"(?:\s+yet)?\b",
    re.IGNORECASE,
)
_FOLDER = re.compile(r"\b(?:the|in|under)\s+([\w./-]+?)/?\s+(?:folder|directory|dir)\b", re.IGNORECASE)
_ROLES = [  # (pattern, role the user had)
    (r"\bco-?author(?:ed|s|ing)?\b|\bpair(?:ed)?\b", "co-author"),
    (r"\b(?:I|me|did I|have I)\s+(?:\w+\s+)?(?:review(?:ed)?|approve[ds]?)\b|\breviewed by me\b", "reviewer"),
    (r"\b(?:I|did I|have I)\s+(?:\w+\s+)?merge[ds]?\b", "merger"),
    (
        r"\b(?:I|did I|have I)\s+(?:\w+\s+)?(?:author(?:ed)?|wr[io]te|written|open(?:ed)?|land(?:ed)?)\b",
        "author",
    ),
    (r"\b(?:was|were|am) I assigned\b|\bassigned to me\b|\bI (?:was|am) assigned\b", "assignee"),
]
# "How many tickets did I create?": tickets the user filed (reported or created), whoever did them.
_FILED = re.compile(
    r"\b(?:I|did I|have I)\s+(?:\w+\s+)?(?:create|file|report|raise|open)(?:e?d)?\b", re.IGNORECASE
)
# "Which stories did I finish?", "how many tickets have I closed?": work the user did (not reported or reviewed),
# and done (resolved or merged), not all of it.
_FINISHED = re.compile(
    r"\b(?:I|I've|I have|did I|have I)\s+(?:\w+\s+)?(?:finish|complete|resolve|close|fix|deliver|ship|land)(?:e?d|ped)?\b"
    r"|\bmerged\s+(?:prs?|pull\s+requests?|mrs?)\b",
    re.IGNORECASE,
)
# "leaving incidents out", "excluding incidents", "not counting bugs"
_LEFT_OUT = re.compile(
    r",?\s*\b(?:leaving\s+(?P<what>\w+)\s+out|(?:leaving\s+out|excluding|not\s+counting|except(?:\s+for)?|other\s+than)"
    r"\s+(?:the\s+)?(?P<what2>\w+))\b",
    re.IGNORECASE,
)
# "Which PRs did I close without merging?": closed, never merged (a state a git history does not keep).
_UNMERGED = re.compile(
    r"\b(?:closed?\s+)?without\s+(?:being\s+)?merg(?:ing|ed|e)\b|\bunmerged\b|\bnever\s+(?:got\s+)?merged\b",
    re.IGNORECASE,
)
# "What was my first PR?", "when did I last change README.md?": the earliest or latest of the items asked about
# (not "last week" or "the first half", which are periods).
_ORDINAL = re.compile(
    r"\b(?P<which>first|earliest|last|latest|most\s+recent(?:ly)?|newest|oldest)\b"
    r"(?!\s+(?:week|month|quarter|half|year|day|time|name)s?\b)",
    re.IGNORECASE,
)
# "How many commits did I make on weekends?": items dated on those days of the week (Monday is 0).
_WEEKDAY_NAMES = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_WEEKDAYS = re.compile(
    r"\b(?:on|during|at|over)\s+(?:the\s+)?(?:a\s+)?(?P<days>weekends?|weekdays?|(?:"
    + "|".join(_WEEKDAY_NAMES)
    + r")days?)\b",
    re.IGNORECASE,
)
# "Did I ever touch httpx/_decoders.py?": a yes-or-no question about a path, answered by counting the changes to it.
_DID_I = re.compile(r"^\s*(?:did|have|has|do)\s+I\b", re.IGNORECASE)
# "Did I author more commits in Q1 or Q2?", "fewer PRs in the first half or the second half of 2021?": two
# periods compared.
_COMPARED = re.compile(r"\b(?:more|fewer|less)\b", re.IGNORECASE)
_OR_PERIOD = re.compile(r"\bor\s+(?P<tail>.+)$", re.IGNORECASE)
# "What share of my commits touched docs/?": a part of the user's items over all of them.
SHARE = re.compile(
    r"\b(?:what|which)\s+(?:share|percentage|proportion|fraction|percent|part)\s+of\b|\bwhat\s+%\s+of\b", re.I
)
# "What was the average size of my PRs?", "how many commits did I author per month on average?"
AVERAGE = re.compile(r"\b(?:on\s+)?(?:(?:the|an)\s+)?(?:average|mean|median|typical)\b", re.IGNORECASE)
PER_SPAN = re.compile(r"\b(?:per|a|an|each|every)\s+(?P<unit>day|week|month|quarter)\b", re.IGNORECASE)
SIZE_WORDS = re.compile(r"\b(?:size|sizes|big|large|lines?|long)\b", re.IGNORECASE)
# A ticket key ("INC-231", "PAY-104"): looked up as a field when the evidence has that key.
_KEY = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,9}-\d{1,7})(?![\w-])")
# A priority the evidence uses ("Highest", "P1"), named next to the word "priority" or on its own as "P0"-"P4".
_PRIORITY_WORD = re.compile(r"\bpriority\b", re.IGNORECASE)
# Words that shape a question without naming its subject.
QUESTION_WORDS = wordset("""what which who whom when where why how many much tell show list give name count number
any anything everything all me my mine i did do does done have has was were is are it its them they he she his her
you your yours with together by of in on for about total overall ever please and or also there something
everything stuff thing things whose often actually directly properly exactly really basically every each roughly
approximately""")
WORK_VERBS = wordset("""add added adding touch touched touches touching change changed changes changing modify
modified edit edited make made write wrote written author authored co-author co-authored coauthored merge merged
land landed open opened create created do did work worked ship shipped introduce introduced submit submitted
lead led own owned review reviewed handle handled close closed resolve resolved fix fixes fixed fixing get got receive
received send sent approve approved cut publish published mention mentions mentioned earn earned finish finished complete completed deliver delivered assign assigned""")
EXTENSIONS_THAT_ARE_WORDS = {"e.g", "i.e", "etc", "vs"}


@dataclass
class Question:
    text: str
    intent: Intent
    period: timephrases.Period
    kind: str | None = None  # "pr", "commit", ... (KINDS), or None
    kind_words: str = ""  # the words naming it, as written
    counted: str = ""  # for a count: what it asks to count, as written ("users", "commits")
    paths: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # names as the evidence spells them
    role: str | None = None  # the user's role the question asks about
    pr_number: int | None = None
    key: str | None = None  # a ticket key the evidence has ("INC-231")
    priority: str | None = None  # a priority the evidence uses, as it spells it ("Highest")
    ticket_type: str | None = None  # "bug" or "story" when the question names tickets by their type
    unfinished: bool = False  # "which tickets are still open?": only what is not resolved or merged yet
    unmerged: bool = False  # "which PRs did I close without merging?": closed and never merged
    finished: bool = False  # "which stories did I finish?": only the user's own work, resolved or merged
    sources: list[str] = field(default_factory=list)  # "Jira tickets", "Linear issues": the sources named
    no_merges: bool = False  # "not counting merge commits"
    excluded: str | None = None  # "leaving incidents out": a kind of evidence the question sets aside
    landed: bool = (
        False  # "merged" asked of a history that records no merge by the user: read as authored, said so
    )
    their_role: str | None = None  # "how many PRs did Tom merge?": the role a person the question names had
    their_person: str = ""  # that person
    approved: bool = False  # "how many PRs did I approve?": a review's verdict, which reviews may not record
    ordinal: str = ""  # "first" or "last": the earliest or latest of the items asked about
    weekdays: frozenset[int] = frozenset()  # "on weekends": only items dated on these days (Monday is 0)
    weekday_words: str = ""  # those days, as written ("weekends")
    versus: timephrases.Period | None = None  # "more in Q1 or Q2?": the period `period` is compared with
    topic: str = ""  # the subject left once the fields are taken out
    subject: str = ""  # the subject with the people, paths and kinds it names (for an open question)
    who_too: bool = False  # "... and who wrote it"

    @property
    def fields(self) -> bool:
        """Does it name a field the program can filter on (besides the period)?"""
        return bool(
            self.paths
            or self.people
            or self.role
            or self.pr_number is not None
            or self.key
            or self.priority
            or self.ticket_type
            or self.unfinished
            or self.unmerged
            or self.finished
            or bool(self.weekdays)
        )


# "counting co-authored commits as well as my own", "authored or co-authored": both roles, not the co-author's alone
_BOTH_ROLES = re.compile(
    r"\b(?:counting|including|plus)\s+(?:the\s+)?co-?authored(?:\s+(?:ones|commits|PRs|pull\s+requests|changes|work))?"
    r"(?:\s+(?:as\s+well(?:\s+as\s+(?:my|mine)(?:\s+own)?)?|too))?,?"
    r"|\b(?:author(?:ed)?|written|wr[io]te)\s+(?:or|and(?:/or)?)\s+co-?author(?:ed)?\b",
    re.IGNORECASE,
)


def parse(text: str, evidence: list[Evidence], now: datetime | None = None) -> Question:
    text = plain(text)
    latest = max((e.when for e in evidence), default=None)
    period = timephrases.parse(text, now, latest)
    rest = period.rest if period.phrase else text
    versus = None
    other = _OR_PERIOD.search(rest) if period.phrase and _COMPARED.search(text) else None
    if other:  # "did I author more commits in Q1 or Q2?": the second period, the year both share
        versus = timephrases.parse(other["tail"], now, latest)
        if versus.phrase:
            rest = _COMPARED.sub(" ", rest[: other.start()] + " " + versus.rest)
            year = re.search(r"\b(?:19|20)\d\d\b", versus.phrase)
            if year and not re.search(r"\b(?:19|20)\d\d\b", period.phrase):
                shared = timephrases.parse(f"{period.phrase} {year.group(0)}", now, latest)
                period = timephrases.Period(shared.since, shared.until, period.phrase, period.rest)
        else:
            versus = None
    question = Question(text=text, intent="open", period=period, subject=topic(rest), versus=versus)
    number = _PR_NUMBER.search(rest)
    if number:
        question.pr_number = int(number.group(1))
        rest = rest[: number.start()] + " " + rest[number.end() :]
    rest = SHARE.sub(" ", rest)
    if AVERAGE.search(rest):  # what is averaged is a field, not a topic
        rest = SIZE_WORDS.sub(" ", PER_SPAN.sub(" ", AVERAGE.sub(" ", rest)))
    known_sources = {e.source for e in evidence}
    for said in re.finditer(r"\b(jira|linear|github|gitlab)\b", rest, re.IGNORECASE):
        if said.group(1).lower() in known_sources:
            question.sources.append(said.group(1).lower())
    if question.sources:
        rest = re.sub(r"\b(?:jira|linear|github|gitlab)\b", " ", rest, flags=re.IGNORECASE)
    merges = re.search(
        r",?\s*\b(?:not\s+counting|excluding|without|leaving\s+out)\s+(?:the\s+)?merge\s+commits\b",
        rest,
        re.I,
    )
    if merges:
        question.no_merges = True
        rest = rest[: merges.start()] + " " + rest[merges.end() :]
    rest = _take_key(question, rest, evidence)
    rest = _take_priority(question, rest, evidence)
    unfinished = _UNFINISHED.search(rest)
    if unfinished:
        question.unfinished = True
        rest = rest[: unfinished.start()] + " " + rest[unfinished.end() :]
    days = _WEEKDAYS.search(rest)
    if days:
        question.weekdays, question.weekday_words = _days(days["days"]), days["days"].lower()
        rest = rest[: days.start()] + " " + rest[days.end() :]
    ordinal = _ORDINAL.search(rest)
    if ordinal:
        which = ordinal["which"].lower()
        question.ordinal = "first" if which in ("first", "earliest", "oldest") else "last"
        rest = rest[: ordinal.start()] + " " + rest[ordinal.end() :]
    rest = _take_paths(question, rest, evidence)
    rest = _take_people(question, rest, evidence)
    _take_their_role(question, text)
    owner = re.search(
        r"(?P<name>[\w.-]+)['’]s\s+(?:prs?|pull\s+requests?|commits?|changes)\b"
        r"|\b(?:prs?|pull\s+requests?|commits?|changes)\s+of\s+(?:[\w.-]+\s+)?(?P<name2>[\w.-]+)['’]s\b",
        text,
        re.IGNORECASE,
    )
    if owner and question.people and not question.their_role:  # "Tom Christie's PRs": the PRs he wrote
        owner_name = (owner["name"] or owner["name2"]).lower()
        person = next((p for p in question.people if owner_name in p.lower().split()), None)
        if person:
            question.their_role, question.their_person = "author", person
    both = _BOTH_ROLES.search(rest)
    if both:  # the user's work in either role: no role narrows it
        rest = rest[: both.start()] + " " + rest[both.end() :]
    for pattern, role in [] if both else [*_ROLES, (r"\bmy\s+own\b|\bI\s+\w+\s+myself\b", "author")]:
        if re.search(pattern, rest, re.IGNORECASE):
            question.role = role
            break
    question.unmerged = bool(_UNMERGED.search(rest))
    if question.unmerged:
        rest = _UNMERGED.sub(" ", rest)
    if not question.unfinished and not question.unmerged and _FINISHED.search(rest):
        question.finished = True
        question.role = question.role or "author"
    left_out = _LEFT_OUT.search(rest)
    out_word = (left_out["what"] or left_out["what2"]) if left_out else ""
    named_out = next(
        (k for p, k, _, _ in KINDS if out_word and re.fullmatch(p, out_word, re.IGNORECASE)), None
    )
    if left_out and named_out:  # "tickets I resolved, leaving incidents out": not that kind
        question.excluded = named_out
        rest = rest[: left_out.start()] + " " + rest[left_out.end() :]
    for pattern, kind, _, _ in KINDS:
        match = re.search(pattern, rest, re.IGNORECASE)
        if match:
            question.kind, question.kind_words = kind, match.group(0)
            rest = rest[: match.start()] + " " + rest[match.end() :]
            if kind == "one-on-one":  # "1:1s with Priya did I have notes for": the notes are the 1:1s
                rest = re.sub(r"\bnotes?\b", " ", rest, flags=re.IGNORECASE)
            # "how many bugs did I fix?": tickets of that type, not all tickets
            named = re.fullmatch(r"(bug|stor(?:y|ies))s?", match.group(0), re.IGNORECASE)
            if kind == "ticket" and named:
                question.ticket_type = "bug" if named.group(1).lower() == "bug" else "story"
            break
    changes = (
        re.search(r"\b(?:my|the|all|of)\s+changes\b", rest, re.IGNORECASE) if question.kind is None else None
    )
    if changes and changes_kind(
        evidence
    ):  # "my changes under httpx/dispatch/": the items that record changes
        question.kind, question.kind_words = changes_kind(evidence), "changes"
        rest = rest[: changes.start()] + " " + rest[changes.end() :]
    if question.versus is not None and question.kind is None and question.role and changes_kind(evidence):
        question.kind = changes_kind(evidence)  # "did I land more in H1 or H2?": the changes the user landed
        question.kind_words = _plural_name(question.kind)
    question.approved = question.role == "reviewer" and bool(re.search(r"\bapprov", text, re.IGNORECASE))
    if question.role == "merger" and evidence and not any(e.role == "merger" for e in evidence):
        # no merge by the user is recorded (a squash-merged history): what they can have merged is what they landed,
        # and the answer says so
        question.role, question.landed = "author", True
    filed = _FILED.search(rest) if question.kind in ("ticket", "issue", "incident") else None
    if filed:
        question.role = "reporter"
        rest = rest[: filed.start()] + " " + rest[filed.end() :]  # "raise" names the role, not a topic
    question.intent = _intent(text)
    if (
        question.intent == "count"
        and question.kind is None
        and not re.search(r"\bhow many\b|\bnumber of\b", text, re.I)
    ):
        question.intent = (
            "open"  # "how much money did it save?" asks for a figure in the evidence, not a count
        )
    yes_or_no = question.intent == "open" and bool(_DID_I.search(text))
    if yes_or_no and question.paths and question.kind is None and not question.ordinal:
        # "did I ever touch X?": the changes to it, counted
        question.intent, question.kind = "count", changes_kind(evidence)
        question.kind_words = _plural_name(question.kind)
    elif (
        question.intent in ("list", "open")
        and question.paths
        and question.kind is None
        and changes_kind(evidence)
    ):
        # "what did I change under .github/?": the changes to it, listed
        question.intent, question.kind = "list", changes_kind(evidence)
        question.kind_words = _plural_name(question.kind)
    question.who_too = bool(_WHO.search(text))
    if question.intent == "count":
        asked = _HOW_MANY.search(text)
        counted = asked.group(1).split() if asked else []
        counted = counted[
            : next((i for i, w in enumerate(counted) if w.lower() in STOPWORDS | WORK_VERBS), 2)
        ]
        question.counted = " ".join(counted) or question.kind_words
        if question.counted.lower() == "times":  # "how many times did I release?": the releases, counted
            if question.kind is None and question.paths:
                question.kind = changes_kind(
                    evidence
                )  # "how many times did I edit docs/api.md?": changes to it
                question.kind_words = question.counted
            rest = re.sub(r"\btimes\b", " ", rest, count=1, flags=re.IGNORECASE)
    question.topic = topic(rest)
    return question


def _days(said: str) -> frozenset[int]:
    said = said.lower()
    if said.startswith("weekend"):
        return frozenset({5, 6})
    if said.startswith("weekday"):
        return frozenset(range(5))
    return frozenset({next(n for n, name in enumerate(_WEEKDAY_NAMES) if said.startswith(name))})


def _plural_name(kind: str | None) -> str:
    """How the user says a kind in the plural ("commits")."""
    return next((many for _, k, _, many in KINDS if k == kind), "changes")


def changes_kind(evidence: list[Evidence]) -> str | None:
    """The kind of item that records the files a change touched (commits, else PRs), or None when none does."""
    for kind in ("commit", "pr"):
        if any(e.kind == kind and isinstance(e.extra.get("files"), list) for e in evidence):
            return kind
    return None


def _intent(text: str) -> Intent:
    if COUNTING.search(text):
        return "count"
    if _WHEN.search(text):
        return "when"
    if re.match(r"^\s*who\b", text, re.IGNORECASE):
        return "who"
    if _LIST.search(text):
        return "list"
    return "open"


def topic(text: str) -> str:
    """The question's subject: its words without question words, work verbs and stopwords (and those typed with two
    letters swapped: "teh", "waht")."""
    shaping = QUESTION_WORDS | WORK_VERBS | STOPWORDS
    kept = [
        w
        for w in re.findall(r"[A-Za-z0-9][\w'/.+-]*", text)
        if w.lower().strip(".") not in shaping and not _swapped(w.lower(), shaping)
    ]
    return " ".join(w.strip(".,;:?!'\"") for w in kept).strip()


def _swapped(word: str, shaping: frozenset[str]) -> bool:
    """'teh' for 'the': a short word that is no English word but one with two neighbouring letters swapped."""
    if not 3 <= len(word) <= 5 or not word.isalpha() or is_known(word):
        return False
    return any(word[:i] + word[i + 1] + word[i] + word[i + 2 :] in shaping for i in range(len(word) - 1))


def _take_key(question: Question, rest: str, evidence: list[Evidence]) -> str:
    keys = {str(e.native.get("key")) for e in evidence if e.native.get("key")}
    for match in _KEY.finditer(rest):
        if match.group(1) in keys:
            question.key = match.group(1)
            return rest[: match.start()] + " " + rest[match.end() :]
    return rest


def _take_priority(question: Question, rest: str, evidence: list[Evidence]) -> str:
    used = {str(e.native.get("priority")).strip() for e in evidence if e.native.get("priority")}
    for value in sorted(used, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?:[- ]priority\b|(?![\w-]))", re.IGNORECASE)
        match = pattern.search(rest)
        if match and (_PRIORITY_WORD.search(rest) or re.fullmatch(r"P\d", value, re.IGNORECASE)):
            question.priority = value
            rest = rest[: match.start()] + " " + rest[match.end() :]
            return _PRIORITY_WORD.sub(" ", rest)
    return rest


def _take_paths(question: Question, rest: str, evidence: list[Evidence]) -> str:
    known = {path for e in evidence for path in e.extra.get("files") or []}
    for match in list(_FOLDER.finditer(rest)):
        question.paths.append(match.group(1).rstrip("/") + "/")
        rest = rest.replace(match.group(0), " ")
    for match in list(_PATH.finditer(rest)):
        found = (match.group(1) or match.group(2)).strip()
        if found.endswith(".") and found not in known:
            found = found.rstrip(".")  # the end of the sentence: "… touched docs/advanced.md."
        if found.lower() in EXTENSIONS_THAT_ARE_WORDS or re.fullmatch(r"[\d.]+", found):
            continue
        if match.group(1) and "/" not in found and "." not in found and found not in known:
            continue  # a code span that is an identifier, not a path
        if _code_name(found, rest[match.end() :], known):
            continue
        question.paths.append(found)
        at = rest.find(match.group(0))
        after = rest[at + len(match.group(0)) :] if at >= 0 else ""
        named = re.match(r"\s+(?:entry|entries|file|files|changes?|edits?)\b", after)
        if at >= 0 and named:  # "commits with a changelog/ entry", "the README.md file": the path says it all
            rest = rest[:at] + " " + after[named.end() :]
        else:
            rest = rest.replace(match.group(0), " ")
    return rest


_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|app|ai)", re.IGNORECASE)


def _code_name(found: str, after: str, known: set[str]) -> bool:
    """A name that is code, not a file: a call ("Headers.keys()"), a class's attribute ("Client.auth") whose
    "extension" no file in the workspace has, or a namespaced name ("Style/EndlessMethod", "Layout/LineLength") that
    no path in the workspace has. "README.md", "CHANGES.rst", "docs/" and known files stay paths."""
    if found in known or any(path.endswith("/" + found) or path.startswith(found) for path in known):
        return False
    if re.fullmatch(r"[A-Z0-9]+(?:/[A-Z0-9]+)+", found) or _DOMAIN.fullmatch(found):
        return True  # "HTTP/2", "CI/CD", "www.python-httpx.org": a name, not a file of the workspace
    if "/" in found:
        return all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", part) for part in found.split("/"))
    if after.startswith("("):
        return True
    stem, _, extension = found.rpartition(".")
    extensions = {path.rsplit(".", 1)[-1] for path in known if "." in path.rsplit("/", 1)[-1]}
    return bool(re.fullmatch(r"[A-Z][a-z]\w*", stem.rsplit(".", 1)[-1])) and extension not in extensions


# A person who did the work the question asks about: "did Tom Christie merge", "PRs Priya reviewed".
_THEIR_VERBS = {
    "merge": "merger",
    "review": "reviewer",
    "author": "author",
    "write": "author",
    "wrote": "author",
}
_THEIR_VERBS |= {"written": "author", "open": "author", "land": "author"}
_THEIR_VERBS |= {v: "finisher" for v in ("complete", "finish", "resolve", "close", "fix", "lead", "led")}


def _take_their_role(question: Question, text: str) -> None:
    for name in question.people:
        first = name.split()[0]
        said = "|".join(re.escape(n) for n in dict.fromkeys([name, first]) if len(n) > 2)
        verb = rf"(?<![\w-])(?P<verb>{'|'.join(_THEIR_VERBS)})"
        found = re.search(rf"\b(?:did|has|have|had)\s+(?:{said})\s+(?:\w+\s+)?{verb}", text, re.IGNORECASE)
        found = found or re.search(rf"(?<![\w-])(?:{said})\s+{verb}(?:e?d)?\b", text, re.IGNORECASE)
        if re.search(rf"\bassigned\s+to\s+(?:{said})\b", text, re.IGNORECASE):  # "tickets … assigned to Lena"
            question.their_role, question.their_person = "assignee", name
            return
        if found:
            question.their_role, question.their_person = _THEIR_VERBS[found["verb"].lower()], name
            return


_POSSESSIVE = r"(?:['’]s)?"  # "Aisha Okafor's PRs": the person, not a topic "s"


def _take_people(question: Question, rest: str, evidence: list[Evidence]) -> str:
    names = people_of(evidence)
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}{_POSSESSIVE}(?![\w-])", re.IGNORECASE)
        if pattern.search(rest):
            question.people.append(name)
            rest = pattern.sub(" ", rest)
    by_first: dict[str, list[str]] = {}
    for name in names:
        first = name.split()[0]
        if " " in name and len(first) > 2:
            by_first.setdefault(first, []).append(name)
    for first, full in by_first.items():
        said = rf"\b{re.escape(first)}{_POSSESSIVE}\b"
        if len(full) == 1 and full[0] not in question.people and re.search(said, rest):
            question.people.append(full[0])  # "Tom" when only one Tom is in the evidence
            rest = re.sub(said, " ", rest)
    for handle, name in handles_of(
        evidence
    ).items():  # "koic", the account Koichi ITO merged pull requests from
        pattern = re.compile(rf"(?<![\w@/-])@?{re.escape(handle)}{_POSSESSIVE}(?![\w/-])", re.IGNORECASE)
        if name not in question.people and pattern.search(rest):
            question.people.append(name)
            rest = pattern.sub(" ", rest)
    return rest
