"""How one evidence item is said in a bullet: its cleaned title as a past-tense action, its stats, a note's line."""

from __future__ import annotations

import re
from collections.abc import Collection

from app.actions import opens_action, pairs_verbs
from app.metrics import merged, owns, pr_authors, resolved, reviewed_for_others
from app.text import base_form, is_past, past_tense, plural, terms
from app.verbs import base_of_gerund
from ingest.evidence import Evidence

WORK_KINDS = frozenset({"pr", "commit", "ticket", "issue", "incident", "kudos", "review"})
MAX_LINE = 220
_MERGE = re.compile(r"^Merge (?:pull request|PR) #(\d+) from ([\w.-]+)/(\S+)", re.IGNORECASE)
_TAGS = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*|(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)\s+#\d+[:,]?\s*|"
    r"(?:feat|fix|chore|docs|refactor|perf|test|build|ci|style)(?:\([^)]*\))?!?:\s*)+"
)
_KEY_PREFIX = re.compile(r"^\s*\[?[A-Z][A-Z0-9]{1,9}-\d+\]?\s*[:\-–]?\s+")
_AREA = re.compile(r"^([A-Z][\w/&.-]*(?: [\w/&.-]+){0,3}):\s+(\S.*)$")
_CONVENTIONAL = {
    "feat": "Added",
    "fix": "Fixed",
    "docs": "Documented",
    "perf": "Sped up",
    "refactor": "Refactored",
}
_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier) instructions|system prompt|"
    r"disregard (?:the|all|your)|you are now\b|new instructions",
    re.IGNORECASE,
)
# A heading that is only a date or a period: "2026-08-04", "Week of 16 Feb 2026", "March 2026", "Q2 2026".
_DATE_ONLY = re.compile(
    r"^\s*(?:week of\s+)?[\d\s./-]*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)?"
    r"[\d\s,./-]*(?:q[1-4][\s\d]*)?$",
    re.IGNORECASE,
)
_OTHERS_WORDS = re.compile(
    r"^(?!Me:)[A-Z][a-z]+(?: [A-Z][a-z]+)?:\s|^(?:Next|Plan|Idea|Ideas|TODO|Goals?)\b", re.IGNORECASE
)


def clean_title(evidence: Evidence) -> str:
    """The work's own words: a merge's PR title (its body, else its branch), without tags, keys or a final '.'."""
    title = evidence.title.strip()
    merge = _MERGE.match(title)
    if merge:
        lines = [line.strip() for line in evidence.body.splitlines() if line.strip()]
        title = lines[0] if lines else re.sub(r"[-_]+", " ", merge.group(3)).strip()
    title = re.sub(r"^Review of #\d+:\s*\w+\s*\((.*)\)$", r"\1", title)
    title = _TAGS.sub("", title)
    key = _KEY_PREFIX.match(title) if evidence.kind in ("pr", "commit") else None
    if key and _past(title[key.end() :].split()) is not None:
        title = title[
            key.end() :
        ]  # "PAY-142: Cache refund lookups"; "RFC-017: retry guidelines" keeps its name
    title = re.sub(r"\s*\((?:#\d+(?:,\s*)?)+\)\s*$", "", title)
    return title.strip().rstrip(".").strip()


def work_key(evidence: Evidence) -> str:
    """Items with one key are one piece of work: a PR, its merge commit and its reviews; a change and its backport."""
    number = evidence.native.get("pr_number") or (
        evidence.native.get("number") if evidence.kind == "pr" else None
    )
    if number and evidence.kind in ("pr", "review", "commit"):
        return f"{evidence.native.get('repo', '')}#{number}"
    return re.sub(r"\W+", " ", clean_title(evidence).lower()).strip()


def title_quality(evidence: Evidence) -> int:
    """2: a real title the user wrote; 1: a PR item; 0: a bare merge or a review stub."""
    if _MERGE.match(evidence.title) and not evidence.body.strip():
        return 0
    return 1 if evidence.kind == "review" else 2


def _done(evidence: Evidence) -> bool:
    if evidence.kind in ("ticket", "issue", "incident"):
        return resolved(evidence)
    return merged(evidence) if evidence.kind == "pr" else True


def _past(
    words: list[str], imperative: bool = True, plain_object: bool = True, in_use: Collection[str] = ()
) -> str | None:
    """'Add new cop X' -> 'Added the new cop X'; 'Temporarily mark X' -> 'Temporarily marked X'; None if no verb.

    `imperative`: the words are a commit or PR title, where a word that is a noun and a verb reads as the verb
    (`plain_object`: even before a plain noun; `in_use`: the history's verbs; see app.actions.opens_action)."""
    if not words:
        return None
    at = 1 if words[0].lower().endswith("ly") and len(words) > 1 and base_form(words[1]) else 0
    if words[0] == "I" and len(words) > 1:
        words, at = words[1:], 0
    base = base_form(words[at].rstrip(",:"))
    paired = pairs_verbs(words, at, imperative, plain_object)  # "Use and pin black 20"
    if base is None or not (paired or opens_action(words, at, imperative, plain_object and not at, in_use)):
        return None  # "Nightly refund job": no verb
    past = words[at] if is_past(words[at]) else past_tense(base)
    if paired:
        words = [*words[: at + 2], past_tense(words[at + 2]), *words[at + 3 :]]
    words = [*words[:at], past.lower() if at else past.capitalize(), *words[at + 1 :]]
    words[0] = words[0][:1].upper() + words[0][1:]
    return re.sub(r"^(Added) new\b", r"\1 the new", " ".join(words))


def split_area(title: str, in_use: Collection[str] = ()) -> tuple[str, str]:
    """'Ledger: upgrade Postgres to 16.4' -> ('Ledger', 'upgrade Postgres to 16.4') when the rest is an action."""
    match = _AREA.match(title)
    if match and not re.search(r"\d", match.group(1)) and _past(match.group(2).split(), True, False, in_use):
        return match.group(1), match.group(2)
    return "", title


def action(evidence: Evidence, focus: Collection[str] = (), in_use: Collection[str] = ()) -> str:
    """What the user did, past tense, without details: 'Added the new cop `Style/EndlessMethod`' (`in_use`: the
    words the user's history uses as verbs, app.history_verbs)."""
    if evidence.source in ("notes", "jsonl") and evidence.kind not in WORK_KINDS:
        # a heading that says what was done beats a dated one; one that does not say it in the past tense names a
        # topic or a document ("Retry design notes", "Pairing with Sam"), never an action
        words = evidence.title.split()
        heading = _past(words, False) if words and is_past(words[0].lower()) else None
        if heading:
            return heading
        line = note_line(evidence, focus)
        said = _past(line.split(), False) if line else None
        if said:
            return said
        doing = _doing(evidence.title)  # "2026-05-18 pairing with Sam": "Paired with Sam (two hours on ...)"
        if doing:
            return f"{doing} ({line[:1].lower() + line[1:]})" if line else doing
        if evidence.source == "notes" and words and not re.search(r"\d", evidence.title):
            return f"Wrote “{evidence.title}”"  # a document the user wrote, named by its title
        if line:
            return line
        if _DATE_ONLY.match(evidence.title):  # a dated heading is when, never what: say what the note says
            first = next((" ".join(x.split()) for x in evidence.body.splitlines() if len(x.split()) >= 2), "")
            first = re.sub(r"^[-*•#>\s]+", "", first).rstrip(". ")
            return _shorten(_past(first.split(), False) or first) if first else "Kept notes on this work"
    title = clean_title(evidence) or evidence.title
    prefix, rest = split_area(title, in_use)
    done = _done(evidence)
    # Commit and PR titles are imperative by convention; tickets, branch names ("refund status webhook") and what
    # follows an area ("Ledger: mismatch dashboard") are often noun phrases.
    branch = _MERGE.match(evidence.title) and not evidence.body.strip()
    imperative = evidence.kind in ("pr", "commit") and not branch
    phrase = _past(rest.split(), imperative, not prefix, in_use) if done else None
    if phrase:
        return phrase
    area, docs = (title.split(":", 1) + [""])[:2]
    if done and area.strip().lower() in ("docs", "doc", "documentation") and docs.strip():
        return f"Documented {docs.strip()}"
    conventional = re.match(r"^\s*(feat|fix|docs|perf|refactor)(?:\([^)]*\))?!?:", evidence.title)
    if conventional and done:
        return f"{_CONVENTIONAL[conventional.group(1)]} {title[:1].lower() + title[1:]}"
    return _fallback(evidence, rest[:1].upper() + rest[1:] if prefix else title, done)  # prefix is in details


def _fallback(evidence: Evidence, title: str, done: bool) -> str:
    if evidence.kind == "incident":
        return f"Resolved the incident “{title}”" if done else f"Responded to the incident “{title}”"
    if evidence.kind in ("ticket", "issue"):
        return f"Resolved “{title}”" if done else f"Started “{title}”"
    if evidence.kind == "kudos":
        return (
            f"Received kudos from {evidence.author}: “{title}”"
            if evidence.author
            else f"Received kudos: “{title}”"
        )
    if evidence.kind in ("pr", "commit"):
        return f"Landed “{title}”" if done else f"Opened “{title}”"
    return f"Wrote “{title}”"


def details(evidence: Evidence, short: bool = False, in_use: Collection[str] = ()) -> str:
    """' (Ledger; PAY-126, +240/−30 lines across 6 files, 5 story points)': the item's receipts, from its fields."""
    area, _ = split_area(clean_title(evidence), in_use) if evidence.kind in WORK_KINDS else ("", "")
    parts: list[str] = []
    key = evidence.native.get("key")
    if key and not short:
        parts.append(str(key))
    stats = evidence.stats
    if "insertions" in stats or "deletions" in stats:
        lines = f"+{stats.get('insertions', 0):,.0f}/−{stats.get('deletions', 0):,.0f}"
        files = stats.get("files_changed")
        if short or not files:
            parts.append(lines if short else f"{lines} lines")
        else:
            parts.append(f"{lines} lines {'in 1 file' if files == 1 else f'across {files:,.0f} files'}")
    if stats.get("story_points"):
        parts.append(plural(stats["story_points"], "story point"))
    if not _done(evidence):
        parts.append("in progress")
    inside = ", ".join(parts)
    inside = f"{area}; {inside}" if area and inside else area or inside
    return f" ({inside})" if inside else ""


def contributors(evidence: Evidence) -> str:
    if evidence.kind == "review":
        return ""  # a review record names the reviewer (the user), not the PR's author
    me = evidence.author.casefold() if evidence.role == "merger" else ""
    names = [n for n in pr_authors(evidence) if n.casefold() != me]
    merge = _MERGE.match(evidence.title)
    if not names and merge:
        names = [merge.group(2)]
    return " and ".join(names[:2])


def review_item(evidence: Evidence) -> str:
    """'“Fix a false positive for `Lint/SymbolConversion`” from Koichi ITO (#9467)'."""
    number = evidence.native.get("pr_number")
    who = contributors(evidence)
    return (
        f"“{clean_title(evidence)}”" + (f" from {who}" if who else "") + (f" (#{number})" if number else "")
    )


def describe(evidence: Evidence, focus: Collection[str] = (), in_use: Collection[str] = ()) -> str:
    """One line for any item, worded by the user's role in it (used by answers and by the drafter)."""
    if owns(evidence):
        return action(evidence, focus, in_use) + details(evidence, in_use=in_use)
    if reviewed_for_others(evidence):
        return ("Merged " if evidence.role == "merger" else "Reviewed ") + review_item(evidence)
    title = clean_title(evidence) or evidence.title
    if evidence.kind == "kudos" and evidence.role == "recipient":
        return _fallback(evidence, title, True)
    verb = {"reporter": "Reported", "recipient": "Received"}.get(evidence.role, "Mentioned in")
    return f"{verb} “{title}”" + (f" ({evidence.native['key']})" if evidence.native.get("key") else "")


def _doing(title: str) -> str | None:
    """A note heading that names an activity after its date, in the past tense: '2026-05-18 pairing with Sam' ->
    'Paired with Sam'; None for a heading that does not ('2026-09-14 check-in with Lena and Sam')."""
    words = re.sub(r"^[\d\s./-]+", "", title).split()
    base = base_of_gerund(words[0]) if words else None
    if base is None or len(words) < 2:
        return None
    return " ".join([past_tense(base).capitalize(), *words[1:]])


def note_line(evidence: Evidence, focus: Collection[str] = ()) -> str:
    """The line of a note the user wrote that best fits `focus` (stemmed terms): their own words, tidied."""
    body = re.sub(r"\(Undated: dated by the file\.\)", "", evidence.body)
    body = re.sub(r"(?m)^#{1,6}\s.*$", "", body).replace("**", "").replace("__", "")
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)  # images never travel into a bullet
    body = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", body)
    items = [" ".join(part.split()) for part in re.split(r"\n\s*[-*•]\s+|\n\s*\n|^\s*[-*•]\s+", body)]
    items = [
        i for i in items if len(i.split()) >= 4 and not _INJECTION.search(i) and not _OTHERS_WORDS.match(i)
    ]
    if not items:
        return ""
    wanted = set(focus)
    best = max(items, key=lambda i: (len(wanted & set(terms(i))), -items.index(i)))
    return _shorten(re.split(r"(?<=[.!?])\s+(?=[A-Z])", best)[0].rstrip(". "))


def _shorten(line: str) -> str:
    if len(line) <= MAX_LINE:
        return line[:1].upper() + line[1:]
    cut = max(line.rfind(mark, 0, MAX_LINE) for mark in ("; ", ": ", ", ", " ("))
    return (line[:cut] if cut > 60 else line[:MAX_LINE].rsplit(" ", 1)[0]).rstrip(" ,;:(")
