"""With st.login, each signed-in user sees only their own workspaces; without signing in, nothing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.ui.context import check_new_name, user_slug
from tests.app.ui.conftest import MAIN, WORKSPACE, texts, unescape
from tests.llm_server import RecordingEndpoint


def signed_in(email: str) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    return at


def create_workspace(at: AppTest, name: str) -> None:
    at.session_state["ev_workspaces"] = True
    at.run()
    at.text_input(key="ws_new_name").input(name).run()
    at.button(key="ws_create").click().run()


def test_signed_in_user_sees_only_their_workspaces(workspace):
    at = signed_in("maya@example.com")
    switcher = at.sidebar.selectbox(key="workspace")
    maya = user_slug("maya@example.com")
    assert switcher.value == f"{maya}--{WORKSPACE}"
    assert switcher.options == [WORKSPACE]  # (labels without the prefix): only their own, not yet created
    create_workspace(at, "review")
    assert at.sidebar.selectbox(key="workspace").value == f"{maya}--review"
    other = signed_in("sam@example.com")
    assert other.sidebar.selectbox(key="workspace").value == f"{user_slug('sam@example.com')}--{WORKSPACE}"
    assert other.sidebar.selectbox(key="workspace").options == [WORKSPACE]  # not maya's "review"


def test_with_auth_configured_nothing_shows_before_sign_in(workspace):
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "client_id": "id",
        "client_secret": "s",
        "server_metadata_url": "https://accounts.example/.well-known/openid-configuration",
    }
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe


def test_emails_that_read_alike_do_not_share_workspaces(workspace):
    dotted, dashed = user_slug("a.b@example.com"), user_slug("a-b@example.com")
    assert dotted != dashed
    assert dotted.startswith("a-b-example-com-")
    assert user_slug("Maya@Example.com ") == user_slug("maya@example.com")  # one person, one prefix
    first = signed_in("a.b@example.com")
    create_workspace(first, "private")
    assert first.sidebar.selectbox(key="workspace").value == f"{dotted}--private"
    second = signed_in("a-b@example.com")
    assert "private" not in second.sidebar.selectbox(key="workspace").options


def test_a_signed_in_users_workspace_name_fits_the_store():
    user = user_slug("someone.with.a.very.long.address@subdomain.example.com")
    assert check_new_name("x" * 63) is None  # local use: the whole 63 characters
    problem = check_new_name("x" * 63, user)
    assert problem
    assert f"up to {63 - len(user) - 2} characters" in problem
    assert check_new_name("x" * (63 - len(user) - 2), user) is None


def test_uploaded_glossaries_are_per_user_when_signed_in(ui_env):
    from tests.app.ui.conftest import GLOSSARY

    mine = ui_env / "users" / user_slug("maya@example.com") / "glossaries" / "maya-terms.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text(GLOSSARY)

    def glossaries_for(email: str) -> list[str]:
        at = signed_in(email)
        at.switch_page("views/rewrite.py")
        at.run()
        assert not at.exception
        return at.selectbox(key="rewrite_glossary").options

    assert "maya-terms.yaml" in glossaries_for("maya@example.com")
    assert "maya-terms.yaml" not in glossaries_for("sam@example.com")


# --- two users, one server: nobody reaches another's data or the operator's settings -----------------------


OPERATOR_KEY = "sk-operator-0000-not-a-real-key"


def test_a_signed_in_user_cannot_ingest_a_path_on_the_server(workspace, tmp_path):
    at = signed_in("sam@example.com")
    at.session_state["ev_add"] = True
    at.run()
    assert not at.exception
    assert "git" not in at.selectbox(key="upload_kind").options
    assert not [t for t in at.text_input if t.key in ("path_value", "upload_git_path")]
    assert "Signed in: evidence is added by uploading files" in texts(at)


def test_a_signed_in_user_cannot_change_or_redirect_the_operators_settings(workspace, selfreview_home):
    before = sorted(p.name for p in selfreview_home.iterdir())
    at = signed_in("sam@example.com")
    at.switch_page("views/settings.py").run()
    assert not at.exception
    assert not at.text_input  # no endpoint, model, embedding model or Chroma URL to type
    assert not [s for s in at.selectbox if s.label == "Embedding backend"]
    assert "Only the person running selfreview can change these" in texts(at)
    assert not (selfreview_home / "selfreview.toml").exists()
    assert sorted(p.name for p in selfreview_home.iterdir()) == before


def test_the_operators_key_goes_only_to_the_saved_endpoint(ui_env, monkeypatch):
    from app import settings as app_settings

    saved, typed = RecordingEndpoint(), RecordingEndpoint()
    try:
        monkeypatch.setenv("OPENAI_API_KEY", OPERATOR_KEY)
        app_settings.save(app_settings.load(), openai_base_url=saved.url)
        at = AppTest.from_file(str(MAIN), default_timeout=60).run()
        at.switch_page("views/settings.py").run()
        at.text_input[0].input(typed.url)
        at.button[1].click().run()  # Test connection, with an address typed but not saved
        assert not at.exception
        assert typed.authorizations
        assert all(OPERATOR_KEY not in header for header in typed.authorizations)
        assert "tested without the API key" in unescape(texts(at))
        at.text_input[0].input(saved.url)
        at.button[1].click().run()
        assert saved.authorizations == [f"Bearer {OPERATOR_KEY}"]
    finally:
        saved.close()
        typed.close()


def test_each_user_has_their_own_egress_log(ui_env, monkeypatch):

    operator = RecordingEndpoint()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", operator.url)
        maya = signed_in("maya@example.com")
        maya.switch_page("views/settings.py").run()
        maya.button(key="settings_test_operator").click().run()
        assert not maya.exception
        assert len(operator.authorizations) == 1
        maya.run()
        assert list(maya.dataframe[-1].value["purpose"]) == ["test"]
        assert (ui_env / "users" / user_slug("maya@example.com") / "egress.log.jsonl").is_file()
        assert not (ui_env / "egress.log.jsonl").exists()
        sam = signed_in("sam@example.com")
        sam.switch_page("views/settings.py").run()
        assert "Nothing has been sent to any LLM endpoint for you." in texts(sam)
        assert not sam.dataframe
    finally:
        operator.close()


def test_a_user_cannot_switch_to_another_users_workspace(workspace):
    maya = signed_in("maya@example.com")
    create_workspace(maya, "private")
    mine = f"{user_slug('maya@example.com')}--private"
    sam = AppTest.from_file(str(MAIN), default_timeout=60)
    sam.user = {"is_logged_in": True, "email": "sam@example.com"}
    sam.session_state["workspace"] = mine  # another user's workspace name in this session, as if crafted
    sam.run()
    assert not sam.exception
    assert sam.sidebar.selectbox(key="workspace").value == f"{user_slug('sam@example.com')}--{WORKSPACE}"
    sam.switch_page("views/draft.py").run()
    assert "holds no evidence yet" in texts(sam)


def test_preferences_are_kept_per_user(ui_env):
    maya = signed_in("maya@example.com")
    maya.switch_page("views/settings.py").run()
    maya.checkbox(key="pref_export_ids").check().run()
    assert not maya.exception
    again = signed_in("maya@example.com")
    again.switch_page("views/settings.py").run()
    assert again.checkbox(key="pref_export_ids").value is True
    sam = signed_in("sam@example.com")
    sam.switch_page("views/settings.py").run()
    assert sam.checkbox(key="pref_export_ids").value is False
