"""Start the Streamlit UI on 127.0.0.1 (usage statistics off) and open it in the user's browser."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

from app.settings import Settings

UI_MAIN = Path(__file__).resolve().parent / "ui" / "main.py"


def command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(UI_MAIN),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--client.showErrorDetails",
        "none",  # no traceback on the page ("false" would mean "stacktrace")
    ]


def _open_when_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.2)


def serve(settings: Settings, port: int, open_browser: bool = True) -> int:
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SELFREVIEW_HOME": str(settings.home),
        "SELFREVIEW_WORKSPACE": settings.workspace,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "ANONYMIZED_TELEMETRY": "False",
    }
    sys.stderr.write(f"selfreview UI on {url} (Ctrl+C to stop)\n")
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(url,), daemon=True).start()
    try:
        return subprocess.call(command(port), env=env)
    except KeyboardInterrupt:
        return 0
