"""With st.login, each signed-in user sees only their own workspaces; without signing in, nothing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.ui.context import check_new_name, user_slug
from tests.app.ui.conftest import MAIN, WORKSPACE


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
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://accounts.example/.well-known/openid-configuration"}
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
