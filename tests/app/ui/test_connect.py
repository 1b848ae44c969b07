"""Connect page: the first-run identity step (saved per data directory, matched exactly afterwards) and a panel
per service that says what its sync lacks, never shows a token, and syncs into the workspace (replayed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.identity import load_identity
from tests.app.ui.conftest import texts, unescape
from tests.ingest.live.gitlab_server import TOKEN
from tests.ingest.live.replay import CASSETTES, REPLAY, recorder

FIRST_SYNC = "test_a_first_sync_gives_merge_requests_approvals_and_merges_with_their_roles"


@pytest.fixture(autouse=True)
def no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITLAB_TOKEN",
        "JIRA_API_TOKEN",
        "LINEAR_API_KEY",
        "JIRA_URL",
        "JIRA_EMAIL",
        "GITLAB_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    import keyring
    import keyring.errors

    def no_keyring(*args: object) -> None:
        raise keyring.errors.NoKeyringError("no backend")

    monkeypatch.setattr(
        keyring, "get_password", lambda *args: None
    )  # the real keyring is never read or written
    monkeypatch.setattr(keyring, "set_password", no_keyring)


def test_with_no_identity_the_page_asks_who_you_are_first(app):
    at = app("connect")

    assert not at.exception
    assert "First, say who you are" in at.warning[0].value
    assert "GitLab: needs a token (GITLAB_TOKEN, or the OS keyring), your username" in texts(at)


def test_saving_who_you_are_records_exact_aliases(app, selfreview_home: Path):
    at = app("connect")
    by_label = {w.label: w for w in at.text_input}
    by_label["Names"].input("Maya Chen, M. Chen")
    by_label["Emails"].input("maya@acme.io")
    by_label["GitLab username"].input("maya-chen")
    at.button(key="FormSubmitter:identity_form-Save who I am").click().run()

    assert not at.exception
    saved = load_identity(selfreview_home)
    assert (saved.names, saved.emails, saved.logins) == (
        ["Maya Chen", "M. Chen"],
        ["maya@acme.io"],
        {"gitlab": ["maya-chen"]},
    )
    assert "Saved to" in unescape(texts(at))
    assert not at.warning


def test_a_sync_from_the_panel_ingests_the_service_and_never_shows_the_token(
    app, selfreview_home: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    monkeypatch.setenv("GITLAB_URL", REPLAY)
    (selfreview_home / "identity.json").write_text(
        json.dumps({"names": ["Maya Chen"], "emails": [], "logins": {"gitlab": ["maya-chen"]}})
    )
    at = app("connect")
    assert "GitLab: ready" in texts(at)

    folder = CASSETTES / "gitlab_sync"
    with recorder(folder, False, REPLAY).use_cassette(str(folder / f"{FIRST_SYNC}.yaml")):
        at.button(key="sync_gitlab").click().run()

    assert not at.exception
    assert (
        "GitLab: fetched everything; 5 added, 0 updated, 0 unchanged, 0 skipped. 5 items are yours."
        in unescape(texts(at))
    )
    assert TOKEN not in texts(at)
    (panel,) = [unescape(m.value) for m in at.markdown if "Token: from the environment" in unescape(m.value)]
    assert "Username: maya-chen. Last sync: 20" in panel  # the sync time is shown, the token is not


def test_a_missing_keyring_is_a_plain_message(app):
    at = app("connect")
    at.text_input(key="token_value_linear").input("lin_api_example")
    at.button(key="FormSubmitter:token_linear-Keep it in the OS keyring").click().run()

    assert not at.exception
    assert at.error
    assert "set LINEAR_API_KEY in the environment" in unescape(at.error[0].value)
