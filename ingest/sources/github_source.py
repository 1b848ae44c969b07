"""The GitHub connector: JSON from `gh pr list/issue list/search prs --json` and `gh api` (REST, GraphQL, pages).

GitHub's migration archive is refused with what to export instead; bots are never the user, and their reviews
are not reviews given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence, Role
from ingest.people import humans, is_bot, is_bot_user
from ingest.sources import (
    NOT_UTF8,
    Skips,
    SourceOptions,
    decode_json,
    expand,
    has_bad_bytes,
    iso_date,
    read_text_lenient,
    span,
)
from ingest.sources.git_newcomers import PRIOR_CHANGES

URL = re.compile(r"github\.com/([^/]+/[^/]+)/(?:pull|pulls|issues)/(\d+)")
NON_SPACE = re.compile(r"\S")
API_URL = re.compile(r"/repos/([^/]+/[^/]+)/(?:pulls|issues)/(\d+)")


@dataclass
class Item:
    """A PR, issue or review in one shape, whatever file it came from."""

    kind: str
    repo: str
    number: int
    where: str
    raw: dict[str, Any]
    reviews: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Known:
    """What the whole file set says about each PR: its title, its author, whether the user reviewed it."""

    titles: dict[tuple[str, int], str]
    authors: dict[tuple[str, int], str]
    reviewed: set[tuple[str, int]]
    seen: set[tuple] = field(default_factory=set)


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    items: list[Item] = []
    for path in _refuse_archives(paths, skips):
        items.extend(_load(path, skips))
    prs = [i for i in items if i.kind == "pr"]
    known = Known(
        titles={(i.repo, i.number): str(i.raw.get("title") or "") for i in prs},
        authors={(i.repo, i.number): _handle(i.raw.get("author") or i.raw.get("user")) for i in prs},
        reviewed={(i.repo, i.number) for i in items if i.kind == "review" and _by_user(i.raw, options)}
        | {(i.repo, i.number) for i in items if any(_by_user(r, options) for r in i.reviews)}
        | {(i.repo, i.number) for i in prs if _reviewed_by_search(i)},
    )
    # API reviews (numeric ids) come first; of two records of one PR the richer comes last, and the last wins.
    for item in sorted(items, key=lambda i: (i.kind != "review", len(i.raw))):
        try:
            records = _evidence(item, options, known)
            for evidence in records:
                if options.in_period(evidence.when):
                    yield evidence
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            skips.add(item.where, f"unreadable {item.kind}: {exc}")


ARCHIVE = (
    "a GitHub migration archive is not read: export with `gh pr list --state all --json ...` and "
    "`gh api` (see README), or use `selfreview sync github` with a token"
)


def _refuse_archives(paths: list[Path], skips: Skips) -> Iterator[Path]:
    """JSON files to read; a migration archive (a .tar.gz, or its unpacked folder) is named and skipped."""
    for path in paths:
        if path.is_file() and path.name.lower().endswith((".tar.gz", ".tgz", ".tar")):
            skips.add(str(path), ARCHIVE)
            continue
        if path.is_dir() and (path / "schema.json").is_file() and any(path.glob("pull_requests_*.json")):
            skips.add(str(path), ARCHIVE)
            continue
        yield from expand([path], (".json",))


def _load(path: Path, skips: Skips) -> Iterator[Item]:
    text = read_text_lenient(path, skips)
    if text is None:
        return
    for n, raw in enumerate(_records(path, text, skips), 1):
        where = f"{path}#record {n}"
        if has_bad_bytes(raw):
            skips.add(where, NOT_UTF8)
            continue
        try:
            item = _item(raw, where) if isinstance(raw, dict) else None
        except (TypeError, ValueError, AttributeError):
            item = None
        if item is None:
            skips.add(where, "not a pull request, issue or review (no number or url)")
        else:
            yield item


def _records(path: Path, text: str, skips: Skips) -> Iterator[Any]:
    """Objects of one JSON document, or of several back to back (`gh api --paginate`, `--jq '.[]'`)."""
    pos = 0
    while found := NON_SPACE.search(text, pos):
        pos = found.start()
        try:
            data, pos = decode_json(text, pos, path, skips)  # nesting over 100 deep: named, never a crash
        except json.JSONDecodeError as exc:
            skips.add(f"{path}:{exc.lineno}", f"broken JSON: {exc.msg}")
            return
        if isinstance(data, dict) and isinstance(data.get("errors"), list) and not data.get("data"):
            message = next((str(e.get("message")) for e in data["errors"] if isinstance(e, dict)), "error")
            skips.add(str(path), f"GitHub answered with an error, not results: {message}")
            return
        records = list(_flatten(data))
        if not records and not isinstance(data, list) and not (isinstance(data, dict) and "items" in data):
            skips.add(str(path), "not a gh JSON export (expected an array, search results or GraphQL data)")
            return
        yield from records


def _flatten(data: Any) -> Iterator[Any]:
    """Records of one document: an array, `--paginate --slurp` pages (arrays of arrays or of search
    results), search results (`items`), or `gh api graphql` data (every `nodes` / `edges` list in it)."""
    if isinstance(data, list):
        for element in data:
            if isinstance(element, list) or (
                isinstance(element, dict)
                and (isinstance(element.get("items"), list) or isinstance(element.get("data"), dict))
            ):
                yield from _flatten(element)
            else:
                yield element
    elif isinstance(data, dict):
        if isinstance(data.get("items"), list):
            yield from data["items"]
        elif isinstance(data.get("data"), dict):
            yield from _graphql_nodes(data["data"])
        else:
            yield data


def _graphql_nodes(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key, value in data.items():
        if key in ("nodes", "edges") and isinstance(value, list):
            for node in value:
                node = node.get("node", node) if isinstance(node, dict) else node
                if isinstance(node, dict) and ("number" in node or "submittedAt" in node):
                    yield node
        elif isinstance(value, dict):
            yield from _graphql_nodes(value)


def _item(raw: dict[str, Any], where: str) -> Item | None:
    if "pull_request_url" in raw or ("submitted_at" in raw and "number" not in raw):
        match = API_URL.search(str(raw.get("pull_request_url") or "")) or URL.search(
            str(raw.get("html_url") or "")
        )
        return Item("review", match.group(1), int(match.group(2)), where, raw) if match else None
    url = raw.get("url") if "html_url" not in raw else raw["html_url"]
    match = URL.search(str(url or ""))
    if not match or not raw.get("number"):
        return None
    is_pr = (
        "/pull/" in str(url)
        or "pull_request" in raw
        or any(key in raw for key in ("mergedAt", "additions", "changedFiles", "reviews", "merged_at"))
    )
    listed = raw.get("reviews") or []
    listed = listed.get("nodes") or [] if isinstance(listed, dict) else listed  # GraphQL connection
    reviews = [r for r in listed if isinstance(r, dict)]
    return Item("pr" if is_pr else "issue", match.group(1), int(raw["number"]), where, raw, reviews)


def _reviewed_by_search(item: Item) -> bool:
    """`gh api search/issues?q=reviewed-by:USER` output carries no query: its file name must say "review"."""
    return "review" in Path(item.where.split("#")[0].split(":")[0]).stem.lower()


def is_me(person: Any, options: SourceOptions) -> bool:
    """Is this person (a user object or a login) the user: login, name or email matched exactly. Bots never."""
    if not person or is_bot_user(person):
        return False
    if not isinstance(person, dict):
        return options.is_user(str(person), "github")
    return any(options.is_user(str(person[k]), "github") for k in ("login", "name", "email") if person.get(k))


def _handle(person: Any) -> str:
    return str(person.get("login") or "") if isinstance(person, dict) else str(person or "")


def _by_user(review: dict[str, Any], options: SourceOptions) -> bool:
    return is_me(review.get("author") or review.get("user"), options)


def _get(raw: dict[str, Any], *names: str) -> Any:
    for name in names:
        if raw.get(name) not in (None, "") and not str(raw[name]).startswith("0001-01-01"):  # gh: "no date"
            return raw[name]
    pull = raw.get("pull_request")
    return pull.get("merged_at") if isinstance(pull, dict) and "merged_at" in names else None


def _count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict) and "totalCount" in value:
        return int(value["totalCount"])
    return int(value) if isinstance(value, int) else 0


def _evidence(item: Item, options: SourceOptions, known: Known) -> Iterator[Evidence]:
    if item.kind == "review":
        if _by_user(item.raw, options):
            yield from _review(item, item.raw, known)
        return
    yield _work_item(item, options, (item.repo, item.number) in known.reviewed)
    for review in item.reviews:
        if _by_user(review, options):
            yield from _review(item, review, known)


def _work_item(item: Item, options: SourceOptions, reviewed: bool) -> Evidence:
    raw = item.raw
    person = raw.get("author") or raw.get("user")
    author = _handle(person)
    created = iso_date(_get(raw, "createdAt", "created_at"))
    merged = iso_date(_get(raw, "mergedAt", "merged_at"))
    date = merged or iso_date(_get(raw, "closedAt", "closed_at")) or created
    if not date:
        raise ValueError("no createdAt / created_at date")
    labels = [lab.get("name", "") if isinstance(lab, dict) else str(lab) for lab in _nodes(raw.get("labels"))]
    native: dict[str, Any] = {
        "repo": item.repo,
        "number": item.number,
        "state": str(raw.get("state") or "").lower(),
        "labels": ", ".join(labels),
    }
    stats: dict[str, float] = {"comments": _count(raw.get("comments") or raw.get("commentsCount"))}
    extra: dict[str, Any] = {"labels": labels} if labels else {}
    if is_bot_user(person):
        extra["bot_author"] = True
    if item.kind == "pr":
        merger = raw.get("mergedBy") or raw.get("merged_by")
        role: Role = "mentioned"
        shown = author
        if is_me(person, options):
            role = "author"
        elif merger and is_me(merger, options):
            role, shown = "merger", _handle(merger)  # like a git merge: the merger, and whose PR it was
        elif reviewed:
            role = "reviewer"
        native["pr_number"] = item.number
        if merged:
            native["state"] = "merged"
        others = [
            r
            for r in item.reviews
            if _handle(r.get("author") or r.get("user")) != author
            and not is_bot_user(r.get("author") or r.get("user"))
        ]
        stats |= _pr_stats(raw, len(others), created, merged)
        reviewers = humans([_handle(r.get("author") or r.get("user")) for r in others])
        if reviewers:
            extra["reviewers"] = reviewers  # who reviewed it, besides its author (never bots)
        association = str(_get(raw, "authorAssociation", "author_association") or "").upper()
        first = association in ("FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER")
        if role in ("merger", "reviewer") and first and not is_bot_user(person):
            stats[PRIOR_CHANGES] = 0  # GitHub says it is the author's first contribution
        verdicts = sorted(
            (str(_get(r, "submittedAt", "submitted_at") or ""), str(r.get("state") or "").lower())
            for r in item.reviews
            if _by_user(r, options) and r.get("state")
        )
        if verdicts:
            extra["verdict"] = verdicts[-1][
                1
            ]  # the user's last review of it: "approved", "changes_requested", ...
        extra["pr_commit_authors"] = humans([author])
        if merger and not is_bot_user(merger):
            extra["merged_by"] = _handle(merger)  # who merged it, by account ("did Tom merge it?")
        author = shown
    else:
        assignees = _nodes(raw.get("assignees"))
        role = (
            "assignee"
            if options.knows_user and any(is_me(a, options) for a in assignees)
            else "author"
            if is_me(person, options)
            else "mentioned"
        )
        reason = str(raw.get("stateReason") or raw.get("state_reason") or "").lower().replace("_", " ")
        if reason:
            native["state_reason"] = reason
            native["status"] = reason  # "not planned" is closed without being resolved; "completed" is done
    return Evidence(
        id=f"github:{item.repo}#{item.number}",
        source="github",
        kind=item.kind,
        title=str(raw.get("title") or "").strip() or f"#{item.number}",
        date=date,
        body=str(raw.get("body") or ""),
        author=author,
        url=str(_get(raw, "html_url", "url")),
        role=role,
        native=native,
        stats=stats,
        extra=extra,
    )


def _nodes(value: Any) -> list[Any]:
    """A list, or a GraphQL connection's nodes."""
    if isinstance(value, dict):
        value = value.get("nodes")
    return value if isinstance(value, list) else []


def _pr_stats(raw: dict[str, Any], reviews: int, created: str | None, merged: str | None) -> dict[str, float]:
    stats: dict[str, float] = {"reviews": reviews}
    for name, keys in (
        ("insertions", ("additions",)),
        ("deletions", ("deletions",)),
        ("files_changed", ("changedFiles", "changed_files")),
    ):
        value = _get(raw, *keys)
        if isinstance(value, int):
            stats[name] = value
    cycle = span(created, merged, 3600)
    if cycle is not None:
        stats["cycle_time_hours"] = cycle
    return stats


def _review(item: Item, review: dict[str, Any], known: Known) -> Iterator[Evidence]:
    who = _handle(review.get("author") or review.get("user"))
    if is_bot(who) or is_bot_user(review.get("author") or review.get("user")):
        return
    submitted = iso_date(_get(review, "submitted_at", "submittedAt"))
    key = (item.repo, item.number, who, submitted)
    if not submitted or key in known.seen or who == known.authors.get((item.repo, item.number)):
        return  # pending reviews have no date; a review in two files counts once; authors' replies aren't
    known.seen.add(key)
    state = str(review.get("state") or "COMMENTED").upper()
    title = known.titles.get((item.repo, item.number))
    review_id = review.get("id") or submitted
    yield Evidence(
        id=f"github:{item.repo}#{item.number}/review/{review_id}",
        source="github",
        kind="review",
        title=f"Review of #{item.number}: {state.replace('_', ' ').lower()}"
        + (f" ({title})" if title else ""),
        date=submitted,
        body=str(review.get("body") or ""),
        author=who,
        url=str(review.get("html_url") or f"https://github.com/{item.repo}/pull/{item.number}"),
        role="reviewer",
        native={
            "repo": item.repo,
            "pr_number": item.number,
            "review_id": str(review_id),
            "state": state.lower(),
        },
    )
