"""The Linear connector: Linear's CSV export (one issue per row) -> ticket Evidence.

Linear leaves out a row's last field when it is empty: such a row is read with that column empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.evidence import Evidence, Role
from ingest.people import is_bot
from ingest.sources import Skips, SourceOptions, csv_rows, expand, first, iso_date, read_text_lenient, span


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in expand(paths, (".csv",)):
        text = read_text_lenient(path, skips, line_records=True)
        if text is None:
            continue
        for line, columns in csv_rows(path, text, skips, short_ok=True):
            try:
                evidence = _evidence(columns, options)
            except ValueError as exc:
                skips.add(f"{path}:{line}", str(exc))
                continue
            if options.in_period(evidence.when):
                yield evidence


def _evidence(cols: dict[str, list[str]], options: SourceOptions) -> Evidence:
    key = first(cols, "id", "identifier")
    if not key:
        raise ValueError("no issue ID")
    created = iso_date(first(cols, "created"))
    done = iso_date(first(cols, "completed")) or iso_date(first(cols, "canceled"))
    date = done or iso_date(first(cols, "updated")) or created
    if not date:
        raise ValueError(f"{key}: no Created, Updated or Completed date")
    assignee, creator = first(cols, "assignee"), first(cols, "creator")
    role: Role = (
        "assignee" if _is_me(assignee, options) else "reporter" if _is_me(creator, options) else "mentioned"
    )
    stats: dict[str, float] = {}
    estimate = first(cols, "estimate")
    if estimate:
        try:
            points = float(estimate)
        except ValueError as exc:
            raise ValueError(f"{key}: estimate is not a number: {estimate!r}") from exc
        stats["story_points"] = int(points) if points.is_integer() else points
    cycle = span(created, iso_date(first(cols, "completed")), 86400)
    if cycle is not None:
        stats["cycle_time_days"] = cycle
    native = {
        "key": key,
        "status": first(cols, "status"),
        "priority": first(cols, "priority"),
        "project": first(cols, "project"),
        "labels": ", ".join(cols.get("labels", [])),
        "cycle": first(cols, "cycle number", "cycle name"),
        "team": first(cols, "team"),
        "created": created,  # opened and completed, for how long it took
        "resolved": iso_date(first(cols, "completed")),
    }
    url = next((v[0] for name, v in cols.items() if v and "url" in name), "")
    return Evidence(
        id=f"linear:{key}",
        source="linear",
        kind="ticket",
        title=first(cols, "title") or key,
        date=date,
        body=first(cols, "description"),
        author=assignee or creator,
        url=url,
        role=role,
        native={k: v for k, v in native.items() if v},
        stats=stats,
        extra={k: v for k, v in (("assignee", assignee), ("creator", creator)) if v},
    )


def _is_me(person: str, options: SourceOptions) -> bool:
    return bool(person) and not is_bot(person) and options.is_user(person, "linear")
