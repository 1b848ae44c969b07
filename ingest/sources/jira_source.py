"""The Jira connector: the CSV export (repeated columns, multi-line fields), REST search JSON and the XML (RSS)
export -> Evidence. People match by display name, email, accountId or Data Center username."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence, Role
from ingest.people import is_bot
from ingest.sources import (
    NOT_UTF8,
    Skips,
    SourceOptions,
    csv_rows,
    expand,
    first,
    has_bad_bytes,
    iso_date,
    jira_xml,
    load_json,
    read_text_lenient,
    span,
)
from ingest.sources.dates import AmbiguousDates, day_first, reorder

POINTS = (
    "custom field (story points)",
    "story points",
    "custom field (story point estimate)",
    "story point estimate",
)
POINT_FIELDS = ("customfield_10016", "customfield_10026", "customfield_10002", "story_points")
DATES = ("created", "updated", "resolved")
COMMENT_PREFIX = re.compile(r"^[^;]{6,25};[^;]*;")  # "14/Mar/26 3:22 PM;<account id>;text"


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in expand(paths, (".csv", ".json", ".xml")):
        text = read_text_lenient(path, skips, line_records=True)
        if text is None:
            continue
        head = text.lstrip()[:1]
        rows = list(
            _json_issues(path, text, skips)
            if head in "{["
            else jira_xml.issues(path, text, skips)
            if head == "<"
            else _csv_issues(path, text, skips)
        )
        try:
            dayfirst = day_first([i[d] for _, i in rows for d in DATES if i.get(d)], options.date_format)
        except AmbiguousDates as exc:
            skips.add(str(path), str(exc))
            continue
        for where, issue in rows:
            for name in DATES:
                issue[name] = reorder(str(issue.get(name) or ""), dayfirst)
            try:
                evidence = _evidence(issue, options)
            except ValueError as exc:
                skips.add(where, str(exc))
                continue
            if options.in_period(evidence.when):
                yield evidence


def _csv_issues(path: Path, text: str, skips: Skips) -> Iterator[tuple[str, dict[str, Any]]]:
    for line, cols in csv_rows(path, text, skips):
        # The issue's own link only: "Project url" is the project's home page, not the issue.
        url = first(cols, "issue url", "issue link", "url", "link")
        comments = [COMMENT_PREFIX.sub("", c, count=1) for c in cols.get("comment", [])]
        yield (
            f"{path}:{line}",
            {
                "key": first(cols, "issue key", "key"),
                "summary": first(cols, "summary"),
                "description": first(cols, "description"),
                "type": first(cols, "issue type"),
                "priority": first(cols, "priority"),
                "status": first(cols, "status"),
                "resolution": first(cols, "resolution"),
                "assignee": first(cols, "assignee"),
                "reporter": first(cols, "reporter"),
                "assignee_ids": [first(cols, "assignee"), first(cols, "assignee id")],
                "reporter_ids": [first(cols, "reporter"), first(cols, "reporter id")],
                "created": first(cols, "created"),
                "updated": first(cols, "updated"),
                "resolved": first(cols, "resolved", "resolution date"),
                "points": first(cols, *POINTS),
                "labels": cols.get("labels", []),
                "sprint": cols.get("sprint", []),
                "components": cols.get("component/s", []),
                "comments": comments,
                "url": url,
                "epic": first(cols, "custom field (epic link)", "parent summary", "parent"),
            },
        )


def _json_issues(path: Path, text: str, skips: Skips) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = load_json(text, path, skips)  # nesting over 100 deep: named, never a crash
    except json.JSONDecodeError as exc:
        skips.add(f"{path}:{exc.lineno}", f"broken JSON: {exc.msg}")
        return
    issues = data.get("issues") if isinstance(data, dict) else data
    if not isinstance(issues, list):
        skips.add(str(path), 'not a Jira search result (expected an "issues" array)')
        return
    names = (
        {k: str(v).lower() for k, v in data["names"].items()}
        if isinstance(data, dict) and isinstance(data.get("names"), dict)
        else {}
    )
    point_fields = [k for k, v in names.items() if v in POINTS] + list(POINT_FIELDS)
    for n, issue in enumerate(issues, 1):
        where = f"{path}#record {n}"
        if not isinstance(issue, dict) or not isinstance(issue.get("fields"), dict):
            skips.add(where, 'not a Jira issue (no "fields" object)')
            continue
        if has_bad_bytes(issue):
            skips.add(where, NOT_UTF8)
            continue
        yield where, _from_fields(issue, point_fields)


def _from_fields(issue: dict[str, Any], point_fields: list[str]) -> dict[str, Any]:
    f = issue["fields"]
    self_url = str(issue.get("self") or "")
    key = str(issue.get("key") or "")
    base = self_url.split("/rest/api/")[0] if "/rest/api/" in self_url else ""
    comments = (f.get("comment") or {}).get("comments") or [] if isinstance(f.get("comment"), dict) else []
    sprints = f.get("customfield_10020") or f.get("sprint") or []
    return {
        "key": key,
        "summary": f.get("summary") or "",
        "description": adf_text(f.get("description")),
        "type": _name(f.get("issuetype")),
        "priority": _name(f.get("priority")),
        "status": _name(f.get("status")),
        "resolution": _name(f.get("resolution")),
        "assignee": _person(f.get("assignee")),
        "reporter": _person(f.get("reporter")),
        "assignee_ids": person_ids(f.get("assignee")),
        "reporter_ids": person_ids(f.get("reporter")),
        "created": f.get("created"),
        "updated": f.get("updated"),
        "resolved": f.get("resolutiondate"),
        "points": next((f[k] for k in point_fields if f.get(k) is not None), ""),
        "labels": [str(x) for x in f.get("labels") or []],
        "sprint": [_name(s) for s in _listify(sprints)],
        "components": [_name(c) for c in f.get("components") or []],
        "comments": [adf_text(c.get("body")) for c in comments if isinstance(c, dict)],
        "url": f"{base}/browse/{key}" if base and key else "",
        "epic": _name(f.get("parent")),
    }


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _name(value: Any) -> str:
    if isinstance(value, dict):
        fields = value["fields"] if isinstance(value.get("fields"), dict) else {}
        return str(value.get("name") or value.get("value") or fields.get("summary") or value.get("key") or "")
    legacy = re.search(r"\bname=([^,\]]+)", str(value or ""))  # "...sprint.Sprint@1f[id=3,name=Sprint 5,...]"
    return legacy.group(1) if legacy else str(value or "")


def _person(value: Any) -> str:
    if isinstance(value, dict):
        name, email = value.get("displayName") or value.get("name") or "", value.get("emailAddress") or ""
        return f"{name} <{email}>" if email else str(name)
    return str(value or "")


def person_ids(value: Any) -> list[str]:
    """Everything a Jira user object can be matched by: display name, email, accountId, DC name and key."""
    if not isinstance(value, dict):
        return [str(value)] if value else []
    return [
        str(value[k]) for k in ("displayName", "emailAddress", "accountId", "name", "key") if value.get(k)
    ]


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format tree (or a plain string), one line per block."""
    if node is None or isinstance(node, str):
        return node or ""
    if isinstance(node, list):
        return "".join(adf_text(child) for child in node)
    if not isinstance(node, dict):
        return str(node)
    if node.get("type") == "text":
        return str(node.get("text") or "")
    if node.get("type") == "hardBreak":
        return "\n"
    if node.get("type") in ("mention", "emoji", "inlineCard"):
        attrs = node.get("attrs") or {}
        return str(attrs.get("text") or attrs.get("shortName") or attrs.get("url") or "")
    inner = adf_text(node.get("content") or [])
    block = node.get("type") in ("paragraph", "heading", "listItem", "codeBlock", "blockquote", "rule")
    return (inner.rstrip("\n") + "\n") if block else inner


def _evidence(issue: dict[str, Any], options: SourceOptions) -> Evidence:
    key = str(issue["key"]).strip()
    if not key:
        raise ValueError("no issue key")
    created, updated = iso_date(issue["created"]), iso_date(issue["updated"])
    resolved = iso_date(issue["resolved"])
    date = resolved or updated or created
    if not date:
        raise ValueError(f"{key}: no Created, Updated or Resolved date")
    assignee, reporter = issue["assignee"], issue["reporter"]
    role: Role = (
        "assignee"
        if _is_me(issue.get("assignee_ids") or [assignee], options)
        else "reporter"
        if _is_me(issue.get("reporter_ids") or [reporter], options)
        else "mentioned"
    )
    stats: dict[str, float] = {"comments": len(issue["comments"])}
    points = _number(issue["points"])
    if points is not None:
        stats["story_points"] = points
    cycle = span(created, resolved, 86400)
    if cycle is not None:
        stats["cycle_time_days"] = cycle
    body = str(issue["description"] or "").strip()
    if issue["comments"]:
        body += "\n\nComments:\n" + "\n".join(f"- {c.strip()}" for c in issue["comments"] if c.strip())
    native = {
        "key": key,
        "type": issue["type"],
        "priority": issue["priority"],
        "status": issue["status"],
        "resolution": issue["resolution"],
        "labels": ", ".join(issue["labels"]),
        "sprint": ", ".join(issue["sprint"]),
        "components": ", ".join(issue["components"]),
        "epic": issue["epic"],
        "created": created,  # opened and resolved, for how long it took ("how long did INC-247 take?")
        "resolved": resolved,
    }
    kind = "incident" if issue["type"].strip().lower().endswith("incident") else "ticket"
    return Evidence(
        id=f"jira:{key}",
        source="jira",
        kind=kind,
        title=str(issue["summary"]).strip() or key,
        date=date,
        body=body.strip(),
        author=_display(assignee or reporter),
        url=issue["url"],
        role=role,
        native={k: v for k, v in native.items() if v},
        stats=stats,
        extra={k: v for k, v in (("assignee", _display(assignee)), ("reporter", _display(reporter))) if v},
    )


def _is_me(ids: list[str], options: SourceOptions) -> bool:
    ids = [i for i in ids if i]
    return bool(ids) and not any(is_bot(i) for i in ids) and any(options.is_user(i, "jira") for i in ids)


def _display(person: str) -> str:
    return re.sub(r"\s*<[^>]*>$", "", person or "")


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).strip()) if str(value).strip() else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else number
