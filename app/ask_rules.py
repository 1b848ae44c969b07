"""Questions about fields, answered from the fields: one small rule per kind of question (can_answer / answer).

A rule answers only what it can compute. When the question asks for something the evidence cannot give,
the rule says so and shows the closest thing it has; it never answers with a count of something else.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from app import ask_filters as filters
from app.ask_context import MAX_LISTED, Context, joined, line, listing
from app.ask_search import find
from app.ask_summary import (
    REMOVED,
    Mergers,
    Most,
    PeopleInWork,
    PeriodWork,
    Reviewers,
    elapsed,
    merge_hours,
    open_hours,
    own_sizes,
    size_measure,
)
from app.metrics import in_period, merged, owns, resolved
from app.model import Answer
from app.participants import did_as, finished, who_wrote
from app.phrasing import clean_title
from app.questions import AVERAGE, PER_SPAN, SHARE, SIZE_WORDS, Question, changes_kind
from app.text import plural
from ingest.evidence import Evidence

# The user's own part in the work a count covers when the question names no role.
OWNED_PART = {
    "pr": " you authored or co-authored",
    "commit": " you authored or co-authored",
    "release": " you authored or co-authored",
    "ticket": " you were assigned to or owned",
    "incident": " you were assigned to or owned",
    "kudos": " you received",
}


class Rule(Protocol):
    name: str

    def can_answer(self, question: Question) -> bool: ...

    def answer(self, question: Question, ctx: Context) -> Answer | None: ...


def closest(question: Question, ctx: Context, head: str) -> Answer:
    """`head` (what could not be done), then the items closest to the question's topic, if any is about it."""
    subject = question.topic or question.kind_words
    held = {e.id for e in ctx.evidence}  # the period's ("in March and May" is not April)
    found = find(ctx.index, subject, ctx.since, ctx.until) if question.topic or question.paths else []
    about = [s.evidence for s in found if s.about and s.evidence.id in held][:MAX_LISTED]
    if not about:
        return ctx.answer(head, [])
    return listing(f"{head}\nThe closest I found in your evidence:", about, ctx)


def narrowed(question: Question, ctx: Context) -> tuple[list[Evidence], str]:
    """The period's items of the question's kind, role, people and paths; and those fields said in words."""
    # the role first: a PR the user merged is the merge, though its record (the better title) names another role
    items = filters.of_kind(filters.by_role(ctx.evidence, question, ctx.me), question.kind)
    words = []
    if question.people:
        items = filters.by_people(items, question.people)
        if question.their_role:  # "PRs Tom Christie wrote": those he wrote, not every one he is on
            items = [e for e in items if did_as(e, question.their_person, question.their_role)]
            by = "to" if question.their_role == "assignee" else "by"
            words.append(f"{filters.THEIR_WORDS[question.their_role]} {by} {question.their_person}")
        else:
            words.append("with " + joined(question.people))
    for path in question.paths:
        items = [e for e in items if filters.touches(e, path)]
        words.append(f"touching {path}")
    if question.priority:
        wanted = question.priority.casefold()
        items = [e for e in items if str(e.native.get("priority") or "").strip().casefold() == wanted]
        words.append(f"with priority {question.priority}")
    if question.ticket_type:
        items = [
            e for e in items if str(e.native.get("type") or "").strip().casefold() == question.ticket_type
        ]
        words.append(f"of type {question.ticket_type.title()}")
    if question.unfinished:
        items = [e for e in items if not _finished(e)]
        words.append("not resolved or merged yet")
    if question.approved:
        items = [e for e in items if e.extra.get("verdict") == "approved"]
    if question.unmerged:
        items = [e for e in items if e.kind == "pr" and not merged(e) and _state(e) == "closed"]
        words.append("closed without merging")
    if question.finished:
        items = [e for e in items if finished(e)]
    if question.weekdays:
        items = [e for e in items if e.when.weekday() in question.weekdays]
        words.append(f"on {question.weekday_words}")
    return items, " ".join(words)


# Tracker states that close a ticket without doing it (Jira, Linear, GitHub): closed, though not resolved.
_CLOSED_UNDONE = frozenset(
    {"canceled", "cancelled", "won't do", "wont do", "rejected", "duplicate", "not planned"}
)


def _kind_of_work(topic: str, ctx: Context) -> tuple[str, set[str]] | None:
    """(its title, the ids of the items in units of it) when the topic names a kind of work ("docs", "refactors"),
    else None."""
    from app import ask_kinds, work_kinds
    from app.understanding import cache_for, understand

    cache = cache_for(ctx.index)
    kind = ask_kinds.kind_named(topic, cache)
    if kind is None:
        return None
    labelled = {i for u in understand(ctx.evidence, cache).units if kind in u.labels for i in u.ids}
    title = work_kinds.BY_NAME[kind].title
    return (title if title.endswith(" work") else f"{title} work"), labelled


def _state(evidence: Evidence) -> str:
    """A PR's or ticket's state as its record says it ("closed", "merged", "open"); "" when none is recorded."""
    return str(evidence.native.get("state") or "").strip().lower()


def _finished(evidence: Evidence) -> bool:
    """Resolved or closed (a ticket, an issue, an incident), merged or closed (a PR), or a change (a commit is
    done): what "still open" leaves out."""
    if evidence.kind in ("ticket", "issue", "incident"):
        state = str(evidence.native.get("status") or evidence.native.get("state") or "").strip().lower()
        return resolved(evidence) or state in _CLOSED_UNDONE
    if evidence.kind == "pr":
        return merged(evidence) or str(evidence.native.get("state") or "").lower() == "closed"
    return True


def _yours(evidence: Evidence) -> bool:
    """The user's own: work they did, or kudos they received (not kudos that only mention them)."""
    return evidence.role == "recipient" if evidence.kind == "kudos" else owns(evidence)


class PullRequestNumber:
    name = "pr-number"

    def can_answer(self, question: Question) -> bool:
        return question.pr_number is not None

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        found = [
            e
            for e in ctx.everything
            if filters.is_pr(e) or e.kind == "review"
            if question.pr_number in (e.native.get("pr_number"), e.native.get("number"))
        ]
        if not found:
            return ctx.answer(f"PR #{question.pr_number} is not in your evidence.", [])
        unit = filters.of_kind(found, "pr") or found
        e = unit[0]
        if _HOW_LONG.search(question.text):  # "how long did #857 take to merge?": from opening to merge
            hours = next(
                (h for x in found if isinstance(h := x.stats.get("cycle_time_hours"), (int, float))), None
            )
            head = (
                f"#{question.pr_number} “{clean_title(e) or e.title}” took {elapsed(hours * 3600)} from opening to "
                f"merge (merged on {e.date[:10]})."
                if hours is not None
                else f"Your evidence has no opening date for #{question.pr_number}, so I can't say how long it took "
                f"to merge: it was merged on {e.date[:10]} (a git history keeps no opening dates; a pull request "
                "export from GitHub or GitLab does)."
            )
            return listing(head, found, ctx)
        author, co = who_wrote(e, ctx.me)
        head = f"#{question.pr_number} “{clean_title(e) or e.title}” was merged on {e.date[:10]}"
        head += (
            (f", written by {author}" if author else "")
            + (f", co-authored by {joined(co)}" if co else "")
            + "."
        )
        return listing(head, found, ctx)


class TicketKey:
    """'When was INC-231?', 'What came out of PAY-104?': the ticket with that key, and the items that name it."""

    name = "ticket-key"

    def can_answer(self, question: Question) -> bool:
        return question.key is not None and question.intent != "count"

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        key = str(question.key)
        found = [e for e in ctx.everything if str(e.native.get("key") or "") == key]
        if not found:
            return None
        e = found[0]
        named = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
        naming = [
            x for x in ctx.evidence if x not in found and (named.search(x.title) or named.search(x.body))
        ]
        facts = [e.kind]
        facts += [str(e.native[f]) for f in ("priority", "status") if e.native.get(f)]
        if e.role in ("assignee", "owner"):
            facts.append("assigned to you")
        reporter = str(e.extra.get("reporter") or "")
        if reporter:
            facts.append("reported by " + ("you" if e.role == "reporter" else reporter))
        head = f"{key} “{e.title}” ({', '.join(facts)}) is dated {e.date[:10]}."
        if _HOW_LONG.search(question.text):
            head = f"{key} “{e.title}” ({', '.join(facts)}) {took(e)}"
        if naming:
            head += f" {plural(len(naming), 'more item')} {'names' if len(naming) == 1 else 'name'} it."
        return listing(head, [*found, *naming], ctx)


# "How long did INC-247 take to resolve?", "how long was PAY-118 open?": the time from opening to resolving.
_HOW_LONG = re.compile(r"\bhow long\b|\bhow many (?:days|hours|minutes|weeks)\b|\bduration\b", re.IGNORECASE)


def took(e: Evidence) -> str:
    """'took 32 minutes, from opening (2026-08-19 02:48 UTC) to resolving (03:20).' from the ticket's record, or
    what it cannot say."""
    opened, done = e.native.get("created"), e.native.get("resolved")
    if not opened:
        return f"is dated {e.date[:10]}; your evidence has no opening date for it, so I can't say how long it took."
    start = datetime.fromisoformat(str(opened))
    if not done:
        return f"was opened on {start.date().isoformat()} and is not resolved in your evidence."
    end = datetime.fromisoformat(str(done))
    if end < start:
        return f"was opened on {start.date().isoformat()}; its record says it was resolved before that, so I can't say how long it took."
    return (
        f"took {elapsed((end - start).total_seconds())}, from opening ({start:%Y-%m-%d %H:%M}) to resolving "
        f"({end:%Y-%m-%d %H:%M}), as its record dates them."
    )


def _people_count(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


# "How many people thanked me?", "how many contributors did I work with?": people, not items
_PEOPLE_COUNTED = re.compile(
    r"^(?:(?:different|distinct|unique|other|individual)\s+)?"
    r"(?:people|persons|colleagues|contributors|teammates|coworkers|co-workers)\b",
    re.I,
)


# "How many different files did I change?": paths, not items
_FILES_COUNTED = re.compile(
    r"^(?:(?:different|distinct|unique|separate|individual)\s+)?files?\b", re.IGNORECASE
)


# "average time from opening to merge", "time to merge", "how long … to resolve … on average"
_TIME_TO = re.compile(
    r"\btime\s+(?:from\s+\w+\s+)?to\s+(?:merge|resolv|close|land)\w*|\b(?:merge|cycle|resolution)\s+time\b"
    r"|\bhow\s+long\b.*\bto\s+(?:merge|resolve|close|land)\b",
    re.IGNORECASE,
)
# "how much time did I spend on reviews?", "how many hours did the rewrite take me?": time spent, never recorded
_TIME_SPENT = re.compile(
    r"\bhow\s+much\s+(?:time|effort)\b.*\b(?:spen[dt]|put\s+in|take\s+me|took\s+me)\b|\bhow\s+much\s+(?:time|effort)\s+(?:did|have)\s+I\b"
    r"|\bhow\s+many\s+(?:hours|minutes|days|weeks)\b.*\b(?:spen[dt]|take\s+me|took\s+me|put\s+in)\b",
    re.IGNORECASE,
)


def unrecorded(question: Question, ctx: Context) -> Answer | None:
    """'How many PRs did Tom merge?' where no record says who merged a PR (a git history, an export without it),
    or 'how many PRs did I approve?' where reviews carry no verdict: it says so, and shows the closest work it can
    (the PRs with that person, the PRs the user reviewed); None when the evidence can answer."""
    many = filters.names(question.kind or "pr")[1]
    if _TIME_SPENT.search(question.text):
        return ctx.answer(
            "I can't count the time you spent: your evidence records when things happened, not the hours spent on "
            "them.",
            [],
        )
    if question.approved and not any(e.extra.get("verdict") for e in ctx.everything):
        head = (
            f"I can't count the {many} you approved: your evidence records your reviews, not their verdicts."
        )
        near = filters.of_kind(filters.by_role(ctx.evidence, question), question.kind or "pr")
        nearest = f"the {len(near)} {many} you reviewed"
    elif question.unmerged and not any(e.kind == "pr" and e.source != "git" for e in ctx.everything):
        head = (
            f"I can't count the {many} closed without merging: your evidence records PRs only as merged (a git "
            "history keeps no others)."
        )
        near, nearest = [], ""
    elif question.role == "reviewer" and not any(
        e.role == "reviewer" or e.kind == "review" for e in ctx.everything
    ):
        head = f"I can't count the {many} you reviewed: your evidence has no review records (a git history keeps none)."
        near, nearest = (
            filters.of_kind([e for e in ctx.evidence if e.role == "co-author"], question.kind or "pr"),
            "",
        )
        nearest = f"the {len(near)} {many} you co-authored (review suggestions applied)"
    elif question.their_role == "merger" and not any(e.extra.get("merged_by") for e in ctx.everything):
        person = question.their_person
        head = f"I can't count the {many} {person} merged: your evidence records who merged a PR only when it was you."
        near = filters.by_people(filters.of_kind(ctx.evidence, question.kind or "pr"), [person])
        nearest = f"the {len(near)} {many} you worked on with {person}"
    else:
        return None
    if not near:
        return ctx.answer(head, [])
    return listing(f"{head}\nThe closest I found: {nearest}{ctx.when}:", near, ctx)


class Count:
    name = "count"

    def can_answer(self, question: Question) -> bool:
        return question.intent == "count"

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        cannot = unrecorded(question, ctx)
        if cannot:
            return cannot
        if _PEOPLE_COUNTED.match(question.counted):
            return self._people(question, ctx)
        if re.match(r"^(?:story\s+)?points?\b", question.counted, re.IGNORECASE):
            return self._points(question, ctx)
        if _FILES_COUNTED.match(question.counted):
            return self._files(question, ctx)
        refused = self.refused(question, ctx)
        if refused:
            return refused
        if question.kind == "lines":
            return self._lines(question, ctx)
        found = self.counted(question, ctx)
        if isinstance(found, Answer):
            return found
        items, what = found
        head = f"{len(items)} {what[0] if len(items) == 1 else what[1]}"
        return listing(head + ":", items, ctx) if items else ctx.answer(head + ".", [])

    def refused(self, question: Question, ctx: Context) -> Answer | None:
        """Why the fields cannot count what the question asks (saying so, with the closest items), or None."""
        if question.kind is None:
            kinds = sorted({e.kind for e in ctx.everything})
            return closest(
                question,
                ctx,
                f"I can't count {question.counted or 'that'} from your evidence: it "
                f"records {', '.join(kinds) or 'nothing yet'}, with their fields.",
            )
        one, many = filters.names(question.kind)
        if not filters.of_kind(ctx.everything, question.kind):
            return closest(question, ctx, f"Your evidence has no {many}, so I can't count them.")
        if question.ticket_type and not any(
            e.native.get("type") for e in filters.of_kind(ctx.everything, question.kind)
        ):
            return closest(
                question,
                ctx,
                f"Your tickets carry no type, so I can't count {question.ticket_type}s apart from other tickets.",
            )
        if question.paths and not filters.files_known(filters.of_kind(ctx.everything, question.kind)):
            return closest(
                question,
                ctx,
                f"Your {many} carry no list of the files they touched, so I can't "
                f"count those touching {', '.join(question.paths)}.",
            )
        return None

    def counted(self, question: Question, ctx: Context) -> tuple[list[Evidence], tuple[str, str]] | Answer:
        """The items a count of the question's kind covers, and what they are in words after the number (singular,
        plural: "commits you authored on mondays (in Q1), counted from your evidence"); or the answer that says it
        cannot count them."""
        one, many = filters.names(question.kind or "")
        items, fields = narrowed(question, ctx)
        for path in question.paths:
            if not any(filters.touches(e, path) for e in ctx.everything):
                similar = filters.similar_files(ctx.everything, path)
                hint = f" Files with a similar name: {', '.join(similar)}." if similar else ""
                return ctx.answer(
                    f"0 {many}: no item in your evidence touched a file named {path}.{hint}", []
                )
        of_kind = _kind_of_work(question.topic, ctx) if question.topic else None
        if (
            of_kind
        ):  # "how many docs PRs did I write?": the items of that kind of work, not those that say "docs"
            kind, labelled = of_kind
            items = [e for e in items if e.id in labelled]
            fields = f"{fields} of {kind}".strip()
        elif question.topic:
            items = [e for e in items if _mentions(question.topic, e)]
            fields = f"{fields} that mention “{question.topic}”".strip()
        part, also = "", ""
        # "PRs Tom wrote" names his part, not the user's (which shows in the split)
        if not question.role and not question.their_role and question.kind in OWNED_PART:
            theirs = [e for e in items if not _yours(e)]
            items = [e for e in items if _yours(e)]
            part = OWNED_PART[question.kind]
            also = f"; {len(theirs)} more name you in another role" if theirs else ""
        role = filters.role_words(question)
        split = _by_role(items) if question.kind in ("pr", "commit", "release") and not role else ""
        if (
            question.role == "merger" and question.kind == "pr"
        ):  # "how many PRs did I merge?": whose they were
            own = sum(1 for e in items if who_wrote(e, ctx.me)[0] == "you")
            split = f"{own} your own, {len(items) - own} others'" if 0 < own < len(items) else split
        said = f"{' you ' + role if role else part}" + (f" {fields}" if fields else "")
        notes = "; ".join(n for n in (ctx.when.strip(" ()"), split) if n)
        said += f" ({notes})" if notes else ""
        said += f"{also}, counted from your evidence"
        return items, (one + said, many + said)

    def _people(self, question: Question, ctx: Context) -> Answer:
        """People the fields can count: who sent the kudos the user received, or who took part in the user's work
        (never bots); anything else ("people I mentored") is said to be beyond the fields."""
        if question.kind == "kudos":
            received = [e for e in filters.of_kind(ctx.evidence, "kudos") if e.role == "recipient"]
            senders = {e.author for e in received if e.author}
            head = (
                f"{_people_count(len(senders))} sent you kudos{ctx.when} ({plural(len(received), 'message')}), "
                "counted from your evidence:"
            )
            return listing(head, received, ctx) if received else ctx.answer(head.replace(":", "."), [])
        if question.kind in (None, "pr", "commit") and question.topic == question.counted:
            from app.ask_summary import people_cited

            together = people_cited(ctx, question.role)
            period = ctx.when.strip(" ()")
            did = filters.role_words(question)
            work = f"the work you {did}" if did else "your work"
            head = (
                f"{_people_count(len(together))} took part in {work}{' ' + period if period else ''}, "
                "bots not counted, counted from your evidence"
            )
            cited = list(
                {e.id: e for e in together.values()}.values()
            )  # one citation per item, however many it names
            number = {e.id: n for n, e in enumerate(cited, 1)}
            named = ", ".join(f"{person} [{number[e.id]}]" for person, e in together.items())
            return ctx.answer(head + (f": {named}." if together else "."), cited)
        return closest(
            question,
            ctx,
            f"I can't count {question.counted} from your evidence: it records who took part in each item, "
            "not that.",
        )

    def _files(self, question: Question, ctx: Context) -> Answer:
        """'How many different files did I change in 2021?': the distinct paths the user's changes touched."""
        kind = question.kind if question.kind in ("pr", "commit") else changes_kind(ctx.everything)
        if kind is None:
            return closest(
                question, ctx, "Your evidence has no changes with a list of the files they touched."
            )
        mine = replace(question, kind=kind)
        items = [e for e in narrowed(mine, ctx)[0] if isinstance(e.extra.get("files"), list)]
        if not question.role:
            items = [e for e in items if _yours(e)]
        files = {
            f
            for e in items
            for f in e.extra["files"]
            if all(filters.path_matches(f, p) for p in question.paths)
        }
        did = filters.role_words(question) or "authored or co-authored"
        one, many = filters.names(kind)
        head = (
            f"{plural(len(files), 'different file')} in the {len(items)} {one if len(items) == 1 else many} you {did}"
            f"{ctx.when}, counted from your evidence"
        )
        return listing(head + ":", items, ctx) if items else ctx.answer(head + ".", [])

    def _points(self, question: Question, ctx: Context) -> Answer:
        """'How many story points did I complete?': the points of the tickets the user resolved (assigned or
        owned), each ticket once; open tickets are named apart, never added."""
        if question.key:  # "how many story points was PAY-118?": that ticket's own points
            found = [e for e in ctx.everything if e.native.get("key") == question.key]
            points = next((e.stats["story_points"] for e in found if "story_points" in e.stats), None)
            if points is None:
                return ctx.answer(f"{question.key} carries no story points in your evidence.", found[:1])
            head = f"{points:g} story points: {question.key} “{found[0].title}”, from your evidence:"
            return listing(head, found[:1], ctx)
        pointed = [
            e
            for e in filters.of_kind(ctx.evidence, "ticket")
            if isinstance(e.stats.get("story_points"), (int, float))
        ]
        whose, who = "of yours", "you"
        if question.people:  # "how many story points did Sam complete?": the tickets Sam did, not the user's
            person = question.their_person or question.people[0]
            mine = [e for e in pointed if did_as(e, person, "assignee")]
            whose, who = f"assigned to {person}", person
        else:
            mine = [e for e in pointed if e.role in ("assignee", "owner")]
        if not mine:
            return closest(
                question, ctx, f"Your evidence has no tickets {whose} with story points{ctx.when}."
            )
        done = [e for e in mine if resolved(e)]
        total = points_of(done)
        still = len(mine) - len(done)
        head = (
            f"{total:,.0f} story points{ctx.when}, in the {plural(len(done), 'ticket')} with points {who} resolved"
            f"{f'; {still} more with points are not resolved' if still else ''}, counted from your evidence"
        )
        return listing(head + ":", done, ctx) if done else ctx.answer(head + ".", [])

    def _lines(self, question: Question, ctx: Context) -> Answer:
        if question.paths:
            return closest(
                question,
                ctx,
                "Your evidence counts lines per change, not per file, so I can't "
                f"count lines in {', '.join(question.paths)}.",
            )
        items = [
            e for e in filters.of_kind(ctx.evidence, "lines") if e.role in ("author", "assignee", "owner")
        ]
        if any(
            e.kind == "commit" for e in items
        ):  # a PR's lines are its commits' lines: count each line once
            items = [e for e in items if e.kind == "commit"]
        added = sum(e.stats.get("insertions", 0) for e in items)
        removed = sum(e.stats.get("deletions", 0) for e in items)
        counts = f"{added:,.0f} lines added and {removed:,.0f} removed"
        if REMOVED.search(question.text):  # "how many lines did I delete?": that number first
            counts = f"{removed:,.0f} lines removed and {added:,.0f} added"
        head = (
            f"{counts}{ctx.when}, in the "
            f"{plural(len(items), 'change')} you authored, counted from your evidence:"
        )
        return listing(head, items, ctx)


def _mentions(topic: str, evidence: Evidence) -> bool:
    from app.ask_search import mentions

    return mentions(topic, evidence)


def _by_role(items: list[Evidence]) -> str:
    roles = {"author": 0, "co-author": 0}
    for e in items:
        if e.role in roles:
            roles[e.role] += 1
    if roles["co-author"] and roles["author"]:
        return f"{roles['author']} authored, {roles['co-author']} co-authored"
    return "all co-authored" if roles["co-author"] else ""


def points_of(tickets: list[Evidence]) -> float:
    return sum(
        float(e.stats["story_points"])
        for e in tickets
        if isinstance(e.stats.get("story_points"), (int, float))
    )


def _points_done(ctx: Context) -> list[Evidence]:
    """The tickets with points the user resolved, as assignee or owner, in the context's period."""
    return [
        e
        for e in filters.of_kind(ctx.evidence, "ticket")
        if isinstance(e.stats.get("story_points"), (int, float))
        and e.role in ("assignee", "owner")
        and resolved(e)
    ]


class Compare:
    """'Did I author more commits in Q1 or Q2?': the same count in each of two periods, side by side."""

    name = "compare"

    def can_answer(self, question: Question) -> bool:
        points = bool(re.search(r"\b(?:story\s+)?points\b", question.text, re.IGNORECASE))
        return question.versus is not None and (question.kind not in (None, "lines") or points)

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        if re.search(r"\b(?:story\s+)?points\b", question.text, re.IGNORECASE):
            return _compare_points(question, ctx)
        count = Count()
        refused = count.refused(question, ctx)
        if refused:
            return refused
        sides = []
        for period in (question.period, question.versus):
            assert period is not None
            evidence = [e for e in ctx.everything if in_period(e, period.since, period.until)]
            side = replace(
                ctx, evidence=evidence, since=period.since, until=period.until, when=f" ({period.phrase})"
            )
            found = count.counted(question, side)
            if isinstance(found, Answer):
                return found
            items, what = found
            sides.append((period.phrase, items, what[0] if len(items) == 1 else what[1]))
        (first, mine, said), (second, theirs, said2) = ((_in(p), i, w) for p, i, w in sides)
        said_word = _COMPARED_WORD.search(question.text)
        word = said_word.group(0).lower() if said_word else "more"
        fewer = word in ("fewer", "less")
        if len(mine) == len(theirs):
            verdict = f"The same {first} as {second}: {len(mine)} each."
        else:
            won = (len(mine) < len(theirs)) == fewer
            verdict = (
                f"{word.title()} {first if won else second}: {len(mine)} {first}, {len(theirs)} {second}."
            )
        head = f"{verdict}\n- {len(mine)} {said}\n- {len(theirs)} {said2}"
        both = {e.id: e for e in [*mine, *theirs]}
        return listing(head + "\nThe items:", list(both.values()), ctx) if both else ctx.answer(head, [])


def _compare_points(question: Question, ctx: Context) -> Answer:
    """'Did I close more story points in Q1 or Q2?': the points of the tickets resolved in each."""
    sides = []
    for period in (question.period, question.versus):
        assert period is not None
        side = replace(ctx, evidence=[e for e in ctx.everything if in_period(e, period.since, period.until)])
        done = _points_done(side)
        sides.append((_in(period.phrase), done, points_of(done)))
    (first, mine, a), (second, theirs, b) = sides
    verdict = (
        f"The same {first} as {second}: {a:,.0f} each."
        if a == b
        else (f"More {first if a > b else second}: {a:,.0f} story points {first}, {b:,.0f} {second}.")
    )
    head = f"{verdict}\n- {a:,.0f} story points {first}, in {plural(len(mine), 'ticket')} you resolved\n- {b:,.0f} story points {second}, in {plural(len(theirs), 'ticket')} you resolved"
    both = {e.id: e for e in [*mine, *theirs]}
    return listing(head + "\nThe tickets:", list(both.values()), ctx) if both else ctx.answer(head, [])


class Share:
    """'What share of my commits touched the docs folder?': the items the fields pick, over all the user's items of
    that kind in the period."""

    name = "share"

    def can_answer(self, question: Question) -> bool:
        return bool(SHARE.search(question.text)) and question.kind not in (None, "lines")

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        count = Count()
        refused = count.refused(question, ctx)
        if refused:
            return refused
        part = count.counted(question, ctx)
        whole_of = _unfiltered(question)
        if re.search(
            r"\b(?:merged|finished|resolved|closed|completed)\s+(?:prs?|pull requests?|tickets?|issues?|stories|bugs?)\b",
            question.text,
            re.IGNORECASE,
        ):
            whole_of = replace(
                whole_of, finished=question.finished
            )  # "of my merged PRs": the whole is merged too
        if re.search(
            r"\b(?:were|was|are|is)\s+(?:co-?authored|authored|reviewed|merged|written)\b",
            question.text,
            re.I,
        ):
            whole_of = replace(
                whole_of, role=None
            )  # "what share of my commits were co-authored?": the role is asked
        whole = count.counted(whole_of, ctx)
        if isinstance(part, Answer):
            return part
        if isinstance(whole, Answer):
            return whole
        (items, said), (every, said_all) = part, whole
        if not every:
            return ctx.answer(f"0 {said_all[1]}, so there is no share to give.", [])
        head = (
            f"{len(items) / len(every):.0%} ({len(items)} of {len(every)}).\n"
            f"- {len(items)} {said[0] if len(items) == 1 else said[1]}\n- {len(every)} {said_all[1]}"
        )
        return listing(head + "\nThe items counted:", items, ctx) if items else ctx.answer(head, [])


def _unfiltered(question: Question) -> Question:
    """The question without the fields that pick some of its items: all of the user's items of its kind."""
    return replace(
        question,
        paths=[],
        people=[],
        topic="",
        priority=None,
        ticket_type=None,
        weekdays=frozenset(),
        their_role=None,
        unfinished=False,
        unmerged=False,
        finished=False,
        approved=False,
    )


class Average:
    """'What was the average size of my PRs?', 'how many commits did I author per month on average?': an average the
    fields can compute, or what it cannot average."""

    name = "average"

    def can_answer(self, question: Question) -> bool:
        return bool(AVERAGE.search(question.text))

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        if _TIME_TO.search(question.text):
            return self._time_to(question, ctx)
        per = PER_SPAN.search(question.text)
        if per and question.kind not in (None, "lines"):
            return self._rate(question, ctx, per["unit"].lower())
        if SIZE_WORDS.search(question.text) and question.kind in (None, "pr", "commit", "lines"):
            return self._size(question, ctx)
        return closest(
            question,
            ctx,
            "I can't average that from your evidence: I can average the size of your PRs and commits in lines, "
            "and how many of your items a week, month or quarter.",
        )

    def _time_to(self, question: Question, ctx: Context) -> Answer:
        """'What was the average time from opening to merge for my PRs?', 'how long did my tickets take to resolve,
        on average?': the mean and median of the durations the records keep."""
        if question.kind in ("ticket", "incident"):
            own = [e for e in filters.of_kind(ctx.evidence, question.kind) if _yours(e)]
            timed = [(e, hours) for e in own if (hours := open_hours(e)) is not None]
            what, how = filters.names(question.kind)[1], "from opening to resolving"
        else:
            timed, what, how = merge_hours(ctx), "PRs", "from opening to merge"
        if not timed:
            return ctx.answer(
                f"I can't average how long your {what} took{ctx.when}: your evidence records no opening dates for "
                "them (a git history keeps none).",
                [],
            )
        spans = sorted(h for _, h in timed)
        mean, median = sum(spans) / len(spans), statistics.median(spans)
        head = (
            f"{mean:,.1f} hours {how} on average (median {median:,.1f}), over {len(spans)} of your {what}"
            f"{ctx.when}, counted from your evidence:"
        )
        return listing(head, [e for e, _ in timed], ctx)

    def _size(self, question: Question, ctx: Context) -> Answer:
        kind = "commit" if question.kind == "commit" else "pr"
        measure, by = size_measure(question.text)  # "how many lines did I add per PR": lines added
        sized = [(e, measure(added, removed)) for e, added, removed, _ in own_sizes(ctx, kind)]
        many = filters.names(kind)[1]
        if not sized:
            return ctx.answer(f"Your evidence has no {many} of yours with line counts{ctx.when}.", [])
        sizes = sorted(n for _, n in sized)
        mean = sum(sizes) / len(sizes)
        median = statistics.median(sizes)
        head = (
            f"{mean:,.0f} lines {by} on average (median {median:,.0f}), over the {len(sizes)} {many} you "
            f"authored{ctx.when} ({sum(sizes):,} lines in all), counted from your evidence:"
        )
        return listing(head, [e for e, _ in sized], ctx)

    def _rate(self, question: Question, ctx: Context, unit: str) -> Answer:
        count = Count()
        found = count.refused(question, ctx) or count.counted(question, ctx)
        if isinstance(found, Answer):
            return found
        items, said = found
        start = ctx.since or min((e.when for e in items), default=None)
        end = ctx.until or max((e.when for e in items), default=None)
        if start is None or end is None:
            return ctx.answer(f"0 {said[1]}, so there is no average to give.", [])
        days = max(1.0, (end - start).total_seconds() / 86400)
        spans = max(1.0, days / {"day": 1, "week": 7, "month": 365.25 / 12, "quarter": 365.25 / 4}[unit])
        head = (
            f"{len(items) / spans:.1f} a {unit} on average: {len(items)} {said[1]}, over {spans:.1f} {unit}s "
            f"({start:%Y-%m-%d} to {end:%Y-%m-%d})."
        )
        return listing(head, items, ctx)


def _in(phrase: str) -> str:
    """A period as said after a verb: 'Q2' -> 'in Q2'; 'in May', 'since March' stay."""
    said = re.match(
        r"(?:in|during|over|since|before|until|between|after|last|this|past|the week)\b", phrase, re.I
    )
    return phrase if said else f"in {phrase}"


_COMPARED_WORD = re.compile(r"\b(?:more|fewer|less)\b", re.IGNORECASE)


class FirstOrLast:
    """'What was my first PR of 2020?', 'when did I last change README.md?': the earliest or latest item of the
    user's that the question's fields pick, by its date."""

    name = "first-or-last"

    def can_answer(self, question: Question) -> bool:
        return bool(question.ordinal) and question.intent != "count"

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        if question.kind is None and question.paths:  # "when did I last change X?": the changes to it
            question = replace(question, kind=changes_kind(ctx.evidence))
        items, fields = narrowed(question, ctx)
        if question.role is None:
            items = [e for e in items if _yours(e)]
        if question.topic:
            items = [s.evidence for s in find(ctx.index, question.topic, within=items) if s.about]
            fields = f"{fields} about {question.topic}".strip()
        one = filters.names(question.kind)[0] if question.kind else "piece of work"
        role = filters.role_words(question)
        what = f"{one}{' you ' + role if role else ''}{' ' + fields if fields else ''}"
        if not items:
            return closest(question, ctx, f"I found no {what}{ctx.when} in your evidence.")
        pick = min if question.ordinal == "first" else max
        chosen = pick(items, key=lambda e: (e.when, e.id))
        ref = filters.reference(chosen)
        named = (
            f"{ref} “{clean_title(chosen) or chosen.title}”"
            if ref
            else f"“{clean_title(chosen) or chosen.title}”"
        )
        return listing(
            f"{'The' if role else 'Your'} {question.ordinal} {what}{ctx.when} is {named}, dated {chosen.date[:10]}, "
            "from your evidence:",
            [chosen],
            ctx,
        )


# "when did X finish / land / ship / get merged / get resolved?": a date the work itself has
_DONE_WHEN = re.compile(
    r"\b(?:finish|complete|land|ship|merge|resolve|close|launch|go\s+live|went\s+live|wrap\s+up)\w*\b",
    re.IGNORECASE,
)


class WhenOrWho:
    """'When was X merged?', 'Who wrote X?', 'Which PR added X and who wrote it?': the item most about X."""

    name = "when-who"

    def can_answer(self, question: Question) -> bool:
        which = (
            question.intent == "list"
            and question.kind in ("pr", "commit", "ticket", "incident")
            and not question.fields
            and not question.period.phrase
            and re.match(
                r"^\s*which\s+(?:of\s+(?:my|the|our)\s+(?:changes|commits|prs|pull\s+requests)|pr|pull request|commit"
                r"|ticket|issue|story|bug|incident)\b",
                question.text,
                re.I,
            )
        )
        return bool(question.topic) and (
            question.intent in ("when", "who") or question.who_too or bool(which)
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        items, _ = narrowed(question, ctx)
        scored = [s for s in find(ctx.index, question.topic, ctx.since, ctx.until, within=items) if s.about]
        if not scored:
            what = filters.names(question.kind)[0] if question.kind else "item"
            return closest(
                question,
                ctx,
                f"I found nothing in your evidence about {question.topic}{ctx.when}: no {what} is about it.",
            )
        if _DONE_WHEN.search(question.text):
            # "when did the ledger cutover finish?": the work itself, done, before a note or a thank-you about it
            done = [s for s in scored if s.evidence.kind in ("pr", "commit", "ticket", "incident")]
            scored = done + [s for s in scored if s not in done]
        best = scored[0].evidence
        author, co = who_wrote(best, ctx.me)
        ref = filters.reference(best)
        title = f"{ref + ' ' if ref else ''}“{clean_title(best) or best.title}”"
        verb = "merged" if filters.is_pr(best) else "done"
        if question.intent == "when":
            head = f"{title} was {verb} on {best.date[:10]}."
        elif not question.who_too and question.intent != "who":
            by = f", written by {author}" + (f", co-authored by {joined(co)}" if co else "") if author else ""
            head = f"{title}{by} ({verb} {best.date[:10]})."
        else:
            head = f"{title} was written by {author or 'someone not named in your evidence'}"
            head += (f", co-authored by {joined(co)}" if co else "") + f" ({verb} {best.date[:10]})."
        others = [s.evidence for s in scored[1:4]]
        text = head + f" [1]\n{line(best, ctx, 1)}"
        if others:
            text += "\nAlso about it:\n" + "\n".join(line(e, ctx, n) for n, e in enumerate(others, 2))
        return ctx.answer(text, [best, *others])


class Listing:
    """'Which PRs did Tom Christie co-author with me?', 'which commits touched docs/api.md in May?'."""

    name = "list"

    def can_answer(self, question: Question) -> bool:
        return (
            question.intent in ("list", "open")
            and question.kind is not None
            and question.kind != "lines"
            and (question.fields or not question.topic or question.period.phrase != "")
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        cannot = unrecorded(question, ctx)
        if cannot:
            return cannot
        if not filters.of_kind(ctx.everything, question.kind):  # "bug fixes" in a history without tickets
            as_work = kind_of_work(question, ctx, f"{question.kind_words} {question.topic}".strip())
            return as_work or closest(
                question, ctx, f"Your evidence has no {filters.names(question.kind or '')[1]}."
            )
        items, fields = narrowed(question, ctx)
        if question.topic:
            items = [s.evidence for s in find(ctx.index, question.topic, within=items) if s.about]
            fields += f" about {question.topic}"
        role = filters.role_words(question)
        one, many = filters.names(question.kind or "")
        what = f"{many}{' you ' + role if role else ''}{' ' + fields if fields else ''}{ctx.when}"
        if not items:
            return closest(question, ctx, f"I found nothing in your evidence about {what}.")
        what = what if len(items) > 1 else one + what[len(many) :]
        return listing(f"{len(items)} {what}, from your evidence:", items, ctx)


class KindOfWork:
    """'What docs did I write in December?', 'Which refactors did I co-author?': units of work of a kind."""

    name = "kind-of-work"

    def can_answer(self, question: Question) -> bool:
        return (
            question.intent in ("list", "open")
            and question.kind is None
            and bool(question.topic)
            and not (question.paths or question.people or question.pr_number is not None)
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        return kind_of_work(question, ctx, question.topic)


def kind_of_work(question: Question, ctx: Context, subject: str) -> Answer | None:
    """The units of the kind of work `subject` names, or None when it names none (then it is a topic to search)."""
    from app import ask_kinds, work_kinds
    from app.understanding import cache_for

    cache = cache_for(ctx.index)
    kind = ask_kinds.kind_named(subject, cache)
    if kind is None:
        return None
    units = ask_kinds.units_of_kind(ctx.evidence, cache, kind, question.role)
    title = work_kinds.BY_NAME[kind].title
    # "reviewing others' work", never "reviewing others' work work"
    work = title if title.endswith(" work") else f"{title} work"
    did = filters.role_words(question) or "did"
    if not units:
        return closest(question, ctx, f"I found no {work} you {did}{ctx.when} in your evidence.")
    head = f"{plural(len(units), 'piece')} of {work} you {did}{ctx.when}, from your evidence:"
    return listing(head, [u.witness for u in units], ctx)


RULES: list[Any] = [
    PullRequestNumber(),
    TicketKey(),
    Compare(),
    Share(),
    Average(),
    FirstOrLast(),
    Reviewers(),
    Mergers(),
    Most(),
    PeriodWork(),
    Count(),
    PeopleInWork(),
    WhenOrWho(),
    Listing(),
    KindOfWork(),
]


def answer(question: Question, ctx: Context) -> Answer | None:
    """The first rule that can answer the question, or None: an open question, for search by meaning."""
    for rule in RULES:
        if rule.can_answer(question):
            result = rule.answer(question, ctx)
            if result is not None:
                return result
    return None
