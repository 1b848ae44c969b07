"""`selfreview sync gitlab|jira|linear` as a user runs it: settings from the environment, the login from
`selfreview me`, the fetched work ingested into the workspace (replayed from the first-sync cassettes), and a
usage error that says what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from tests.ingest.live import gitlab_server, jira_server, linear_server
from tests.ingest.live.replay import CASSETTES, REPLAY, recorder

FIRST = {
    "gitlab": "test_a_first_sync_gives_merge_requests_approvals_and_merges_with_their_roles",
    "jira": "test_a_first_sync_gives_the_records_and_roles_of_a_search_export",
    "linear": "test_a_first_sync_gives_the_records_and_roles_of_a_csv_export",
}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, fake_embedding: None) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", gitlab_server.TOKEN)
    monkeypatch.setenv("GITLAB_URL", REPLAY)
    monkeypatch.setenv("JIRA_API_TOKEN", jira_server.TOKEN)
    monkeypatch.setenv("JIRA_EMAIL", jira_server.EMAIL)
    monkeypatch.setenv("JIRA_URL", REPLAY)
    monkeypatch.setenv("LINEAR_API_KEY", linear_server.TOKEN)
    monkeypatch.setenv("SELFREVIEW_LINEAR_API", REPLAY)


def _sync(service: str, *args: str) -> int:
    folder = CASSETTES / f"{service}_sync"
    with recorder(folder, False, REPLAY).use_cassette(str(folder / f"{FIRST[service]}.yaml")):
        return main(["sync", service, "--json", *args])


@pytest.mark.parametrize(
    ("service", "me", "added", "yours"),
    [
        ("gitlab", ["--gitlab", "maya-chen", "--name", "Maya Chen"], 5, 5),
        ("jira", ["--jira", jira_server.MAYA["accountId"]], 3, 2),  # PAY-203 is Raj's, resolved by Maya
        ("linear", [], 3, 3),  # the API key says who the user is
    ],
)
def test_a_sync_ingests_the_users_work_into_the_workspace(
    selfreview_home: Path, capsys: pytest.CaptureFixture, service: str, me: list[str], added: int, yours: int
) -> None:
    if me:
        assert main(["me", *me]) == 0
    capsys.readouterr()

    code = _sync(service)

    report = json.loads(capsys.readouterr().out)
    assert (code, report["added"], report["yours"], report["skipped"], report["since"]) == (
        0,
        added,
        yours,
        [],
        None,
    )


def test_without_a_login_the_sync_says_how_to_record_it(
    selfreview_home: Path, capsys: pytest.CaptureFixture
) -> None:
    code = main(["sync", "gitlab"])

    assert code == 2
    assert (
        "which GitLab username is yours? pass --login, or record it with `selfreview me --gitlab"
        in capsys.readouterr().err.replace("\n", " ")
    )
