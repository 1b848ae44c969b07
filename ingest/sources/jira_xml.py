"""Jira's XML (RSS) export of a search: each <item> -> the issue fields the Jira connector reads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.sources import Skips

_POINTS = {"story points", "story point estimate"}


def issues(path: Path, text: str, skips: Skips) -> Iterator[tuple[str, dict[str, Any]]]:
    if "<!DOCTYPE" in text[:2000].upper() or "<!ENTITY" in text[:2000].upper():
        skips.add(str(path), "XML with a DOCTYPE or entities is not read (Jira's XML export has none)")
        return
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        skips.add(f"{path}:{line}", f"broken XML: {exc}")
        return
    except UnicodeEncodeError as exc:  # bytes that are no text, kept as surrogates when the file was read
        line = text.count("\n", 0, exc.start) + 1
        skips.add(f"{path}:{line}", "broken XML: bytes that are not text")
        return
    items = root.findall("./channel/item") if root.tag == "rss" else []
    if not items:
        skips.add(
            str(path),
            "not a Jira XML export (expected <rss><channel><item> issues); export the "
            "search as CSV, JSON or XML from Jira's issue navigator",
        )
        return
    for n, item in enumerate(items, 1):
        yield f"{path}#item {n}", _issue(item)


def _text(item: ET.Element, tag: str) -> str:
    node = item.find(tag)
    return (node.text or "").strip() if node is not None else ""


def _person(item: ET.Element, tag: str) -> tuple[str, list[str]]:
    node = item.find(tag)
    if node is None:
        return "", []
    name = (node.text or "").strip()
    if name.lower() == "unassigned":
        return "", []
    ids = [name, node.get("accountid") or "", node.get("username") or ""]
    return name, [i for i in ids if i]


def _html_text(html: str) -> str:
    from ingest.sources.email_source import html_text

    return html_text(html) if "<" in html else html


def _issue(item: ET.Element) -> dict[str, Any]:
    assignee, assignee_ids = _person(item, "assignee")
    reporter, reporter_ids = _person(item, "reporter")
    points = ""
    for field in item.findall("./customfields/customfield"):
        if _text(field, "customfieldname").lower() in _POINTS:
            points = _text(field, "customfieldvalues/customfieldvalue")
    title = _text(item, "summary") or re.sub(r"^\[[^\]]+\]\s*", "", _text(item, "title"))
    return {
        "key": _text(item, "key"),
        "summary": title,
        "description": _html_text(_text(item, "description")),
        "type": _text(item, "type"),
        "priority": _text(item, "priority"),
        "status": _text(item, "status"),
        "resolution": "" if _text(item, "resolution").lower() == "unresolved" else _text(item, "resolution"),
        "assignee": assignee,
        "reporter": reporter,
        "assignee_ids": assignee_ids,
        "reporter_ids": reporter_ids,
        "created": _text(item, "created"),
        "updated": _text(item, "updated"),
        "resolved": _text(item, "resolved"),
        "points": points,
        "labels": [(n.text or "").strip() for n in item.findall("./labels/label")],
        "sprint": [],
        "components": [(n.text or "").strip() for n in item.findall("component")],
        "comments": [_html_text((n.text or "").strip()) for n in item.findall("./comments/comment")],
        "url": _text(item, "link"),
        "epic": _text(item, "parent"),
    }
