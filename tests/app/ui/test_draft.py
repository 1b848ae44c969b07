"""Draft page: coverage, badged bullets, evidence beside each bullet, edits that are never lost, regenerate,
exports that hold exactly what the page lets through."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.ui import autosave, bullet_editor
from tests.app.ui.conftest import MAIN, texts, unescape


def drafted(app, ladder="test-ladder.yaml") -> AppTest:
    at = app("draft")
    at.selectbox(key="draft_ladder").select(ladder).run()
    at.button(key="draft_go").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def bullet_areas(at: AppTest) -> dict[str, str]:
    return {t.key: t.value for t in at.text_area if t.key and t.key.startswith("bullet:")}


def test_empty_workspace_points_to_the_evidence_page(app):
    at = app("draft")
    assert not at.exception
    assert "add some on the Evidence page" in texts(at)


def engine_draft(ladder_file):
    """What the truth engine itself drafts for the test workspace: the page must show exactly this."""
    from app import drafting, services
    from app.ladder import load_ladder
    from app.settings import load

    settings = load()
    index = services.search_index(settings, services.open_workspace(settings))
    return drafting.draft(index, load_ladder(ladder_file), "L4")


def test_draft_shows_coverage_bullets_badges_and_drawers(app, drafting_workspace, ladder_file):
    at = drafted(app)
    shown = texts(at)
    expected = engine_draft(ladder_file)
    colors = {"covered": "green", "thin": "orange", "missing": "red"}
    for item in expected.criteria:
        c = item.criterion
        assert f"**{c.id}** · {c.area} :{colors[item.status]}-badge[{item.status}]" in shown
    counts = [sum(item.status == s for item in expected.criteria) for s in colors]
    assert ":green-badge[{} covered] :orange-badge[{} thin] :red-badge[{} missing]".format(*counts) in shown
    assert "**quantum** · Research :red-badge[missing]" in shown  # nothing in the evidence is about it
    assert f"cited {expected.cited} of 12 items" in unescape(shown)
    assert [b.text for item in expected.criteria for b in item.bullets] == list(bullet_areas(at).values())
    bullets = bullet_areas(at)
    assert "Cut p95 checkout latency 38% by caching tax lookups." in bullets.values()
    assert ":green-badge[grounded]" in shown
    # click [1] beside the latency bullet: title, date, link and snippet of its evidence, beside the bullet
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Cut p95"))
    chips = at.get("button_group")
    chip = next(c for c in chips if c.proto.id.endswith(f"cite:{key}") or f"cite:{key}" in c.proto.id)
    assert unescape(chip.proto.options[0].content).startswith("[1] Cut p95 checkout latency")
    at.session_state[f"cite:{key}"] = 1
    at.run()
    drawer_text = unescape(texts(at))
    assert "Cut p95 checkout latency 38% by caching tax lookups" in drawer_text
    assert "2026-03-10" in drawer_text
    assert "(https://github.com/acme/pay/pull/20)" in drawer_text
    assert "820 ms to 508 ms" in drawer_text
    # a question for what is missing, and the forgotten win
    assert any("quantum cryptography" in unescape(i.value) for i in at.info)  # the question for a gap
    assert "Thanks for leading the PAY-142 incident" in unescape(shown)


def test_evidence_text_is_escaped_not_rendered(app, drafting_workspace, ladder_file):
    at = drafted(app)
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Mentored"))
    at.session_state[f"cite:{key}"] = 1  # [1] beside the mentoring bullet: the note with a planted image
    at.run()
    captions = [c.value for c in at.caption]
    note = next(c for c in captions if "shadowing" in c)
    assert "![" not in note
    assert "\\!\\[\\]\\(https\u2060\\:" in note


def test_edit_is_rechecked_saved_and_survives_a_restart(
    app, drafting_workspace, ladder_file, selfreview_home
):
    at = drafted(app)
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Cut p95"))
    at.text_area(key=key).input("I helped cut p95 checkout latency 45% by caching tax lookups.").run()
    assert not at.exception
    shown = texts(at)
    assert ":red-badge[unverified number: 45%]" in shown
    assert ":blue-badge[edited]" in shown
    assert "Hedging" in unescape(shown)
    assert "held back from the export" in unescape(shown)
    saved = json.loads((selfreview_home / "drafts" / "ui-test" / "test-ladder-l4.json").read_text())
    assert saved["edits"] == {"perf/0": "I helped cut p95 checkout latency 45% by caching tax lookups."}
    # a new session (a reload, or the app restarted) opens the same draft with the edit
    fresh = AppTest.from_file(str(MAIN), default_timeout=60).run()
    fresh.switch_page("views/draft.py").run()
    fresh.selectbox(key="draft_ladder").select("test-ladder.yaml").run()
    assert "I helped cut p95 checkout latency 45% by caching tax lookups." in bullet_areas(fresh).values()
    assert ":red-badge[unverified number: 45%]" in texts(fresh)


def test_last_ladder_and_level_are_remembered(app, drafting_workspace, ladder_file):
    drafted(app)
    fresh = AppTest.from_file(str(MAIN), default_timeout=60).run()
    fresh.switch_page("views/draft.py").run()
    assert fresh.selectbox(key="draft_ladder").value == "test-ladder.yaml"
    assert "Cut p95 checkout latency 38% by caching tax lookups." in bullet_areas(fresh).values()


def two_edits(at: AppTest) -> tuple[str, str]:
    areas = bullet_areas(at)
    perf = next(k for k, v in areas.items() if v.startswith("Cut p95"))
    mentor = next(k for k, v in areas.items() if v.startswith("Mentored"))
    at.text_area(key=perf).input("Cut p95 checkout latency 38% with a cache.").run()
    at.text_area(key=mentor).input("Mentored two new engineers through on-call.").run()
    return perf, mentor


def test_regenerate_asks_first_and_keeps_edits_unless_told_otherwise(app, drafting_workspace, ladder_file):
    at = drafted(app)
    two_edits(at)
    next(
        b for b in at.button if b.key and b.key.endswith(":perf") and b.key.startswith("regen:")
    ).click().run()
    assert "Cut p95 checkout latency 38% with a cache." in bullet_areas(at).values()  # nothing replaced yet
    at.button(key="regen_go:perf").click().run()  # the default: keep the edited bullets
    assert not at.exception
    values = list(bullet_areas(at).values())
    assert "Cut p95 checkout latency 38% with a cache." in values
    assert "Mentored two new engineers through on-call." in values
    next(
        b for b in at.button if b.key and b.key.endswith(":perf") and b.key.startswith("regen:")
    ).click().run()
    at.radio(key="regen_keep:perf").set_value(False).run()
    at.button(key="regen_go:perf").click().run()
    values = list(bullet_areas(at).values())
    assert "Cut p95 checkout latency 38% by caching tax lookups." in values
    assert "Cut p95 checkout latency 38% with a cache." not in values
    assert (
        "Mentored two new engineers through on-call." in values
    )  # another criterion's edit is never touched
    at.button(key="draft_undo").click().run()
    assert "Cut p95 checkout latency 38% with a cache." in bullet_areas(at).values()


def test_draft_again_confirms_keeps_edits_and_undo_restores(app, drafting_workspace, ladder_file):
    at = drafted(app)
    two_edits(at)
    at.button(key="draft_go").click().run()
    assert "Draft again now" in [b.label for b in at.button]
    assert "Your 2 edited bullet(s)" in [r.label for r in at.radio]
    at.button(key="redraft_go").click().run()
    assert not at.exception
    values = list(bullet_areas(at).values())
    assert "Cut p95 checkout latency 38% with a cache." in values
    assert "Mentored two new engineers through on-call." in values
    assert "Drafted again. 2 edited bullet(s) kept." in unescape(texts(at))
    at.button(key="draft_go").click().run()
    at.radio(key="redraft_keep").set_value(False).run()
    at.button(key="redraft_go").click().run()
    values = list(bullet_areas(at).values())
    assert "Cut p95 checkout latency 38% with a cache." not in values
    at.button(key="draft_undo").click().run()
    values = list(bullet_areas(at).values())
    assert "Cut p95 checkout latency 38% with a cache." in values
    assert "Mentored two new engineers through on-call." in values


def test_every_save_is_a_version_with_undo(app, drafting_workspace, ladder_file):
    at = drafted(app)
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Mentored"))
    at.text_area(key=key).input("Mentored two engineers.").run()
    at.text_area(key=key).input("Mentored two engineers through on-call.").run()
    assert [p.proto.popover.label for p in at.get("popover")] == ["History (2)"]
    at.button(key=f"undo:{key}").click().run()
    assert at.text_area(key=key).value == "Mentored two engineers."
    at.button(key=f"undo:{key}").click().run()
    assert at.text_area(key=key).value == "Mentored two new engineers on the payments on-call."
    assert not [b for b in at.button if b.key == f"undo:{key}"]


def test_a_second_tab_saving_the_same_bullet_is_offered_as_a_merge(app, drafting_workspace, ladder_file):
    first = drafted(app)
    second = AppTest.from_file(str(MAIN), default_timeout=60).run()
    second.switch_page("views/draft.py").run()
    second.selectbox(key="draft_ladder").select("test-ladder.yaml").run()
    key = next(k for k, v in bullet_areas(first).items() if v.startswith("Mentored"))
    first.text_area(key=key).input("Mentored two engineers (first tab).").run()
    second.text_area(key=key).input("Mentored two engineers (second tab).").run()
    assert not second.exception
    assert "changed in another tab" in texts(second)
    saved = drafts_on_disk(second)
    assert saved["edits"]["mentor/0"] == "Mentored two engineers (first tab)."  # not overwritten
    second.button(key=f"merge_both:{key}").click().run()
    both = "Mentored two engineers (first tab).\nMentored two engineers (second tab)."
    assert second.text_area(key=key).value == both
    assert drafts_on_disk(second)["edits"]["mentor/0"] == both
    first.run()  # the other tab shows the saved text on its next run
    assert first.text_area(key=key).value == both


def test_a_box_still_holding_its_old_text_does_not_undo_the_text_the_page_carried(
    app, drafting_workspace, ladder_file
):
    """A box's own update can be lost (the page changed at once); the page carries the typed text instead. The
    box then still holds the text it showed before, and Streamlit reports it as changed after a run a newer
    request stopped: that old text must not overwrite what was typed."""
    at = drafted(app)
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Mentored"))
    before, typed = (
        at.text_area(key=key).value,
        "Mentored two engineers through their first on-call rotation.",
    )
    carried = {bullet_editor.box_name(key): {"text": typed, "stamp": "tab:1"}}
    at.session_state[autosave.KEY] = {"typed": carried}
    at.run()
    assert drafts_on_disk(at)["edits"]["mentor/0"] == typed
    at.text_area(key=key).input(before).run()  # the box reports the text it held before
    assert not at.exception
    assert drafts_on_disk(at)["edits"]["mentor/0"] == typed
    assert at.text_area(key=key).value == typed
    # once the box shows the saved text, typing the old text back is an edit like any other
    at.text_area(key=key).input(before).run()
    assert at.text_area(key=key).value == before
    assert drafts_on_disk(at)["edits"].get("mentor/0", before) == before


def drafts_on_disk(at: AppTest) -> dict:
    import os
    from pathlib import Path

    return json.loads(
        (Path(os.environ["SELFREVIEW_HOME"]) / "drafts" / "ui-test" / "test-ladder-l4.json").read_text()
    )


def test_export_truncates_at_a_word_boundary_and_says_so(app, drafting_workspace, ladder_file):
    at = drafted(app)
    plain = at.code[0].value
    assert "Cut p95 checkout latency 38% by caching tax lookups." in plain
    at.number_input(key="export_limit").set_value(40).run()
    plain = at.code[0].value
    assert "shortened to 40 characters" in plain
    assert "shortened to 40 characters" in unescape(texts(at))
    assert "- Cut p95 checkout latency 38% by…" in plain
    assert len(at.get("download_button")) == 3


def test_a_broken_ladder_is_a_message_with_file_and_line(app, drafting_workspace):
    at = app("draft")
    at.selectbox(key="draft_ladder").select("Upload a ladder YAML…").run()
    bad = b"name: Broken\nlevels:\n  - id: L1\ncriteria:\n  - id: a\n    level: L9\n    text: Something.\n"
    at.file_uploader(key="draft_ladder_file").upload("broken.yaml", bad, "application/yaml").run()
    assert not at.exception
    message = unescape(at.error[0].value)
    assert "broken.yaml:6:" in message
    assert "L9" in message


def test_exports_are_clean_by_default_and_match_the_page(app, drafting_workspace, ladder_file):
    import io

    from docx import Document

    at = drafted(app)
    plain, markdown = at.code[0].value, at.code[1].value
    assert "github:acme/pay#20" not in plain + markdown  # no evidence ids by default
    assert "quantum" not in plain.lower()  # a criterion with no bullet is left out
    assert "(no evidence yet)" not in plain
    shown = [v for v in bullet_areas(at).values()]
    exported = [line[2:] for line in plain.splitlines() if line.startswith("- ")]
    assert exported == shown  # every bullet on the page, as the page shows it, and nothing else
    assert "Download Word (.docx)" in [b.proto.label for b in at.get("download_button")]
    from app import usecases  # the function the .docx button serves
    from app.ui import draft_state

    record = json.loads(_draft_file().read_text())
    docx = usecases.export(draft_state.edited_payload(record), "docx", title="Test ladder")
    document = Document(io.BytesIO(docx))
    bulleted = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bulleted == exported
    at.checkbox(key="export_ids").check().run()
    assert "[github:acme/pay#20]" in at.code[0].value
    at.checkbox(key="export_empty").check().run()
    assert "(no evidence yet)" in at.code[0].value


def test_a_held_back_bullet_is_in_no_export_and_the_export_says_so(app, drafting_workspace, ladder_file):
    at = drafted(app)
    key = next(k for k, v in bullet_areas(at).items() if v.startswith("Cut p95"))
    at.text_area(key=key).input("Cut p95 checkout latency 87% by caching tax lookups.").run()
    assert ":red-badge[held back from the export]" in texts(at)
    for block in at.code:
        assert "87%" not in block.value
    assert "1 bullet(s) held back, not in this export" in at.code[0].value
    assert "held back" in unescape(at.warning[0].value)


def _draft_file() -> Path:
    import os

    return Path(os.environ["SELFREVIEW_HOME"]) / "drafts" / "ui-test" / "test-ladder-l4.json"
