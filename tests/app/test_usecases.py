"""The use cases the CLI and the UI share: deleting a workspace removes everything it owns, from either face;
a redraft of chosen criteria is the full draft's criteria; dates, sources and commands come from one table."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app import chats, drafts, jobs, usecases
from app.cli import build_parser, main
from app.commands import COMMANDS
from app.fakes import InMemoryIndex
from app.settings import load
from ingest.evidence import Period
from ingest.live.sync import sync_dir
from ingest.sources import KINDS, SOURCES, SourceOptions
from ingest.store import WorkspaceError, WorkspacePaths
from tests.app.test_drafting import LADDER
from tests.app.test_drafting import workspace as drafting_evidence
from tests.conftest import evidence_record, write_jsonl


def _filled(home: Path, tmp_path: Path, name: str) -> WorkspacePaths:
    """A workspace with evidence, a saved draft and a kept version, a chat, an upload, an ingest history entry
    and fetched sync pages: everything the browser and the CLI write for it, each through its own module."""
    settings = load(workspace=name)
    source = write_jsonl(tmp_path / f"{name}.jsonl", [evidence_record(n) for n in range(3)])
    report = usecases.ingest(settings, "jsonl", [source], SourceOptions())
    assert report.added == 3
    record = {"draft": {"criteria": []}, "edits": {}}
    drafts.save(home, name, "Ladder", "L3", record)
    drafts.keep_version(home, name, "Ladder", "L3", record, "before drafting again")
    chats.save(home, name, [{"role": "user", "content": "what did I ship?"}])
    paths = WorkspacePaths(home, name)
    paths.uploads.mkdir(parents=True)
    (paths.uploads / "brag.md").write_text("# 2026-03-02\nShipped refunds.\n")
    drafts.write_json_atomic(jobs.history_path(home, name), [{"id": "1", "files": []}])
    (sync_dir(home, name, "github") / "prs.json").write_text("[]")
    return paths


def test_the_layout_holds_every_file_the_product_writes_for_a_workspace(selfreview_home: Path) -> None:
    paths = WorkspacePaths(selfreview_home, "review-2026")
    owned = paths.owned()

    def inside(path: Path) -> bool:
        return any(path == root or root in path.parents for root in owned)

    assert inside(drafts.draft_path(selfreview_home, "review-2026", "Ladder", "L3"))
    assert inside(drafts.versions_dir(selfreview_home, "review-2026", "Ladder", "L3"))
    assert inside(chats.chat_path(selfreview_home, "review-2026"))
    assert inside(jobs.history_path(selfreview_home, "review-2026"))
    assert inside(sync_dir(selfreview_home, "review-2026", "github"))
    assert inside(paths.ledger)


def test_cli_delete_removes_everything_the_workspace_owns_and_nothing_of_another(
    selfreview_home: Path, tmp_path: Path, fake_embedding: None
) -> None:
    doomed = _filled(selfreview_home, tmp_path, "review-2026")
    kept = _filled(selfreview_home, tmp_path, "review-2025")

    code = main(["workspaces", "--delete", "review-2026"])

    assert code == 0
    assert [p for p in doomed.owned() if p.exists()] == []
    assert [p for p in kept.owned() if not p.exists()] == []
    assert usecases.workspaces(load()) == ["review-2025"]
    assert drafts.load(selfreview_home, "review-2025", "Ladder", "L3") is not None


def test_the_use_case_delete_removes_the_same_as_the_cli_and_names_what_it_removed(
    selfreview_home: Path, tmp_path: Path, fake_embedding: None
) -> None:
    paths = _filled(selfreview_home, tmp_path, "review-2026")

    removed = usecases.delete_workspace(load(), "review-2026")

    assert sorted(removed) == sorted(paths.owned())
    assert not any(p.exists() for p in paths.owned())
    with pytest.raises(WorkspaceError, match="no workspace named 'review-2026'"):
        usecases.delete_workspace(load(), "review-2026")


def test_deleting_a_workspace_that_does_not_exist_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["workspaces", "--delete", "nothing-here"]) == 2
    assert "no workspace named 'nothing-here'" in capsys.readouterr().err


def test_redrafting_one_criterion_gives_the_bullets_the_full_draft_gave_it(minilm) -> None:  # type: ignore[no-untyped-def]
    index = InMemoryIndex(drafting_evidence(), embedder=minilm)

    full = usecases.draft(index, LADDER, "L3")
    again = usecases.redraft(index, LADDER, "L3", ["incidents"])

    assert [c.criterion.id for c in again.criteria] == ["incidents"]
    before = next(c for c in full.criteria if c.criterion.id == "incidents")
    assert again.criteria[0].to_json() == before.to_json()


def test_redrafting_a_criterion_the_level_does_not_have_names_it() -> None:
    index = InMemoryIndex(drafting_evidence())
    with pytest.raises(ValueError, match="'hiring' is not in level L3 of Payments ladder"):
        usecases.redraft(index, LADDER, "L3", ["hiring"])


def test_a_period_reads_dates_and_an_end_date_covers_its_whole_day() -> None:
    period = Period.parse("2026-03-01", "2026-03-31")

    assert period.since is not None
    assert period.since.isoformat() == "2026-03-01T00:00:00+00:00"
    assert period.until is not None
    assert period.until.isoformat() == "2026-03-31T23:59:59+00:00"
    assert Period.from_json(period.to_json()) == period
    assert Period.parse(None, None) == Period()


def test_an_unreadable_date_is_a_usage_error_naming_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["metrics", "--since", "the 45th of Smarch"])

    assert code == 2
    assert "cannot read the date 'the 45th of Smarch'" in capsys.readouterr().err


def test_every_subcommand_has_its_handler_and_every_source_its_connector() -> None:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    assert set(subcommands.choices) == set(COMMANDS)
    assert set(KINDS) == set(SOURCES)
    assert all(callable(SOURCES[kind]()) for kind in KINDS)


def test_a_record_with_a_role_that_does_not_exist_is_skipped_and_named(
    tmp_path: Path, fake_embedding: None
) -> None:
    source = write_jsonl(tmp_path / "work.jsonl", [evidence_record(1), evidence_record(2, role="reveiwer")])

    report = usecases.ingest(load(), "jsonl", [source], SourceOptions())

    assert report.added == 1
    assert [s["where"] for s in report.skipped] == [f"{source}:2"]
    assert "role 'reveiwer' is not one of: author, reviewer" in report.skipped[0]["why"]


ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_ingest_never_imports_the_application() -> None:
    upward = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n == "app" or n.startswith("app."))
        for path in (ROOT / "ingest").rglob("*.py")
    }

    assert {path: names for path, names in upward.items() if names} == {}


def test_the_browser_never_opens_a_workspace_or_its_ledger_itself() -> None:
    bypasses = {"ingest.store.Workspace", "ingest.store.delete_workspace", "sqlite3"}
    found = {}
    for path in (ROOT / "app" / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        calls = {call for call in ("open_workspace(", ".db.execute", "Workspace(") if call in text}
        if names := sorted((_imports(path) & bypasses) | calls):
            found[str(path.relative_to(ROOT))] = names

    assert found == {}


def test_two_uploaded_files_with_one_name_keep_both_their_evidence(tmp_path: Path) -> None:
    from app import services

    settings = load()
    settings.embedding = "fake"
    uploads = tmp_path / "uploads"
    filed = [
        services.file_upload(
            services.copy_upload(f"## 2026-09-14\n{text}\n".encode(), "retro.md", uploads / "incoming"),
            "notes",
            uploads,
        )
        for text in ("Team A shipped the zqalpha rollout.", "Team B planned the zqbeta migration.")
    ]
    with usecases.ingest_session(settings) as session:  # as the browser's upload job ingests them
        for path in filed:
            session.ingest("notes", [path], SourceOptions())

    titles = [e.body for e in usecases.open_index(settings).all_evidence() if e.source == "notes"]
    assert len({str(p) for p in filed}) == 2
    assert sorted("zqalpha" in b for b in titles) == [False, True]
    assert sorted("zqbeta" in b for b in titles) == [False, True]
