"""Errors as messages a user can act on: every service call on a page runs inside `guard`, never a traceback."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

import streamlit as st

from app.ui.safe import md

log = logging.getLogger("selfreview.ui")
T = TypeVar("T")


def known_errors() -> tuple[type[BaseException], ...]:
    """Exception types whose message already says what was wrong, where, and what to do."""
    from app.drafts import DraftFileError
    from ingest.chroma_store import ModelMismatch
    from ingest.embeddings import EmbeddingError
    from ingest.sources import UsageError
    from ingest.store import WorkspaceBusy, WorkspaceError

    known: list[type[BaseException]] = [
        UsageError,
        WorkspaceBusy,
        WorkspaceError,
        ModelMismatch,
        EmbeddingError,
        DraftFileError,
        FileNotFoundError,
        PermissionError,
        ValueError,
    ]
    for module, name in (
        ("app.ladder", "LadderError"),
        ("app.llm", "LLMError"),
        ("app.llm", "LLMUnavailable"),
    ):
        with contextlib.suppress(ImportError, AttributeError):
            known.append(getattr(__import__(module, fromlist=[name]), name))
    return tuple(known)


def message_for(action: str, exc: BaseException) -> str:
    if isinstance(exc, known_errors()):
        return f"Could not {action}: {exc}"
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return f"Could not {action}: {exc}. Check that the endpoint or folder is reachable, then try again."
    return (
        f"Could not {action} ({type(exc).__name__}: {exc}). The details are in the terminal running "
        "selfreview; try again, and if it keeps failing, report it with those details."
    )


@contextlib.contextmanager
def guard(action: str) -> Iterator[None]:
    """Show a failure inside the block as `st.error` (what failed and what to do) and log its traceback.

    Streamlit's own control flow (st.rerun, st.stop) derives from BaseException and passes through.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message, not a traceback on the page
        if not isinstance(exc, known_errors()):
            log.exception("UI action failed: %s", action)
        show(message_for(action, exc))


def or_stop(action: str, step: Callable[[], T]) -> T:
    """The result of `step`; on failure the message is shown and the page ends there (nothing below it
    can work without the result)."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - shown as a message
        if not isinstance(exc, known_errors()):
            log.exception("UI action failed: %s", action)
        show(message_for(action, exc))
        st.stop()


def show(message: str) -> None:
    st.error(md(message), icon=":material/error:")
