"""Settings page: offline mode stated plainly, settings saved to selfreview.toml, the API key never."""

from __future__ import annotations

import tomllib

from tests.app.ui.conftest import texts, unescape


def test_offline_mode_is_stated(app):
    at = app("settings")
    assert not at.exception
    assert at.info[0].value.startswith("Offline mode:")
    assert "no data leaves this machine" in at.info[0].value
    assert "OPENAI_API_KEY environment variable" in texts(at)


def test_save_writes_the_settings_and_the_mode_changes(app, selfreview_home):
    at = app("settings")
    at.text_input[0].input("http://127.0.0.1:11434/v1")
    at.text_input[1].input("llama3.2")
    at.button[0].click().run()  # Save settings
    assert not at.exception
    saved = tomllib.loads((selfreview_home / "selfreview.toml").read_text())
    assert saved["openai_base_url"] == "http://127.0.0.1:11434/v1"
    assert saved["chat_model"] == "llama3.2"
    assert "openai_api_key" not in saved
    assert "Saved to" in unescape(texts(at))
    assert unescape(at.info[0].value) == "LLM: llama3.2 at http://127.0.0.1:11434/v1"
    assert unescape(at.sidebar.caption[0].value) == "LLM: llama3.2 at http://127.0.0.1:11434/v1"


def test_environment_wins_and_says_so(app, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://10.0.0.5:8000/v1")
    at = app("settings")
    assert "OPENAI_BASE_URL is set in the environment" in unescape(texts(at))


def test_test_connection_offline_says_there_is_nothing_to_test(app):
    at = app("settings")
    at.button[1].click().run()  # Test connection
    assert not at.exception
    assert "offline mode, nothing to connect to" in texts(at)


def test_connection_failure_is_a_message(app, monkeypatch):
    monkeypatch.setenv("SELFREVIEW_LLM_RETRIES", "0")
    at = app("settings")
    at.text_input[0].input("http://127.0.0.1:9/v1")
    at.button[1].click().run()
    assert not at.exception
    assert "Connection failed" in unescape(at.error[0].value)
