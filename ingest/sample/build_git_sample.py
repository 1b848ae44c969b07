"""Build the sample workspace's git repository: Maya Chen's year on northwind/payments (fictional).

`build(dest)` creates a non-bare repository at `dest` with a fixed history: about 45 commits by Maya (some
co-authored with Jonas Weber), a handful by teammates, feature branches merged with GitHub-style merge
commits ("Merge pull request #N from <login>/<branch>"), and squash-merged commits ("Title (#N)").
Names, e-mails and dates are fixed, so every run produces the same commit ids.

    python -m ingest.sample.build_git_sample /tmp/payments
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REMOTE = "https://github.com/northwind/payments.git"

MAYA = ("Maya Chen", "maya@northwind.dev")
PRIYA = ("Priya Raman", "priya@northwind.dev")
JONAS = ("Jonas Weber", "jonas@northwind.dev")
AISHA = ("Aisha Okafor", "aisha@northwind.dev")
TOM = ("Tom Reyes", "tom@northwind.dev")
LENA = ("Lena Park", "lena@northwind.dev")
SAM = ("Sam Ortiz", "sam@northwind.dev")

CO_JONAS = "Co-authored-by: Jonas Weber <jonas@northwind.dev>"


class _Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
        }

    def git(self, *args: str, who: tuple[str, str] | None = None, when: str | None = None) -> str:
        env = dict(self.env)
        if who:
            env.update(
                GIT_AUTHOR_NAME=who[0],
                GIT_AUTHOR_EMAIL=who[1],
                GIT_COMMITTER_NAME=who[0],
                GIT_COMMITTER_EMAIL=who[1],
            )
        if when:
            env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        result = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-C", str(self.root), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def commit(
        self,
        who: tuple[str, str],
        when: str,
        message: str,
        files: dict[str, str | None],
        append: bool = False,
    ) -> None:
        """Write (or, with append, extend) files -- None deletes one -- and commit them."""
        for name, text in files.items():
            path = self.root / name
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_text() if append and path.exists() else ""
            path.write_text(old + text.lstrip("\n"))
        self.git("add", "-A")
        subject, _, body = message.partition("\n\n")
        args = ["commit", "-q", "--no-verify", "-m", subject]
        if body.strip():
            args += ["-m", body.strip()]
        self.git(*args, who=who, when=when)

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name, "main")

    def merge(
        self, branch: str, number: int, login: str, title: str, who: tuple[str, str], when: str
    ) -> None:
        self.git("checkout", "-q", "main")
        self.git(
            "merge",
            "-q",
            "--no-ff",
            "-m",
            f"Merge pull request #{number} from {login}/{branch}",
            "-m",
            title,
            branch,
            who=who,
            when=when,
        )


def build(dest: Path) -> Path:
    """Create the sample repository at `dest` (which must not exist or be empty); return its path."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    repo = _Repo(dest)
    repo.git("-c", "init.defaultBranch=main", "init", "-q")
    repo.git("remote", "add", "origin", REMOTE)
    _history(repo)
    return dest


def _history(r: _Repo) -> None:  # noqa: PLR0915 - one linear story, told in order
    # --- before the review period: the service as the team found it -----------------------------------
    r.commit(
        PRIYA,
        "2025-12-15T10:00:00-08:00",
        "Initial import of the payments service",
        {
            "README.md": README,
            "requirements.txt": "psycopg==3.1.18\nmysqlclient==2.2.4\nconfluent-kafka==2.3.0\nhttpx==0.27.0\n",
            "services/ledger/models.py": LEDGER_MODELS,
            "services/ledger/mysql_repository.py": MYSQL_REPO,
            "services/refunds/api.py": REFUNDS_API,
            "services/checkout/pricing.py": PRICING_OLD,
            "services/checkout/orchestrator.py": ORCHESTRATOR_OLD,
            "services/checkout/legacy_ledger.py": LEGACY_LEDGER,
            "services/settlement/consumer.py": SETTLEMENT_OLD,
            "alerts/payments.yaml": ALERTS_OLD,
        },
    )
    r.commit(
        PRIYA,
        "2026-01-05T09:30:00-08:00",
        "Add CODEOWNERS for payments",
        {
            "CODEOWNERS": "* @northwind/payments\n/services/ledger/ @mayachen @jonasweber\n"
            "/services/fraud/ @aishaokafor\n",
        },
    )

    # --- January: ledger design, INC-214 (duplicate refunds) --------------------------------------------
    r.commit(
        MAYA,
        "2026-01-07T16:20:00-08:00",
        "Add ledger migration design doc draft\n\n"
        "Plan for moving the payments ledger from MySQL 5.7 to Postgres 16: dual-write, backfill,\n"
        "shadow reads, per-merchant read cutover, then decommission.",
        {"docs/design/ledger-postgres.md": LEDGER_DESIGN},
    )
    r.commit(
        MAYA,
        "2026-01-13T11:05:00-08:00",
        "Ledger: add Postgres schema for ledger_entries and balances",
        {"migrations/001_ledger_entries.sql": MIGRATION_001},
    )
    r.commit(
        JONAS,
        "2026-01-15T09:12:00+01:00",
        "Bump psycopg to 3.2.1",
        {"requirements.txt": "psycopg==3.2.1\nmysqlclient==2.2.4\nconfluent-kafka==2.3.0\nhttpx==0.27.0\n"},
    )
    r.commit(
        MAYA,
        "2026-01-21T08:40:00-08:00",
        "Refunds: guard against double submit while INC-214 is open\n\n"
        "Stop-gap: reject a second refund for the same charge and amount within 10 minutes.\n"
        "The real fix (idempotency keys) is tracked in PAY-118.",
        {"services/refunds/api.py": REFUNDS_GUARD},
        append=True,
    )
    r.commit(
        MAYA,
        "2026-01-27T14:00:00-08:00",
        "Add postmortem for INC-214 duplicate refunds",
        {"docs/postmortems/INC-214.md": POSTMORTEM_214},
    )

    # --- February: dual-write (#402), onboarding Lena, Lena's first PR (#406) ----------------------------
    r.branch("ledger-dual-write")
    r.commit(
        MAYA,
        "2026-02-09T10:15:00-08:00",
        "Ledger: Postgres repository for ledger entries",
        {"services/ledger/pg_repository.py": PG_REPO, "tests/ledger/test_pg_repository.py": TEST_PG_REPO},
    )
    r.commit(
        MAYA,
        "2026-02-10T15:45:00-08:00",
        "Ledger: dual-write behind LEDGER_PG_WRITE flag\n\n"
        "Writes go to MySQL first (still the source of truth), then Postgres in the same request.\n\n"
        + CO_JONAS,
        {"services/ledger/dual_write.py": DUAL_WRITE},
    )
    r.commit(
        MAYA,
        "2026-02-12T11:30:00-08:00",
        "Ledger: dual-write metrics and mismatch counter",
        {"services/ledger/dual_write.py": DUAL_WRITE_METRICS},
        append=True,
    )
    r.merge(
        "ledger-dual-write",
        402,
        "mayachen",
        "Ledger: dual-write ledger entries to Postgres behind a flag",
        PRIYA,
        "2026-02-13T10:05:00-08:00",
    )
    r.commit(
        MAYA,
        "2026-02-18T13:10:00-08:00",
        "Onboarding guide for new payments engineers",
        {"docs/onboarding.md": ONBOARDING},
    )
    r.branch("refund-status-webhook")
    r.commit(
        LENA,
        "2026-02-25T16:30:00-08:00",
        "Refunds: emit refund.status_changed webhook",
        {"services/refunds/webhooks.py": WEBHOOKS},
    )
    r.merge(
        "refund-status-webhook",
        406,
        "lenapark",
        "Refunds: add refund status webhook",
        MAYA,
        "2026-02-27T11:00:00-08:00",
    )

    # --- March: idempotency keys (#409), backfill (#414), Lena's reconciliation job (#418) ---------------
    r.branch("refund-idempotency")
    r.commit(
        MAYA,
        "2026-03-03T10:00:00-08:00",
        "Refunds: idempotency_keys table and migration",
        {"migrations/002_idempotency_keys.sql": MIGRATION_002},
    )
    r.commit(
        MAYA,
        "2026-03-05T14:20:00-08:00",
        "Refunds: require Idempotency-Key header on POST /refunds",
        {"services/refunds/idempotency.py": IDEMPOTENCY, "services/refunds/api.py": REFUNDS_API_KEYED},
    )
    r.commit(
        MAYA,
        "2026-03-06T17:05:00-08:00",
        "Refunds: replay stored response for repeated keys\n\n"
        "A retried request with the same key gets the first response back, byte for byte.\n\n" + CO_JONAS,
        {
            "services/refunds/idempotency.py": IDEMPOTENCY_REPLAY,
            "tests/refunds/test_idempotency.py": TEST_IDEMPOTENCY,
        },
        append=True,
    )
    r.commit(
        MAYA,
        "2026-03-09T09:50:00-07:00",
        "Refunds: expire idempotency keys after 24 h",
        {"services/refunds/idempotency.py": IDEMPOTENCY_EXPIRY},
        append=True,
    )
    r.merge(
        "refund-idempotency",
        409,
        "mayachen",
        "Refunds: idempotency keys for POST /refunds",
        PRIYA,
        "2026-03-10T10:30:00-07:00",
    )
    r.commit(
        MAYA,
        "2026-03-19T16:45:00-07:00",
        "Ledger: backfill job for 48M historical entries (#414)\n\n"
        "Copies ledger_entries from MySQL in primary-key batches of 5,000 with a resumable cursor.\n"
        "Verified row counts and per-merchant balance checksums after each batch.",
        {"services/ledger/backfill.py": BACKFILL},
    )
    r.commit(
        MAYA,
        "2026-03-20T10:10:00-07:00",
        "Ledger: throttle backfill to 2k rows/s during business hours",
        {"services/ledger/backfill.py": BACKFILL_THROTTLE},
        append=True,
    )
    r.branch("refund-reconciliation")
    r.commit(
        LENA,
        "2026-03-24T15:00:00-07:00",
        "Refunds: nightly reconciliation job",
        {"services/refunds/reconciliation.py": RECONCILIATION},
    )
    r.commit(
        LENA,
        "2026-03-26T12:20:00-07:00",
        "Refunds: address review comments on reconciliation",
        {
            "services/refunds/reconciliation.py": RECONCILIATION_FIX,
            "tests/refunds/test_reconciliation.py": TEST_RECONCILIATION,
        },
        append=True,
    )
    r.merge(
        "refund-reconciliation",
        418,
        "lenapark",
        "Refunds: nightly reconciliation job",
        MAYA,
        "2026-03-27T09:40:00-07:00",
    )

    # --- late March / April: shadow reads (#421), cutover (#427), Tom's logging (#433) -------------------
    r.branch("ledger-shadow-reads")
    r.commit(
        MAYA,
        "2026-03-30T11:00:00-07:00",
        "Ledger: shadow-read comparator",
        {"services/ledger/shadow_read.py": SHADOW_READ},
    )
    r.commit(
        MAYA,
        "2026-03-31T16:30:00-07:00",
        "Ledger: mismatch dashboard and alert",
        {"dashboards/ledger-shadow-reads.json": DASHBOARD, "alerts/payments.yaml": ALERT_SHADOW},
        append=True,
    )
    r.commit(
        MAYA,
        "2026-04-01T10:45:00-07:00",
        "Ledger: fix rounding mismatch for JPY amounts\n\n"
        "Zero-decimal currencies were stored as minor units x100 in the Postgres copy; 0.002% of\n"
        "shadow reads disagreed, all of them JPY or KRW.",
        {"services/ledger/models.py": LEDGER_MODELS_FIX},
        append=True,
    )
    r.merge(
        "ledger-shadow-reads",
        421,
        "mayachen",
        "Ledger: shadow-read comparator and mismatch dashboard",
        PRIYA,
        "2026-04-02T09:15:00-07:00",
    )
    r.commit(
        JONAS,
        "2026-04-07T10:00:00+02:00",
        "CI: run migrations check on pull requests",
        {".github/workflows/migrations.yml": CI_MIGRATIONS},
    )
    r.branch("ledger-read-cutover")
    r.commit(
        MAYA,
        "2026-04-15T10:30:00-07:00",
        "Ledger: read path switch with per-merchant rollout",
        {"services/ledger/read_switch.py": READ_SWITCH},
    )
    r.commit(
        MAYA,
        "2026-04-16T15:00:00-07:00",
        "Ledger: cutover runbook",
        {"runbooks/ledger-cutover.md": RUNBOOK_CUTOVER},
    )
    r.commit(
        MAYA,
        "2026-04-17T18:20:00-07:00",
        "Ledger: flip reads to Postgres for 100% of merchants",
        {"config/flags.yaml": "ledger_pg_write: true\nledger_pg_read_percent: 100\n"},
    )
    r.merge(
        "ledger-read-cutover",
        427,
        "mayachen",
        "Ledger: cut over reads to Postgres",
        PRIYA,
        "2026-04-18T09:00:00-07:00",
    )
    r.branch("structured-payment-logs")
    r.commit(
        TOM,
        "2026-04-28T14:10:00-07:00",
        "Checkout: structured logging for payment attempts",
        {"services/checkout/logging.py": CHECKOUT_LOGGING},
    )
    r.merge(
        "structured-payment-logs",
        433,
        "tomreyes",
        "Checkout: structured logging for payment attempts",
        MAYA,
        "2026-04-30T10:20:00-07:00",
    )

    # --- May / June: MySQL removal (#436), checkout p95 work (#441, #445, #447) --------------------------
    r.commit(
        MAYA,
        "2026-05-06T11:15:00-07:00",
        "Add checkout latency benchmark harness",
        {"bench/checkout_p95.py": BENCH},
    )
    r.commit(
        MAYA,
        "2026-05-14T17:00:00-07:00",
        "Ledger: remove MySQL write path (#436)\n\n"
        "Postgres has been the only read path since 18 Apr. The MySQL ledger cluster is shut down.",
        {
            "services/ledger/mysql_repository.py": None,
            "services/ledger/dual_write.py": None,
            "config/flags.yaml": "ledger_pg_read_percent: 100\n",
            "requirements.txt": "psycopg==3.2.1\nconfluent-kafka==2.3.0\nhttpx==0.27.0\n",
        },
    )
    r.branch("cart-pricing-n-plus-one")
    r.commit(
        MAYA,
        "2026-05-19T10:40:00-07:00",
        "Checkout: load cart line prices in one query\n\n"
        "Pricing issued one query per cart line: 37 queries for an average cart, now 3.",
        {"services/checkout/pricing.py": PRICING_NEW},
    )
    r.commit(
        MAYA,
        "2026-05-20T14:55:00-07:00",
        "Checkout: add query-count assertion to pricing tests",
        {"tests/checkout/test_pricing.py": TEST_PRICING},
    )
    r.merge(
        "cart-pricing-n-plus-one",
        441,
        "mayachen",
        "Checkout: batch cart pricing queries (fix N+1)",
        MAYA,
        "2026-05-21T09:30:00-07:00",
    )
    r.branch("checkout-parallel-calls")
    r.commit(
        MAYA,
        "2026-05-27T11:25:00-07:00",
        "Checkout: run fraud check and tax quote concurrently\n\n" + CO_JONAS,
        {"services/checkout/orchestrator.py": ORCHESTRATOR_NEW},
    )
    r.commit(
        MAYA,
        "2026-05-29T16:10:00-07:00",
        "Checkout: timeouts and fallbacks for parallel calls\n\n"
        "Fraud check gets 150 ms and fails open; tax quote gets 250 ms and falls back to the cached rate.\n\n"
        + CO_JONAS,
        {"services/checkout/orchestrator.py": ORCHESTRATOR_TIMEOUTS},
        append=True,
    )
    r.merge(
        "checkout-parallel-calls",
        445,
        "mayachen",
        "Checkout: run fraud check and tax quote in parallel",
        PRIYA,
        "2026-06-01T10:00:00-07:00",
    )
    r.commit(
        MAYA,
        "2026-06-05T15:30:00-07:00",
        "Checkout: cache merchant config in-process with 60 s TTL (#447)",
        {"services/checkout/merchant_config.py": MERCHANT_CONFIG},
    )
    r.commit(
        MAYA,
        "2026-06-08T12:00:00-07:00",
        "Add postmortem for INC-231 settlement consumer lag",
        {"docs/postmortems/INC-231.md": POSTMORTEM_231},
    )
    r.commit(
        MAYA,
        "2026-06-12T16:40:00-07:00",
        "Checkout: record p95 results after latency work\n\n"
        "p95 checkout latency 840 ms -> 520 ms (-38%), p50 310 ms -> 210 ms, measured over 7 days.",
        {"docs/perf/checkout-2026.md": PERF_RESULTS},
    )
    r.commit(
        AISHA,
        "2026-06-15T09:45:00-07:00",
        "Fraud: add feature flags for scoring rollout",
        {"config/fraud_flags.yaml": "fraud_scoring_enabled: false\nfraud_scoring_pilot_merchants: []\n"},
    )

    # --- June / July: nw-kafka (#452), Sam's lag gauge (#458), Aisha's features (#462), RFC-017 (#466) ---
    r.branch("nw-kafka")
    r.commit(
        MAYA,
        "2026-06-22T10:00:00-07:00",
        "nw-kafka: consumer base class with manual commits",
        {
            "libs/nwkafka/__init__.py": '"""nw-kafka: Northwind\'s Kafka consumer library."""\n\n__version__ = "1.0.0"\n',
            "libs/nwkafka/consumer.py": NWKAFKA_CONSUMER,
        },
    )
    r.commit(
        MAYA,
        "2026-06-24T14:30:00-07:00",
        "nw-kafka: retries with exponential backoff and DLQ",
        {"libs/nwkafka/retry.py": NWKAFKA_RETRY},
    )
    r.commit(
        MAYA,
        "2026-06-26T11:50:00-07:00",
        "nw-kafka: lag and processing-time metrics",
        {"libs/nwkafka/metrics.py": NWKAFKA_METRICS},
    )
    r.commit(
        MAYA,
        "2026-06-30T17:15:00-07:00",
        "nw-kafka: README and migration guide",
        {"libs/nwkafka/README.md": NWKAFKA_README},
    )
    r.merge(
        "nw-kafka",
        452,
        "mayachen",
        "nw-kafka: consumer library with retries, DLQ and lag metrics",
        PRIYA,
        "2026-07-02T09:20:00-07:00",
    )
    r.branch("rfc-017-retries")
    r.commit(
        MAYA,
        "2026-07-08T13:00:00-07:00",
        "Docs: RFC-017 retry and backoff guidelines draft",
        {"docs/rfcs/RFC-017-retries.md": RFC_017},
    )
    r.git("checkout", "-q", "main")
    r.branch("nw-kafka-lag-gauge")
    r.commit(
        SAM,
        "2026-07-14T11:00:00-07:00",
        "nw-kafka: add consumer lag gauge per partition",
        {"libs/nwkafka/metrics.py": NWKAFKA_LAG_GAUGE},
        append=True,
    )
    r.merge(
        "nw-kafka-lag-gauge",
        458,
        "samortiz",
        "nw-kafka: add consumer lag gauge per partition",
        MAYA,
        "2026-07-16T10:00:00-07:00",
    )
    r.branch("fraud-card-velocity")
    r.commit(
        AISHA,
        "2026-07-21T15:40:00-07:00",
        "Fraud: card velocity features",
        {"services/fraud/features.py": FRAUD_FEATURES},
    )
    r.merge(
        "fraud-card-velocity",
        462,
        "aishaokafor",
        "Fraud: feature extraction for card velocity",
        MAYA,
        "2026-07-22T11:10:00-07:00",
    )
    r.git("checkout", "-q", "rfc-017-retries")
    r.commit(
        MAYA,
        "2026-07-23T10:30:00-07:00",
        "Docs: RFC-017 address review feedback from 9 reviewers",
        {"docs/rfcs/RFC-017-retries.md": RFC_017_FEEDBACK},
        append=True,
    )
    r.merge(
        "rfc-017-retries",
        466,
        "mayachen",
        "Docs: RFC-017 retry and backoff guidelines",
        MAYA,
        "2026-07-24T16:00:00-07:00",
    )

    # --- August: settlement on nw-kafka (#473), Sam's replay CLI (#476), INC-247 and #481 ----------------
    r.commit(
        MAYA,
        "2026-08-05T14:25:00-07:00",
        "nw-kafka: migrate settlement consumer (#473)",
        {"services/settlement/consumer.py": SETTLEMENT_NEW},
    )
    r.branch("webhook-retry-dashboard")
    r.commit(
        SAM,
        "2026-08-12T10:30:00-07:00",
        "Webhooks: retry dashboard",
        {"dashboards/webhook-retries.json": WEBHOOK_DASHBOARD},
    )
    r.commit(
        SAM,
        "2026-08-13T16:00:00-07:00",
        "Webhooks: replay CLI for failed deliveries",
        {"tools/replay_webhooks.py": REPLAY_CLI},
    )
    r.merge(
        "webhook-retry-dashboard",
        476,
        "samortiz",
        "Webhooks: retry dashboard and replay CLI",
        MAYA,
        "2026-08-14T09:50:00-07:00",
    )
    r.commit(
        MAYA,
        "2026-08-20T07:55:00-07:00",
        "Checkout: hotfix connection reset handling during failover (INC-247)",
        {"services/checkout/db.py": CHECKOUT_DB},
    )
    r.branch("failover-retries")
    r.commit(
        MAYA,
        "2026-08-21T13:35:00-07:00",
        "Checkout: retry Postgres failover errors with jittered backoff",
        {"services/checkout/db.py": CHECKOUT_DB_RETRY},
        append=True,
    )
    r.commit(
        MAYA,
        "2026-08-24T10:05:00-07:00",
        "Checkout: chaos test for primary failover\n\n" + CO_JONAS,
        {"tests/chaos/test_failover.py": TEST_FAILOVER},
    )
    r.merge(
        "failover-retries",
        481,
        "mayachen",
        "Checkout: retry Postgres failover errors with jittered backoff",
        PRIYA,
        "2026-08-24T15:30:00-07:00",
    )
    r.commit(
        MAYA,
        "2026-08-27T11:20:00-07:00",
        "Add postmortem for INC-247 checkout errors during Postgres failover",
        {"docs/postmortems/INC-247.md": POSTMORTEM_247},
    )

    # --- September: Lena's replica routing (#486), fraud client (#490), Tom's cleanup (#495) -------------
    r.branch("replica-routing")
    r.commit(
        LENA,
        "2026-09-02T10:15:00-07:00",
        "Ledger: route report queries to the read replica",
        {"services/ledger/routing.py": ROUTING},
    )
    r.merge(
        "replica-routing",
        486,
        "lenapark",
        "Ledger: read-only replica routing for reports",
        MAYA,
        "2026-09-03T09:30:00-07:00",
    )
    r.branch("fraud-scoring-client")
    r.commit(
        MAYA,
        "2026-09-08T11:45:00-07:00",
        "Fraud: scoring client with 80 ms budget and fail-open",
        {"services/fraud/client.py": FRAUD_CLIENT},
    )
    r.commit(
        MAYA,
        "2026-09-10T15:20:00-07:00",
        "Fraud: log scores for 1.2k pilot merchants",
        {
            "services/fraud/client.py": FRAUD_CLIENT_LOG,
            "config/fraud_flags.yaml": "fraud_scoring_enabled: true\nfraud_scoring_pilot_merchants: pilot-2026-09\n",
        },
        append=True,
    )
    r.merge(
        "fraud-scoring-client",
        490,
        "mayachen",
        "Fraud: scoring client in checkout with 80 ms budget",
        PRIYA,
        "2026-09-11T10:00:00-07:00",
    )
    r.branch("remove-mysql-client")
    r.commit(
        TOM,
        "2026-09-15T13:00:00-07:00",
        "Checkout: remove legacy MySQL ledger client",
        {"services/checkout/legacy_ledger.py": None},
    )
    r.merge(
        "remove-mysql-client",
        495,
        "tomreyes",
        "Checkout: remove legacy MySQL ledger client",
        MAYA,
        "2026-09-16T09:10:00-07:00",
    )

    # --- October / November: on-call (#503), Sam's partial refunds (#507), handbook, 2027 proposal --------
    r.commit(
        MAYA,
        "2026-10-03T12:30:00-07:00",
        "On-call: alert tuning and runbooks for payments (#503)\n\n"
        "Removed 14 noisy alerts and merged 6 into SLO burn-rate alerts. Replaying Q3's alerts through the\n"
        "new rules gives 9 pages a month instead of 31.",
        {
            "alerts/payments.yaml": ALERTS_TUNED,
            "runbooks/settlement-lag.md": RUNBOOK_LAG,
            "runbooks/checkout-errors.md": RUNBOOK_CHECKOUT,
        },
    )
    r.commit(
        TOM,
        "2026-10-08T10:00:00-07:00",
        "Checkout: fix flaky tax quote test",
        {"tests/checkout/test_tax.py": TEST_TAX},
    )
    r.branch("partial-refunds")
    r.commit(
        SAM,
        "2026-10-14T11:30:00-07:00",
        "Refunds: partial refund amounts",
        {"services/refunds/partial.py": PARTIAL},
    )
    r.commit(
        SAM,
        "2026-10-19T14:45:00-07:00",
        "Refunds: validate partial refunds against captured amount",
        {"services/refunds/partial.py": PARTIAL_VALIDATE, "tests/refunds/test_partial.py": TEST_PARTIAL},
        append=True,
    )
    r.merge(
        "partial-refunds",
        507,
        "samortiz",
        "Refunds: partial refund support",
        MAYA,
        "2026-10-20T10:15:00-07:00",
    )
    r.commit(
        MAYA,
        "2026-10-22T16:00:00-07:00",
        "Docs: on-call handbook for new engineers",
        {"docs/oncall-handbook.md": ONCALL_HANDBOOK},
    )
    r.commit(
        MAYA,
        "2026-11-04T13:10:00-08:00",
        "Ledger: 2027 partitioning proposal draft",
        {"docs/design/ledger-partitioning.md": PARTITIONING},
    )
    r.commit(
        MAYA,
        "2026-11-10T10:40:00-08:00",
        "Bump nw-kafka to 1.3.0 in settlement and webhooks",
        {
            "libs/nwkafka/__init__.py": '"""nw-kafka: Northwind\'s Kafka consumer library."""\n\n__version__ = "1.3.0"\n'
        },
    )


# --- file contents ----------------------------------------------------------------------------------------

README = """
# payments

Northwind's payments service: checkout orchestration, the ledger, refunds and settlement.

- `services/checkout`: prices carts, calls fraud and tax, authorizes the charge
- `services/ledger`: the double-entry ledger (every charge, refund and payout)
- `services/refunds`: the refunds API and its webhooks
- `services/settlement`: consumes `payments.settlement` and schedules payouts
"""

LEDGER_DESIGN = """
# Design: moving the payments ledger from MySQL to Postgres

Author: Maya Chen. Reviewers: Priya Raman, Jonas Weber, Aisha Okafor. Status: approved 30 Jan 2026.

## Why
The MySQL 5.7 ledger cluster is out of vendor support in 2026, costs $12,400 a month more than a Postgres
setup of the same size, and month-end reports take 4 hours on it.

## Plan (five phases, Jan-May)
1. Schema in Postgres 16, dual-write behind LEDGER_PG_WRITE (MySQL stays the source of truth).
2. Backfill the 48M historical entries in batches, with checksums per batch.
3. Shadow reads: compare 5% of reads for at least 2 weeks; target zero mismatches for 7 days.
4. Per-merchant read cutover: 1% -> 10% -> 50% -> 100%, rollback in under 60 s.
5. Remove the MySQL write path and shut the cluster down.

## Risks
- Rounding of zero-decimal currencies (JPY, KRW) between the two stores.
- Backfill load on the MySQL primary during business hours: throttle it.
"""

LEDGER_MODELS = """
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class LedgerEntry:
    entry_id: str
    merchant_id: str
    account: str
    amount_minor: int
    currency: str
    created_at: datetime

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_minor) / 100
"""

LEDGER_MODELS_FIX = """

ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP"}


def minor_units(currency: str) -> int:
    \"\"\"How many minor units make one major unit (JPY and KRW have none).\"\"\"
    return 1 if currency in ZERO_DECIMAL else 100
"""

LEGACY_LEDGER = """
from services.ledger.mysql_repository import MySQLLedger


def ledger_client(settings) -> MySQLLedger:
    \"\"\"Checkout's own handle on the MySQL ledger (replaced by the ledger service's client).\"\"\"
    return MySQLLedger(settings.mysql_dsn)
"""

MYSQL_REPO = """
import MySQLdb

from services.ledger.models import LedgerEntry


class MySQLLedger:
    def __init__(self, dsn: dict) -> None:
        self.conn = MySQLdb.connect(**dsn)

    def append(self, entry: LedgerEntry) -> None:
        with self.conn.cursor() as cur:
            cur.execute(
                "INSERT INTO ledger_entries VALUES (%s, %s, %s, %s, %s, %s)",
                (entry.entry_id, entry.merchant_id, entry.account, entry.amount_minor,
                 entry.currency, entry.created_at),
            )
        self.conn.commit()
"""

REFUNDS_API = """
from services.ledger.models import LedgerEntry


def create_refund(request, gateway, ledger):
    charge = request.json["charge_id"]
    amount = int(request.json["amount_minor"])
    result = gateway.refund(charge, amount)
    ledger.append(LedgerEntry.refund(charge, amount))
    return {"refund_id": result.id, "status": result.status}, 201
"""

REFUNDS_GUARD = """

RECENT_WINDOW_SECONDS = 600


def is_duplicate_submit(cache, charge_id: str, amount_minor: int) -> bool:
    \"\"\"Stop-gap for INC-214: the same charge and amount within 10 minutes is a double submit.\"\"\"
    key = f"refund:{charge_id}:{amount_minor}"
    return not cache.add(key, 1, timeout=RECENT_WINDOW_SECONDS)
"""

REFUNDS_API_KEYED = """
from services.ledger.models import LedgerEntry
from services.refunds.idempotency import IdempotencyStore, MissingKey


def create_refund(request, gateway, ledger, keys: IdempotencyStore):
    key = request.headers.get("Idempotency-Key")
    if not key:
        raise MissingKey("POST /refunds requires an Idempotency-Key header")
    stored = keys.lookup(request.merchant_id, key)
    if stored is not None:
        return stored.body, stored.status
    charge = request.json["charge_id"]
    amount = int(request.json["amount_minor"])
    result = gateway.refund(charge, amount, idempotency_key=key)
    ledger.append(LedgerEntry.refund(charge, amount))
    body = {"refund_id": result.id, "status": result.status}
    keys.save(request.merchant_id, key, body, 201)
    return body, 201
"""

MIGRATION_001 = """
CREATE TABLE ledger_entries (
    entry_id      uuid PRIMARY KEY,
    merchant_id   text        NOT NULL,
    account       text        NOT NULL,
    amount_minor  bigint      NOT NULL,
    currency      char(3)     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ledger_entries_merchant_created ON ledger_entries (merchant_id, created_at);

CREATE TABLE balances (
    merchant_id   text    NOT NULL,
    account       text    NOT NULL,
    currency      char(3) NOT NULL,
    balance_minor bigint  NOT NULL,
    PRIMARY KEY (merchant_id, account, currency)
);
"""

MIGRATION_002 = """
CREATE TABLE idempotency_keys (
    merchant_id  text        NOT NULL,
    key          text        NOT NULL,
    status_code  smallint    NOT NULL,
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
"""

PG_REPO = """
import psycopg

from services.ledger.models import LedgerEntry

INSERT = (
    "INSERT INTO ledger_entries (entry_id, merchant_id, account, amount_minor, currency, created_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (entry_id) DO NOTHING"
)


class PostgresLedger:
    def __init__(self, dsn: str) -> None:
        self.pool = psycopg.Connection.connect(dsn, autocommit=False)

    def append(self, entry: LedgerEntry) -> None:
        with self.pool.cursor() as cur:
            cur.execute(INSERT, (entry.entry_id, entry.merchant_id, entry.account,
                                 entry.amount_minor, entry.currency, entry.created_at))
            cur.execute(
                "INSERT INTO balances VALUES (%s, %s, %s, %s) ON CONFLICT (merchant_id, account, currency) "
                "DO UPDATE SET balance_minor = balances.balance_minor + EXCLUDED.balance_minor",
                (entry.merchant_id, entry.account, entry.currency, entry.amount_minor),
            )
        self.pool.commit()

    def entries(self, merchant_id: str, limit: int = 100) -> list[LedgerEntry]:
        with self.pool.cursor() as cur:
            cur.execute("SELECT * FROM ledger_entries WHERE merchant_id = %s ORDER BY created_at DESC LIMIT %s",
                        (merchant_id, limit))
            return [LedgerEntry(*row) for row in cur.fetchall()]
"""

TEST_PG_REPO = """
from services.ledger.pg_repository import INSERT


def test_insert_is_idempotent_on_entry_id():
    assert "ON CONFLICT (entry_id) DO NOTHING" in INSERT
"""

DUAL_WRITE = """
import os

from services.ledger.models import LedgerEntry


def pg_write_enabled() -> bool:
    return os.environ.get("LEDGER_PG_WRITE", "false") == "true"


class DualWriteLedger:
    \"\"\"MySQL stays the source of truth; Postgres gets every write while the flag is on.\"\"\"

    def __init__(self, mysql, postgres, log) -> None:
        self.mysql, self.postgres, self.log = mysql, postgres, log

    def append(self, entry: LedgerEntry) -> None:
        self.mysql.append(entry)
        if not pg_write_enabled():
            return
        try:
            self.postgres.append(entry)
        except Exception:
            self.log.exception("postgres dual-write failed", extra={"entry_id": entry.entry_id})
"""

DUAL_WRITE_METRICS = """

from prometheus_client import Counter

DUAL_WRITES = Counter("ledger_dual_writes_total", "Dual writes by outcome", ["outcome"])
MISMATCHES = Counter("ledger_dual_write_mismatch_total", "Entries that differ between MySQL and Postgres")


def record(outcome: str) -> None:
    DUAL_WRITES.labels(outcome=outcome).inc()
"""

ONBOARDING = """
# Onboarding: payments team

Welcome! This is the path your first four weeks usually take. Your onboarding buddy pairs with you twice a week.

## Week 1
- Laptop, VPN, access requests (see the #payments-onboarding channel pins)
- Run the service locally: `make dev`; run the tests: `make test`
- Read: the ledger design doc, the last three postmortems

## Week 2
- Ship a small change end to end (a good first PR is tagged `good-first-change` in Jira)
- Shadow the on-call engineer for two days

## Weeks 3-4
- Own one Jira story of 3-5 points
- Walk the refund flow with your buddy: API -> gateway -> ledger -> webhook
"""

WEBHOOKS = """
import json

EVENT = "refund.status_changed"


def emit_status_changed(publisher, refund) -> None:
    payload = {"type": EVENT, "refund_id": refund.id, "status": refund.status,
               "merchant_id": refund.merchant_id}
    publisher.publish("payments.webhooks", json.dumps(payload).encode(), key=refund.merchant_id)
"""

IDEMPOTENCY = """
from dataclasses import dataclass


class MissingKey(ValueError):
    status = 400


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict


class IdempotencyStore:
    def __init__(self, conn) -> None:
        self.conn = conn

    def lookup(self, merchant_id: str, key: str) -> StoredResponse | None:
        row = self.conn.execute(
            "SELECT status_code, response FROM idempotency_keys WHERE merchant_id = %s AND key = %s",
            (merchant_id, key),
        ).fetchone()
        return StoredResponse(*row) if row else None
"""

IDEMPOTENCY_REPLAY = """

    def save(self, merchant_id: str, key: str, body: dict, status: int) -> None:
        self.conn.execute(
            "INSERT INTO idempotency_keys (merchant_id, key, status_code, response) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (merchant_id, key) DO NOTHING",
            (merchant_id, key, status, body),
        )
"""

IDEMPOTENCY_EXPIRY = """

KEY_TTL_HOURS = 24


def expire_keys(conn) -> int:
    \"\"\"Delete keys older than 24 h; runs hourly from the scheduler.\"\"\"
    cur = conn.execute(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => %s)", (KEY_TTL_HOURS,)
    )
    return cur.rowcount
"""

TEST_IDEMPOTENCY = """
from services.refunds.idempotency import IdempotencyStore


def test_repeated_key_replays_first_response(fake_conn):
    store = IdempotencyStore(fake_conn)
    store.save("m_1", "key-1", {"refund_id": "rf_1", "status": "pending"}, 201)
    store.save("m_1", "key-1", {"refund_id": "rf_2", "status": "pending"}, 201)

    assert store.lookup("m_1", "key-1").body["refund_id"] == "rf_1"


def test_keys_are_scoped_per_merchant(fake_conn):
    store = IdempotencyStore(fake_conn)
    store.save("m_1", "key-1", {"refund_id": "rf_1"}, 201)

    assert store.lookup("m_2", "key-1") is None
"""

BACKFILL = """
BATCH = 5_000


def backfill(mysql, postgres, checkpoint, log) -> int:
    \"\"\"Copy ledger_entries in primary-key order; resumable from the last checkpoint.\"\"\"
    copied = 0
    last_id = checkpoint.load() or ""
    while True:
        rows = mysql.fetch_after(last_id, BATCH)
        if not rows:
            return copied
        postgres.copy_entries(rows)
        if mysql.checksum(rows) != postgres.checksum(rows):
            raise RuntimeError(f"checksum mismatch after {rows[-1].entry_id}")
        last_id = rows[-1].entry_id
        checkpoint.save(last_id)
        copied += len(rows)
        if copied % 1_000_000 < BATCH:
            log.info("backfill progress", extra={"copied": copied})
"""

BACKFILL_THROTTLE = """

import time
from datetime import datetime

BUSINESS_HOURS_RATE = 2_000  # rows per second, 08:00-20:00 Pacific
OFF_HOURS_RATE = 8_000


def rate_limit(now: datetime) -> int:
    return BUSINESS_HOURS_RATE if 8 <= now.hour < 20 else OFF_HOURS_RATE


def pause_for(rows: int, now: datetime) -> None:
    time.sleep(rows / rate_limit(now))
"""

RECONCILIATION = """
from datetime import date


def reconcile(day: date, gateway, ledger) -> list[str]:
    \"\"\"Refunds the gateway settled on `day` that the ledger does not have (or has with another amount).\"\"\"
    settled = {r.refund_id: r.amount_minor for r in gateway.settled_refunds(day)}
    booked = {e.refund_id: e.amount_minor for e in ledger.refund_entries(day)}
    return sorted(rid for rid, amount in settled.items() if booked.get(rid) != amount)
"""

RECONCILIATION_FIX = """

def report(day: date, missing: list[str], notifier) -> None:
    if missing:
        notifier.post("#payments-alerts", f"{len(missing)} refunds unreconciled for {day.isoformat()}")
"""

TEST_RECONCILIATION = """
from datetime import date

from services.refunds.reconciliation import reconcile


def test_reports_refunds_missing_from_the_ledger(fake_gateway, fake_ledger):
    fake_gateway.settle("rf_1", 1200)
    fake_gateway.settle("rf_2", 500)
    fake_ledger.book("rf_1", 1200)

    assert reconcile(date(2026, 3, 24), fake_gateway, fake_ledger) == ["rf_2"]
"""

SHADOW_READ = """
import random

SAMPLE_RATE = 0.05


class ShadowReader:
    \"\"\"Serve reads from MySQL; compare a sample against Postgres and count mismatches.\"\"\"

    def __init__(self, mysql, postgres, metrics) -> None:
        self.mysql, self.postgres, self.metrics = mysql, postgres, metrics

    def balance(self, merchant_id: str, account: str, currency: str) -> int:
        primary = self.mysql.balance(merchant_id, account, currency)
        if random.random() < SAMPLE_RATE:
            shadow = self.postgres.balance(merchant_id, account, currency)
            self.metrics.compare(primary == shadow, currency=currency)
        return primary
"""

DASHBOARD = """
{
  "title": "Ledger shadow reads",
  "panels": [
    {"title": "Mismatch rate", "expr": "rate(ledger_shadow_mismatch_total[5m]) / rate(ledger_shadow_reads_total[5m])"},
    {"title": "Mismatches by currency", "expr": "sum by (currency) (increase(ledger_shadow_mismatch_total[1h]))"},
    {"title": "Postgres read p99", "expr": "histogram_quantile(0.99, rate(ledger_pg_read_seconds_bucket[5m]))"}
  ]
}
"""

ALERTS_OLD = """
groups:
  - name: payments
    rules:
      - alert: CheckoutErrorRateHigh
        expr: rate(checkout_errors_total[5m]) > 0.5
      - alert: SettlementLag
        expr: kafka_consumergroup_lag{group="settlement"} > 1000
"""

ALERT_SHADOW = """
      - alert: LedgerShadowMismatch
        expr: increase(ledger_shadow_mismatch_total[15m]) > 0
        labels: {severity: ticket}
"""

CI_MIGRATIONS = """
name: migrations
on: [pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env: {POSTGRES_PASSWORD: test}
    steps:
      - uses: actions/checkout@v4
      - run: ./scripts/apply_migrations.sh postgresql://postgres:test@localhost/postgres
"""

READ_SWITCH = """
import hashlib


def bucket(merchant_id: str) -> int:
    return int(hashlib.sha1(merchant_id.encode()).hexdigest(), 16) % 100


class ReadSwitch:
    \"\"\"Per-merchant rollout of Postgres reads: 1% -> 10% -> 50% -> 100%.\"\"\"

    def __init__(self, flags, mysql, postgres) -> None:
        self.flags, self.mysql, self.postgres = flags, mysql, postgres

    def reader(self, merchant_id: str):
        percent = self.flags.get_int("ledger_pg_read_percent", 0)
        return self.postgres if bucket(merchant_id) < percent else self.mysql
"""

RUNBOOK_CUTOVER = """
# Runbook: ledger read cutover to Postgres

Steps: 1% -> 10% -> 50% -> 100% of merchants, holding each step for at least 4 hours.

1. Check the shadow-read dashboard: zero mismatches in the last 24 h.
2. Raise `ledger_pg_read_percent` to the next step.
3. Watch checkout p95 and ledger read p99 for 30 minutes.
4. Roll back: set `ledger_pg_read_percent` to the previous step (takes effect in under 60 s).
"""

CHECKOUT_LOGGING = """
import logging

log = logging.getLogger("checkout.payment_attempt")


def log_attempt(attempt) -> None:
    log.info("payment_attempt", extra={
        "attempt_id": attempt.id, "merchant_id": attempt.merchant_id, "amount_minor": attempt.amount_minor,
        "currency": attempt.currency, "outcome": attempt.outcome, "latency_ms": attempt.latency_ms,
    })
"""

BENCH = """
\"\"\"Replay 10,000 recorded checkouts against staging and print p50 / p95 / p99.\"\"\"
import statistics
import sys
import time


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1]


def main(client, recordings) -> None:
    timings = []
    for recording in recordings:
        start = time.perf_counter()
        client.post("/checkout", json=recording)
        timings.append((time.perf_counter() - start) * 1000)
    for p in (50, 95, 99):
        sys.stdout.write(f"p{p}: {percentile(timings, p):.0f} ms\\n")
"""

PRICING_OLD = """
def price_cart(db, cart):
    total = 0
    for line in cart.lines:
        price = db.execute("SELECT unit_price_minor FROM prices WHERE sku = %s AND merchant_id = %s",
                           (line.sku, cart.merchant_id)).fetchone()[0]
        total += price * line.quantity
    return total
"""

PRICING_NEW = """
def price_cart(db, cart):
    \"\"\"One query for all lines (was one per line: 37 queries for an average cart).\"\"\"
    skus = [line.sku for line in cart.lines]
    rows = db.execute(
        "SELECT sku, unit_price_minor FROM prices WHERE merchant_id = %s AND sku = ANY(%s)",
        (cart.merchant_id, skus),
    ).fetchall()
    prices = dict(rows)
    missing = [sku for sku in skus if sku not in prices]
    if missing:
        raise KeyError(f"no price for {', '.join(missing)}")
    return sum(prices[line.sku] * line.quantity for line in cart.lines)
"""

TEST_PRICING = """
from services.checkout.pricing import price_cart


def test_price_cart_issues_one_query(counting_db, cart_with_lines):
    cart = cart_with_lines(37)

    price_cart(counting_db, cart)

    assert counting_db.queries == 1
"""

ORCHESTRATOR_OLD = """
def checkout(cart, pricing, fraud, tax, gateway):
    total = pricing.price_cart(cart)
    verdict = fraud.check(cart, total)
    quote = tax.quote(cart, total)
    if verdict.block:
        return {"status": "declined"}
    return gateway.authorize(cart.payment_method, total + quote.amount_minor)
"""

ORCHESTRATOR_NEW = """
import asyncio


async def checkout(cart, pricing, fraud, tax, gateway):
    total = await pricing.price_cart(cart)
    verdict, quote = await asyncio.gather(fraud.check(cart, total), tax.quote(cart, total))
    if verdict.block:
        return {"status": "declined"}
    return await gateway.authorize(cart.payment_method, total + quote.amount_minor)
"""

ORCHESTRATOR_TIMEOUTS = """

FRAUD_TIMEOUT_S = 0.150
TAX_TIMEOUT_S = 0.250


async def fraud_or_allow(fraud, cart, total):
    try:
        return await asyncio.wait_for(fraud.check(cart, total), FRAUD_TIMEOUT_S)
    except asyncio.TimeoutError:
        return fraud.allow(reason="timeout")  # fail open, scored again asynchronously


async def tax_or_cached(tax, cart, total):
    try:
        return await asyncio.wait_for(tax.quote(cart, total), TAX_TIMEOUT_S)
    except asyncio.TimeoutError:
        return tax.cached_quote(cart, total)
"""

MERCHANT_CONFIG = """
import time

TTL_SECONDS = 60


class MerchantConfigCache:
    \"\"\"In-process cache: merchant config was read from Postgres on every checkout (97% hit rate now).\"\"\"

    def __init__(self, loader) -> None:
        self.loader = loader
        self.entries: dict[str, tuple[float, dict]] = {}

    def get(self, merchant_id: str) -> dict:
        now = time.monotonic()
        hit = self.entries.get(merchant_id)
        if hit and now - hit[0] < TTL_SECONDS:
            return hit[1]
        config = self.loader(merchant_id)
        self.entries[merchant_id] = (now, config)
        return config
"""

PERF_RESULTS = """
# Checkout latency, 2026

Measured in production over 7 days before (5-11 May) and after (5-11 June) the work.

| metric | before | after |
|---|---|---|
| p50 | 310 ms | 210 ms |
| p95 | 840 ms | 520 ms |
| queries per checkout | 41 | 6 |

Changes: batched cart pricing (#441), fraud check and tax quote in parallel (#445), merchant config cache (#447).
"""

SETTLEMENT_OLD = """
from confluent_kafka import Consumer


def run(config, handle):
    consumer = Consumer(config)
    consumer.subscribe(["payments.settlement"])
    while True:
        message = consumer.poll(1.0)
        if message is None:
            continue
        handle(message.value())
        consumer.commit(message)
"""

SETTLEMENT_NEW = """
from nwkafka import Consumer, RetryPolicy


class SettlementConsumer(Consumer):
    topic = "payments.settlement"
    group = "settlement"
    retry = RetryPolicy(attempts=5, base_delay_s=0.5, dead_letter_topic="payments.settlement.dlq")

    def handle(self, message) -> None:
        self.scheduler.schedule_payout(message.json())
"""

NWKAFKA_CONSUMER = """
from confluent_kafka import Consumer as _KafkaConsumer


class Consumer:
    \"\"\"Subclass, set `topic` and `group`, implement `handle`. Offsets are committed after success only.\"\"\"

    topic: str = ""
    group: str = ""
    retry = None

    def __init__(self, config: dict) -> None:
        self._consumer = _KafkaConsumer({**config, "group.id": self.group, "enable.auto.commit": False})
        self._consumer.subscribe([self.topic])

    def handle(self, message) -> None:
        raise NotImplementedError

    def run_once(self, timeout_s: float = 1.0) -> None:
        message = self._consumer.poll(timeout_s)
        if message is None or message.error():
            return
        if self.retry:
            self.retry.call(self.handle, message)
        else:
            self.handle(message)
        self._consumer.commit(message, asynchronous=False)
"""

NWKAFKA_RETRY = """
import random
import time
from dataclasses import dataclass


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    dead_letter_topic: str | None = None

    def delay(self, attempt: int) -> float:
        \"\"\"Exponential backoff with full jitter (RFC-017).\"\"\"
        return random.uniform(0, min(self.max_delay_s, self.base_delay_s * 2 ** attempt))

    def call(self, handle, message) -> None:
        for attempt in range(self.attempts):
            try:
                return handle(message)
            except Exception:
                if attempt == self.attempts - 1:
                    break
                time.sleep(self.delay(attempt))
        if self.dead_letter_topic:
            self.producer.produce(self.dead_letter_topic, message.value(), headers=message.headers())
        else:
            raise RuntimeError("message failed and no dead-letter topic is configured")
"""

NWKAFKA_METRICS = """
from prometheus_client import Counter, Histogram

PROCESSED = Counter("nwkafka_messages_total", "Messages handled", ["topic", "group", "outcome"])
DURATION = Histogram("nwkafka_handle_seconds", "Time spent in handle()", ["topic", "group"])
DEAD_LETTERED = Counter("nwkafka_dead_lettered_total", "Messages sent to the DLQ", ["topic", "group"])
"""

NWKAFKA_LAG_GAUGE = """
from prometheus_client import Gauge

LAG = Gauge("nwkafka_consumer_lag", "Messages behind the high watermark", ["topic", "group", "partition"])


def report_lag(consumer, topic: str, group: str) -> None:
    for tp in consumer.assignment():
        low, high = consumer.get_watermark_offsets(tp, cached=True)
        position = consumer.position([tp])[0].offset
        LAG.labels(topic, group, str(tp.partition)).set(max(0, high - position))
"""

NWKAFKA_README = """
# nw-kafka

A small consumer library for Northwind services: manual offset commits, retries with exponential backoff
and full jitter, a dead-letter topic, and Prometheus metrics for lag and handling time.

## Migrating a consumer
1. Subclass `nwkafka.Consumer`, set `topic` and `group`, move your loop body into `handle()`.
2. Pick a `RetryPolicy`; always configure `dead_letter_topic` for payment flows.
3. Delete your poll loop, commit logic and metrics (typically about 400 lines).
4. Add the `nwkafka_consumer_lag` alert from `alerts/templates/nwkafka.yaml`.
"""

RFC_017 = """
# RFC-017: Retry and backoff guidelines for payment calls

Status: draft. Author: Maya Chen.

## Problem
Every service retries differently. INC-214 (duplicate refunds) and INC-231 (settlement lag) were both made
worse by retries: one retried a non-idempotent call, the other retried a poison message forever.

## Guidelines
1. Only retry idempotent operations, or operations made idempotent with an idempotency key.
2. Exponential backoff with full jitter: delay = random(0, min(cap, base * 2^attempt)).
3. Budget retries per request: at most 3 attempts inside a user-facing request, and never past its deadline.
4. Messages that keep failing go to a dead-letter topic after 5 attempts; never block a partition.
5. Emit a metric for every retry and every give-up.
"""

RFC_017_FEEDBACK = """

## Changes after review (9 reviewers from 4 teams)
- Added a retry budget for fan-out calls (Jonas): a request retries at most 10% of its calls.
- Clarified that 409 Conflict from an idempotent endpoint is not retryable (Aisha).
- Added guidance for gRPC status codes (platform team).

Status: approved by the architecture review on 24 Jul 2026.
"""

FRAUD_FEATURES = """
from datetime import timedelta


def card_velocity(events, card_fingerprint: str, now) -> dict:
    \"\"\"Attempts on one card in the last 1 h / 24 h, and distinct merchants in 24 h.\"\"\"
    recent = [e for e in events if e.card == card_fingerprint and now - e.at <= timedelta(hours=24)]
    return {
        "attempts_1h": sum(1 for e in recent if now - e.at <= timedelta(hours=1)),
        "attempts_24h": len(recent),
        "merchants_24h": len({e.merchant_id for e in recent}),
    }
"""

WEBHOOK_DASHBOARD = """
{
  "title": "Webhook deliveries and retries",
  "panels": [
    {"title": "Deliveries by outcome", "expr": "sum by (outcome) (rate(webhook_deliveries_total[5m]))"},
    {"title": "Retries by attempt", "expr": "sum by (attempt) (rate(webhook_retries_total[5m]))"},
    {"title": "Oldest undelivered", "expr": "max(webhook_oldest_pending_seconds)"}
  ]
}
"""

REPLAY_CLI = """
\"\"\"Replay failed webhook deliveries: python tools/replay_webhooks.py --merchant m_123 --since 2026-08-01\"\"\"
import argparse


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--merchant", required=True)
    parser.add_argument("--since", required=True)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    from services.refunds.webhooks import replay_failed

    count = replay_failed(args.merchant, args.since, dry_run=args.dry_run)
    print(f"{'would replay' if args.dry_run else 'replayed'} {count} deliveries")
    return 0
"""

CHECKOUT_DB = """
import psycopg

RETRYABLE = (psycopg.errors.AdminShutdown, psycopg.OperationalError)


def is_failover_error(exc: Exception) -> bool:
    \"\"\"Connection resets while the Postgres primary fails over (INC-247).\"\"\"
    return isinstance(exc, RETRYABLE) and "terminating connection" in str(exc)
"""

CHECKOUT_DB_RETRY = """

import random
import time

MAX_ATTEMPTS = 3


def with_failover_retry(fn, *args, **kwargs):
    \"\"\"Retry a read or an idempotent write across a failover, with full jitter (RFC-017).\"\"\"
    for attempt in range(MAX_ATTEMPTS):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if not is_failover_error(exc) or attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.05 * 2 ** attempt))
"""

TEST_FAILOVER = """
import pytest


@pytest.mark.chaos
def test_checkout_survives_primary_failover(staging, load):
    with load(rps=200, seconds=120) as run:
        staging.postgres.failover()
    assert run.error_rate < 0.001
"""

POSTMORTEM_214 = """
# Postmortem: INC-214 duplicate refunds (20 Jan 2026)

Incident commander: Maya Chen. Severity: SEV-2. Duration: 3 h 05 m.

## Summary
Gateway timeouts made the refunds worker retry POST /refunds without an idempotency key. 212 refunds were
issued twice, $18,760 in total. All 212 were reversed within 2 days; no merchant lost money.

## Follow-ups
- PAY-118 idempotency keys for refunds (owner: Maya)
- Stop-gap double-submit guard (shipped 21 Jan)
- Alert on refunds per charge > 1 (owner: Jonas)
"""

POSTMORTEM_231 = """
# Postmortem: INC-231 settlement consumer lag (3 Jun 2026)

Incident commander: Maya Chen. Severity: SEV-2. Payouts delayed by up to 2 h 10 m for 3,400 merchants.

## Summary
A malformed settlement message made the consumer crash and restart in a loop; with no dead-letter topic the
partition stopped, and lag grew to 1.9M messages. We skipped the message by hand and drained the backlog in 48 min.

## Follow-ups
- A shared consumer library with retries and a dead-letter topic (became nw-kafka, PAY-171)
- Consumer lag alert at 5 minutes of lag instead of 1,000 messages
"""

POSTMORTEM_247 = """
# Postmortem: INC-247 checkout errors during Postgres failover (19 Aug 2026)

Incident commander: Maya Chen. Severity: SEV-1. Checkout error rate 4.1% for 17 minutes at peak.

## Summary
An RDS maintenance event failed the primary over during the evening peak. Checkout held connections to the
old primary and failed requests instead of reconnecting.

## Follow-ups
- Retry failover errors with jittered backoff (#481)
- A chaos test that fails the primary over under load (runs weekly)
- The October failover game day saw 0.02% errors
"""

ROUTING = """
REPORT_QUERIES = {"monthly_statement", "payout_summary", "balance_history"}


def connection_for(query_name: str, primary, replica):
    \"\"\"Send read-only report queries to the replica so month-end reports stop loading the primary.\"\"\"
    return replica if query_name in REPORT_QUERIES else primary
"""

FRAUD_CLIENT = """
import httpx

BUDGET_S = 0.080


class FraudScoringClient:
    \"\"\"Calls the fraud-scoring service; fails open when it does not answer within 80 ms.\"\"\"

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=BUDGET_S)

    def score(self, attempt) -> float | None:
        try:
            response = self.http.post("/v1/score", json=attempt.features())
            response.raise_for_status()
            return float(response.json()["score"])
        except (httpx.TimeoutException, httpx.HTTPStatusError):
            return None  # fail open: checkout goes on, the attempt is scored again asynchronously
"""

FRAUD_CLIENT_LOG = """

def log_score(log, attempt, score: float | None) -> None:
    log.info("fraud_score", extra={"attempt_id": attempt.id, "merchant_id": attempt.merchant_id,
                                   "score": score, "timed_out": score is None})
"""

ALERTS_TUNED = """
groups:
  - name: payments-slo
    rules:
      - alert: CheckoutAvailabilityBurnRateFast
        expr: slo:checkout_errors:ratio_rate1h > (14.4 * 0.0005)
        labels: {severity: page}
        annotations: {runbook: runbooks/checkout-errors.md}
      - alert: CheckoutAvailabilityBurnRateSlow
        expr: slo:checkout_errors:ratio_rate6h > (6 * 0.0005)
        labels: {severity: ticket}
      - alert: SettlementLagMinutes
        expr: nwkafka_consumer_lag_seconds{group="settlement"} > 300
        labels: {severity: page}
        annotations: {runbook: runbooks/settlement-lag.md}
"""

RUNBOOK_LAG = """
# Runbook: settlement consumer lag

1. Open the nw-kafka dashboard, filter group=settlement.
2. If `nwkafka_dead_lettered_total` is rising, inspect the DLQ: `tools/dlq.py peek payments.settlement.dlq`.
3. If lag rises with no dead-lettering, scale the consumer to 12 replicas (one per partition).
4. Tell #payments-support if payouts will be more than 30 minutes late.
"""

RUNBOOK_CHECKOUT = """
# Runbook: checkout errors

1. Check the burn-rate panel: which error class is rising (gateway, fraud, tax, database)?
2. Database: check for a failover in the RDS events; errors should stop within 60 s of it.
3. Gateway: check the provider status page; switch the routing weight with `tools/gateway_weights.py`.
4. Escalate to the incident commander rotation if the error rate stays above 1% for 10 minutes.
"""

TEST_TAX = """
from decimal import Decimal


def test_tax_quote_rounds_half_even(tax_client):
    quote = tax_client.quote_amount(Decimal("10.005"), rate=Decimal("0.0825"))
    assert quote == Decimal("0.83")
"""

PARTIAL = """
def partial_refund(refunds, charge, amount_minor: int, idempotency_key: str):
    return refunds.create(charge_id=charge.id, amount_minor=amount_minor, idempotency_key=idempotency_key)
"""

PARTIAL_VALIDATE = """

class RefundTooLarge(ValueError):
    status = 422


def check_amount(charge, amount_minor: int) -> None:
    refunded = sum(r.amount_minor for r in charge.refunds if r.status != "failed")
    if amount_minor <= 0 or refunded + amount_minor > charge.captured_minor:
        raise RefundTooLarge(f"at most {charge.captured_minor - refunded} can still be refunded")
"""

TEST_PARTIAL = """
import pytest

from services.refunds.partial import RefundTooLarge, check_amount


def test_cannot_refund_more_than_captured(charge_factory):
    charge = charge_factory(captured_minor=5000, refunds=[3000])
    with pytest.raises(RefundTooLarge):
        check_amount(charge, 2500)
"""

ONCALL_HANDBOOK = """
# On-call handbook (payments)

For engineers joining the rotation. Shadow two shifts, then take a primary shift with a named backup.

- Pages: every page links a runbook. If it does not, that is a bug: file it in PAY with the `on-call` label.
- SLO: checkout availability 99.95% over 28 days; error budget burn alerts page, slow burn opens a ticket.
- Handoff: write the handoff note before 10:00 Monday (open incidents, noisy alerts, risky deploys).
- Incidents: the first responder is incident commander until they hand the role over explicitly.
"""

PARTITIONING = """
# Proposal: monthly partitioning for ledger_entries (2027)

ledger_entries grows by about 9M rows a month (62M today). Month-end reports scan far more than they need.

## Proposal
Range-partition by created_at, one partition per month; detach partitions older than 25 months to cold
storage. Expected: month-end report from 25 min to under 5 min; vacuum time down by about 80%.

## Rollout
Build the partitioned table alongside, backfill with the 2026 backfill job, swap with a rename in a
maintenance window of under 5 minutes.
"""


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("payments-sample")
    sys.stdout.write(f"{build(target)}\n")
