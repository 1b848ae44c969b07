"""One identity: stored per data directory (and per signed-in user), matched exactly by every connector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.metrics import compute
from ingest.identity import Identity, IdentityError, load_identity, save_identity, update
from ingest.sources import Skips, SourceOptions
from ingest.sources.jira_source import iter_records as jira_records

DATA = Path(__file__).resolve().parents[2] / "data"
MAYA = Identity(
    names=["Maya Chen"],
    emails=["maya@acme.io"],
    logins={"github": ["maya-chen"], "jira": ["5b10ac8d82e05b22cc7d4ef5"]},
)


def test_matching_is_exact_after_normalisation_never_a_substring() -> None:
    dan = Identity().with_aliases(["dan"])

    assert not dan.matches("jordan-lee")
    assert not dan.matches("Dana Smith <dana@acme.io>")
    assert dan.matches("  DAN ")
    assert MAYA.matches("Maya Chen <MAYA@ACME.IO>")
    assert MAYA.matches("maya@acme.io")
    assert MAYA.matches("12345+maya-chen@users.noreply.github.com")


def test_logins_match_only_the_service_they_belong_to() -> None:
    assert MAYA.matches("maya-chen", "github")
    assert not MAYA.matches("maya-chen", "jira")
    assert MAYA.matches("5b10ac8d82e05b22cc7d4ef5", "jira")


def test_identity_is_stored_per_data_directory_and_per_signed_in_user(tmp_path: Path) -> None:
    save_identity(tmp_path, MAYA)
    save_identity(tmp_path, Identity(names=["Raj Patel"]), user="raj-example-com-1f2e3d4c5b")

    assert load_identity(tmp_path) == MAYA
    assert load_identity(tmp_path, "raj-example-com-1f2e3d4c5b").names == ["Raj Patel"]
    assert load_identity(tmp_path, "someone-else").is_empty()
    with pytest.raises(IdentityError, match="not a user key"):
        load_identity(tmp_path, "../escape")


def test_a_damaged_identity_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "identity.json").write_text('{"names": "Maya"}')

    with pytest.raises(IdentityError, match=r"identity.json: names and emails must be lists"):
        load_identity(tmp_path)


def test_update_adds_without_duplicates_and_removes_everywhere() -> None:
    changed = update(MAYA, {"names": ["maya chen", "M. Chen"], "gitlab": ["mchen"]}, ["maya-chen"])

    assert changed.names == ["Maya Chen", "M. Chen"]
    assert changed.logins == {"jira": ["5b10ac8d82e05b22cc7d4ef5"], "gitlab": ["mchen"]}
    with pytest.raises(IdentityError, match="not an email"):
        update(MAYA, {"emails": ["maya"]}, [])


def test_a_team_export_with_the_identity_set_shows_only_the_users_tickets_and_points() -> None:
    team = DATA / "jira" / "team_export.csv"

    mine = list(jira_records([team], SourceOptions(identity=MAYA), Skips()))
    everyone = list(jira_records([team], SourceOptions(), Skips()))

    assert {e.id: e.role for e in mine} == {
        "jira:PAY-301": "assignee",
        "jira:PAY-302": "reporter",
        "jira:PAY-303": "mentioned",
    }
    points = {m.name: m.value for m in compute(mine)}["story_points"]
    assert points == 5
    assert {m.name: m.value for m in compute(everyone)}["story_points"] == 15  # what no identity would claim


def test_an_account_id_alone_finds_the_user_when_the_display_name_differs() -> None:
    only_id = Identity(logins={"jira": ["5b10ac8d82e05b22cc7d4ef5"]})

    records = {
        e.id: e.role
        for e in jira_records([DATA / "jira" / "team_export.csv"], SourceOptions(identity=only_id), Skips())
    }

    assert records["jira:PAY-301"] == "assignee"


def test_selfreview_me_records_and_shows_the_identity(
    capsys: pytest.CaptureFixture[str], selfreview_home: Path
) -> None:
    assert main(["me", "--name", "Maya Chen", "--email", "maya@acme.io", "--github", "maya-chen"]) == 0
    capsys.readouterr()

    assert main(["me", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"names": ["Maya Chen"], "emails": ["maya@acme.io"], "logins": {"github": ["maya-chen"]}}
    assert main(["me", "--email", "not-an-address"]) == 2
    assert "not an email address" in capsys.readouterr().err


@pytest.mark.usefixtures("fake_embedding")
def test_ingest_without_identity_warns_and_counts_yours_and_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    team = str(DATA / "jira" / "team_export.csv")

    assert main(["ingest", "jira", team]) == 0
    captured = capsys.readouterr()
    assert "no identity recorded: every item was taken as yours" in captured.err
    assert "3 items are yours, 0 are others'" in captured.out

    assert main(["me", "--name", "Maya Chen"]) == 0
    capsys.readouterr()
    assert main(["ingest", "jira", team, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["yours"], report["others"], report["identity"]) == (2, 1, True)
    assert {"added", "updated", "unchanged", "removed", "chunks", "skipped", "seconds"} <= set(report)


@pytest.mark.usefixtures("fake_embedding")
def test_author_adds_aliases_for_one_run_without_storing_them(
    capsys: pytest.CaptureFixture[str], selfreview_home: Path
) -> None:
    assert (
        main(["ingest", "jira", str(DATA / "jira" / "team_export.csv"), "--author", "Dan Ortiz", "--json"])
        == 0
    )

    assert json.loads(capsys.readouterr().out)["yours"] == 1
    assert load_identity(selfreview_home).is_empty()
