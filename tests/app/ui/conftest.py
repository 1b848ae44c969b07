"""UI test fixtures: a small workspace ingested with the fake embedder, and an AppTest on the real main.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.embeddings import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import Workspace
from tests.conftest import evidence_record, write_jsonl

MAIN = Path(__file__).resolve().parents[3] / "app" / "ui" / "main.py"
WORKSPACE = "ui-test"


def records() -> list[dict]:
    """Twelve items over a year: PRs with numbers in them, tickets, a review and a kudos note."""
    items = [evidence_record(n) for n in range(1, 9)]
    items += [
        evidence_record(
            20,
            id="github:acme/pay#20",
            source="github",
            kind="pr",
            role="author",
            title="Cut p95 checkout latency 38% by caching tax lookups",
            body="Checkout p95 went from 820 ms to 508 ms (38% faster) after caching tax lookups.",
            url="https://github.com/acme/pay/pull/20",
            date="2026-03-10T09:00:00+00:00",
            native={"repo": "acme/pay", "pr_number": 20},
            stats={"files": 7},
        ),
        evidence_record(
            21,
            id="github:acme/pay#21",
            source="github",
            kind="review",
            role="reviewer",
            title="Reviewed the refund retry queue design",
            body="Suggested idempotency keys for refund retries; the team adopted them.",
            url="https://github.com/acme/pay/pull/21",
            date="2026-04-02T09:00:00+00:00",
            native={"repo": "acme/pay", "pr_number": 21},
            stats={},
        ),
        evidence_record(
            22,
            id="notes:brag.md#2026-05-01",
            source="notes",
            kind="note",
            role="author",
            title="Mentored two new engineers on the payments on-call",
            body="Ran four on-call shadowing sessions. ![](https://attacker.example/x.png)",
            url="",
            date="2026-05-01T09:00:00+00:00",
            native={"path": "brag.md"},
            stats={},
        ),
        evidence_record(
            23,
            id="email:kudos-1",
            source="email",
            kind="kudos",
            role="recipient",
            title="Thanks for leading the PAY-142 incident",
            body="You led the incident review for PAY-142 and wrote the postmortem.",
            url="",
            date="2026-06-15T09:00:00+00:00",
            native={"message_id": "<k1@x>"},
            stats={},
        ),
    ]
    return items


@pytest.fixture
def ui_env(selfreview_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fake embeddings and the test workspace as the default one."""
    monkeypatch.setenv("SELFREVIEW_EMBEDDING", "fake")
    monkeypatch.setenv("SELFREVIEW_WORKSPACE", WORKSPACE)
    return selfreview_home


@pytest.fixture
def workspace(ui_env: Path, tmp_path: Path) -> Workspace:
    """A small ingested workspace (and its search snapshot) under the test's SELFREVIEW_HOME."""
    from app.search import build_snapshot

    ws = Workspace(ui_env, WORKSPACE)
    source = write_jsonl(tmp_path / "evidence.jsonl", records())
    ingest(ws, FakeEmbedder(), "jsonl", [source])
    build_snapshot(ws)
    ws.close()
    return ws


@pytest.fixture
def drafting_workspace(ui_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The same items embedded by the local model: drafts match criteria by meaning, which hashed words
    cannot do, so pages that draft are tested on real embeddings (offline, from the installed model)."""
    from app import services
    from app.settings import load

    monkeypatch.setenv("SELFREVIEW_EMBEDDING", "local")
    ws = Workspace(ui_env, WORKSPACE)
    source = write_jsonl(tmp_path / "evidence.jsonl", records())
    services.ingest_paths(load(), ws, "jsonl", [source])
    ws.close()
    return ws


@pytest.fixture
def app(ui_env: Path) -> Callable[[str], AppTest]:
    """Open the app on a page ("evidence", "draft", ...) and run it; fresh caches for every test."""
    import streamlit as st

    def open_page(page: str) -> AppTest:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(str(MAIN), default_timeout=60)
        at.run()
        if page != "evidence":
            at.switch_page(f"views/{page}.py")
            at.run()
        return at

    return open_page


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, text, code, headings), one string."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "code",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts.extend(str(element.value) for element in getattr(at, kind))
    for block in at.expander:
        parts.append(str(block.label))
    return "\n".join(parts)


def unescape(text: str) -> str:
    """Markdown backslash escapes and invisible word joiners removed: what the reader sees."""
    import re

    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


LADDER = """\
name: Test ladder
levels:
  - id: L4
    title: Senior engineer
  - id: L5
    title: Staff engineer
criteria:
  - id: perf
    area: Delivery
    level: L4
    text: Improves the latency and performance of the checkout services.
  - id: mentor
    area: People
    level: L4
    text: Mentors engineers and runs on-call shadowing sessions.
  - id: quantum
    area: Research
    level: L4
    text: Publishes research on quantum cryptography hardware.
  - id: strategy
    area: Direction
    level: L5
    text: Sets the multi-year technical strategy for the organization.
"""


@pytest.fixture
def ladder_file(ui_env: Path) -> Path:
    """A small ladder saved where the Draft page lists the user's own ladders."""
    path = ui_env / "ladders" / "test-ladder.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LADDER)
    return path


GLOSSARY = """\
values:
  - term: Customer obsession
    meaning: start from the customer
terms:
  - use: customer
    instead_of: [user, end user]
  - use: shipped
    instead_of: [pushed out]
avoid: [rockstar]
"""


@pytest.fixture
def glossary_file(ui_env: Path) -> Path:
    """A small glossary saved where the Rewrite page lists the user's own glossaries."""
    path = ui_env / "glossaries" / "test-glossary.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GLOSSARY)
    return path
