"""Secret redaction before anything leaves for an LLM endpoint."""

from __future__ import annotations

import pytest

from app.redact import redact, redact_messages

PEM = """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
-----END RSA PRIVATE KEY-----"""


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("key sk-proj-Zx81LmQ02nVb7TcRk4Wy9PdE6HsA3JfG here", "Zx81LmQ02nVb7TcRk4Wy9PdE6HsA3JfG", "api-key"),
        ("old key sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "sk-abcdefghij", "api-key"),
        ("aws AKIAQ3EGRIXMPLSEC7ZZ in config", "AKIAQ3EGRIXMPLSEC7ZZ", "aws-key"),
        ("token ghp_R4nD0mT0k3nV4lu3F0rT3st1ngOnly0000xy", "ghp_R4nD0m", "github-token"),
        ("oauth gho_R4nD0mT0k3nV4lu3F0rT3st1ngOnly0000xy", "gho_R4nD0m", "github-token"),
        ("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11", "github-token"),
        ("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl", "xoxb-1234", "slack-token"),
        ("slack xoxp-123456789012-1234567890123-AbCdEfGhIjKl", "xoxp-1234", "slack-token"),
        ("maps AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA123", "google-key"),
        ("Authorization: Bearer abcDEF0123456789ghiJKL.mno", "abcDEF0123456789", "bearer-token"),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "eyJhbGciOiJIUzI1NiJ9",
            "jwt",
        ),
        ("login password=Hunter2! then", "Hunter2!", "password"),
        ('DB_PASSWORD: "correct horse battery"', "correct horse", "password"),
        ("pwd: s3cr3t-Pa55", "s3cr3t-Pa55", "password"),
        ("dsn postgres://payments:Hunter2-Pg@db.internal:5432/ledger", "Hunter2-Pg", "credentials"),
        ("uri mongodb+srv://admin:M0ng0Pass@cluster0.abc.mongodb.net/db", "M0ng0Pass", "credentials"),
        ("clone https://maya:ghs_notAtokenButStill@github.com/acme/pay.git", "ghs_notAtoken", "credentials"),
        ("api_token: 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a", "secret"),
        ('"client_secret": "Q2x8vT5mN1pR7sK4wZ9yB3cF6hJ0"', "Q2x8vT5mN1pR7sK4", "secret"),
        (f"before\n{PEM}\nafter", "MIIEowIBAAKCAQEAu1SU1", "private-key"),
        ("cache redis://:pw0rdXyz@cache.internal:6379/0", "pw0rdXyz", "credentials"),
        ("broker amqp://guest:p@ss/w0rd-9@rabbit:5672", "ss/w0rd-9", "credentials"),
        ("ftp://deploy:a/b@c@files.example.com/up", "a/b@c", "credentials"),
        ("the password is Tr0ub4dor&3.", "Tr0ub4dor", "password"),
        ("The root password for prod-db was 'correct horse battery staple'.", "correct horse", "password"),
        ("I changed the password to Spring2026! after", "Spring2026", "password"),
        (
            "alerts https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx now",
            "abcdefghijklmnopqrstuvwx",
            "slack-webhook",
        ),
        (
            "hook https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOpQr",
            "AbCdEf-GhIjKl",
            "discord-webhook",
        ),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA", "basic-auth"),
        ("billing sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39", "stripe-access-key"),
        ("twilio SK0123456789abcdef0123456789abcdef", "SK0123456789abcdef", "twilio-api-key"),
        ("gitlab glpat-abcdefghij1234567890", "abcdefghij1234567890", "gitlab-token"),
        (
            "sendgrid SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
            "SG.abcdefghij",
            "sendgrid-api-key",
        ),
        (
            "npm //registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "npm_AbCdEf",
            "npm-tokens",
        ),
        ("bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0", "AAHdqTcvCH1v", "telegram-bot-token"),
        (
            "OPENSSH -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXkt",
            "private-key",
        ),
    ],
)
def test_secret_is_replaced_by_a_marker(text: str, secret: str, kind: str) -> None:
    result = redact(text)

    assert secret not in result.text
    assert f"[REDACTED:{kind}]" in result.text
    assert result.count >= 1


def test_pem_block_goes_whole_header_body_and_footer() -> None:
    result = redact(f"Rotated the deploy key:\n{PEM}\nDone in 2 days.")

    assert result.text == "Rotated the deploy key:\n[REDACTED:private-key]\nDone in 2 days."
    assert result.count == 1


def test_pem_block_cut_off_by_a_snippet_is_redacted_to_its_last_line() -> None:
    cut = PEM.rsplit("\n", 2)[0]  # no footer

    result = redact(f"{cut}\n\nNext paragraph stays.")

    assert "MIIEowIBAAKCAQEA" not in result.text
    assert "VTLw7onLRnrq0" not in result.text
    assert result.text.endswith("Next paragraph stays.")


def test_pem_with_escaped_newlines_in_json() -> None:
    text = '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}'

    assert "MIIEvQIBADANBgkq" not in redact(text).text


def test_connection_string_keeps_scheme_and_host() -> None:
    result = redact("DATABASE_URL=postgres://payments:Hunter2-Pg@db.internal:5432/ledger")

    assert result.text == "DATABASE_URL=postgres://[REDACTED:credentials]@db.internal:5432/ledger"


@pytest.mark.parametrize(
    "text",
    [
        "Cut p95 checkout latency 38% (820 ms to 510 ms) across 12 services.",
        "Merged 57 PRs; see https://github.com/acme/payments/pull/412 and jira:PAY-142.",
        "git:acme/payments@4f1c2d9e7a01b2c3d4e5f60718293a4b5c6d7e8f",
        "The key takeaway: 3 incidents in Q2, the token budget is 6000 tokens.",
        "Keyboard shortcuts for the secret santa list were fixed in v2.4.1.",
        "Reviewed the password reset flow (PAY-77) and the SSO key rotation design.",
        "Skip to https://docs.example.com/api/keys for the rotation runbook.",
        "The password is rotated every 90 days; the password policy was reviewed (PAY-88).",
        "Cut p95 checkout latency 38% across 12 services (PAY-142, #412) for 1.2k merchants, saving $12,400.",
        "Emailed maya@example.com; the service answers on http://localhost:8080/health and https://host:8080/a.",
    ],
)
def test_ordinary_work_text_is_left_alone(text: str) -> None:
    assert redact(text).text == text
    assert redact(text).count == 0


def test_redacting_twice_finds_nothing_more() -> None:
    text = (
        f"sk-proj-Zx81LmQ02nVb7TcRk4Wy9PdE6HsA3JfG password=hunter2 api_key=Q2x8vT5mN1pR7sK4wZ9y\n{PEM}\n"
        "postgres://u:p4ss@h/db Bearer abcDEF0123456789ghiJKL"
    )
    once = redact(text)

    again = redact(once.text)

    assert once.count == 6
    assert again == type(once)(once.text, 0)


def test_redact_messages_counts_every_message() -> None:
    messages = [{"role": "system", "content": "rules"}, {"role": "user", "content": "AKIAQ3EGRIXMPLSEC7ZZ"}]

    clean, count = redact_messages(messages)

    assert clean == [
        {"role": "system", "content": "rules"},
        {"role": "user", "content": "[REDACTED:aws-key]"},
    ]
    assert count == 1
    assert messages[1]["content"] == "AKIAQ3EGRIXMPLSEC7ZZ"  # the caller's list is untouched


def test_placeholders_keep_the_sentence_readable() -> None:
    text = "Moved the cache to redis://:pw0rdXyz@cache.internal:6379 and cut p95 latency 38% (PAY-142, #412)."

    result = redact(text)

    assert result.text == (
        "Moved the cache to redis://[REDACTED:credentials]@cache.internal:6379 and cut p95 "
        "latency 38% (PAY-142, #412)."
    )
