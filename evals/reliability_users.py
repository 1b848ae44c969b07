"""The two-user section of the reliability eval: two people signed in to one selfreview server (Streamlit AppTest
on the real app), one of them trying every way the issue lists to reach the other's evidence or the operator's
settings; counts what crossed (reads: the other's text on the attacker's page or in the attacker's workspace, the
operator's key at the attacker's address; writes: any file of the other user or of the operator that changed).

    .venv/bin/python -m evals.reliability --section users
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.app.ui.conftest import texts
from tests.llm_server import RecordingEndpoint, from_evidence

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "app" / "ui" / "main.py"
WORKSPACE = "review"
MAYA, SAM = "maya@example.com", "sam@example.com"
CANARY = "zqmayacanary"  # a word only Maya's evidence holds
MAYA_SPACE = "zqmayaspace"  # the name of Maya's workspace, which her pages show
PAGES = ("evidence", "ask", "draft", "rewrite", "settings")
OPERATOR_KEY = "sk-operator-canary-0000"
SAM_WORDS = "Shipped the ledger cache"  # Sam's own note


def signed_in(email: str, workspace: str | None = None) -> Any:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.user = {"is_logged_in": True, "email": email}
    if workspace:
        at.session_state["workspace"] = workspace  # a name typed into the session, as a crafted request would
    return at.run()


def leaks(at: Any) -> bool:
    """Maya's word or her workspace's name on the page."""
    text = shown(at)
    return CANARY in text or MAYA_SPACE in text


def shown(at: Any) -> str:
    """Everything the page shows: its text (tests.app.ui.conftest.texts), exceptions, tables and choices."""
    parts = [texts(at)]
    parts += [str(element.value) for element in at.exception]
    parts += [frame.value.to_string() for frame in at.dataframe]
    parts += [str(box.options) for box in at.selectbox]
    return "\n".join(parts)


def tree_digest(places: list[Path]) -> dict[str, str]:
    """sha256 of each file, and of every file under each folder (what a write would change)."""
    digests = {}
    for place in places:
        for path in [place, *(sorted(place.rglob("*")) if place.is_dir() else [])]:
            if path.is_file():
                digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def setup(home: Path) -> dict[str, Any]:
    """Maya's workspace with her canary evidence and an upload, her egress log with one request; Sam's own
    workspace with a note of his (so his pages are the working ones, ask included)."""
    from app.ui.context import user_slug
    from ingest.embeddings import FakeEmbedder
    from ingest.pipeline import ingest
    from ingest.store import Workspace

    maya_ws = f"{user_slug(MAYA)}--{MAYA_SPACE}"
    uploads = home / "maya-upload"
    uploads.mkdir(parents=True)
    note = uploads / "brag.md"
    note.write_text(f"## 2026-03-01 Cut refund latency {CANARY}\nCut refund latency 38% {CANARY}.\n")
    workspace = Workspace(home, maya_ws)
    ingest(workspace, FakeEmbedder(), "notes", [note])
    workspace.close()
    his = home / "sam-notes" / "brag.md"
    his.parent.mkdir()
    his.write_text(f"## 2026-03-02\n{SAM_WORDS}.\n")
    workspace = Workspace(home, f"{user_slug(SAM)}--{WORKSPACE}")
    ingest(workspace, FakeEmbedder(), "notes", [his])
    workspace.close()
    maya = signed_in(MAYA)
    maya.switch_page("views/settings.py").run()
    for button in maya.button:
        if button.key == "settings_test_operator":
            button.click().run()  # one request in Maya's egress log
    return {"maya_ws": maya_ws, "uploads": uploads, "maya_slug": user_slug(MAYA), "sam_slug": user_slug(SAM)}


def page(email: str, name: str, workspace: str | None = None) -> Any:
    at = signed_in(email, workspace)
    if name != "evidence":
        at.switch_page(f"views/{name}.py").run()
    return at


def attack_switch_workspace(home: Path, ctx: dict[str, Any], attacker: RecordingEndpoint) -> dict[str, Any]:
    return {"tries": len(PAGES), "reads": sum(leaks(page(SAM, name, ctx["maya_ws"])) for name in PAGES)}


def ask(email: str, workspace: str | None = None) -> Any:
    at = page(email, "ask", workspace)
    at.chat_input[0].set_value("what did I do about refund latency?").run()  # Maya's note, in other words
    return at


def attack_ask(home: Path, ctx: dict[str, Any], attacker: RecordingEndpoint) -> dict[str, Any]:
    """Sam asks with Maya's workspace name in his session; the model answers from whatever evidence it is sent."""
    at = ask(SAM, ctx["maya_ws"])
    text = shown(at)
    own = "his own note in the answer" if SAM_WORDS in text else "no answer from his own evidence"
    own += ", 'found nothing'" if "found nothing" in text else ""
    return {"tries": 1, "reads": int(leaks(at)), "offered": own}


def controls(ctx: dict[str, Any]) -> dict[str, bool]:
    """The probes can see a leak: on which of her own pages Maya finds her word or her workspace's name."""
    seen = {name: leaks(page(MAYA, name, ctx["maya_ws"])) for name in PAGES}
    seen["ask, answered"] = CANARY in shown(ask(MAYA, ctx["maya_ws"]))
    return seen


def attack_path_ingest(home: Path, ctx: dict[str, Any], attacker: RecordingEndpoint) -> dict[str, Any]:
    """Type Maya's upload folder and her workspace folder into any path box the Add evidence panel offers."""
    from ingest.store import Workspace

    tries = reads = offered = 0
    for target in (ctx["uploads"], home / "workspaces" / ctx["maya_ws"]):
        at = signed_in(SAM)
        at.session_state["ev_add"] = True
        at.run()
        boxes = [box for box in at.text_input if box.key in ("path_value", "upload_git_path")]
        tries += 1
        offered += len(boxes)
        if not boxes:
            continue
        boxes[0].input(str(target)).run()
        for button in at.button:
            if button.key in ("path_go", "upload_go"):
                button.click().run()
    for name in [p.name for p in (home / "workspaces").iterdir() if not p.name.startswith(ctx["maya_slug"])]:
        workspace = Workspace(home, name)
        reads += any(CANARY in (e.body + e.title) for e in workspace.evidence())
        workspace.close()
    return {"tries": tries, "reads": reads, "offered": f"{offered} path boxes"}


def attack_settings(home: Path, ctx: dict[str, Any], attacker: RecordingEndpoint) -> dict[str, Any]:
    """Type the attacker's address into every box of the Settings page (endpoint, model, Chroma URL), pick every
    embedding backend, press every button (save, test connection); the operator's key must not arrive."""
    at = signed_in(SAM)
    at.switch_page("views/settings.py").run()
    tries = 1 + len(at.text_input) + len(at.selectbox)
    offered = f"{len(at.text_input)} text boxes, {len(at.button)} buttons"
    for box in at.text_input:
        box.input(attacker.url)
    for box in at.selectbox:
        if box.label == "Embedding backend":
            box.select(box.options[-1])
    at.run()
    for n in range(len(at.button)):
        if not at.button[n].disabled:
            at.button[n].click().run()
            tries += 1
    reads = sum(OPERATOR_KEY in header for header in attacker.authorizations)
    return {"tries": tries, "reads": reads, "offered": offered}


def attack_egress(home: Path, ctx: dict[str, Any], attacker: RecordingEndpoint) -> dict[str, Any]:
    """Maya's egress log holds her test request; Sam's Settings page may list his own requests, none of hers."""
    at = signed_in(SAM)
    at.switch_page("views/settings.py").run()
    rows = sum(len(frame.value) for frame in at.dataframe if "purpose" in getattr(frame.value, "columns", []))
    own = _egress_count(home / "users" / ctx["sam_slug"] / "egress.log.jsonl")
    return {"tries": 1, "reads": max(rows - own, 0)}


ATTACKS: dict[str, Callable[[Path, dict[str, Any], RecordingEndpoint], dict[str, Any]]] = {
    "workspace switching (another user's workspace name in the session, five pages)": attack_switch_workspace,
    "ask about the other user's work, from their workspace name": attack_ask,
    "path ingest of the other user's upload and workspace folders": attack_path_ingest,
    "egress log": attack_egress,
    "settings, Chroma URL, embedding backend, test connection": attack_settings,
}


def run_attacks(home: Path) -> dict[str, Any]:
    from app.settings import load

    ctx = setup(home)
    protected = [
        home / "workspaces" / ctx["maya_ws"],
        home / "users" / ctx["maya_slug"],
        home / "selfreview.toml",
    ]
    operator_settings = {k: str(v) for k, v in vars(load()).items()}
    before = tree_digest(protected)
    attacker = RecordingEndpoint()
    results = []
    try:
        for name, attack in ATTACKS.items():
            try:
                outcome = attack(home, ctx, attacker)
            except Exception as exc:  # an attack the page does not offer any more is recorded, not fatal
                outcome = {"tries": 0, "reads": 0, "error": f"{type(exc).__name__}: {exc}"[:200]}
            results.append({"attack": name, **outcome})
    finally:
        attacker.close()
    after = tree_digest(protected)
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    settings_after = {k: str(v) for k, v in vars(load()).items()}
    return {
        "attacks": results,
        "controls": controls(ctx),
        "maya_egress_requests": _egress_count(home / "users" / ctx["maya_slug"] / "egress.log.jsonl"),
        "writes": changed,
        "operator_settings_changed": sorted(
            k for k in operator_settings if operator_settings[k] != settings_after[k]
        ),
    }


def _egress_count(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def two_user_section(args: argparse.Namespace, scratch: Path) -> str:
    home = scratch / "home"
    home.mkdir(parents=True)
    operator = RecordingEndpoint(otherwise=from_evidence())  # answers from the evidence it is sent, citing it
    try:
        env = {
            **os.environ,
            "SELFREVIEW_HOME": str(home),
            "SELFREVIEW_EMBEDDING": "fake",
            "SELFREVIEW_WORKSPACE": WORKSPACE,
            "OPENAI_BASE_URL": operator.url,
            "OPENAI_API_KEY": OPERATOR_KEY,
            "ANONYMIZED_TELEMETRY": "False",
        }
        done = subprocess.run(
            [sys.executable, "-m", "evals.reliability_users", str(home)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    finally:
        operator.close()
    if done.returncode != 0:
        return (
            "## Two users on one server (issue 9, part 1)\n\nResult: **FAIL**: the run did not finish:\n\n```\n"
            + (done.stderr.strip()[-1500:] + "\n```")
        )
    return report(json.loads(done.stdout.strip().splitlines()[-1]))


def report(measured: dict[str, Any]) -> str:
    attacks = measured["attacks"]
    reads = sum(a["reads"] for a in attacks)
    writes = len(measured["writes"]) + len(measured["operator_settings_changed"])
    untried = [a["attack"] for a in attacks if a.get("error")]
    seen = measured["controls"]
    valid = all(seen.values()) and measured["maya_egress_requests"] > 0
    verdict = "pass" if not reads and not writes and not untried and valid else "**FAIL**"
    lines = [
        "## Two users on one server (issue 9, part 1)",
        "",
        "Maya and Sam signed in to one selfreview (Streamlit AppTest on `app/ui/main.py`, fake embeddings, an "
        "OpenAI-compatible endpoint of the operator's with the operator's key, whose scripted model answers from "
        "the evidence each request carries: each block's first sentence, cited by its id as the Ask prompt asks). Maya's workspace (a name of its own) "
        "holds a note with a word no other evidence has, and her egress log her requests. Sam, with a workspace "
        "of his own, tries each attack below; a read is Maya's word or workspace name on Sam's page or her word "
        "in Sam's workspace, Maya's requests in Sam's egress table, or the operator's key arriving at Sam's "
        "address; a write is any "
        "file of Maya's or of the operator's settings that changed. Target: 0 cross-user reads or writes.",
        "",
        f"Result: {verdict}: {reads} cross-user reads, {writes} cross-user writes "
        f"(Maya's egress log: {measured['maya_egress_requests']} requests).",
        "",
        "The probes can see a leak: on her own pages Maya finds her word or her workspace's name: "
        + ", ".join(f"{name} {'yes' if found else 'no'}" for name, found in seen.items())
        + ".",
        "",
        "| attack | attempts | what the page offered | reads |",
        "|---|---|---|---|",
        *[
            f"| {a['attack']} | {a['tries']} | {a.get('offered', '')} | {a['reads']}"
            f"{' (' + a['error'] + ')' if a.get('error') else ''} |"
            for a in attacks
        ],
        "",
    ]
    if measured["writes"] or measured["operator_settings_changed"]:
        lines += [
            "Changed:",
            "",
            *[f"- {p}" for p in [*measured["writes"], *measured["operator_settings_changed"]]],
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(run_attacks(Path(sys.argv[1]))))
