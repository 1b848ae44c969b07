"""Questions about the shape of the user's work, answered from units of work (app.units), no embedding needed:

- "What did I work on in March?": the period's units the user did, each once;
- "Who did I work with most?": the people (never bots) who took part in most of the user's units;
- "What was my biggest PR?": the user's own units ranked by lines changed.
"""

from __future__ import annotations

import re
from collections import Counter

from app import units
from app.ask_context import Context, line, listing
from app.model import Answer
from app.questions import Question
from app.text import plural

# The words a question uses for "the most" of something; what it ranks is read from the rest of the question.
_MOST = re.compile(r"\b(?:most|biggest|largest|top)\b", re.IGNORECASE)
_PEOPLE = re.compile(
    r"^\s*(?:who|whose|with whom)\b|\bwhich (?:people|person|colleagues?|teammates?)\b", re.I
)
_SIZE = re.compile(r"\b(?:biggest|largest)\b", re.IGNORECASE)
SHOWN = 5
PERIOD_LISTED = (
    15  # "what did I do in September?" is a summary: up to this many pieces of work, own work first
)
_DID = {"author": "authored", "co-author": "co-authored", "reviewer": "reviewed", "merger": "merged"}


def people_together(ctx: Context) -> Counter[str]:
    """Each person (never a bot) who took part in the user's units of work, with how many."""
    return Counter(person for u in _mine(ctx) for person in u.people)


def _mine(ctx: Context) -> list[units.Unit]:
    return [u for u in units.build(ctx.evidence) if u.owned or u.shaped or u.kind in ("note", "kudos")]


class PeriodWork:
    """'What did I work on in March?', 'What did I do last quarter?': a question with no subject but its period."""

    name = "period-work"

    def can_answer(self, question: Question) -> bool:
        return (
            question.intent in ("open", "list")
            and question.kind is None
            and not question.topic
            and not question.fields
        )

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        # the user's own work first, then the work they shaped, each by date
        done = sorted(_mine(ctx), key=lambda u: (not u.owned, u.start, u.key))
        if not done:
            return ctx.answer(f"Your evidence shows no work of yours{ctx.when}.", [])
        owned = sum(u.owned for u in done)
        split = f" ({owned} your own, {len(done) - owned} shaping others' work)" if owned < len(done) else ""
        period = ctx.when.strip(" ()")
        head = f"{plural(len(done), 'piece')} of work{' ' + period if period else ''}{split}, from your evidence:"
        return listing(head, [u.witness for u in done], ctx, by_date=False, most=PERIOD_LISTED)


class Most:
    """'Who did I work with most?' and 'What was my biggest PR?': a ranking the fields can compute."""

    name = "most"

    def can_answer(self, question: Question) -> bool:
        text = question.text
        return bool(_MOST.search(text)) and (bool(_PEOPLE.search(text)) or bool(_SIZE.search(text)))

    def answer(self, question: Question, ctx: Context) -> Answer | None:
        if _PEOPLE.search(question.text):
            return self._people(question, ctx)
        return self._biggest(question, ctx)

    def _people(self, question: Question, ctx: Context) -> Answer:
        done = _mine(ctx)
        did = _DID.get(question.role or "")
        if did:  # "Whose PRs did I co-author most?": only the work the user had that role in
            done = [u for u in done if u.role == question.role]
        together = Counter(person for u in done for person in u.people)
        work = f"the work you {did}" if did else "your work"
        if did and not done:
            return ctx.answer(f"Your evidence has no work you {did}{ctx.when}.", [])
        if not together:
            return ctx.answer(f"Your evidence names no one else in {work}{ctx.when}.", [])
        lines, cited = [], []
        for person, count in together.most_common(SHOWN):
            latest = max((u for u in done if person in u.people), key=lambda u: (u.end, u.key))
            cited.append(latest.witness)
            lines.append(f"- {person}: {plural(count, 'piece')} of work together [{len(cited)}]")
        period = ctx.when.strip(" ()")
        head = (
            f"The people in most of {work}{' ' + period if period else ''}, bots not counted "
            f"({plural(len(done), 'piece')} of work in all), counted from your evidence:"
        )
        return ctx.answer("\n".join([head, *lines]), cited)

    def _biggest(self, question: Question, ctx: Context) -> Answer:
        sized = sorted(
            (u for u in _mine(ctx) if u.owned and u.lines),
            key=lambda u: (-u.lines, u.key),
        )
        if question.kind == "pr":
            sized = [u for u in sized if u.number is not None]
        if not sized:
            return ctx.answer(f"Your evidence has no changes of yours with line counts{ctx.when}.", [])
        shown = sized[:3]
        lines = [
            line(u.witness, ctx, n, f": +{u.insertions:,}/−{u.deletions:,} lines")
            for n, u in enumerate(shown, 1)
        ]
        what = "PRs" if question.kind == "pr" else "changes"
        period = ctx.when.strip(" ()")
        head = f"Your largest {what}{' ' + period if period else ''} by lines changed, of {len(sized)}, from your evidence:"
        return ctx.answer("\n".join([head, *lines]), [u.witness for u in shown])
