"""The browser as a daily tool, in Chromium on `selfreview demo`: ingest in the background (navigate away,
cancel, remove), a refused wrong-kind upload, edits that are never lost (sidebar on the first click, Draft
again with undo, two tabs), exports that match the page, [n] citations, and a page that fetches nothing off
the machine and renders evidence as text. Skipped without /usr/bin/chromium (see test_browser.py)."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.ui.test_browser import ARGS, CHROMIUM, REPO, chromium  # noqa: F401 - fixture
from tests.demo_server import running_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DATA = REPO / "tests" / "data" / "ui"


@pytest.fixture(scope="module")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:  # noqa: F811
    """`selfreview demo` on a free port: (url, data directory)."""
    home = tmp_path_factory.mktemp("daily-home")
    with running_demo(home) as url:
        yield url, home


@pytest.fixture(scope="module")
def browser(chromium: Path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=90_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    """A fresh tab on the Evidence page; every request it makes is recorded in page.requests_made."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(90_000)
    tab.requests_made = []
    tab.on("request", lambda request: tab.requests_made.append(request.url))
    tab.goto(server[0])
    tab.get_by_role("heading", name="Evidence", exact=True).wait_for()
    yield tab
    context.close()


def go(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for()


def bulk_file(folder: Path, name: str, count: int, marker: str) -> Path:
    rows = [
        {
            "id": f"jsonl:{name}-{n}",
            "source": "jsonl",
            "kind": "note",
            "author": "Maya Chen",
            "role": "author",
            "title": f"{marker} note {n} on the ledger export",
            "body": f"{marker} step {n}: moved ledger rows.",
            "date": f"2026-0{1 + n % 9}-1{n % 9}T10:00:00+00:00",
        }
        for n in range(count)
    ]
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def upload(page, path: Path, kind: str | None = None) -> None:
    adding = page.get_by_test_id("stExpander").filter(has_text="Add evidence").first
    if not adding.get_by_test_id("stFileUploaderDropzoneInput").count():
        adding.locator("summary").click()
    if kind:
        page.get_by_test_id("stSelectbox").filter(has_text="Kind of export").click()
        page.get_by_role("option", name=re.compile(f"^{kind}:")).click()
        page.wait_for_timeout(1500)  # the uploader for that kind replaces the previous one
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    page.get_by_test_id("stFileUploader").get_by_text(path.name, exact=True).wait_for()
    page.get_by_role("button", name="Ingest uploaded files").click()


def stored(home: Path, prefix: str) -> int:
    with sqlite3.connect(f"file:{home}/workspaces/sample/ledger.sqlite?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM items WHERE id LIKE ?", (f"jsonl:{prefix}-%",)).fetchone()[0]


def search(home: Path, query: str) -> list[str]:
    """`selfreview search --json` in its own process: what the store answers, not what the page says."""
    env = {**os.environ, "SELFREVIEW_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
    env.pop("SELFREVIEW_EMBEDDING", None)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.cli import main; sys.exit(main())",
            "search",
            query,
            "--workspace",
            "sample",
            "--k",
            "50",
            "--json",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return [r["id"] for r in json.loads(done.stdout)["results"]]


# --- ingest in the background ---------------------------------------------------------------------------


def test_navigating_away_mid_ingest_leaves_it_running_and_all_is_searchable(page, server, tmp_path):
    from playwright.sync_api import expect

    url, home = server
    upload(page, bulk_file(tmp_path, "away", 300, "Quokka"))
    expect(page.get_by_test_id("stSidebar").get_by_text("Ingesting into sample")).to_be_visible()
    go(page, "Ask")
    expect(page.get_by_test_id("stSidebar").get_by_role("progressbar")).to_be_visible()  # shown on any page
    go(page, "Evidence")
    expect(page.get_by_text("away.jsonl (jsonl): 300 added", exact=False)).to_be_visible(timeout=300_000)
    assert stored(home, "away") == 300
    found = search(home, "Quokka note 123 on the ledger export")
    assert "jsonl:away-123" in found


def test_cancel_a_large_ingest_leaves_the_store_as_it_was(page, server, tmp_path):
    from playwright.sync_api import expect

    url, home = server
    upload(page, bulk_file(tmp_path, "large", 4000, "Capybara"))
    expect(page.get_by_text("chunks embedded", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Cancel").first.click()
    expect(page.get_by_text("Ingest cancelled", exact=False)).to_be_visible(timeout=120_000)
    assert stored(home, "large") == 0
    assert not [i for i in search(home, "Capybara note on the ledger export") if i.startswith("jsonl:large")]


def test_remove_an_ingest(page, server, tmp_path):
    from playwright.sync_api import expect

    url, home = server
    upload(page, bulk_file(tmp_path, "removable", 20, "Axolotl"))
    expect(page.get_by_text("removable.jsonl (jsonl): 20 added", exact=False)).to_be_visible()
    assert stored(home, "removable") == 20
    page.get_by_test_id("stExpander").filter(has_text="Ingest history").locator("summary").click()
    page.get_by_role("button", name="Remove this ingest").first.click()
    expect(page.get_by_text("Removed 20 item(s) that came from removable.jsonl", exact=False)).to_be_visible()
    assert stored(home, "removable") == 0
    assert not [
        i for i in search(home, "Axolotl note on the ledger export") if i.startswith("jsonl:removable")
    ]


def test_a_wrong_kind_upload_gets_a_red_specific_message(page, server):
    from playwright.sync_api import expect

    upload(page, DATA / "linear-tickets.csv", kind="jira")
    alert = page.get_by_test_id("stAlertContentError").filter(has_text="linear-tickets.csv looks like")
    expect(alert).to_contain_text("Linear export (columns ID, Title, Team, Status")
    expect(alert).to_contain_text("not a Jira export")
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="linear-tickets.csv")).to_have_count(
        0
    )


# --- edits that are never lost --------------------------------------------------------------------------


def open_draft(page) -> None:
    go(page, "Draft")
    ready = page.get_by_text("Pick the period and level, then Draft", exact=False).or_(bullets(page).first)
    ready.first.wait_for()
    if not bullets(page).count():
        page.get_by_role("button", name="Draft", exact=True).click()
    settled(page)


def settled(page) -> None:
    """The whole draft drawn (its last section is there) and no rerun in flight: text boxes are in place."""
    from playwright.sync_api import expect

    page.get_by_role("heading", name="Export").wait_for()
    page.wait_for_timeout(1500)
    expect(bullets(page).first).not_to_have_value("")


def bullets(page):
    return page.get_by_test_id("stTextArea").locator("textarea")


def test_edit_then_one_sidebar_click_navigates(page, server):
    open_draft(page)
    box = bullets(page).first
    box.fill(box.input_value() + " Then the sidebar.")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Ask", exact=True).click()
    page.get_by_role("heading", name="Ask", exact=True).wait_for(timeout=10_000)
    # The Ask page has finished drawing before the next click, as a person clicks: a click while its run is still
    # going can land back on Ask on a loaded machine (the browser's page and the run that ends after it disagree).
    page.get_by_test_id("stApp").and_(page.locator("[data-test-script-state=notRunning]")).wait_for()
    go(page, "Draft")
    from playwright.sync_api import expect

    # Waits for the page to show the bullet again: a read before it has rendered sees an empty box.
    expect(bullets(page).first).to_have_value(re.compile(r" Then the sidebar\.$"))


BOX_UPDATES_LOST = """
() => {  // from now on a bullet box's own update never reaches the app, as when a newer request stops its run
  const drop = (event) => {
    const box = event.target;
    if (box instanceof HTMLTextAreaElement && (box.getAttribute("aria-label") || "").startsWith("Bullet ")) {
      event.stopImmediatePropagation();
    }
  };
  document.addEventListener("focusout", drop, true);
  document.addEventListener("keydown", drop, true);
}
"""


# The name the browser knows a bullet's box by: the class Streamlit gives its keyed element.
BOX_NAME = "box => [...box.closest('[class*=st-key-bullet]').classList].find(c => c.startsWith('st-key-'))"


def click_sidebar_page(page, name: str) -> None:
    """One click on a sidebar page, then its heading and the end of its run."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for()
    page.get_by_test_id("stApp").and_(page.locator("[data-test-script-state=notRunning]")).wait_for()


def test_text_whose_own_update_never_arrives_is_saved_by_the_page_change(page, server):
    """On a loaded machine the run that carries a box's new text can be stopped by the page change before it
    saves; the text typed must still be saved, by the requests that follow."""
    from playwright.sync_api import expect

    open_draft(page)
    box = bullets(page).nth(3)
    typed = box.input_value() + " Saved with the page change."
    box.fill(typed)
    page.evaluate(BOX_UPDATES_LOST)
    click_sidebar_page(page, "Ask")
    go(page, "Draft")
    settled(page)
    expect(bullets(page).nth(3)).to_have_value(typed)


def test_undo_after_typing_and_leaving_the_page_stays_undone(page, server):
    """The typed text the page carries is saved once: an undo afterwards is not overwritten by it."""
    from playwright.sync_api import expect

    open_draft(page)
    box = bullets(page).nth(4)
    before = box.input_value()
    box.fill(before + " Undone later.")
    click_sidebar_page(page, "Ask")
    go(page, "Draft")
    settled(page)
    expect(bullets(page).nth(4)).to_have_value(before + " Undone later.")
    name = bullets(page).nth(4).evaluate(BOX_NAME)
    page.locator("." + name.replace("st-key-", "st-key-undo-", 1)).get_by_role("button").click()
    expect(page.get_by_text("Undone: the bullet reads", exact=False)).to_be_visible()
    expect(bullets(page).nth(4)).to_have_value(before)
    click_sidebar_page(page, "Ask")
    go(page, "Draft")
    settled(page)
    expect(bullets(page).nth(4)).to_have_value(before)


def test_typed_text_survives_a_reload_without_leaving_the_box(page, server):
    from playwright.sync_api import expect

    open_draft(page)
    box = bullets(page).nth(1)
    typed = box.input_value() + " Typed, never blurred."
    box.fill(typed)
    expect(page.get_by_text("last edit saved at", exact=False)).to_be_visible()
    page.reload()
    settled(page)
    expect(bullets(page).nth(1)).to_have_value(typed)


def test_edit_then_draft_again_keeps_the_edit_and_undo_restores(page, server):
    from playwright.sync_api import expect

    open_draft(page)
    box = bullets(page).first
    edited = box.input_value() + " Kept through a new draft."
    box.fill(edited)
    box.press("Control+Enter")
    expect(page.get_by_text("last edit saved at", exact=False)).to_be_visible()
    page.get_by_role("button", name="Draft again", exact=True).click()
    page.get_by_role("button", name="Draft again now").click()
    expect(page.get_by_text("edited bullet(s) kept", exact=False)).to_be_visible()
    settled(page)
    assert edited in [b.input_value() for b in bullets(page).all()]
    page.get_by_role("button", name="Draft again", exact=True).click()
    page.get_by_text("Replace them with the new draft").click()
    page.get_by_role("button", name="Draft again now").click()
    expect(page.get_by_text("were replaced", exact=False)).to_be_visible()
    settled(page)
    assert edited not in [b.input_value() for b in bullets(page).all()]
    page.get_by_role("button", name="Undo", exact=True).click()
    expect(page.get_by_text("Restored the draft as it was", exact=False)).to_be_visible()
    settled(page)
    assert edited in [b.input_value() for b in bullets(page).all()]


def test_two_tabs_editing_one_bullet_see_a_conflict(browser, server):
    from playwright.sync_api import expect

    tabs = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.set_default_timeout(90_000)
        tab.goto(server[0])
        open_draft(tab)
        tabs.append(tab)
    first, second = tabs
    original = bullets(second).nth(2).input_value()
    bullets(first).nth(2).fill(original + " (first tab)")
    bullets(first).nth(2).press("Control+Enter")
    expect(first.get_by_text("last edit saved at", exact=False)).to_be_visible()
    bullets(second).nth(2).fill(original + " (second tab)")
    bullets(second).nth(2).press("Control+Enter")
    expect(second.get_by_text("changed in another tab", exact=False)).to_be_visible()
    expect(second.get_by_text(original + " (first tab)", exact=True)).to_be_visible()
    for tab in tabs:
        tab.context.close()


# --- a draft to hand in, and the page's promises -----------------------------------------------------------


def test_export_matches_the_page_without_ids_and_the_docx_opens(page, server):
    from docx import Document
    from playwright.sync_api import expect

    open_draft(page)
    expect(page.get_by_role("heading", name="Export")).to_be_visible()
    on_page = [b.input_value() for b in bullets(page).all()]
    held = page.get_by_text("held back from the export", exact=True).count()
    plain = page.get_by_test_id("stCode").first.inner_text()
    exported = [line[2:] for line in plain.splitlines() if line.startswith("- ")]
    assert exported
    assert set(exported) <= set(on_page)
    assert len(exported) == len(on_page) - held
    assert not re.search(r"\b(?:git|github|jira|linear|notes|email|jsonl):\S", plain)  # no evidence ids
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Word (.docx)").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == exported


def test_clicking_a_citation_shows_its_evidence_beside_the_bullet(page, server):
    from playwright.sync_api import expect

    open_draft(page)
    chip = page.get_by_test_id("stButtonGroup").get_by_text(re.compile(r"^\[1\] ")).first
    chip.click()
    card = page.get_by_text("your part:", exact=False).first
    expect(card).to_be_visible()
    expect(card).to_contain_text("2026-")


def test_clicking_n_in_an_answer_opens_citation_n_and_only_it(page, server):
    from playwright.sync_api import expect

    go(page, "Ask")
    box = page.get_by_placeholder("Ask about your work", exact=False)
    box.fill("what did I do about refunds?")
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").last
    marker = answer.get_by_role("link", name="[3]", exact=True)
    expect(marker).to_be_visible()
    # drawn from the saved history (where it stays): a drawer opened while the answer was being drawn again would
    # start closed in the new drawing
    expect(answer.get_by_text(re.compile(r"^Answered \d{4}-"))).to_be_visible()
    drawers = answer.get_by_test_id("stExpander")
    expect(drawers.nth(2).get_by_test_id("stExpanderDetails")).not_to_be_visible()
    marker.click()
    expect(drawers.nth(2).get_by_test_id("stExpanderDetails")).to_be_visible()
    expect(drawers.nth(2).get_by_test_id("stExpanderDetails")).to_be_in_viewport()
    expect(drawers.nth(2).get_by_test_id("stExpanderDetails")).to_contain_text("PAY-118")
    expect(drawers.nth(1).get_by_test_id("stExpanderDetails")).not_to_be_visible()
    assert re.search(r"#citation-\d+-3$", page.url)
    assert [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:", "blob:"))] == []


def test_no_request_leaves_the_machine_and_evidence_renders_as_text(page, server, tmp_path):
    from playwright.sync_api import expect

    planted = tmp_path / "planted.jsonl"
    planted.write_text(
        json.dumps(
            {
                "id": "jsonl:planted-1",
                "source": "jsonl",
                "kind": "note",
                "role": "author",
                "author": "Maya Chen",
                "title": "Wombat rollout notes :material/home: see https://wombat.example/x",
                "body": "Wombat rollout: mail wombat@example.com or visit www.wombat.example :material/warning:",
                "url": "javascript:alert(1)",
                "date": "2026-06-01T10:00:00+00:00",
            }
        )
        + "\n"
    )
    upload(page, planted)
    expect(page.get_by_text("planted.jsonl (jsonl): 1 added", exact=False)).to_be_visible()
    for name in ("Draft", "Ask", "Rewrite", "Settings", "Evidence"):
        go(page, name)
        page.wait_for_timeout(1000)
    go(page, "Ask")
    page.get_by_placeholder("Ask about your work", exact=False).fill("what happened in the wombat rollout?")
    page.get_by_placeholder("Ask about your work", exact=False).press("Enter")
    citation = (
        page.get_by_test_id("stChatMessage").last.get_by_test_id("stExpander").filter(has_text="Wombat").first
    )
    citation.locator("summary").click()
    expect(citation.get_by_test_id("stExpanderDetails")).to_contain_text("wombat")
    main = page.get_by_test_id("stMain")
    links = main.locator("a").evaluate_all("(all) => all.map(a => a.href)")
    assert not [href for href in links if "wombat" in href or href.startswith(("javascript:", "mailto:"))]
    icons = main.get_by_test_id("stMarkdownContainer").get_by_test_id("stIconMaterial").all_inner_texts()
    assert "home" not in icons
    assert "warning" not in icons
    outside = [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert outside == []
