"""The `selfreview` command line: thin subcommands over app services (contract in DESIGN.md).

Exit codes: 0 all good; 1 done, but some input records were skipped; 2 usage error (nothing done);
3 internal error (a bug: one line on stderr, the traceback in a log file under the data directory).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path


def _common(parser: argparse.ArgumentParser, period: bool = True) -> None:
    parser.add_argument("--workspace", "-w", help="workspace name (default: 'default')")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    if period:
        parser.add_argument("--since", help="start date, YYYY-MM-DD")
        parser.add_argument("--until", help="end date, YYYY-MM-DD (inclusive)")


def build_parser() -> argparse.ArgumentParser:
    from ingest.sources import KINDS

    parser = argparse.ArgumentParser(
        prog="selfreview", description="Evidence in, verified review bullets out."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest a source into a workspace")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--author", action="append", default=[], help="your name or email (repeat for aliases)")
    p.add_argument("--prune", action="store_true", help="remove items that disappeared from this source")
    p.add_argument("--date-format", default="", help="day/month order of numeric dates, e.g. dd.MM.yyyy")
    _common(p)

    p = sub.add_parser("me", help="who you are: names, emails and logins every source matches exactly")
    for kind, text in (
        ("name", "your name as tools show it"),
        ("email", "an email address you use"),
        ("github", "GitHub login"),
        ("gitlab", "GitLab username"),
        ("jira", "Jira accountId, username or display name"),
        ("linear", "Linear name or email"),
    ):
        p.add_argument(f"--{kind}", action="append", default=[], help=f"add {text} (repeatable)")
    p.add_argument("--remove", action="append", default=[], help="remove this alias wherever it is")
    p.add_argument("--user", default="", help="a signed-in user's key (their identity, not the data dir's)")
    _common(p, period=False)

    p = sub.add_parser("sync", help="fetch your work from a service's API with a token, then ingest it")
    p.add_argument("service", choices=["github", "gitlab", "jira", "linear"])
    p.add_argument(
        "--login",
        help="your GitHub login, GitLab username or Jira accountId (default: the one "
        "`selfreview me` recorded; Linear needs none)",
    )
    p.add_argument(
        "--full", action="store_true", help="fetch everything, not only changes since the last sync"
    )
    _common(p)

    p = sub.add_parser("search", help="hybrid search over a workspace")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--source", action="append", default=[])
    _common(p)

    p = sub.add_parser("draft", help="draft review bullets for a ladder level")
    p.add_argument("--ladder", required=True, type=Path)
    p.add_argument("--level", required=True)
    p.add_argument(
        "--format",
        choices=["text", "markdown", "plain", "docx"],  # app.export.FORMATS
        default="text",
        help="text and markdown: with evidence ids, every criterion and coverage; plain and docx: the clean "
        "document the Draft page downloads (docx needs --output)",
    )
    p.add_argument("--output", "-o", type=Path, help="write the draft to this file instead of stdout")
    _common(p)

    p = sub.add_parser("ask", help="ask a question about your past work")
    p.add_argument("question")
    _common(p)

    p = sub.add_parser("rewrite", help="rewrite text in your organization's vocabulary")
    p.add_argument("text")
    p.add_argument("--glossary", type=Path)
    _common(p, period=False)

    p = sub.add_parser("lint", help="find hedges, weak verbs and passive voice in your own text")
    p.add_argument("text", help="the text, or a path to a file, or - for stdin")
    _common(p, period=False)

    p = sub.add_parser("metrics", help="numbers computed from your evidence, with the ids they counted")
    _common(p)

    p = sub.add_parser("egress", help="what was sent to an LLM endpoint, and when")
    p.add_argument("--limit", type=int, default=50)
    _common(p, period=False)

    p = sub.add_parser("workspaces", help="list workspaces, or delete one")
    p.add_argument("--delete", metavar="NAME")
    _common(p, period=False)

    p = sub.add_parser("reembed", help="embed a workspace again with the configured embedding backend")
    _common(p, period=False)

    p = sub.add_parser("repair", help="rebuild a damaged ledger (from Chroma or its backup) and check Chroma")
    _common(p, period=False)

    p = sub.add_parser("status", help="what a workspace holds")
    _common(p, period=False)

    for name, text in (
        ("app", "open the browser UI"),
        ("demo", "ingest the sample workspace and open the UI"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--port", type=int, default=8501)
        p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
        p.add_argument("--workspace", "-w")
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from app.commands import COMMANDS, INTERNAL, USAGE
    from app.output import error

    handler = COMMANDS[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        error("interrupted; run the same command again to finish (nothing is lost)")
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure becomes an actionable message, not a traceback
        known = _known_error(exc)
        code = USAGE
        if known is None:  # a bug, not the user's input: one line on stderr, the traceback in a log file
            from app.crash_log import crash_message, write_crash_log

            known, code = (
                crash_message(exc, write_crash_log(exc, sys.argv[1:] if argv is None else argv)),
                INTERNAL,
            )
        error(known)
        if getattr(args, "json", False):
            from app.output import emit_json

            emit_json({"error": known})
        return code


def _known_error(exc: Exception) -> str | None:
    from ingest.chroma_store import ModelMismatch, StoreUnavailable
    from ingest.embeddings import EmbeddingError
    from ingest.ledger import LedgerDamaged
    from ingest.repair import NothingToRepairFrom
    from ingest.sources import UsageError
    from ingest.store import WorkspaceBusy, WorkspaceError

    known: tuple[type[Exception], ...] = (
        UsageError,
        WorkspaceBusy,
        WorkspaceError,
        ModelMismatch,
        EmbeddingError,
        FileNotFoundError,
        ValueError,
        LedgerDamaged,
        StoreUnavailable,
        NothingToRepairFrom,
    )
    with contextlib.suppress(ImportError):
        from app.ladder import LadderError

        known = (*known, LadderError)
    return str(exc) if isinstance(exc, known) else None


if __name__ == "__main__":
    sys.exit(main())
