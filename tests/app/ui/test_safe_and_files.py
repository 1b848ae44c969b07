"""Markdown escaping of evidence and model text; saved drafts and chats written atomically."""

from __future__ import annotations

import re

import pytest

from app import chats, drafts, jobs
from app.ui.safe import JOINER, link, md, safe_url
from ingest.layout import WorkspaceError


@pytest.mark.parametrize(
    "text",
    [
        "![](https://attacker.example/x.png)",
        "[click](javascript:alert(1))",
        "<img src=https://attacker.example/x.png>",
        ":red[alarm] $x^2$ `code` **bold** # heading",
    ],
)
def test_markdown_syntax_is_escaped(text):
    escaped = md(text)
    assert not re.search(r"(?<!\\)[!\[\]()<>`*:$#]", escaped)  # every markup character is backslashed
    assert escaped.replace("\\", "").replace(JOINER, "") == text.replace("\\", "")


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("see https://x.example/a", "https" + JOINER + "\\:"),
        ("write to maya@example.com", "maya" + JOINER + "@"),
        ("www.example.com", "www" + JOINER + "\\."),
        ("FTP://files.example", "FTP" + JOINER + "\\:"),
        (":material/home: done", "\\:" + JOINER + "material/home\\:"),
    ],
)
def test_bare_urls_emails_and_icon_codes_cannot_become_links_or_icons(text, broken):
    """Streamlit links and iconifies these after undoing escapes: a word joiner inside each pattern stops it."""
    escaped = md(text)
    assert broken in escaped
    assert escaped.replace("\\", "").replace(JOINER, "") == text


def test_ordinary_colons_are_left_alone():
    assert JOINER not in md("broken.yaml:6: level L9; PAY-142: fixed at 10:30")


def test_links_only_to_http_urls():
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("file:///etc/passwd") == ""
    assert (
        link("open", "https://github.com/acme/pay/pull/20") == "[open](https://github.com/acme/pay/pull/20)"
    )
    assert link("open", "https://x.example/a)b") == "[open](https://x.example/a%29b)"
    assert link("open", "data:text/html,hi") == "open"


def test_draft_record_round_trips_and_leaves_no_temporary_file(tmp_path):
    path = drafts.save(tmp_path, "sample", "Northwind Engineering Ladder", "E5", {"edits": {"a/0": "x"}})
    assert path == tmp_path / "drafts" / "sample" / "northwind-engineering-ladder-e5.json"
    assert drafts.load(tmp_path, "sample", "Northwind Engineering Ladder", "E5") == {"edits": {"a/0": "x"}}
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_damaged_draft_file_names_the_file_and_line(tmp_path):
    path = drafts.draft_path(tmp_path, "sample", "L", "E5")
    path.parent.mkdir(parents=True)
    path.write_text('{\n "edits": {\n')
    with pytest.raises(drafts.DraftFileError, match=r"l-e5\.json:3: not valid JSON"):
        drafts.load(tmp_path, "sample", "L", "E5")


def test_workspace_names_cannot_leave_the_data_directory(tmp_path):
    with pytest.raises(WorkspaceError, match="workspace name '../etc'"):
        drafts.draft_path(tmp_path, "../etc", "L", "E5")
    with pytest.raises(WorkspaceError, match="workspace name '../../x'"):
        chats.load(tmp_path, "../../x")
    with pytest.raises(WorkspaceError, match="workspace name '../x'"):
        jobs.history(tmp_path, "../x")


def test_chat_history_round_trips(tmp_path):
    chats.save(tmp_path, "sample", [{"role": "user", "content": "hi"}])
    assert chats.load(tmp_path, "sample") == [{"role": "user", "content": "hi"}]
    chats.clear(tmp_path, "sample")
    assert chats.load(tmp_path, "sample") == []
