"""The services `selfreview sync` can fetch from: what each needs to know about the user, and its sync."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.identity import Identity, update
from ingest.live import github, gitlab, jira, linear
from ingest.live.http import SyncError
from ingest.live.sync import TOKEN_ENV, last_sync, sync_dir, token_source


@dataclass(frozen=True)
class Service:
    name: str
    title: str
    login: str  # what identifies the user there ("" when the token says who they are)
    needs: tuple[str, ...]  # environment variables the sync needs besides the token
    run: Callable[..., dict[str, Any]]
    kind: str  # the connector that ingests what the sync fetched
    where: str = ""  # where to create a token


SERVICES = {
    "github": Service(
        "github",
        "GitHub",
        "login",
        (),
        github.run,
        "github",
        "github.com/settings/tokens (read access to the repositories)",
    ),
    "gitlab": Service(
        "gitlab",
        "GitLab",
        "username",
        (),
        gitlab.run,
        gitlab.KIND,
        "User settings > Access tokens, scope read_api (GITLAB_URL for a self-managed instance)",
    ),
    "jira": Service(
        "jira",
        "Jira Cloud",
        "accountId",
        ("JIRA_URL", "JIRA_EMAIL"),
        jira.run,
        jira.KIND,
        "id.atlassian.com/manage-profile/security/api-tokens",
    ),
    "linear": Service(
        "linear",
        "Linear",
        "",
        (),
        linear.run,
        linear.KIND,
        "Settings > Security & access > Personal API keys",
    ),
}


def service(name: str) -> Service:
    if name not in SERVICES:
        raise SyncError(f"no live sync for {name!r}; choose one of: {', '.join(SERVICES)}")
    return SERVICES[name]


def login_for(name: str, identity: Identity, given: str = "") -> str:
    """The user's login there: `given`, else the first one `selfreview me` recorded; "" where none is needed."""
    found = given or next(iter(identity.logins.get(name, [])), "")
    if not found and service(name).login:
        raise SyncError(
            f"which {service(name).title} {service(name).login} is yours? pass --login, or record it "
            f"with `selfreview me --{name} ...`"
        )
    return found


@dataclass
class Status:
    token: str  # "environment", "keyring" or "" (the token itself is never shown)
    login: str
    missing: list[str]  # settings the sync still needs (environment variables)
    last_sync: datetime | None


def status(home: Path, workspace: str, name: str, identity: Identity) -> Status:
    """What a sync of `name` has and lacks, without fetching anything."""
    chosen = service(name)
    source = token_source(name)
    login = next(iter(identity.logins.get(name, [])), "")
    missing = [] if source else [f"a token ({' or '.join(TOKEN_ENV[name])}, or the OS keyring)"]
    missing += [v for v in chosen.needs if not os.environ.get(v, "").strip()]
    if chosen.login and not login:
        missing.append(f"your {chosen.login} (selfreview me --{name} ...)")
    return Status(source, login, missing, last_sync(sync_dir(home, workspace, name)))


def sync(
    home: Path, workspace: str, name: str, identity: Identity, login: str = "", full: bool = False
) -> dict[str, Any]:
    """Fetch from the service into the workspace's sync folder: {"folder", "files", "since", "waits", "kind",
    "skipped", "identity"}; `identity` (with the login) is the one to ingest the folder with."""
    chosen = service(name)
    who = login_for(name, identity, login)
    fetched = chosen.run(home, workspace, who, full, identity=identity)
    mine = update(identity, {name: [who]}, []) if who else identity
    return {"skipped": [], **fetched, "kind": fetched.get("kind", chosen.kind), "identity": mine}
