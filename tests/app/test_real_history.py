"""Drafts over a real, terse commit history (../shared): every criterion reported, every number grounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.drafting import draft
from app.fakes import InMemoryIndex
from app.ladder import load_ladder
from app.lint import hedges
from ingest.evidence import Evidence

SHARED = Path(__file__).parents[2].parent / "shared"
HISTORY = SHARED / "data" / "history" / "rubocop_dvandersluis_2021.evidence.jsonl"


@pytest.fixture(scope="module")
def index(minilm) -> InMemoryIndex:  # type: ignore[no-untyped-def]
    if not HISTORY.is_file():
        pytest.skip("../shared is not present")
    lines = HISTORY.read_text(encoding="utf-8").splitlines()
    return InMemoryIndex(
        [Evidence.from_dict(json.loads(line)) for line in lines if line.strip()], embedder=minilm
    )


@pytest.mark.parametrize(
    ("ladder", "level"), [("dropbox_swe.yaml", "IC3"), ("engineeringladders.yaml", "D3")]
)
def test_drafting_a_real_ladder_level_over_real_commits(
    index: InMemoryIndex, ladder: str, level: str
) -> None:
    loaded = load_ladder(SHARED / "data" / "ladders" / ladder)

    result = draft(index, loaded, level)

    assert [c.criterion.id for c in result.criteria] == [c.id for c in loaded.for_level(level)]
    bullets = [(c, b) for c in result.criteria for b in c.bullets]
    assert bullets
    for criterion, bullet in bullets:
        retrieved = {h.evidence.id for h in criterion.retrieved}
        assert bullet.evidence
        assert {e for e in bullet.evidence if not e.startswith("metric:")} <= retrieved
        assert all(n.grounded for n in bullet.numbers), (bullet.text, bullet.numbers)
        assert bullet.role_ok, bullet.text
        assert not hedges(bullet.text), bullet.text
        assert not bullet.flags, (bullet.text, bullet.flags)
    assert all(c.question for c in result.criteria if c.status != "covered")
    assert result.available == 192
    assert 0 < result.cited <= 192
