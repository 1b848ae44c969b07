"""Corpora and queries for the ingest benchmark: Evidence JSONL files, a ~10k-chunk scale-up, recall@k."""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "ingest" / "sample"
SAMPLE_QUERIES = REPO / "evals" / "data" / "sample_queries.yaml"
RUBOCOP = REPO.parent / "shared" / "data" / "history" / "rubocop_dvandersluis_2021.evidence.jsonl"
RUBOCOP_QUERIES = REPO / "evals" / "data" / "rubocop_queries.yaml"


@dataclass
class Query:
    text: str
    expected: dict[str, set[str]]  # expected title -> the evidence ids that carry it
    unmatched: list[str] = field(default_factory=list)
    since: str | None = None  # optional filters a query carries (YYYY-MM-DD, source names)
    until: str | None = None
    sources: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"text": self.text, "since": self.since, "until": self.until, "sources": self.sources}


@dataclass
class Corpus:
    name: str
    path: Path  # Evidence JSONL, one record per line
    queries: list[Query]
    origin: str  # how the file was made, for the report

    def records(self) -> list[dict]:
        return read_records(self.path)


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_records(records: list[dict], dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return dest


def sample_available() -> bool:
    return (SAMPLE_DIR / "workspace.yaml").is_file() and SAMPLE_QUERIES.is_file()


def flatten_sample(dest: Path) -> Path:
    """The bundled sample workspace through its connectors (as app.services.ingest_sample reads it)."""
    from app.services import sample_sources
    from ingest.sources import Skips, connector

    records: dict[str, dict] = {}
    skips = Skips()
    with tempfile.TemporaryDirectory(prefix="bench-sample-") as tmp:
        options, sources = sample_sources(Path(tmp))
        for kind, path in sources:
            for evidence in connector(kind)([path], options, skips):
                records[evidence.id] = evidence.to_dict()
    if skips.items:
        print(f"note: the sample connectors skipped {len(skips.items)} record(s), e.g. {skips.items[0]}")
    return write_records(list(records.values()), dest)


def _normal(title: str) -> str:
    return " ".join(title.split()).casefold()


def load_queries(path: Path, records: list[dict]) -> list[Query]:
    """Queries `{query, expected_titles}`; each title maps to every evidence id with that exact title."""
    by_title: dict[str, set[str]] = {}
    for record in records:
        by_title.setdefault(_normal(record["title"]), set()).add(record["id"])
    queries = []
    for entry in yaml.safe_load(path.read_text()) or []:
        expected, unmatched = {}, []
        for title in entry.get("expected_titles") or []:
            ids = by_title.get(_normal(title))
            if ids is None:  # a truncated title still names one item when its prefix is unique
                prefix = [i for t, i in by_title.items() if t.startswith(_normal(title))]
                ids = prefix[0] if len(prefix) == 1 else None
            if ids:
                expected[title] = ids
            else:
                unmatched.append(title)
        if expected:
            sources = entry.get("sources") or entry.get("source") or []
            queries.append(
                Query(
                    entry["query"],
                    expected,
                    unmatched,
                    entry.get("since"),
                    entry.get("until"),
                    [sources] if isinstance(sources, str) else list(sources),
                )
            )
    return queries


def recall_at_k(query: Query, ranked_ids: list[str], k: int = 10) -> float:
    """Share of the expected titles with at least one of their items among the first k distinct ids."""
    top = set(ranked_ids[:k])
    return sum(1 for ids in query.expected.values() if ids & top) / len(query.expected)


def selfreview_chunk_count(records: list[dict]) -> int:
    from ingest.chunking import chunk
    from ingest.evidence import Evidence

    return sum(len(chunk(Evidence.from_dict(r))) for r in records)


_WORD = re.compile(r"[A-Za-z]{4,}")


def _vary(text: str, rng: random.Random) -> str:
    """Drop one word of four letters or more: the replica reads the same but embeds a little differently."""
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    return (text[: match.start()] + text[match.end() :]).replace("  ", " ")


def scale_up(records: list[dict], target_chunks: int, dest: Path, seed: int = 7) -> tuple[Path, int]:
    """Replicate items with new ids, a shifted date and lightly varied text until ~target_chunks chunks."""
    base_chunks = selfreview_chunk_count(records)
    copies = max(1, math.ceil(target_chunks / max(base_chunks, 1)))
    rng = random.Random(seed)
    out = list(records)
    for n in range(1, copies):
        for record in records:
            replica = json.loads(json.dumps(record))
            replica["id"] = f"{record['id']}~r{n}"
            replica["title"] = _vary(record["title"], rng)
            replica["body"] = _vary(record.get("body") or "", rng)
            when = datetime.fromisoformat(record["date"]) - timedelta(days=(n * 7) % 365)
            replica["date"] = when.isoformat()
            out.append(replica)
    return write_records(out, dest), base_chunks * copies


def date_window(records: list[dict]) -> tuple[str, str, list[str]]:
    """The filter used for filtered search: middle half of the dates, and the one or two largest sources."""
    days = sorted(r["date"][:10] for r in records)
    since, until = days[len(days) // 4], days[(3 * len(days)) // 4]
    counts: dict[str, int] = {}
    for r in records:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    sources = sorted(counts, key=lambda s: -counts[s])[:2]
    return since, until, sources
