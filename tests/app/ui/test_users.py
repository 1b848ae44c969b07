"""With st.login, each signed-in user sees only their own workspaces; without signing in, nothing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.ui.conftest import MAIN, WORKSPACE


def test_signed_in_user_sees_only_their_workspaces(workspace):
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.user = {"is_logged_in": True, "email": "maya@example.com"}
    at.run()
    switcher = at.sidebar.selectbox(key="workspace")
    assert switcher.value == f"maya-example-com--{WORKSPACE}"
    assert switcher.options == [WORKSPACE]  # (labels without the prefix): only their own, not yet created
    at.session_state["ev_workspaces"] = True
    at.run()
    at.text_input(key="ws_new_name").input("review").run()
    at.button(key="ws_create").click().run()
    assert at.sidebar.selectbox(key="workspace").value == "maya-example-com--review"
    other = AppTest.from_file(str(MAIN), default_timeout=60)
    other.user = {"is_logged_in": True, "email": "sam@example.com"}
    other.run()
    assert other.sidebar.selectbox(key="workspace").value == f"sam-example-com--{WORKSPACE}"
    assert other.sidebar.selectbox(key="workspace").options == [WORKSPACE]  # not maya's "review"


def test_with_auth_configured_nothing_shows_before_sign_in(workspace):
    at = AppTest.from_file(str(MAIN), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://accounts.example/.well-known/openid-configuration"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe
