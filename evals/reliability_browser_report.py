"""The browser section's Markdown: the figures `evals/reliability_browser.py` measured in Chromium, against the
issue's targets."""

from __future__ import annotations

from typing import Any


def browser_report(m: dict[str, Any]) -> str:
    lines = [
        "## In Chromium (issue 9, part 5)",
        "",
        "`selfreview demo` on the sample workspace (a data directory of its own) in headless Chromium "
        "(`/usr/bin/chromium`, Playwright), one browser context for the whole run, every request it made recorded. "
        "Targets: 0 requests off 127.0.0.1 across all pages, 0 active links or icons from evidence, "
        "two same-named files both kept, 0 export lines that differ from what the page says is held back.",
        "",
    ]
    failed = []
    off = m.get("off", [])
    rows = [
        f"| requests off the machine (all pages: {', '.join(m.get('pages', []))}) | {len(off)} of {m.get('requests', 0)} |"
    ]
    failed += ["requests off the machine"] if off else []
    planted = m.get("planted", {})
    if "error" in planted or not planted:
        rows.append(
            f"| active links or icons from evidence | not measured: {planted.get('error', 'not run')} |"
        )
        failed.append("links")
    else:
        for where in ("evidence", "ask"):
            got = planted[where]
            count = len(got["links"]) + len(got["icons"])
            seen = "planted text on the page" if got["seen"] else "planted text NOT found on the page"
            rows.append(f"| active links or icons from evidence, {where.title()} page | {count} ({seen}) |")
            failed += [where] if count or not got["seen"] else []
    retro = m.get("retro", {})
    if "error" in retro or not retro:
        rows.append(f"| same-named files: both kept | not measured: {retro.get('error', 'not run')} |")
        failed.append("retro")
    else:
        rows.append(
            f"| same-named files (two retro.md, same dated heading): both kept | {retro['kept']} of 2 searchable "
            f"as different items (top note for each file's line: "
            f"{', '.join(f'{k} {v[0] if v else None}' for k, v in retro['ids'].items())}; the page said: "
            f"{'; '.join(s.strip() for s in retro['said']) or 'nothing'}) |"
        )
        failed += ["retro"] if retro["kept"] != 2 else []
    ex = m.get("exports", {})
    if "error" in ex or not ex:
        rows.append(
            f"| exports hold back exactly what the page says | not measured: {ex.get('error', 'not run')} |"
        )
        failed.append("exports")
    else:
        counts = ", ".join(f"{k} {v}" for k, v in ex["mismatches"].items())
        says = ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in ex["says_so"].items())
        rows.append(
            f"| exports hold back exactly what the page says | mismatches: {counts}; {ex['held']} of "
            f"{ex['bullets']} bullets held back on the page ({ex['badges']} badges, {ex['named']} named in the "
            f"warning); the bullet given an unverified 87% held back: {'yes' if ex['flagged_held'] else 'no'}; "
            f"the export says so: {says} |"
        )
        bad = any(ex["mismatches"].values()) or not ex["flagged_held"] or not all(ex["says_so"].values())
        failed += ["exports"] if bad else []
    verdict = "pass" if not failed else "**FAIL**"
    lines += [f"Result: {verdict}.", "", "| figure | measured |", "|---|---|", *rows]
    lines += [
        "",
        "Links and icons are counted in the page's DOM (`<a>` whose address or text is the planted evidence's, or "
        "a `mailto:`/`javascript:` address; material icons named by the planted shortcodes) with the planted item "
        "selected in the Evidence table and its citations open in an Ask answer. The Evidence table itself is "
        "drawn on a canvas, so its Link column is not counted here.",
    ]
    if off:
        lines += ["", "Requests off the machine:", "", *[f"- `{u}`" for u in off[:20]]]
    return "\n".join(lines) + "\n"
