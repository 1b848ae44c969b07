"""Evidence page: summary, table, upload + ingest with skipped records, workspace create/switch/delete."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.app.ui.conftest import WORKSPACE, texts, unescape
from tests.conftest import evidence_record


def test_empty_workspace_says_what_to_do(app):
    at = app("evidence")
    assert not at.exception
    assert "holds no evidence yet" in texts(at)
    assert at.sidebar.selectbox(key="workspace").value == WORKSPACE
    assert "Offline mode" in texts(at)


def test_summary_and_table_show_the_workspace(app, workspace):
    at = app("evidence")
    assert not at.exception
    assert at.metric[0].value == "12"
    summary = at.dataframe[0].value
    assert set(summary["source"]) == {"jsonl", "github", "notes", "email"}
    assert summary["items"].sum() == 12
    by_month = at.dataframe[1].value
    assert by_month["all"].sum() == 12
    assert by_month.loc["2026-03", "github"] == 1
    at.segmented_control(key="ev_view").set_value("Timeline").run()
    assert at.get("vega_lite_chart")
    at.segmented_control(key="ev_view").set_value("All evidence").run()
    table = at.dataframe[-1].value
    assert len(table) == 12
    assert "Cut p95 checkout latency 38% by caching tax lookups" in set(table["title"])


def test_filters_narrow_the_table(app, workspace):
    at = app("evidence")
    at.segmented_control(key="ev_view").set_value("All evidence").run()
    at.multiselect(key="ev_filter_source").select("github").run()
    assert set(at.dataframe[-1].value["source"]) == {"github"}
    at.text_input(key="ev_filter_text").input("refund retry").run()
    assert list(at.dataframe[-1].value["id"]) == ["github:acme/pay#21"]


def open_panel(at, key: str):
    """Open a lazily drawn expander (its content runs only while open), as a click would."""
    at.session_state[key] = True
    return at.run()


def finish_ingest(at, seconds: float = 60):
    """Run the page until the background ingest of its workspace has ended (as the page's refresh would)."""
    import time

    from app import jobs

    deadline = time.monotonic() + seconds
    while (
        job := jobs.latest(Path(os.environ["SELFREVIEW_HOME"]), WORKSPACE)
    ) is not None and job.state == "running":
        assert time.monotonic() < deadline, job.status()
        time.sleep(0.2)
    return at.run()


def test_upload_ingests_and_names_skipped_records(app, workspace):
    at = open_panel(app("evidence"), "ev_add")
    good = json.dumps(evidence_record(50, title="Shipped the ledger export"))
    data = (good + "\n{not json\n").encode()
    at.selectbox(key="upload_kind").select("jsonl").run()
    at.file_uploader(key="upload_files_jsonl").upload("more.jsonl", data, "application/jsonl").run()
    at.button(key="upload_go").click().run()
    finish_ingest(at)
    assert not at.exception
    shown = unescape(texts(at))
    assert "more.jsonl (jsonl): 1 added" in shown
    assert "1 record(s) of more.jsonl skipped" in shown
    skipped = at.dataframe[0].value
    assert skipped["where"].iloc[0] == "more.jsonl:2"
    at.segmented_control(key="ev_view").set_value("All evidence").run()
    assert "Shipped the ledger export" in set(at.dataframe[-1].value["title"])


def test_create_switch_and_delete_workspaces(app, workspace):
    at = open_panel(app("evidence"), "ev_workspaces")
    at.text_input(key="ws_new_name").input("review-2026").run()
    at.button(key="ws_create").click().run()
    assert at.sidebar.selectbox(key="workspace").value == "review-2026"
    assert "holds no evidence yet" in texts(at)
    at.button(key=f"ws_switch_{WORKSPACE}").click().run()
    assert at.sidebar.selectbox(key="workspace").value == WORKSPACE
    at.selectbox(key="ws_delete_target").select("review-2026").run()
    at.button(key="ws_delete").click().run()
    assert "Nothing deleted" in unescape(texts(at))
    at.text_input(key="ws_delete_confirm").input("review-2026").run()
    at.button(key="ws_delete").click().run()
    assert "Deleted workspace 'review-2026'" in unescape(texts(at))
    assert "review-2026" not in at.sidebar.selectbox(key="workspace").options


def test_bad_workspace_name_is_a_message(app, workspace):
    at = open_panel(app("evidence"), "ev_workspaces")
    at.text_input(key="ws_new_name").input("../etc").run()
    at.button(key="ws_create").click().run()
    assert not at.exception
    assert "Use letters, digits" in unescape(texts(at))


def test_missing_path_is_a_message(app, workspace, tmp_path):
    at = open_panel(app("evidence"), "ev_add")
    at.text_input(key="path_value").input(str(tmp_path / "nowhere")).run()
    at.button(key="path_go").click().run()
    assert not at.exception
    assert "does not exist on this machine" in unescape(texts(at))
