"""The browser section of the reliability eval: `selfreview demo` on the sample workspace (its own data directory),
driven by Playwright in Debian's Chromium, counting what the issue's browser promises say must never happen:
requests off the machine on any page, active links or icons rendered from evidence, a same-named upload that
replaces another file's evidence, and exports that do not hold back exactly the bullets the page says.

    .venv/bin/python -m evals.reliability --section browser
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from evals.bench_ui import start_demo
from evals.reliability_browser_report import browser_report
from tests.app.ui.test_browser import ARGS, CHROMIUM
from tests.app.ui.test_browser_daily import bullets, go, open_draft, search, settled, upload
from tests.demo_server import free_port, stop_demo

LOCAL = {"127.0.0.1", "localhost"}
ICONS = ("rocket_launch", "pets", "savings")  # planted shortcodes; the page itself uses none of them
PLANTED = {
    "id": "jsonl:planted-links-1",
    "source": "jsonl",
    "kind": "note",
    "role": "author",
    "author": "Maya Chen",
    "title": "Wombat rollout :material/rocket_launch: see https://wombat.example/plan",
    "body": (
        "Wombat rollout: mail wombat@example.com, visit www.wombat.example or "
        "[the wombat runbook](https://wombat.example/runbook) :material/pets: :material/savings: "
        "and [click](javascript:alert(1))"
    ),
    "url": "javascript:alert(1)",
    "date": "2026-06-01T10:00:00+00:00",
}
RETROS = {  # two different files, both retro.md with the same dated heading
    "team-a": "Numbat: moved the billing retries onto the queue.",
    "team-b": "Bilby: wrote the incident review for the search outage.",
}
UNVERIFIED = " Cut p99 latency by 87%."


def off_machine(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https", "ws", "wss") and (parsed.hostname or "") not in LOCAL


def from_evidence(page: Any) -> dict[str, Any]:
    """Active <a> elements and material icons on the page that came from the planted evidence."""
    main = page.locator("body")
    links = main.locator("a").evaluate_all(
        "(all) => all.map(a => [a.getAttribute('href') || '', a.innerText || ''])"
    )
    active = [
        href
        for href, text in links
        if "wombat" in (href + text).lower() or href.lower().startswith(("javascript:", "mailto:"))
    ]
    icons = [t for t in main.get_by_test_id("stIconMaterial").all_inner_texts() if t.strip() in ICONS]
    text = main.inner_text()
    return {"links": active, "icons": icons, "seen": "wombat" in text.lower()}


def visit_every_page(page: Any) -> list[str]:
    names = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    names = [n.strip().splitlines()[-1].strip() for n in names if n.strip()]  # the label after its icon
    for name in names + names[:1]:
        go(page, name)
        page.wait_for_timeout(1500)
    return names


def select_planted_row(page: Any) -> None:
    """The Evidence table is a canvas: click its one row so the item's text shows below it (a second click would
    clear the selection, so one click and a wait)."""
    from playwright.sync_api import Error

    page.wait_for_timeout(3000)
    grid = page.get_by_test_id("stDataFrame").last.bounding_box()
    if grid:
        page.mouse.move(grid["x"] + 14, grid["y"] + 54)
        page.wait_for_timeout(500)
        page.mouse.click(grid["x"] + 14, grid["y"] + 54)
    with contextlib.suppress(Error):  # reported: the planted text is not on the page
        page.get_by_text("mail wombat@example.com", exact=False).first.wait_for(timeout=20_000)


def planted_evidence(page: Any, scratch: Path) -> dict[str, Any]:
    from playwright.sync_api import expect

    path = scratch / "planted.jsonl"
    path.write_text(json.dumps(PLANTED) + "\n")
    go(page, "Evidence")
    upload(page, path)
    expect(page.get_by_text("planted.jsonl (jsonl): 1 added", exact=False)).to_be_visible(timeout=300_000)
    page.get_by_test_id("stButtonGroup").get_by_text("All evidence").click()
    page.get_by_label("Contains").fill("Wombat rollout")
    page.get_by_label("Contains").press("Enter")
    page.get_by_text(re.compile(r"^1 of \d+ items$")).wait_for()
    select_planted_row(page)
    evidence = from_evidence(page)
    go(page, "Ask")
    box = page.get_by_placeholder("Ask about your work", exact=False)
    box.fill("what happened in the wombat rollout?")
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").last
    cited = answer.get_by_test_id("stExpander").filter(has_text="Wombat")
    cited.first.wait_for(timeout=180_000)
    for n in range(cited.count()):
        cited.nth(n).locator("summary").click()
    page.wait_for_timeout(1500)
    ask = from_evidence(page)
    return {"evidence": evidence, "ask": ask}


def wait_for_ingest(page: Any) -> None:
    from playwright.sync_api import expect

    page.wait_for_timeout(3000)
    busy = page.get_by_test_id("stSidebar").get_by_text("Ingesting into", exact=False)
    expect(busy).to_have_count(0, timeout=300_000)


def same_named_files(page: Any, scratch: Path, home: Path) -> dict[str, Any]:
    go(page, "Evidence")
    for folder, line in RETROS.items():
        path = scratch / folder / "retro.md"
        path.parent.mkdir(parents=True)
        path.write_text(f"# Retro\n\n## 2026-09-14\n\n{line}\n")
        page.reload()  # a fresh session: the uploader no longer holds the other retro.md
        page.get_by_role("heading", name="Evidence", exact=True).wait_for()
        upload(page, path)  # detected as notes from the file
        wait_for_ingest(page)
    said = page.get_by_text(re.compile(r"retro\.md \(notes\):")).all_inner_texts()
    ids = {
        folder: [i for i in search(home, line)[:5] if i.startswith("notes:")]
        for folder, line in RETROS.items()
    }
    kept = sum(bool(hits) for hits in ids.values())
    both = kept == len(RETROS) and ids["team-a"][0] != ids["team-b"][0]
    return {"said": said, "ids": {k: v[:1] for k, v in ids.items()}, "kept": 2 if both else min(kept, 1)}


def export_lines(kind: str, data: bytes) -> list[str]:
    if kind == "docx":
        from docx import Document

        document = Document(io.BytesIO(data))
        return [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    return [line[2:] for line in data.decode().splitlines() if line.startswith("- ")]


def held_exports(page: Any) -> dict[str, Any]:
    from playwright.sync_api import expect

    open_draft(page)
    box = bullets(page).first
    flagged = box.input_value().rstrip() + UNVERIFIED
    box.fill(flagged)
    box.press("Control+Enter")
    expect(page.get_by_text("last edit saved at", exact=False)).to_be_visible()
    settled(page)
    on_page = [b.input_value() for b in bullets(page).all()]
    warning = page.get_by_text("are held back: they are in none of the exports", exact=False)
    named = re.findall(r"“(.*?)” \(", warning.first.inner_text()) if warning.count() else []
    badges = page.get_by_text("held back from the export", exact=True).count()
    held = [b for b in on_page if any(b.startswith(n.rstrip("…").rstrip()) for n in named)]
    exports: dict[str, list[str]] = {}
    says_so: dict[str, bool] = {}
    for kind, button in (("md", "Markdown"), ("txt", "plain text"), ("docx", "Word (.docx)")):
        with page.expect_download() as download:
            page.get_by_role("button", name=f"Download {button}").click()
        data = Path(download.value.path()).read_bytes()
        exports[kind] = export_lines(kind, data)
        text = (
            data.decode(errors="ignore")
            if kind != "docx"
            else "\n".join(p.text for p in __import__("docx").Document(io.BytesIO(data)).paragraphs)
        )
        says_so[kind] = "held back" in text.lower()
    mismatches = {
        kind: sum(b in lines for b in held) + sum(b not in lines for b in on_page if b not in held)
        for kind, lines in exports.items()
    }
    return {
        "bullets": len(on_page),
        "named": len(named),
        "badges": badges,
        "held": len(held),
        "flagged_held": flagged in held,
        "mismatches": mismatches,
        "says_so": says_so,
    }


def drive(url: str, home: Path, scratch: Path) -> dict[str, Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)
    measured: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.set_default_timeout(120_000)
        try:
            page.goto(url)
            page.get_by_role("heading", name="Evidence", exact=True).wait_for()
            measured["pages"] = visit_every_page(page)
            for name, step in (
                ("planted", lambda: planted_evidence(page, scratch)),
                ("retro", lambda: same_named_files(page, scratch, home)),
                ("exports", lambda: held_exports(page)),
            ):
                try:
                    measured[name] = step()
                except Exception as error:  # one scenario failing still reports the others
                    page.screenshot(path=f"/tmp/selfreview-browser-{name}-failure.png", full_page=True)
                    measured[name] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0]}"}
            visit_every_page(page)
        finally:
            measured["requests"] = len(requests)
            measured["off"] = sorted({u for u in requests if off_machine(u)})
            browser.close()
    return measured


def browser_section(args: argparse.Namespace, scratch: Path) -> str:
    if not CHROMIUM.exists():
        return (
            f"## In Chromium (issue 9, part 5)\n\nResult: **FAIL**: not run, {CHROMIUM} is not installed.\n"
        )
    home = scratch / "home"
    home.mkdir()
    port = free_port()
    process = start_demo(home, port)
    try:
        measured = drive(f"http://127.0.0.1:{port}", home, scratch)
    finally:
        stop_demo(process)
    return browser_report(measured)
