"""The UI in a real browser: `selfreview demo` on the sample workspace, driven by Playwright in Chromium.

Upload and ingest a file, draft a level, open a bullet's evidence, edit a bullet, reload, find the edit; ask a
question, rewrite a bullet, and take a full-page screenshot of every page (printed folder; with
SELFREVIEW_UPDATE_DOCS=1 also docs/screenshots/<page>.png). Skipped when /usr/bin/chromium is missing,
unless SELFREVIEW_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.demo_server import free_port, running_demo  # noqa: F401 - free_port is shared from here

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADDED = " Shared the plan in the weekly payments update."
UPLOADED_TITLE = "Browser test: moved the invoice cron to the job queue"


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
        if os.environ.get("SELFREVIEW_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " and SELFREVIEW_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def demo(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`selfreview demo --no-browser` on a free port with its own data directory; stopped afterwards."""
    with running_demo(tmp_path_factory.mktemp("demo-home")) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("SELFREVIEW_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def screenshot(page, folder: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it first."""
    height = page.evaluate(
        "() => { const all = [...document.querySelectorAll('*')];"
        " all.forEach(e => { if (e.scrollTop) e.scrollTop = 0; });"
        " return Math.max(...all.map(e => e.scrollHeight)); }"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(800)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    if os.environ.get("SELFREVIEW_UPDATE_DOCS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / f"{name}.png")
    return path


def open_page(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for()


@pytest.mark.timeout(900)
def test_demo_in_a_real_browser(demo: str, shots: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "browser-test.jsonl"
    upload.write_text(
        json.dumps(
            {
                "id": "jsonl:browser-test-1",
                "source": "jsonl",
                "kind": "note",
                "title": UPLOADED_TITLE,
                "body": "Moved the nightly invoice cron onto the job queue; retries are now automatic.",
                "author": "Maya Chen",
                "date": "2026-10-20T10:00:00+00:00",
                "role": "author",
            }
        )
        + "\n"
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(90_000)
        expect.set_options(timeout=90_000)
        try:
            # Evidence: the sample workspace, then an uploaded file ingested with a progress indicator
            page.goto(demo)
            expect(page.get_by_test_id("stMetric").first).to_contain_text("Evidence items")
            page.get_by_test_id("stButtonGroup").get_by_text("Timeline").click()
            expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
            screenshot(page, shots, "evidence-timeline")
            page.get_by_test_id("stButtonGroup").get_by_text("Summary").click()
            expect(page.get_by_text("By month and source")).to_be_visible()
            screenshot(page, shots, "evidence")
            page.get_by_text("Add evidence", exact=True).click()
            page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(upload))
            page.get_by_role("button", name="Ingest uploaded files").click()
            expect(page.get_by_text("1 added", exact=False)).to_be_visible()
            page.get_by_test_id("stButtonGroup").get_by_text("All evidence").click()
            page.get_by_label("Contains").fill("invoice cron to the job queue")
            page.get_by_label("Contains").press("Enter")
            expect(page.get_by_text(re.compile(r"^1 of \d+ items$"))).to_be_visible()
            screenshot(page, shots, "evidence-ingest")

            # Draft: a level of the sample ladder, an evidence drawer, an edit that survives a reload
            open_page(page, "Draft")
            page.get_by_role("button", name="Draft", exact=True).click()
            expect(page.get_by_text("cited", exact=False).first).to_be_visible()
            page.get_by_role("heading", name="Export").wait_for()
            page.get_by_test_id("stButtonGroup").get_by_text(re.compile(r"^\[1\] ")).first.click()
            expect(page.get_by_text("your part:", exact=False).first).to_contain_text("2026-")
            first_bullet = page.get_by_test_id("stTextArea").locator("textarea").first
            expect(first_bullet).not_to_have_value("")
            original = first_bullet.input_value()
            print(f"first bullet: {original!r}")
            edited = original + ADDED
            first_bullet.fill(edited)
            first_bullet.press("Control+Enter")
            expect(page.get_by_text("last edit saved at", exact=False)).to_be_visible()
            screenshot(page, shots, "draft")
            page.reload()
            expect(page.get_by_test_id("stTextArea").locator("textarea").first).to_have_value(edited)

            # Ask: a streamed answer with numbered citations
            open_page(page, "Ask")
            page.get_by_placeholder("Ask about your work", exact=False).fill(
                "what did I do for checkout latency?"
            )
            page.get_by_placeholder("Ask about your work", exact=False).press("Enter")
            citation = page.get_by_test_id("stChatMessage").last.get_by_test_id("stExpander").first
            expect(citation).to_contain_text("[1]")
            citation.locator("summary").click()
            expect(citation.get_by_test_id("stExpanderDetails")).to_contain_text("2026-")
            screenshot(page, shots, "ask")

            # Rewrite: side by side with the fact-preservation badge
            open_page(page, "Rewrite")
            page.get_by_label("Bullets").fill(
                "I just helped with the checkout latency work, cutting p95 38%."
            )
            page.get_by_role("button", name="Rewrite", exact=True).click()
            expect(page.get_by_text("facts preserved", exact=False).first).to_be_visible()
            screenshot(page, shots, "rewrite")

            open_page(page, "Settings")
            expect(page.get_by_text("Offline mode", exact=False).first).to_be_visible()
            screenshot(page, shots, "settings")
        except Exception:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    for name in ("evidence", "evidence-timeline", "evidence-ingest", "draft", "ask", "rewrite", "settings"):
        assert (shots / f"{name}.png").stat().st_size > 10_000
