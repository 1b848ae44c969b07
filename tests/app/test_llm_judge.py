"""The LLM judging step: the model keeps the candidates a manager would accept, may reject all, and is asked once."""

from __future__ import annotations

import json
from pathlib import Path

from app import llm_drafter
from app.drafting import draft
from app.fakes import InMemoryIndex
from app.llm import FakeChatModel
from app.model import Criterion, Ladder, Level
from ingest.evidence import Evidence


def item(ident: str, title: str, role: str = "author", **fields: object) -> Evidence:
    return Evidence(
        id=ident,
        source=ident.split(":")[0],
        kind=str(fields.pop("kind", "pr")),
        title=title,
        role=role,
        date="2026-03-02T10:00:00+00:00",
        author="Maya Chen",
        **fields,
    )  # type: ignore[arg-type]


EVIDENCE = [
    item(
        "github:acme/pay#1", "Cache refund lookups in Redis", native={"repo": "acme/pay", "state": "merged"}
    ),
    item(
        "github:acme/pay#2",
        "Add retry budget to the refund worker",
        native={"repo": "acme/pay", "state": "merged"},
    ),
    item("github:acme/pay#3", "Document the refund runbook", native={"repo": "acme/pay", "state": "merged"}),
]
LADDER = Ladder(
    "L",
    [Level("L3", "Engineer")],
    [
        Criterion("delivery", "Delivery", "L3", "I deliver refund features to production"),
        Criterion("hiring", "Hiring", "L3", "I interview candidates for the team"),
    ],
)


def judge_reply(request_text: str, accept_titles: dict[str, list[str]]) -> str:
    """A model's reply: accept, per criterion, the units whose titles are given (numbers read from the request)."""
    numbers = {}
    for block in request_text.split('<unit n="')[1:]:
        n, rest = block.split('">', 1)
        numbers[rest.split("title: ", 1)[1].split("\n", 1)[0]] = int(n)
    return json.dumps(
        {
            "criteria": [
                {
                    "id": cid,
                    "accept": [
                        {"unit": numbers[t], "why": "ships refund work"} for t in titles if t in numbers
                    ],
                }
                for cid, titles in accept_titles.items()
            ]
        }
    )


class Judge(FakeChatModel):
    """Answers judging requests by title; bullets come from the offline drafter (the drafter is stubbed)."""

    def __init__(self, accept: dict[str, list[str]]) -> None:
        super().__init__()
        self.accept = accept

    def complete(self, messages, schema=None):  # type: ignore[no-untyped-def]
        self.calls.append({"messages": messages, "schema": schema, "stream": False})
        return judge_reply(messages[-1]["content"], self.accept)


def test_only_the_units_the_model_accepts_are_cited_and_it_may_reject_all(
    minilm, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(llm_drafter, "draft_bullets", lambda *args: None)  # offline wording, judged units
    chat = Judge({"delivery": ["Cache refund lookups in Redis"], "hiring": []})

    result = draft(InMemoryIndex(EVIDENCE, embedder=minilm), LADDER, "L3", chat=chat)

    delivery, hiring = result.criteria
    assert [e for b in delivery.bullets for e in b.evidence if not e.startswith("metric:")] == [
        "github:acme/pay#1"
    ]
    assert delivery.status == "thin"
    assert delivery.reasons[0]["judged"] == "ships refund work"
    assert hiring.bullets == []
    assert hiring.status == "missing"
    request = chat.calls[0]["messages"][-1]["content"]
    assert "I deliver refund features to production" in request
    assert (
        "I interview candidates for the team" in request
    )  # the model saw its candidates and rejected them all
    assert "untrusted DATA" in chat.calls[0]["messages"][0]["content"]


def test_the_model_decides_where_meaning_alone_abstains(minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(llm_drafter, "draft_bullets", lambda *args: None)
    ladder = Ladder(
        "L",
        [Level("L3", "Engineer")],
        [
            Criterion(
                "audience", "Communication", "L3", "I tailor my message to my audience, clearly and concisely"
            )
        ],
    )
    index = InMemoryIndex(EVIDENCE, embedder=minilm)
    assert draft(index, ladder, "L3").criteria[0].bullets == []  # meaning alone finds too little

    chat = Judge({"audience": ["Document the refund runbook"]})
    (audience,) = draft(index, ladder, "L3", chat=chat).criteria

    assert [e for b in audience.bullets for e in b.evidence] == ["github:acme/pay#3"]
    assert audience.reasons[0]["judged"] == "ships refund work"


def test_verdicts_are_cached_so_an_unchanged_draft_asks_nothing(minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app import llm_judge
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    work = understand(EVIDENCE, VectorCache(minilm.embed, minilm.name, None))
    chosen = profiles(LADDER.criteria[:1], work)
    candidates = [(chosen[0], match_all(chosen, work)[0])]
    chat = Judge({"delivery": []})  # rejects every candidate
    cache = llm_judge.VerdictCache(None)

    first = llm_judge.judge(chat, candidates, cache)
    second = llm_judge.judge(chat, candidates, cache)

    assert first == second == [[]]
    assert len(chat.calls) == 1


def test_a_model_that_cannot_answer_leaves_the_meaning_shortlist(minilm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(llm_drafter, "draft_bullets", lambda *args: None)
    chat = FakeChatModel(default="not json at all")

    result = draft(InMemoryIndex(EVIDENCE, embedder=minilm), LADDER, "L3", chat=chat)

    assert "LLM judging unusable; units chosen by meaning alone" in result.notes
    assert result.criteria[0].bullets


def test_requests_keep_their_evidence_within_budget_however_many_candidates(minilm) -> None:  # type: ignore[no-untyped-def]
    from app import budget, llm_judge
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    words = [
        "retries",
        "backoff",
        "idempotency",
        "ledger",
        "refunds",
        "settlement",
        "webhook",
        "latency",
        "cache",
    ]
    long_body = " ".join(words[i % len(words)] for i in range(900))  # far more than a judge reads of it
    history = [
        item(f"github:acme/pay#{n}", f"Refund change {n}", body=long_body, native={"repo": "acme/pay"})
        for n in range(1, 31)
    ]
    criteria = [Criterion(f"c{n}", "Delivery", "L3", f"I deliver refund work, part {n}") for n in range(6)]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    chosen = profiles(criteria, work)
    candidates = list(
        zip(chosen, [found[:12] for found in match_all(chosen, work, abstain=False)], strict=True)
    )
    chat = Judge({})

    assert llm_judge.judge(chat, candidates, llm_judge.VerdictCache(None)) == [[] for _ in criteria]

    asked = [call["messages"][-1]["content"] for call in chat.calls]
    assert len(asked) > 1  # 30 long units would not fit one request
    for request in asked:
        units = request.split("Units:", 1)[1]
        assert budget.count_tokens(units) <= budget.EVIDENCE_BUDGET + 100
    judged = {
        line.split(":", 1)[0] for request in asked for line in request.splitlines() if line.startswith("- c")
    }
    assert judged == {f"- c{n}" for n in range(6)}  # every criterion asked once
