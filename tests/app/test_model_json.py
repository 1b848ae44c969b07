"""A saved draft comes back as typed objects: Draft.from_json(to_json) is the same draft, exports the same text,
and a damaged record is named, not half-read."""

from __future__ import annotations

import json

import pytest

from app import usecases
from app.fakes import InMemoryIndex
from app.model import Answer, Bullet, Draft, RewriteResult
from tests.app.test_drafting import LADDER
from tests.app.test_drafting import workspace as drafting_evidence


@pytest.fixture(scope="module")
def drafted(minilm) -> tuple[Draft, InMemoryIndex]:  # type: ignore[no-untyped-def]
    index = InMemoryIndex(drafting_evidence(), embedder=minilm)
    return usecases.draft(index, LADDER, "L3"), index


def test_a_saved_draft_is_rebuilt_as_the_same_typed_draft(drafted: tuple[Draft, InMemoryIndex]) -> None:
    result, index = drafted
    saved = json.loads(json.dumps(result.to_json()))  # as it is on disk

    rebuilt = Draft.from_json(saved, {e.id: e for e in index.all_evidence()})

    assert rebuilt.to_json() == result.to_json()
    assert all(isinstance(b, Bullet) for c in rebuilt.criteria for b in c.bullets)
    assert [c.criterion.level for c in rebuilt.criteria] == ["L3"] * len(result.criteria)
    assert [h.evidence for h in rebuilt.criteria[0].retrieved] == [
        h.evidence for h in result.criteria[0].retrieved
    ]


def test_a_rebuilt_draft_exports_the_same_text_and_holds_back_the_same_bullets(
    drafted: tuple[Draft, InMemoryIndex],
) -> None:
    result, _ = drafted
    rebuilt = Draft.from_json(json.loads(json.dumps(result.to_json())))

    assert usecases.export(rebuilt, markdown=True) == usecases.export(result, markdown=True)
    assert rebuilt.to_json()["criteria"][0]["retrieved"] == result.to_json()["criteria"][0]["retrieved"]


def test_a_flagged_bullet_stays_flagged_after_a_round_trip() -> None:
    raw = {
        "text": "Cut latency 90%",
        "evidence": ["jira:PAY-1"],
        "numbers": [{"text": "90%", "grounded": False, "evidence": None}],
        "lint": [{"rule": "hedge", "span": [0, 3], "text": "Cut", "suggestion": "x"}],
        "flags": ["unbacked number: 90%"],
        "role_ok": False,
    }

    bullet = Bullet.from_json(raw)

    assert bullet.numbers[0].grounded is False
    assert bullet.lint[0].span == (0, 3)
    assert bullet.to_json() == raw


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"level": "L3", "criteria": []}, "the field 'ladder' is missing"),
        (
            {"ladder": "x", "level": "L3", "criteria": [{"id": "a", "status": "great"}]},
            "status 'great' is not one of",
        ),
        ({"ladder": "x", "level": "L3", "mode": "gpt"}, "mode 'gpt' is not one of"),
        (
            {"ladder": "x", "level": "L3", "metrics": [{"name": "prs", "value": "many"}]},
            "value 'many' is not a number",
        ),
    ],
)
def test_a_damaged_saved_draft_is_refused_with_what_is_wrong(record: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Draft.from_json(record)


def test_answers_and_rewrites_read_back_what_they_wrote() -> None:
    answer = Answer("You led 2 incidents.", [{"id": "jira:OPS-7"}], "offline", "2026-01-01", None)
    rewrite = RewriteResult("Migrated X", True, [{"from": "helped migrate", "to": "migrated"}], mode="llm")

    assert Answer.from_json(answer.to_json()) == answer
    assert RewriteResult.from_json(rewrite.to_json()) == rewrite
