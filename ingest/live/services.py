"""The services `selfreview sync` can fetch from: what each needs to know about the user, and its sync."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingest.live import github, gitlab, jira, linear


@dataclass(frozen=True)
class Service:
    name: str
    title: str
    login: str  # what identifies the user there ("" when the token says who they are)
    settings: tuple[str, ...]  # environment variables besides the token
    run: Callable[..., dict[str, Any]]
    kind: str  # the connector that ingests what the sync fetched


SERVICES = {
    "github": Service("github", "GitHub", "login", ("GITHUB_TOKEN",), github.run, "github"),
    "gitlab": Service("gitlab", "GitLab", "username", ("GITLAB_TOKEN", "GITLAB_URL"), gitlab.run, gitlab.KIND),
    "jira": Service("jira", "Jira Cloud", "accountId", ("JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"), jira.run,
                    jira.KIND),
    "linear": Service("linear", "Linear", "", ("LINEAR_API_KEY",), linear.run, linear.KIND),
}
