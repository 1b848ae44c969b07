"""Questions about the shape of the user's work, answered from units of work (app.units), no embedding needed:

- "What did I work on in March?": the period's units the user did, each once;
- "Who did I work with most?": the people (never bots) who took part in most of the user's units;
- "What was my biggest PR?": the user's own units ranked by lines changed;
- "Which file did I change most often?": the files in most of the user's changes;
- "In which month did I author the most commits?": the months (weeks, quarters, years) with most such items;
- "Who reviewed my PRs?": the reviewers pull request records name on the user's own PRs, or that none do.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime

from app import ask_filters as filters
from app import units
from app.ask_context import Context, line, listing
from app.metrics import owns
from app.model import Answer
from app.participants import aliases, finished, people_of, took_part, who_wrote
from app.phrasing import work_key
from app.questions import Question, changes_kind
from app.text import plural
from ingest.evidence import Evidence
from ingest.people import is_bot

# The words a question uses for "the most" of something; what it ranks is read from the rest of the question.
_MOST = re.compile(r"\b(?:most|biggest|largest|top|busiest|longest|slowest)\b", re.IGNORECASE)
_SLOW = re.compile(r"\b(?:longest|slowest)\b", re.IGNORECASE)
_PEOPLE = re.compile(
    r"^\s*(?:who|whose|with whom)\b|\bwhich (?:people|person|colleagues?|teammates?)\b", re.I
)
_SIZE = re.compile(r"\b(?:biggest|largest)\b", re.IGNORECASE)
_FILES = re.compile(
    r"\b(?:which|what)\s+(?:files?|paths?)\b|\btop\s+(?:\d+|three|five|ten)\s+(?:files?|paths?)\b",
    re.IGNORECASE,
)
_WIDEST = re.compile(r"\bmost\s+files\b", re.IGNORECASE)  # "which of my PRs touched the most files?"
_MOST_LINES = re.compile(r"\bmost\s+lines\b", re.IGNORECASE)  # "which of my PRs deleted the most lines?"
_REVIEWED_MINE = re.compile(
    r"^\s*who\s+(?:has\s+|have\s+|usually\s+|most\s+often\s+)?(?:reviewed|reviews|approved|approves)\s+"
    r"(?:my|the)\b",
    re.IGNORECASE,
)
_SPAN = re.compile(r"\b(?:(?:which|what)\s+|busiest\s+)(?P<unit>month|week|quarter|year)\b", re.IGNORECASE)
# What the user changed, when a question does not say which role: work they authored or co-authored.
_CHANGED = ("author", "owner", "assignee", "co-author")
SHOWN = 5
LISTED_PEOPLE = 20
NAMED_WORK = 3  # a person's pieces of work named beside them when they are this few  # people listed when the question asks who, not who most
PERIOD_LISTED = (
    15  # "what did I do in September?" is a summary: up to this many pieces of work, own work first
)
_DID = {"author": "authored", "co-author": "co-authored", "reviewer": "reviewed", "merger": "merged"}


def people_cited(ctx: Context, role: str | None = None) -> dict[str, Evidence]:
    """Each person (never a bot) who took part in the user's units of work (those where the user had `role`), with
    the latest such unit's item, the citation that backs counting them."""
    latest: dict[str, tuple[str, str, Evidence]] = {}
    for u in _mine(ctx):
        if role is None or u.role == role:
            for person in u.people:
                if person not in latest or (u.end, u.key) > latest[person][:2]:
                    latest[person] = (u.end, u.key, u.witness)
    return {person: found[2] for person, found in sorted(latest.items())}


def _changed(question: Question, ctx: Context, kind: str | None) -> list[Evidence]:
    """The period's items of that kind the user had the question's role in (authored or co-authored when it names
    none), each piece of work once."""
    items = filters.of_kind(filters.by_role(ctx.evidence, question, ctx.me), kind)
    return items if question.role else [e for e in items if e.role in _CHANGED]


def _period(ctx: Context) -> str:
    """' in May' when the question named a period, else ''."""
    period = ctx.when.strip(" ()")
    return f" {period}" if period else ""


def _top(
    ctx: Context,
    items: list[Evidence],
    measure: Callable[[Evidence], float],
    say: Callable[[float], str],
    head: str,
) -> Answer:
    """The three items with the highest measure (ties by id), each with what it measures, under `head`."""
    ranked = sorted(items, key=lambda e: (-measure(e), e.id))[:3]
    lines = [line(e, ctx, n, f": {say(measure(e))}") for n, e in enumerate(ranked, 1)]
    return ctx.answer("\n".join([head, *lines]), ranked)


def _ranked(
    ctx: Context,
    head: str,
    counts: Mapping[str, int],
    cite: Callable[[str], Evidence],
    amount: Callable[[int], str],
    shown: int = 0,
    refs: Callable[[str], list[str]] | None = None,
) -> Answer:
    """A ranking of names under `head`: the top ones with their counts and citations (see _ranking)."""
    lines, cited = _ranking(counts, cite, amount, shown or SHOWN, refs)
    return ctx.answer("\n".join([head, *lines]), cited)


def _by_person(
    ctx: Context,
    head: str,
    done: list[units.Unit],
    people: Callable[[units.Unit], set[str]],
    together: str,
    shown: int = 0,
) -> Answer | None:
    """The people in the most of these pieces of work, each citing the latest one they are in; None when the work
    names no one."""
    by: Counter[str] = Counter(person for u in done for person in people(u))
    if not by:
        return None
    return _ranked(
        ctx,
        head,
        by,
        lambda person: max((u for u in done if person in people(u)), key=lambda u: (u.end, u.key)).witness,
        lambda n: f"{plural(n, 'piece')} of work{together}",
        shown,
        lambda person: [r for u in done if person in people(u) and (r := filters.reference(u.witness))],
    )


def _ranking(
    counts: Mapping[str, int],
    cite: Callable[[str], Evidence],
    amount: Callable[[int], str],
    shown: int = SHOWN,
    refs: Callable[[str], list[str]] | None = None,
) -> tuple[list[str], list[Evidence]]:
    """The SHOWN names with the highest counts (ties by name), one line each with what `cite` gives as its
    citation: (lines, cited)."""
    lines: list[str] = []
    cited: list[Evidence] = []
    for name, count in sorted(counts.items(), key=lambda nc: (-nc[1], nc[0]))[:shown]:
        cited.append(cite(name))
        named = refs(name) if refs and count <= NAMED_WORK else []
        ref = ", ".join(named) if named else (filters.reference(cited[-1]) if count == 1 else "")
        lines.append(f"- {name}: {amount(count)}{f' ({ref})' if ref else ''} [{len(cited)}]")
    return lines, cited


def _latest(items: Iterable[Evidence]) -> Evidence:
    return max(items, key=lambda e: (e.date, e.id))


def _records(ctx: Context) -> dict[str, list[Evidence]]:
    """Each PR's records, by piece of work: its GitHub record (reviewers, opening date) and its git merge."""
    records: dict[str, list[Evidence]] = {}
    for e in ctx.evidence:
        if e.kind == "pr":
            records.setdefault(work_key(e), []).append(e)
    return records


def _span_of(day: str, unit: str) -> str:
    """'2020-08-19' as 'August 2020', 'the week of 2020-08-17', 'Q3 2020' or '2020'."""
    when = date.fromisoformat(day)
    if unit == "month":
        return f"{calendar.month_name[when.month]} {when.year}"
    if unit == "quarter":
        return f"Q{(when.month - 1) // 3 + 1} {when.year}"
    if unit == "week":
        return f"the week of {date.fromordinal(when.toordinal() - when.weekday()).isoformat()}"
    return str(when.year)


def _mine(ctx: Context) -> list[units.Unit]:
    return [u for u in units.build(ctx.evidence) if u.owned or u.shaped or u.kind in ("note", "kudos")]


class PeriodWork:
    """'What did I work on in March?', 'What did I do last quarter?': a question with no subject but its period."""

    name = "period-work"

    def can_answer(self, question: Question) -> bool:
        # "What did Jonas and I work on together?": the period's work with those people
        # "What did I ship in May?": the user's own work done in May (finishing names no other role)
        role = question.role if not question.finished else None
        fields = question.paths or role or question.pr_number is not None or question.key
        return (
            question.intent in ("open", "list")
            and question.kind is None
            and not question.topic
            and not (fields or question.priority)
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        # the user's own work first, then the work they shaped, each by date
        done = sorted(_mine(ctx), key=lambda u: (not u.owned, u.start, u.key))
        if question.finished:
            done = [u for u in done if u.owned and finished(u.witness)]
        if question.people:
            done = [u for u in done if all(any(took_part(e, p) for e in u.items) for p in question.people)]
            with_them = " with " + " and ".join(question.people)
            if not done:
                return ctx.answer(f"I found nothing of yours{with_them}{ctx.when} in your evidence.", [])
        else:
            with_them = ""
        if not done:
            return ctx.answer(f"I found nothing of yours{ctx.when} in your evidence.", [])
        owned = sum(u.owned for u in done)
        split = f" ({owned} your own, {len(done) - owned} shaping others' work)" if owned < len(done) else ""
        period = ctx.when.strip(" ()")
        head = (
            f"{plural(len(done), 'piece')} of work{' you finished' if question.finished else ''}{with_them}"
            f"{' ' + period if period else ''}{split}, "
            "from your evidence:"
        )
        return listing(head, [u.witness for u in done], ctx, by_date=False, most=PERIOD_LISTED)


_WHO_DID_I = re.compile(r"^\s*(?:who|whom)\s+(?:did|have|do)\s+I\b", re.IGNORECASE)


class PeopleInWork:
    """'Who did I mentor?', 'who have I onboarded?': the people the user's work of that kind was with or for."""

    name = "people-in-work"

    def can_answer(self, question: Question) -> bool:
        return bool(_WHO_DID_I.match(question.text)) and bool(question.topic) and not question.people

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        from app import ask_kinds, work_kinds
        from app.understanding import cache_for

        cache = cache_for(ctx.index)
        kind = ask_kinds.kind_named(question.topic, cache)
        if kind is None:
            return None  # not a kind of work: "who did I ask about the outage?" is a search
        title = work_kinds.BY_NAME[kind].title
        work = title if title.endswith(" work") else f"{title} work"
        done = ask_kinds.units_of_kind(ctx.evidence, cache, kind, question.role)
        known = {
            n for n in people_of(ctx.everything) if " " in n and not is_bot(n) and n.casefold() not in ctx.me
        }
        if not done:
            return ctx.answer(f"I found no {work} of yours{ctx.when} in your evidence.", [])
        head = (
            f"The people in your {work}{_period(ctx)}, bots not counted "
            f"({plural(len(done), 'piece')} of work in all), counted from your evidence:"
        )
        return _by_person(ctx, head, done, lambda u: _people_for(u, known), "") or ctx.answer(
            f"Your evidence names no one in your {work}{ctx.when}.", []
        )


def _people_for(unit: units.Unit, known: set[str]) -> set[str]:
    """Whom a piece of work was with or for: the authors of someone else's work the user shaped, and the people its
    title or description names (a ticket's reporter, who filed it, is not one)."""
    author = who_wrote(unit.witness, set())[0] if unit.shaped else ""
    found = {author} if author in unit.people else set()
    text = f"{unit.lead.title}\n{unit.lead.body}"
    for name in known:
        first = name.split()[0]
        if (
            re.search(rf"(?<![\w-])(?:{re.escape(name)}|{re.escape(first)})(?![\w-])", text)
            and len(first) > 2
        ):
            found.add(name)
    return found


# "Who did I work with?", "who did I co-author commits with in 2019?", "with whom did I pair?": the people, ranked
_WITH_WHOM = re.compile(
    r"^\s*(?:who|whom)\s+(?:did|have|do)\s+I\s+(?:[\w-]+\s+){0,4}?with\b|^\s*with\s+whom\b"
    r"|^\s*whose\s+(?:[\w-]+\s+){1,2}(?:did|have|do)\s+I\b"
    r"|^\s*who\s+(?:were|are|have\s+been)\s+my\s+(?:co-?authors|collaborators|teammates|peers)\b",
    re.IGNORECASE,
)


def _co_authored(unit: units.Unit) -> bool:
    return any(e.extra.get("co_authors") for e in unit.items)


def _one_asked(text: str) -> bool:
    """Does a ranking question ask for one ("what was my biggest change?", "which file did I change most?"), not
    several ("my three largest commits", "which of my PRs …", "my biggest PRs")?"""
    if re.search(
        r"\btop\s+\d|\b(?:two|three|four|five|ten|\d+)\s+(?:biggest|largest|longest|most|widest)\b|\bof\s+my\b",
        text,
        re.I,
    ):
        return False
    if re.match(r"^\s*(?:who|whom|with\s+whom)\s+(?:did|have|do)\s+I\b.*\bmost\b", text, re.I):
        return True  # "who did I pair with most?": one person
    named = re.search(
        r"^\s*(?:what|which)\s+(?P<noun>[a-z]+)\s+(?:did|was|is|have|has)\b", text, re.I
    ) or re.search(
        r"\b(?:biggest|largest|longest|widest|smallest)\s+(?:single\s+)?(?P<noun>[a-z]+)", text, re.I
    )
    return named is not None and not named["noun"].lower().endswith("s")


class Most:
    """'Who did I work with most?' and 'What was my biggest PR?': a ranking the fields can compute."""

    name = "most"

    def can_answer(self, question: Question) -> bool:
        text = question.text
        ranked = (_PEOPLE, _SIZE, _FILES, _WIDEST, _SPAN, _SLOW, _MOST_LINES)
        return (bool(_MOST.search(text)) and any(p.search(text) for p in ranked)) or bool(
            _WITH_WHOM.search(text)
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        ranked = self._ranked(question, ctx)
        lines = ranked.answer.splitlines()
        one = _one_asked(question.text) and not _SPAN.search(question.text)
        if one and len(lines) > 1 and lines[1].startswith("- "):
            # "what was my biggest change?" asks for one: the first line names it, the ranking follows
            winner = re.sub(r"^- (?:\d{4}-\d\d-\d\d: )?", "", lines[1])
            first = f"{lines[0].rstrip(':')}; the top one: {winner}"
            return replace(ranked, answer="\n".join([first, *lines[1:]]))
        return ranked

    def _ranked(self, question: Question, ctx: Context) -> Answer:
        if _PEOPLE.search(question.text) and question.kind == "kudos":
            return self._senders(question, ctx)
        if _PEOPLE.search(question.text):
            return self._people(question, ctx)
        if _SLOW.search(question.text):
            if question.kind == "pr" or re.search(r"\bmerg|\breview", question.text, re.IGNORECASE):
                return self._slowest(question, ctx)
            many = filters.names(question.kind)[1] if question.kind else "items"
            timed = [e for e in _changed(question, ctx, question.kind) if open_hours(e) is not None]
            if not timed:
                return ctx.answer(
                    f"I can't rank your {many} by how long they took: your evidence records no duration for them.",
                    [],
                )
            return _top(
                ctx,
                timed,
                lambda e: open_hours(e) or 0.0,
                lambda hours: elapsed(hours * 3600),
                f"Your {many} that took longest from opening to resolving{_period(ctx)}, of {len(timed)}, from "
                "your evidence:",
            )
        if _WIDEST.search(question.text):
            return self._widest(question, ctx)
        if _FILES.search(question.text):
            return self._files(question, ctx)
        span = _SPAN.search(question.text)
        if span:
            return self._spans(question, ctx, span["unit"].lower())
        return self._biggest(question, ctx)

    def _senders(self, question: Question, ctx: Context) -> Answer:
        """'Who sent me the most kudos?': the senders of the kudos the user received, most first."""
        received = [e for e in filters.of_kind(ctx.evidence, "kudos") if e.role == "recipient" and e.author]
        if not received:
            return ctx.answer(f"Your evidence has no kudos you received{ctx.when}.", [])
        by = Counter(e.author for e in received)
        head = (
            f"The people who sent you most kudos{_period(ctx)} "
            f"({plural(len(received), 'message')} from {_people(len(by))}), counted from your evidence:"
        )
        return _ranked(
            ctx,
            head,
            by,
            lambda person: _latest(e for e in received if e.author == person),
            lambda n: plural(n, "message"),
        )

    def _slowest(self, question: Question, ctx: Context) -> Answer:
        """'Which of my PRs took longest to merge?': the user's PRs by the hours from opening to merge."""
        timed = [e for e, _ in merge_hours(ctx)]
        if not timed:
            return ctx.answer(
                f"Your evidence does not record how long your PRs took to merge{ctx.when}: git history carries "
                "no opening dates. Pull request exports from GitHub or GitLab do.",
                [],
            )
        return _top(
            ctx,
            timed,
            lambda e: float(e.stats["cycle_time_hours"]),
            _duration,
            f"Your PRs that took longest from opening to merge{_period(ctx)}, of {len(timed)}, from your evidence:",
        )

    def _files(self, question: Question, ctx: Context) -> Answer:
        """Each file with how many of the user's changes touched it (a PR once, its commits each once)."""
        kind = question.kind if question.kind in ("pr", "commit") else changes_kind(ctx.evidence)
        one, many = filters.names(kind or "commit")
        items = [e for e in _changed(question, ctx, kind) if isinstance(e.extra.get("files"), list)]
        touched: Counter[str] = Counter(f for e in items for f in set(e.extra["files"]))
        did = _DID.get(question.role or "", "authored or co-authored")
        if not touched:
            return ctx.answer(f"Your evidence has no {many} you {did} with their files listed{ctx.when}.", [])
        head = (
            f"The files in most of the {many} you {did}{_period(ctx)} "
            f"({len(items)} {one if len(items) == 1 else many} in all), counted from your evidence:"
        )
        return _ranked(
            ctx,
            head,
            touched,
            lambda path: _latest(e for e in items if path in e.extra["files"]),
            lambda n: f"{n} {one if n == 1 else many}",
        )

    def _widest(self, question: Question, ctx: Context) -> Answer:
        """'Which of my PRs touched the most files?': the user's changes by how many files each touched."""
        kind = question.kind if question.kind in ("pr", "commit") else changes_kind(ctx.evidence)
        one, many = filters.names(kind or "commit")
        seen: set[str] = set()
        items = []
        for e in _changed(question, ctx, kind):
            if isinstance(e.extra.get("files"), list) and work_key(e) not in seen:
                seen.add(work_key(e))
                items.append(e)
        did = _DID.get(question.role or "", "authored or co-authored")
        if not items:
            return ctx.answer(f"Your evidence has no {many} you {did} with their files listed{ctx.when}.", [])
        return _top(
            ctx,
            items,
            lambda e: len(set(e.extra["files"])),
            lambda n: plural(int(n), "file"),
            f"The {many} you {did} that touched the most files{_period(ctx)}, of {len(items)}, counted from your "
            "evidence:",
        )

    def _spans(self, question: Question, ctx: Context, unit: str) -> Answer:
        """The months (or weeks, quarters, years) with most of the items asked about, and the top one's items."""
        if question.kind is None:
            done = [u for u in _mine(ctx) if u.owned or u.shaped]
            items = [u.witness for u in done]
            one, many = "piece of work", "pieces of work"
        else:
            items = _changed(question, ctx, question.kind)
            one, many = filters.names(question.kind)
        if not items:
            return ctx.answer(f"Your evidence has no {many} of yours{ctx.when} to count by {unit}.", [])
        spans: dict[str, list[Evidence]] = {}
        for e in items:
            spans.setdefault(_span_of(e.date[:10], unit), []).append(e)
        ranked = sorted(spans.items(), key=lambda sv: (-len(sv[1]), sv[0]))
        did = filters.role_words(question) or {None: "did", "pr": "authored or co-authored"}.get(
            question.kind, "authored or co-authored" if question.kind == "commit" else ""
        )
        what = f"{many} you {did}" if did else f"{many} of yours"
        top, found = ranked[0]
        others = "; ".join(f"{name}: {len(found_)}" for name, found_ in ranked[1:4])
        head = (
            f"{top[0].upper()}{top[1:]} had the most {what}: {len(found)}, of {len(items)}{ctx.when}"
            f"{' (then ' + others + ')' if others else ''}, counted from your evidence:"
        )
        return listing(head, found, ctx)

    def _people(self, question: Question, ctx: Context) -> Answer:
        done = _mine(ctx)
        did = _DID.get(question.role or "")
        if did:  # "Whose PRs did I co-author most?": only the work the user had that role in
            # co-authoring goes both ways: their changes the user co-authored, and the user's own that name co-authors
            both = question.role == "co-author" and bool(_WITH_WHOM.search(question.text))
            both = both and not re.match(r"\s*whose\b", question.text, re.IGNORECASE)  # their work, one way
            done = [u for u in done if u.role == question.role or (both and u.owned and _co_authored(u))]
        work = f"the work you {did}" if did else "your work"
        if did and question.role == "co-author" and both:
            work = "the work you and others co-authored"
        if did and not done:
            return ctx.answer(f"Your evidence has no work you {did}{ctx.when}.", [])
        head = (
            f"The people in most of {work}{_period(ctx)}, bots not counted "
            f"({plural(len(done), 'piece')} of work in all), counted from your evidence:"
        )
        every = (
            0 if _MOST.search(question.text) else LISTED_PEOPLE
        )  # "whose PRs did I co-author?": all of them
        return _by_person(ctx, head, done, lambda u: set(u.people), " together", every) or ctx.answer(
            f"Your evidence names no one else in {work}{ctx.when}.", []
        )

    def _biggest(self, question: Question, ctx: Context) -> Answer:
        """The user's own changes with most lines changed (or added, or removed, as the question says): pieces of
        work (a PR once), or single commits when it asks about commits."""
        measure, by = size_measure(question.text)
        sized = own_sizes(ctx, question.kind)
        sized = sorted((s for s in sized if measure(s[1], s[2])), key=lambda s: (-measure(s[1], s[2]), s[3]))
        if not sized:
            return ctx.answer(f"Your evidence has no changes of yours with line counts{ctx.when}.", [])
        shown = sized[:3]
        lines = [
            line(e, ctx, n, f": +{added:,}/−{removed:,} lines")
            for n, (e, added, removed, _) in enumerate(shown, 1)
        ]
        what = {"pr": "PRs", "commit": "commits"}.get(question.kind or "", "changes")
        period = ctx.when.strip(" ()")
        head = f"Your {what}{' ' + period if period else ''} with the most lines {by}, of {len(sized)}, from your evidence:"
        return ctx.answer("\n".join([head, *lines]), [e for e, *_ in shown])


_MERGED_MINE = re.compile(
    r"^\s*who\s+(?:has\s+|have\s+|usually\s+|most\s+often\s+)?(?:merged|merges)\s+(?:my|the)\b", re.IGNORECASE
)


class Mergers:
    """'Who merged my PRs?': who merged each of the user's PRs, as the records say (a code host's "merged by", or
    the user's own merge in a git history); PRs whose merger is not recorded are counted apart, never guessed."""

    name = "mergers"

    def can_answer(self, question: Question) -> bool:
        return bool(_MERGED_MINE.search(question.text))

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        mine = {work_key(e) for e in ctx.evidence if filters.is_pr(e) and owns(e)}
        records = _records(ctx)
        names = aliases(ctx.everything)
        by: Counter[str] = Counter()
        latest: dict[str, Evidence] = {}
        for key in sorted(mine):
            found = records.get(key, [])
            merger = next((str(e.extra["merged_by"]) for e in found if e.extra.get("merged_by")), "")
            merge = next((e for e in found if e.role == "merger" or e.extra.get("merged_by")), None)
            if merge is None or not (merger or merge.role == "merger"):
                continue
            person = (
                "You" if not merger or merger.casefold() in ctx.me else names.get(merger.casefold(), merger)
            )
            by[person] += 1
            if person not in latest or (merge.date, merge.id) > (latest[person].date, latest[person].id):
                latest[person] = merge
        if not by:
            return ctx.answer(
                f"Your evidence does not record who merged your PRs{ctx.when}: neither git history nor these "
                "records say. Pull request exports from GitHub with their mergedBy name them.",
                [],
            )
        named = sum(by.values())
        head = (
            f"Who merged your PRs{_period(ctx)} ({named} of your {plural(len(mine), 'PR')} say who merged them; "
            "the rest are not recorded), counted from your evidence:"
        )
        return _ranked(ctx, head, by, latest.__getitem__, lambda n: f"{plural(n, 'PR')} of yours")


class Reviewers:
    """'Who reviewed my PRs?', 'Who reviews my pull requests most?': the people PR records name as reviewers of the
    user's own PRs, most first; a history with no such records (git alone) says so rather than guessing."""

    name = "reviewers"

    def can_answer(self, question: Question) -> bool:
        return bool(_REVIEWED_MINE.search(question.text))

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        mine = [found for found in _records(ctx).values() if any(owns(e) for e in found)]
        listed = [
            next(e for e in found if isinstance(e.extra.get("reviewers"), list))
            for found in mine
            if any(isinstance(e.extra.get("reviewers"), list) for e in found)
        ]
        if not listed:
            why = (
                f"the {plural(len(mine), 'PR record')} of yours name no reviewers"
                if mine
                else "git history carries no reviews"
            )
            return ctx.answer(
                f"Your evidence does not record who reviewed your PRs{ctx.when}: {why}. "
                "Pull request exports from GitHub or GitLab with their reviews name them.",
                [],
            )
        names = aliases(ctx.everything)
        by: Counter[str] = Counter()
        latest: dict[str, Evidence] = {}
        for e in listed:
            for login in e.extra["reviewers"]:
                person = names.get(str(login).casefold(), str(login))
                by[person] += 1
                if person not in latest or (e.date, e.id) > (latest[person].date, latest[person].id):
                    latest[person] = e
        if not by:
            return ctx.answer(f"No one but you is named as a reviewer of your PRs{ctx.when}.", [])
        head = (
            f"{_people(len(by))} reviewed your PRs{_period(ctx)} "
            f"({len(listed)} of your {len(mine)} PRs name their reviewers), bots not counted, "
            "counted from your evidence:"
        )
        return _ranked(ctx, head, by, latest.__getitem__, lambda n: f"{plural(n, 'PR')} of yours")


_ADDED = re.compile(r"\b(?:add|insert)\w*", re.IGNORECASE)
REMOVED = re.compile(r"\b(?:delet|remov|drop|cut)\w*", re.IGNORECASE)  # lines removed, not added


def size_measure(text: str) -> tuple[Callable[[int, int], int], str]:
    """What "biggest" or "the most lines" measures, from the question's verb: lines (added, removed) -> the number,
    and how the answer says it. Only a question about lines is read this way ("the PR that dropped X" is not)."""
    if not re.search(r"\blines?\b", text, re.IGNORECASE):
        return (lambda added, removed: added + removed), "changed"
    if REMOVED.search(text) and _ADDED.search(text):  # "lines added plus deleted"
        return (lambda added, removed: added + removed), "changed"
    if REMOVED.search(text):
        return (lambda added, removed: removed), "removed"
    if _ADDED.search(text):
        return (lambda added, removed: added), "added"
    return (lambda added, removed: added + removed), "changed"


def elapsed(seconds: float) -> str:
    """'32 minutes', '3 hours 5 minutes', '46.4 days'."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return plural(minutes, "minute")
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return plural(hours, "hour") + (f" {plural(rest, 'minute')}" if rest else "")
    return f"{seconds / 86400:.1f} days"


def own_sizes(ctx: Context, kind: str | None) -> list[tuple[Evidence, int, int, str]]:
    """The user's own changes with line counts, as (item, lines added, lines removed, key): single commits when `kind`
    is "commit" (not the PRs that hold several), else pieces of work (a PR once; only PRs when `kind` is "pr")."""
    if kind == "commit":
        return [
            (e, int(e.stats.get("insertions", 0)), int(e.stats.get("deletions", 0)), e.id)
            for e in filters.of_kind(ctx.evidence, "commit")
            if owns(e) and ("insertions" in e.stats or "deletions" in e.stats)
        ]
    return [
        (u.witness, u.insertions, u.deletions, u.key)
        for u in _mine(ctx)
        if u.owned and u.lines and (kind != "pr" or u.number is not None)
    ]


def merge_hours(ctx: Context) -> list[tuple[Evidence, float]]:
    """The user's PRs whose records say how long they took from opening to merge, with those hours (a PR once)."""
    timed = []
    for found in _records(ctx).values():
        record = next((e for e in found if isinstance(e.stats.get("cycle_time_hours"), (int, float))), None)
        if record is not None and any(owns(e) for e in found):
            timed.append((record, float(record.stats["cycle_time_hours"])))
    return timed


def open_hours(e: Evidence) -> float | None:
    """Hours from a ticket's opening to its resolving, as its record dates them; None when it does not."""
    opened, done = e.native.get("created"), e.native.get("resolved")
    if not opened or not done:
        return None
    hours = (datetime.fromisoformat(str(done)) - datetime.fromisoformat(str(opened))).total_seconds() / 3600
    return (
        hours if hours >= 0 else None
    )  # resolved before it was opened: a record that cannot be read as a time


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


def _duration(hours: float) -> str:
    """'3.5 days', '20 hours'."""
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.0f} hours"
