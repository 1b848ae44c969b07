"""The fields a question names, applied to evidence: kind, file path, person, the user's role, PR number.

Each filter says what it kept in words, so an answer can say exactly what it counted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from pathlib import PurePosixPath
from typing import Any

from app.participants import did_as, took_part
from app.phrasing import title_quality, work_key
from app.questions import KINDS, Question
from ingest.evidence import Evidence

_RELEASE = re.compile(
    r"\b(?:release|version|bump version)\s+v?\d+(?:\.\d+)+\b|^v?\d+\.\d+(?:\.\d+)*$", re.IGNORECASE
)
ROLE_WORDS = {
    "author": "authored",
    "co-author": "co-authored",
    "reviewer": "reviewed",
    "merger": "merged",
    "assignee": "were assigned",
    "reporter": "filed",
}
# What another person the question names did ("PRs Tom Christie wrote", "tickets Sam resolved").
THEIR_WORDS = {
    "author": "authored",
    "reviewer": "reviewed",
    "merger": "merged",
    "finisher": "finished",
    "assignee": "assigned",
}


def names(kind: str) -> tuple[str, str]:
    """(singular, plural) of a kind, as the user says it."""
    return next(((one, many) for _, k, one, many in KINDS if k == kind), (kind, kind + "s"))


def of_kind(evidence: list[Evidence], kind: str | None) -> list[Evidence]:
    """Items of that kind; a PR once, however many items record it (its merge, its squash commit, its record)."""
    if kind is None:
        return list(evidence)
    if kind == "pr":
        return _once(
            [e for e in evidence if e.kind == "pr" or (e.kind == "commit" and e.native.get("pr_number"))]
        )
    if kind == "release":
        return _once(
            [e for e in evidence if e.kind == "release" or _RELEASE.search(re.sub(r"\(#\d+\)", "", e.title))]
        )
    if kind == "lines":
        return [
            e
            for e in evidence
            if e.kind in ("commit", "pr") and ("insertions" in e.stats or "deletions" in e.stats)
        ]
    if kind == "ticket":  # an incident filed in a tracker (it has a key: "INC-247") is one of its tickets too
        return [
            e
            for e in evidence
            if e.kind in ("ticket", "issue") or (e.kind == "incident" and e.native.get("key"))
        ]
    return [e for e in evidence if e.kind == kind]


def _once(evidence: list[Evidence]) -> list[Evidence]:
    """Each piece of work once, by date: a PR's record over its merge or squash commit."""
    chosen: dict[str, Evidence] = {}

    def rank(e: Evidence) -> tuple[bool, int, bool]:
        # a PR record, one with a real title, over a bare merge; the code host's record (its reviewers, its
        # opening date) over the git merge of it
        return e.kind == "pr", title_quality(e), e.source != "git"

    for e in evidence:
        key = work_key(e)
        if key not in chosen or rank(e) > rank(chosen[key]):
            chosen[key] = e
    return sorted(chosen.values(), key=lambda e: (e.date, e.id))


def by_role(evidence: list[Evidence], question: Question, me: Collection[str] = ()) -> list[Evidence]:
    """The items the user had the question's role in (`me`: the names they go by, casefolded)."""
    role = question.role
    if role is None or (role == "co-author" and question.people):
        return evidence  # "PRs Tom co-authored with me": any item both took part in
    if role == "reporter":  # filed by the user, whoever was assigned (their own tickets too)
        return [e for e in evidence if e.role == "reporter" or any(did_as(e, name, role) for name in me)]
    if role == "author":
        return [e for e in evidence if e.role in ("author", "assignee", "owner")]
    if role == "reviewer":
        return [e for e in evidence if e.role == "reviewer" or e.kind == "review"]
    return [e for e in evidence if e.role == role]


def by_people(evidence: list[Evidence], people: list[str]) -> list[Evidence]:
    return [e for e in evidence if all(took_part(e, person) for person in people)]


def files_known(evidence: list[Evidence]) -> list[Evidence]:
    return [e for e in evidence if isinstance(e.extra.get("files"), list)]


def touches(evidence: Evidence, path: str) -> bool:
    return any(path_matches(f, path) for f in evidence.extra.get("files") or [])


def path_matches(file: str, path: str) -> bool:
    """docs/ is a folder; a/b.py a path (or its end), or a folder when files lie under it (lib/cop/layout);
    CHANGES.rst a file name anywhere."""
    if path.endswith("/"):
        return file.startswith(path) or f"/{path}" in f"/{file}"
    if "/" in path:
        return file == path or file.endswith("/" + path) or f"/{path}/" in f"/{file}"
    return PurePosixPath(file).name == path


def similar_files(evidence: list[Evidence], path: str, limit: int = 3) -> list[str]:
    """Files of the evidence whose name is close to `path`: the closest thing to a file that is not there."""
    files = sorted({f for e in evidence for f in e.extra.get("files") or []})
    names_to_files: dict[str, list[str]] = {}
    for f in files:
        names_to_files.setdefault(PurePosixPath(f).name.lower(), []).append(f)
    wanted = PurePosixPath(path.rstrip("/")).name.lower()
    close = difflib.get_close_matches(wanted, list(names_to_files), n=limit, cutoff=0.5)
    stem = wanted.split(".")[0]
    close += [n for n in names_to_files if stem and n.split(".")[0] == stem and n not in close]
    return [f for name in close[:limit] for f in names_to_files[name][:1]]


def role_words(question: Question) -> str:
    if question.landed:
        return "landed (authored; no merge by you is recorded)"
    if question.finished:
        return "finished"  # done by the user: resolved or merged, as the question asked
    return ROLE_WORDS.get(question.role or "", "")


def is_pr(evidence: Evidence) -> bool:
    return evidence.kind == "pr" or (evidence.kind == "commit" and bool(evidence.native.get("pr_number")))


def reference(evidence: Evidence) -> str:
    """'#1269' for a PR, 'PAY-142' for a ticket, the short sha for a commit."""
    number = evidence.native.get("pr_number") or (
        evidence.native.get("number") if evidence.kind == "pr" else None
    )
    if number:
        return f"#{number}"
    if evidence.native.get("key"):
        return str(evidence.native["key"])
    sha = evidence.native.get("sha")
    return str(sha)[:7] if sha else ""


def citation(evidence: Evidence, snippet: str = "") -> dict[str, Any]:
    """How an answer cites an item: its id, title, date, link and a snippet of what it says."""
    text = snippet or " ".join((evidence.body or evidence.title).split())[:320]
    return {
        "id": evidence.id,
        "title": evidence.title,
        "date": evidence.date,
        "url": evidence.url,
        "snippet": text,
    }
