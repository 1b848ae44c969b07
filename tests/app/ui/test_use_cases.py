"""The browser's actions go through the use cases the CLI calls (app.usecases): a page that stopped calling one
fails here, and a workspace deleted from the browser loses exactly what the CLI's delete removes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import chats, drafts, usecases
from app.settings import load
from tests.app.test_usecases import _filled
from tests.app.ui.conftest import WORKSPACE, texts, unescape
from tests.app.ui.test_draft import drafted
from tests.app.ui.test_evidence import open_panel
from tests.app.ui.test_rewrite import rewritten

Call = tuple[str, tuple[Any, ...], dict[str, Any]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Every use case a page may call, recorded with its arguments, then run as usual."""
    seen: list[Call] = []
    names = ("create_workspace", "delete_workspace", "open_index", "remove_evidence")
    for name in (*names, "draft", "redraft", "rewrite", "reembed", "export", "ask"):
        real = getattr(usecases, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            seen.append((_name, args, kwargs))
            return _real(*args, **kwargs)

        monkeypatch.setattr(usecases, name, spy)
    return seen


def named(calls: list[Call], name: str) -> list[Call]:
    return [c for c in calls if c[0] == name]


def bullets_of(at: Any, criterion_id: str) -> list[str]:
    """The bullet texts the Draft page shows under one criterion."""
    return [
        b.value for b in at.text_area if (b.key or "").startswith("bullet:") and f":{criterion_id}:" in b.key
    ]


def test_a_workspace_deleted_in_the_browser_loses_what_the_clis_delete_removes(
    app, ui_env: Path, tmp_path: Path, calls: list[Call]
) -> None:
    doomed = _filled(ui_env, tmp_path, "review-2026")
    kept = _filled(ui_env, tmp_path, "review-2025")
    at = open_panel(app("evidence"), "ev_workspaces")

    at.selectbox(key="ws_delete_target").select("review-2026").run()
    at.text_input(key="ws_delete_confirm").input("review-2026").run()
    at.button(key="ws_delete").click().run()

    assert not at.exception
    assert "Deleted workspace 'review-2026'" in unescape(texts(at))
    assert [c[1][1] for c in named(calls, "delete_workspace")] == ["review-2026"]
    assert [p for p in doomed.owned() if p.exists()] == []  # ledger, drafts, chat, uploads, history, sync
    assert [p for p in kept.owned() if not p.exists()] == []
    assert drafts.load(ui_env, "review-2025", "Ladder", "L3") is not None
    assert chats.load(ui_env, "review-2025") != []
    assert "review-2026" not in at.sidebar.selectbox(key="workspace").options


def test_a_workspace_created_in_the_browser_is_the_use_cases(app, workspace, calls: list[Call]) -> None:
    at = open_panel(app("evidence"), "ev_workspaces")

    at.text_input(key="ws_new_name").input("review-2026").run()
    at.button(key="ws_create").click().run()

    assert [c[1][1] for c in named(calls, "create_workspace")] == ["review-2026"]
    assert "review-2026" in usecases.workspaces(load())
    assert at.sidebar.selectbox(key="workspace").value == "review-2026"


def test_the_pages_read_the_workspace_through_the_use_cases_index(app, workspace, calls: list[Call]) -> None:
    at = app("evidence")

    assert not at.exception
    opened = named(calls, "open_index")
    assert [(c[1][1], c[2]) for c in opened] == [(WORKSPACE, {"shared": True})]  # one, cached for every page


def test_drafting_and_redrafting_one_criterion_go_through_the_use_cases(
    app, drafting_workspace, ladder_file, calls: list[Call]
) -> None:
    at = drafted(app)
    (draft_call,) = named(calls, "draft")
    full = draft_call[1][0]  # the index the page drafted with
    assert draft_call[1][2] == "L4"
    perf_before = bullets_of(at, "perf")

    next(b for b in at.button if (b.key or "").startswith("regen:") and b.key.endswith(":perf")).click().run()
    at.button(key="regen_go:perf").click().run()

    assert not at.exception
    (redraft_call,) = named(calls, "redraft")
    assert redraft_call[1][0] is full
    assert redraft_call[1][2:4] == ("L4", ["perf"])
    assert len(named(calls, "draft")) == 1  # the rest of the draft was not drafted again
    perf_after = bullets_of(at, "perf")
    assert perf_after == perf_before  # matched against the whole level, as in the full draft
    assert "Cut p95 checkout latency 38% by caching tax lookups." in perf_after


def test_rewrite_goes_through_the_use_case_with_the_workspaces_evidence(
    app, workspace, glossary_file, calls: list[Call]
) -> None:
    rewritten(app, "- Pushed out the user dashboard (PAY-142).")

    (call,) = named(calls, "rewrite")
    assert call[1][0] == "Pushed out the user dashboard (PAY-142)."
    assert call[2]["index"] is not None
    assert call[2]["index"].workspace.name == WORKSPACE


def test_embedding_again_goes_through_the_use_case(app, workspace, calls: list[Call]) -> None:
    at = app("settings")

    next(b for b in at.button if b.label == "Embed again with the configured backend").click().run()

    assert not at.exception
    assert [c[1][2] for c in named(calls, "reembed")] == [WORKSPACE]
    assert [s.label for s in at.status] == ["Embedded 12 items again"]


def test_deleting_an_item_goes_through_the_use_case(app, workspace, calls: list[Call]) -> None:
    at = app("evidence")
    at.segmented_control(key="ev_view").set_value("All evidence").run()
    at.session_state["ev_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    shown = at.dataframe[-1].value.iloc[0]

    at.button(key=f"ev_delete_{shown['id']}").click().run()

    assert not at.exception
    assert [(c[1][1], c[1][2]) for c in named(calls, "remove_evidence")] == [([shown["id"]], WORKSPACE)]
    assert shown["id"] not in {e.id for e in usecases.open_index(load()).all_evidence()}


def test_the_draft_pages_exports_are_the_export_use_cases(
    app, drafting_workspace, ladder_file, calls: list[Call]
) -> None:
    at = drafted(app)
    exports = named(calls, "export")
    payload = exports[-1][1][0]  # the draft as edited on the page

    assert {c[1][1] for c in exports} >= {"markdown", "plain", "docx"}  # both blocks and the .docx button
    # a code block drops the last newline
    assert at.code[0].value == usecases.export(payload, "plain").strip()
    assert at.code[1].value == usecases.export(payload, "markdown").strip()
    one_at_a_time = [c[2]["criterion"] for c in exports if c[2].get("criterion")]
    assert one_at_a_time[-3:] == [c["id"] for c in payload["criteria"]]
    assert [block.value for block in at.code[2:]] == [
        usecases.export(payload, criterion=c["id"])
        for c in payload["criteria"]
        if usecases.export(payload, criterion=c["id"])
    ]

    at.checkbox(key="export_ids").check().run()

    assert named(calls, "export")[-1][2]["ids"] is True
    assert "[github:acme/pay#20]" in at.code[0].value


def test_asking_in_the_browser_goes_through_the_use_case_the_cli_calls(
    app, workspace, calls: list[Call]
) -> None:
    at = app("ask")
    at.chat_input(key="ask_input").set_value("what did I do about refund retries?").run()

    assert not at.exception
    (call,) = named(calls, "ask")
    assert call[1][1] == "what did I do about refund retries?"
    assert call[1][0].workspace.name == WORKSPACE
    assert call[1][4] is not None  # a listener: the answer is shown while it is written
    cli_answer = usecases.ask(call[1][0], "what did I do about refund retries?")
    assert unescape(at.chat_message[-1].markdown[0].value).startswith(cli_answer.answer.splitlines()[0])
    assert len(at.chat_message[-1].expander) == len(cli_answer.citations)
