"""Who took part in an item besides the user: its author, co-authors, branch authors, assignee; bots told apart."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.metrics import user_names
from ingest.evidence import Evidence
from ingest.people import is_bot


def names_in(evidence: Evidence) -> list[str]:
    """Every person named on the item, the user included, in order: author first."""
    found = [evidence.author]
    for key in ("co_authors", "pr_commit_authors"):
        value = evidence.extra.get(key)
        found += [str(v) for v in value] if isinstance(value, list) else []
    for key in ("assignee", "creator"):
        value = evidence.extra.get(key) or evidence.native.get(key)
        found += [str(value)] if isinstance(value, str) else []
    return [n.strip() for n in dict.fromkeys(found) if n and n.strip()]


def others(evidence: Evidence, me: set[str]) -> list[str]:
    """The people on the item who are not the user (`me`: casefolded names) and not bots."""
    return [n for n in names_in(evidence) if n.casefold() not in me and not is_bot(n)]


def people_of(evidence: Iterable[Evidence]) -> set[str]:
    """Everyone named in the workspace's evidence, bots included (a question may name a bot)."""
    return {n for e in evidence for n in names_in(e)}


_MERGED_FROM = re.compile(r"^Merge (?:pull request|PR) #\d+ from ([\w.-]+)/", re.IGNORECASE)


def handles_of(evidence: Iterable[Evidence]) -> dict[str, str]:
    """Account handle -> the person's name, where the evidence shows both: a merged pull request "from koic/..."
    whose commits are all one person's (Koichi ITO). A handle seen with two different names is left out."""
    seen: dict[str, set[str]] = {}
    for e in evidence:
        merged = _MERGED_FROM.match(e.title)
        authors = {str(n).strip() for n in e.extra.get("pr_commit_authors") or [] if str(n).strip()}
        if merged and len(authors) == 1:
            seen.setdefault(merged.group(1).casefold(), set()).update(authors)
    return {handle: next(iter(names)) for handle, names in seen.items() if len(names) == 1}


def aliases(evidence: Iterable[Evidence]) -> dict[str, str]:
    """An account name (casefolded) -> the person's full name, where the evidence shows both: a handle pull requests
    were merged from (handles_of), or a one-word name that is a full name run together ("lenapark", "Lena Park").
    A one-word name that two full names run together to is left as it is."""
    items = list(evidence)
    full: dict[str, set[str]] = {}
    for name in people_of(items):
        if " " in name.strip():
            full.setdefault(_compact(name), set()).add(name)
    found = {
        name.casefold(): next(iter(full[_compact(name)]))
        for name in people_of(items)
        if " " not in name.strip() and len(full.get(_compact(name), ())) == 1
    }
    return {**found, **handles_of(items)}


def _compact(name: str) -> str:
    return re.sub(r"[^\w]", "", name.casefold())


def me_in(evidence: list[Evidence]) -> set[str]:
    """The names the user goes by in this evidence (casefolded)."""
    return user_names(evidence)


def took_part(evidence: Evidence, person: str) -> bool:
    """The person is on the item (by name, or by an account that spells it: "aishaokafor" for Aisha Okafor),
    reviewed it (a PR record names its reviewers by account, "jonasweber" for Jonas Weber), or its title names
    them, in full or by first name ("2026-01-15 1:1 with Priya")."""
    if _compact(person) in {_compact(n) for n in names_in(evidence)}:
        return True
    reviewers = evidence.extra.get("reviewers")
    if isinstance(reviewers, list) and _compact(person) in {_compact(str(r)) for r in reviewers}:
        return True
    if _compact(person) == _compact(str(evidence.extra.get("reporter") or "")):
        return True  # who filed the ticket ("tickets Priya gave me")
    names = [person] + ([person.split()[0]] if " " in person and len(person.split()[0]) > 2 else [])
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", evidence.title, re.IGNORECASE) for n in names)


def who_wrote(evidence: Evidence, me: set[str]) -> tuple[str, list[str]]:
    """(the author, its co-authors) of an item, "you" for the user."""

    def say(name: str) -> str:
        return "you" if name.casefold() in me else name

    author = evidence.author
    branch = [str(n) for n in evidence.extra.get("pr_commit_authors") or []]
    if evidence.kind == "pr" and (evidence.role == "merger" or evidence.source == "git"):
        author = (
            branch[0] if branch else ("" if evidence.role == "merger" else author)
        )  # a merge's author merged it
    co = [str(n) for n in evidence.extra.get("co_authors") or [] if str(n).casefold() != author.casefold()]
    return (say(author) if author else ""), [say(n) for n in dict.fromkeys(co)]


def did_as(evidence: Evidence, person: str, role: str) -> bool:
    """Did the person have this role on the item: wrote it ("author"), finished it, filed it ("reporter"), reviewed
    it, or merged it (a PR record says who merged it, by account)."""
    if role == "author":
        return _compact(who_wrote(evidence, set())[0]) == _compact(person)
    if role == "finisher":
        # did it and got it done: the ticket's assignee or the PR's author, resolved or merged
        doer = (
            evidence.extra.get("assignee") or evidence.native.get("assignee") or who_wrote(evidence, set())[0]
        )
        return _compact(str(doer)) == _compact(person) and finished(evidence)
    if role == "assignee":
        doer = evidence.extra.get("assignee") or evidence.native.get("assignee")
        return _compact(str(doer or "")) == _compact(person)
    if role == "reporter":
        filer = evidence.extra.get("reporter") or evidence.extra.get("creator")
        return _compact(str(filer or "")) == _compact(person)
    key = {"reviewer": "reviewers", "merger": "merged_by"}.get(role, "")
    value = evidence.extra.get(key)
    named = value if isinstance(value, list) else [value] if value else []
    return _compact(person) in {_compact(str(n)) for n in named}


def finished(evidence: Evidence) -> bool:
    """Done: resolved (a ticket, an issue, an incident), merged (a PR), or a change."""
    from app.metrics import merged, resolved

    if evidence.kind in ("ticket", "issue", "incident"):
        return resolved(evidence)
    return merged(evidence) if evidence.kind == "pr" else True
