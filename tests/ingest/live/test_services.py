"""What `selfreview sync` and the Connect panel read before fetching: a service's missing pieces (never its
token), the user's login, and a whole sync from the environment's settings, replayed from a cassette."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.identity import Identity
from ingest.live import services
from ingest.live.http import SyncError
from ingest.sources import Skips, SourceOptions, connector
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


def test_a_service_without_token_or_login_says_what_it_lacks(tmp_path: Path) -> None:
    status = services.status(tmp_path, "default", "jira", Identity())

    assert status.token == ""
    assert status.missing == [
        "a token (JIRA_API_TOKEN, or the OS keyring)",
        "JIRA_URL",
        "JIRA_EMAIL",
        "your accountId (selfreview me --jira ...)",
    ]
    assert status.last_sync is None


def test_a_token_in_the_environment_is_found_and_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINEAR_API_KEY", "lin_api_secret")

    status = services.status(tmp_path, "default", "linear", Identity())

    assert (status.token, status.missing) == ("environment", [])
    assert "lin_api_secret" not in repr(status)


def test_a_token_kept_in_the_os_keyring_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    monkeypatch.setattr(
        keyring, "get_password", lambda service, name: "ghp_kept" if name == "github" else None
    )

    assert (
        services.status(tmp_path, "default", "github", Identity(logins={"github": ["maya-chen"]})).token
        == "keyring"
    )
    assert services.status(tmp_path, "default", "gitlab", Identity()).token == ""


def test_a_login_comes_from_the_identity_unless_given(tmp_path: Path) -> None:
    maya = Identity(logins={"gitlab": ["maya-chen"]})

    assert services.login_for("gitlab", maya) == "maya-chen"
    assert services.login_for("gitlab", maya, "m.chen") == "m.chen"
    assert services.login_for("linear", Identity()) == ""  # the key says who the user is
    with pytest.raises(SyncError, match="which GitLab username is yours"):
        services.login_for("gitlab", Identity())
    with pytest.raises(SyncError, match="no live sync for 'bitbucket'"):
        services.service("bitbucket")


def test_a_sync_from_the_environment_fetches_and_names_the_connector_to_ingest_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    monkeypatch.setenv("GITLAB_URL", REPLAY)
    maya = Identity(names=["Maya Chen"], logins={"gitlab": ["maya-chen"]})

    folder = CASSETTES / "gitlab_sync"
    with recorder(folder, False, REPLAY).use_cassette(
        str(folder / f"{FIRST_SYNC}.yaml")
    ):  # replayed, never recorded
        fetched = services.sync(tmp_path, "default", "gitlab", maya)

    assert (fetched["kind"], fetched["skipped"], len(fetched["files"])) == ("jsonl", [], 1)
    records = list(
        connector(fetched["kind"])([fetched["folder"]], SourceOptions(identity=fetched["identity"]), Skips())
    )
    assert len(records) == 5
    assert services.status(tmp_path, "default", "gitlab", maya).last_sync is not None
