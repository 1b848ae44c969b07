"""What kind of export a file is, read from its content: the upload's kind is checked before anything is ingested,
and a file of the wrong kind is refused with the columns or fields that were found."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

LABELS = {
    "github": "a GitHub export",
    "jira": "a Jira export",
    "linear": "a Linear export",
    "notes": "notes",
    "email": "e-mail",
    "jsonl": "Evidence records (JSON lines)",
}
NEEDS = {
    "jira": "a Jira CSV needs the columns 'Issue key' and 'Summary'",
    "linear": "a Linear CSV needs the columns 'ID' and 'Title' (and Team, Status or Estimate)",
    "github": "GitHub JSON is a list of objects with 'number' and 'title' (gh pr list --json ...)",
    "jsonl": "each line is one JSON object with id, source, kind, title and date",
    "notes": "Markdown or text",
    "email": ".eml messages or an .mbox mailbox",
}
HEAD_BYTES = 256 * 1024


@dataclass
class Detected:
    kind: str | None  # None: not any kind selfreview reads
    found: str  # what was seen, in words: "columns ID, Title, Team" / "a JSON list of objects with number, title"


def detect(path: Path) -> Detected:
    """The kind of export `path` holds, judged from its first 256 KB."""
    suffix = path.suffix.lower()
    if suffix in (".eml", ".mbox"):
        return Detected("email", f"a {suffix} file")
    if suffix in (".md", ".markdown", ".txt"):
        return Detected("notes", f"a {suffix} text file")
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    text = head.lstrip()
    if suffix == ".xml" or text.startswith("<"):
        return Detected("jira" if "<rss" in text[:2000] or "<item>" in text else None, "an XML file")
    if text[:1] in "{[":
        return _json_kind(text, suffix)
    return _csv_kind(head)


def _json_kind(text: str, suffix: str) -> Detected:
    first_line = text.splitlines()[0] if text else ""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        try:  # JSON lines: judge the first record
            value = [json.loads(first_line)]
        except json.JSONDecodeError:
            return Detected(None, "text that is not valid JSON")
    if isinstance(value, dict) and isinstance(value.get("issues"), list):
        return Detected("jira", "a JSON object with 'issues'")
    records = value if isinstance(value, list) else [value]
    sample = next((r for r in records if isinstance(r, dict)), None)
    if sample is None:
        return Detected(None, "JSON without any object in it")
    if isinstance(sample.get("items"), list) or isinstance(
        sample.get("data"), dict
    ):  # gh api / graphql pages
        return Detected("github", "a GitHub API response")
    fields = list(sample)
    shown = ", ".join(fields[:8]) + (", …" if len(fields) > 8 else "")
    if {"id", "source", "title"} <= set(fields):
        return Detected("jsonl", f"records with the fields {shown}")
    if "number" in fields and ("title" in fields or "body" in fields):
        return Detected("github", f"objects with the fields {shown}")
    if "key" in fields and "fields" in fields:
        return Detected("jira", f"objects with the fields {shown}")
    return Detected(None, f"JSON objects with the fields {shown}")


def _csv_kind(head: str) -> Detected:
    try:
        header = next(csv.reader(io.StringIO(head.splitlines()[0] if head else "")))
    except (StopIteration, csv.Error):
        return Detected(None, "an empty file")
    columns = [c.strip() for c in header if c.strip()]
    names = {c.lower() for c in columns}
    shown = "columns " + ", ".join(columns[:10]) + (", …" if len(columns) > 10 else "")
    if not columns:
        return Detected(None, "an empty first line")
    if "issue key" in names or {"summary", "issue type"} <= names:
        return Detected("jira", shown)
    if ({"id", "title"} <= names or "identifier" in names) and names & {
        "team",
        "status",
        "estimate",
        "cycle name",
        "cycle number",
        "project",
    }:
        return Detected("linear", shown)
    return Detected(None, shown)


def refusal(name: str, chosen: str, detected: Detected) -> str | None:
    """Why `name` cannot be ingested as `chosen` (None when it can): what was found and what the kind needs."""
    if detected.kind == chosen:
        return None
    if chosen in ("notes", "email") and detected.kind is None:
        return None  # any text reads as notes; the e-mail reader names what it cannot parse
    if detected.kind is not None:
        return (
            f"{name} looks like {LABELS[detected.kind]} ({detected.found}), not {LABELS.get(chosen, chosen)}: "
            f"{NEEDS.get(chosen, '')}. Nothing was ingested; choose “{detected.kind}” or “Detect from the "
            "file”."
        )
    return (
        f"{name} is not {LABELS.get(chosen, chosen)}: found {detected.found}; {NEEDS.get(chosen, '')}. "
        "Nothing was ingested."
    )
