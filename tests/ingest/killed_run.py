"""Run `selfreview` in this process and SIGKILL it when the pipeline reaches a named point (for crash tests).

python -m tests.ingest.killed_run POINT ARGS...    # POINT: a key of POINTS; ARGS: selfreview's arguments
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

# point -> (module, function): the process dies right after that function returns
POINTS = {
    "staged": ("ingest.ledger", "Ledger.stage"),
    "written-to-chroma": ("ingest.chroma_store", "upsert"),
    "marked-stored": ("ingest.ledger", "Ledger.mark_stored"),
    "new-version": ("ingest.ledger", "Ledger.bump_version"),
}


def _die_after(function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapper


def main(point: str, argv: list[str]) -> int:
    import importlib

    module_name, qualified = POINTS[point]
    owner: Any = importlib.import_module(module_name)
    *path, name = qualified.split(".")
    for part in path:
        owner = getattr(owner, part)
    setattr(owner, name, _die_after(getattr(owner, name)))
    from app.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
