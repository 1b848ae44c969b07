"""The Evidence model: one record per unit of work, its content hash and its flat Chroma metadata."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeGuard, get_args

SOURCES = ("git", "github", "jira", "linear", "notes", "email", "jsonl")
# The user's part in an item: a closed set, so a misspelt comparison (`role == "reveiwer"`) is a type error.
Role = Literal[
    "author", "reviewer", "assignee", "reporter", "merger", "co-author", "mentioned", "owner", "recipient"
]
ROLES: tuple[Role, ...] = get_args(Role)
# Roles in which the user did the work themselves (built, shipped, led); the rest are review or mentions.
OWNING_ROLES: frozenset[Role] = frozenset({"author", "assignee", "owner", "co-author"})

_FIELDS = ("id", "source", "kind", "title", "body", "author", "date", "url", "role", "native", "stats")

# A record's title and body together; more is a named skip. English text makes ~1.2 chunks per 1,000
# characters (a 50 MB record made 60,519 chunks: 13 s of chunking, then half an hour or more of embedding on
# 2 cores, where 223 full chunks took 70 s on a busy machine and short ones go at ~95/s idle,
# evals/results/ingest.md). A record at the limit (~600 chunks) ingests in seconds to a minute. Exports stay
# far below it: a GitHub body holds at most 65,536 characters, a Jira description 32,767.
MAX_RECORD_CHARS = 500_000
WEB_URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)


@dataclass
class Evidence:
    id: str
    source: str
    kind: str
    title: str
    date: str
    body: str = ""
    author: str = ""
    url: str = ""
    role: Role = "author"
    native: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Checks every record passes, from any source: its size, a readable date from 1970 to 2100, finite
        numbers (each a ValueError, which connectors report as a named skip); a link that is not http(s) is
        dropped, never stored."""
        size = len(self.title) + len(self.body)
        if size > MAX_RECORD_CHARS:
            raise ValueError(
                f"record too large: {size:,} characters of text (the limit is {MAX_RECORD_CHARS:,})"
            )
        if not 1970 <= parse_iso(self.date).year <= 2100:  # an unreadable date raises ValueError here too
            raise ValueError(f"date out of range: {self.date!r}")
        for key, value in self.stats.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{key.replace('_', ' ')} is not a finite number: {value!r}")
        self.url = web_url(self.url)

    @property
    def when(self) -> datetime:
        return parse_iso(self.date)

    @property
    def epoch(self) -> int:
        return int(self.when.timestamp())

    def content_hash(self) -> str:
        """Hash of everything that affects what is stored: a change here means re-chunk and re-embed."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        extra = record.pop("extra")
        return {**extra, **record}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Evidence:
        """Build from a parsed JSON object; unknown keys are kept in `extra`. Raises ValueError if invalid."""
        if not isinstance(record, dict):
            raise ValueError("record is not a JSON object")
        missing = [name for name in ("id", "source", "kind", "title", "date") if not record.get(name)]
        if missing:
            raise ValueError(f"missing required field(s): {', '.join(missing)}")
        date = normalize_date(str(record["date"]))
        native = record.get("native") or {}
        stats = record.get("stats") or {}
        if not isinstance(native, dict) or not isinstance(stats, dict):
            raise ValueError("'native' and 'stats' must be objects")
        clean_stats: dict[str, float] = {}
        for key, value in stats.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"stats.{key} is not a number: {value!r}")
            clean_stats[key] = value
        return cls(
            id=str(record["id"]),
            source=str(record["source"]),
            kind=str(record["kind"]),
            title=str(record["title"]).strip(),
            date=date,
            body=str(record.get("body") or ""),
            author=str(record.get("author") or ""),
            url=str(record.get("url") or ""),
            role=_role(record.get("role") or "author"),
            native=native,
            stats=clean_stats,
            extra={k: v for k, v in record.items() if k not in _FIELDS},
        )

    def metadata(self) -> dict[str, str | int | float | bool]:
        """Flat scalar metadata for Chroma: dates also as epoch seconds, stats as `stat_<name>`."""
        flat: dict[str, str | int | float | bool] = {
            "evidence_id": self.id,
            "source": self.source,
            "kind": self.kind,
            "title": self.title[:500],
            "date": self.date,
            "epoch": self.epoch,
            "author": self.author,
            "url": self.url,
            "role": self.role,
        }
        for key, value in self.native.items():
            if isinstance(value, str | int | float | bool):
                flat[f"native_{key}"] = value
        for key, value in self.stats.items():
            flat[f"stat_{key}"] = value
        return flat


def is_role(value: object) -> TypeGuard[Role]:
    return value in ROLES


def _role(value: object) -> Role:
    if not is_role(value):
        raise ValueError(f"role {value!r} is not one of: {', '.join(ROLES)}")
    return value


@dataclass(frozen=True)
class Period:
    """The dates a command, a draft or a question covers; either end may be open. `until` is inclusive."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def parse(cls, since: str | None = None, until: str | None = None) -> Period:
        """From date texts ('2026-03-14', or any date normalize_date reads); a bare end date covers its whole day.
        Raises ValueError naming the text that cannot be read."""
        return cls(_day(since), _day(until, end=True))

    def contains(self, when: datetime) -> bool:
        return (self.since is None or when >= self.since) and (self.until is None or when <= self.until)

    def epochs(self) -> tuple[int | None, int | None]:
        return (
            int(self.since.timestamp()) if self.since else None,
            int(self.until.timestamp()) if self.until else None,
        )

    def to_json(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Period:
        return cls(*(parse_iso(str(record[k])) if record.get(k) else None for k in ("since", "until")))


def _day(value: str | None, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        when = parse_iso(normalize_date(value))
    except ValueError as exc:
        raise ValueError(f"cannot read the date {value!r}: use YYYY-MM-DD") from exc
    if end and len(value.strip()) <= 10:
        when = when.replace(hour=23, minute=59, second=59)
    return when


def web_url(value: str) -> str:
    """`value` when it is an http(s) link; "" for anything else (javascript:, file:, data:, mailto:, ...)."""
    text = str(value or "").strip()
    return text if WEB_URL.match(text) and not any(ord(c) < 32 for c in text) else ""


def parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def normalize_date(value: str) -> str:
    """Any reasonable date text -> ISO 8601 with offset (UTC when none is given). Raises ValueError."""
    from dateutil import parser as dateparser

    text = value.strip()
    if not text:
        raise ValueError("empty date")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:  # a date without a day is the 1st, without a month January: never today's day or month
            parsed = dateparser.parse(text, default=datetime(datetime.now(UTC).year, 1, 1))
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"unreadable date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not 1970 <= parsed.year <= 2100:
        raise ValueError(f"date out of range: {value!r}")
    return parsed.isoformat()
