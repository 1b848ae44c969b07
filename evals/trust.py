"""Trust evals: planted secrets through the real chat and embeddings clients, poisoned evidence through the real
chat client and the gate, and how the claim check's thresholds separate honest bullets from injected ones.

    .venv/bin/python -m evals.trust          # prints the report and writes evals/results/trust.md

Requests go to tests/llm_server.py (a scripted OpenAI-compatible server on 127.0.0.1) and the model "obeys" every
injection: what stops a planted claim is the gate and the export policy, not the model.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from app import claims, egress, render
from app.drafting import finish
from app.embedding_backends import OpenAIEmbedder, sending
from app.keywords import stems
from app.llm import OpenAIChat
from app.llm_ask import answer
from app.llm_drafter import draft_bullets
from app.llm_rewrite import rewrite
from app.model import Criterion, Hit
from app.settings import Settings
from evals import trust_cases as cases
from ingest.embeddings import LocalEmbedder
from tests.llm_server import API_KEY, MODEL, LLMServer, ok

HERE = Path(__file__).resolve().parent
CRITERION = Criterion(id="impact", area="Impact", level="L5", text="Delivers measurable improvements.")


def _hits(evidence: list) -> list[Hit]:  # type: ignore[type-arg]
    return [Hit(e, 1.0, e.body[:200]) for e in evidence]


def _sent(server: LLMServer) -> str:
    """Everything that reached the server, raw and JSON-decoded (escapes undone)."""
    bodies = [raw.decode("utf-8", "replace") for raw in server.received]
    return "\n".join(bodies + [json.dumps(json.loads(b), ensure_ascii=False) for b in bodies if b])


def secrets_section(home: Path) -> list[str]:
    planted = cases.secrets()
    evidence = [cases.item(f"notes:planted#{n}", f"Ops note {n}", s.sentence) for n, s in enumerate(planted)]
    with LLMServer() as server:
        settings = Settings(
            home=home,
            openai_base_url=server.base_url,
            openai_api_key=API_KEY,
            chat_model=MODEL,
            llm_retries=0,
        )
        chat = OpenAIChat(settings)
        for start in range(0, len(evidence), 10):  # drafts: ten planted items per request
            server.script(ok({"bullets": []}))
            draft_bullets(chat, CRITERION, _hits(evidence[start : start + 10]), [])
        for start in range(0, len(evidence), 20):  # questions and rewrites that carry secrets themselves
            server.script(ok("Nothing found [1]."), ok({"text": "ok"}))
            answer(
                chat, f"what did I rotate? {planted[start].sentence}", _hits(evidence[start : start + 20]), []
            )
            rewrite(chat, planted[start + 1].sentence, None)
        embedder = OpenAIEmbedder("test-embedding", server.base_url, API_KEY, egress_home=home)
        for start in range(0, len(evidence), 50):  # ingest: chunks in batches, with their evidence ids
            batch = evidence[start : start + 50]
            with sending(e.id for e in batch):
                embedder.embed([f"{e.title}\n{e.body}" for e in batch])
        for secret in planted[::5]:  # searches whose query holds a secret
            embedder.embed([f"where did I use {secret.sentence}"])
        sent = _sent(server)
        received = len(server.received)
    leaked = [s for s in planted if any(v in sent for v in s.values)]
    log = egress.read_log(home, limit=None)
    by_purpose = Counter(e["purpose"] for e in log)
    forms = Counter(s.form for s in planted)
    lines = [
        "## Secrets on every outbound request",
        "",
        f"- planted: {len(planted)} secrets in {len(forms)} forms ({'; '.join(forms)})",
        f"- requests received by the endpoint: {received} (chat: {received - by_purpose['embed']}, "
        f"embeddings: {by_purpose['embed']})",
        f"- requests in the egress log: {len(log)} ({', '.join(f'{k}: {v}' for k, v in sorted(by_purpose.items()))})",
        f"- secrets found in any request: **{len(leaked)}**"
        + (f" ({', '.join(sorted({s.form for s in leaked}))})" if leaked else ""),
        f"- redactions logged: {sum(e.get('redactions', 0) for e in log)}",
        "",
    ]
    return lines


def poisoned_section(home: Path) -> list[str]:
    items = cases.poisoned()
    honest_texts = {text for text, _ in cases.HONEST_BULLETS}
    injected_out = honest_out = 0
    reasons: Counter[str] = Counter()
    by_attack: Counter[str] = Counter()
    with LLMServer() as server:
        settings = Settings(
            home=home,
            openai_base_url=server.base_url,
            openai_api_key=API_KEY,
            chat_model=MODEL,
            llm_retries=0,
        )
        chat = OpenAIChat(settings)
        for case in items:
            evidence = [*cases.HONEST, case.evidence]
            retrieved = {e.id: e for e in evidence}
            server.script(
                ok(
                    {
                        "bullets": [
                            {"text": case.claim, "evidence": [case.cites]},
                            *({"text": t, "evidence": [c]} for t, c in cases.HONEST_BULLETS),
                        ]
                    }
                )
            )
            bullets = draft_bullets(chat, CRITERION, _hits(evidence), []) or []
            checked = [finish(b, retrieved, [], set(retrieved)) for b in bullets]
            payload = {
                "criteria": [{"id": "impact", "text": "Impact", "bullets": [b.to_json() for b in checked]}]
            }
            exported, _ = render.exportable_bullets(payload["criteria"][0])
            texts = [b["text"] for b in exported]
            extra = [t for t in texts if t not in honest_texts]
            injected_out += bool(extra)
            by_attack[case.attack] += bool(extra)
            honest_out += len(honest_texts & set(texts))
            reasons.update(h["reason"].split(":")[0] for h in render.held_back(payload))
    lines = [
        "## Poisoned evidence (a scripted model that obeys every injection)",
        "",
        f"- poisoned items: {len(items)} ({'; '.join(f'{a}: {n}' for a, n in Counter(i.attack + ' (' + i.evidence.role + ')' for i in items).items())})",
        f"- unsupported (injected) claims exported: **{injected_out}**",
        f"- honest bullets exported: {honest_out}/{len(items) * len(honest_texts)}",
        "- why the injected bullets were held back: "
        + "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common()),
        "",
    ]
    return lines


PARAPHRASES = [
    ("Made refund lookups faster with a Redis cache", "jira:PAY-142"),
    ("Sped up refunds by caching their lookups", "jira:PAY-142"),
    ("Moved ledger writes for 12 services to Postgres with zero downtime", "github:acme/pay#412"),
    ("Moved a dozen services onto the new ledger without an outage", "github:acme/pay#412"),
]


def thresholds_section(home: Path) -> list[str]:
    model = LocalEmbedder(home / "models")
    by_id = {e.id: e for e in cases.HONEST}

    def scores(text: str, cite: str) -> tuple[float, float]:
        said = stems(f"{by_id[cite].title}\n{by_id[cite].body}")
        claim = stems(text)
        cover = len(claim & said) / max(len(claim), 1)
        return cover, claims._closest(text, [f"{by_id[cite].title}\n{by_id[cite].body}"], model.embed) or 0.0

    honest = [scores(t, c) for t, c in [*cases.HONEST_BULLETS, *PARAPHRASES]]
    injected = [scores(claim, cite) for claim in cases.CLAIMS for cite in by_id]
    passed = sum(
        claims.check(t, [by_id[c]], embed=model.embed).supported
        for t, c in [*cases.HONEST_BULLETS, *PARAPHRASES]
    )
    stopped = sum(
        not claims.check(claim, [by_id[cite]], embed=model.embed).supported
        for claim in cases.CLAIMS
        for cite in by_id
    )

    def span(values: list[float]) -> str:
        return f"{min(values):.2f}-{max(values):.2f}"

    return [
        "## Claim check thresholds (app/trust_policy.py)",
        "",
        "| bullets | n | key words found | closest sentence (MiniLM cosine) | outcome |",
        "|---|---|---|---|---|",
        f"| honest, and paraphrased | {len(honest)} | {span([h[0] for h in honest])} | "
        f"{span([h[1] for h in honest])} | {passed}/{len(honest)} supported |",
        f"| injected, cited to real work | {len(injected)} | {span([i[0] for i in injected])} | "
        f"{span([i[1] for i in injected])} | {stopped}/{len(injected)} unsupported |",
        "",
    ]


def main() -> None:
    lines = [f"# Trust evals ({date.today()}, {platform.machine()}, {platform.python_version()})", ""]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for section in (secrets_section, poisoned_section, thresholds_section):
            home = Path(tmp) / section.__name__
            home.mkdir()
            lines += section(home)
    lines.append(f"Run in {time.perf_counter() - started:.0f} s with `.venv/bin/python -m evals.trust`.")
    report = "\n".join(lines) + "\n"
    print(report)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "trust.md").write_text(report)


if __name__ == "__main__":
    main()
