"""One function per CLI subcommand, listed in COMMANDS: each calls the use cases (app.usecases), prints through
app.output and returns the exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import output, usecases
from app.settings import Settings
from ingest.evidence import Period

OK, SKIPPED, USAGE, INTERNAL = 0, 1, 2, 3  # the exit codes README.md documents


def _settings(args: argparse.Namespace) -> Settings:
    from app.settings import load

    return load(workspace=getattr(args, "workspace", None))


def _period(args: argparse.Namespace) -> Period:
    from ingest.sources import UsageError

    try:
        return Period.parse(getattr(args, "since", None), getattr(args, "until", None))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.identity import load_identity
    from ingest.sources import SourceOptions

    settings = _settings(args)
    period = _period(args)
    options = SourceOptions(
        authors=args.author,
        since=period.since,
        until=period.until,
        identity=load_identity(settings.home),
        date_format=args.date_format,
    )
    if args.json:
        report = usecases.ingest(settings, args.kind, args.paths, options, args.prune)
    else:
        with output.BarProgress() as bar:
            report = usecases.ingest(settings, args.kind, args.paths, options, args.prune, bar)
    yours, others = options.tally.get("yours", 0), options.tally.get("others", 0)
    if args.json:
        output.emit_json(
            {**report.to_json(), "yours": yours, "others": others, "identity": options.knows_user}
        )
    else:
        output.line(
            f"{settings.workspace}: {report.added} added, {report.updated} updated, {report.unchanged} "
            f"unchanged, {report.removed} removed; {report.chunks} chunks embedded in {report.seconds:.2f} s"
        )
        output.line(f"{yours} items are yours, {others} are others' work you appear near")
        if not options.knows_user:
            output.warn(
                "no identity recorded: every item was taken as yours; record who you are with "
                "`selfreview me --name ... --email ...` (or pass --author) and ingest again"
            )
        if report.recovered:
            output.line(f"recovered from an interrupted run: {report.recovered}")
        for skip in report.skipped:
            output.warn(f"skipped {skip['where']}: {skip['why']}")
        for note in report.notes:
            output.warn(f"read {note['where']}: {note['what']}")
    return SKIPPED if report.skipped else OK


def cmd_me(args: argparse.Namespace) -> int:
    from ingest.identity import load_identity, save_identity, update

    home = _settings(args).home
    identity = load_identity(home, args.user)
    add = {
        "names": args.name,
        "emails": args.email,
        "github": args.github,
        "gitlab": args.gitlab,
        "jira": args.jira,
        "linear": args.linear,
    }
    if any(add.values()) or args.remove:
        identity = update(identity, {k: v for k, v in add.items() if v}, args.remove)
        save_identity(home, identity, args.user)
    if args.json:
        output.emit_json(identity.to_json())
    elif identity.is_empty():
        output.line(
            "No identity recorded: every ingested item is taken as yours. Record it with "
            '`selfreview me --name "Your Name" --email you@example.com --github LOGIN`.'
        )
    else:
        output.line("\n".join(identity.describe()))
    return OK


def cmd_sync(args: argparse.Namespace) -> int:
    from ingest.identity import load_identity
    from ingest.live import services
    from ingest.live.http import SyncError
    from ingest.sources import SourceOptions, UsageError

    settings = _settings(args)
    period = _period(args)
    try:
        fetched = services.sync(
            settings.home,
            settings.workspace,
            args.service,
            load_identity(settings.home),
            args.login or "",
            args.full,
        )
    except SyncError as exc:
        raise UsageError(str(exc)) from None
    options = SourceOptions(since=period.since, until=period.until, identity=fetched["identity"])
    report = usecases.ingest(settings, fetched["kind"], [fetched["folder"]], options)
    skipped = [*fetched["skipped"], *report.skipped]
    summary = {
        **report.to_json(),
        "skipped": skipped,
        "fetched_files": len(fetched["files"]),
        "since": fetched["since"].isoformat() if fetched["since"] else None,
        "rate_limit_waits": fetched["waits"],
        "yours": options.tally.get("yours", 0),
        "others": options.tally.get("others", 0),
    }
    if args.json:
        output.emit_json(summary)
    else:
        changes = f"changes since {summary['since']}" if summary["since"] else "everything"
        output.line(
            f"{args.service}: fetched {changes} ({len(fetched['files'])} files); {report.added} added, "
            f"{report.updated} updated, {report.unchanged} unchanged"
        )
        for skip in skipped:
            output.warn(f"skipped {skip['where']}: {skip['why']}")
    return SKIPPED if skipped else OK


def cmd_search(args: argparse.Namespace) -> int:
    index = usecases.open_index(_settings(args))
    hits = usecases.search(index, args.query, args.k, _period(args), args.source)
    if args.json:
        output.emit_json({"results": [hit.to_json() for hit in hits]})
        return OK
    if not hits:
        output.line("No matching evidence.")
    for rank, hit in enumerate(hits, 1):
        e = hit.evidence
        output.line(f"{rank:>2}. {e.date[:10]}  {e.title}  [{e.id}]", style="bold")
        output.line(f"    {hit.snippet}")
    return OK


def cmd_reembed(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with output.BarProgress() as bar:
        report = usecases.reembed(settings, bar)
    if args.json:
        output.emit_json(report.to_json())
    else:
        output.line(
            f"{settings.workspace}: {report.updated} items re-embedded ({report.chunks} chunks) "
            f"in {report.seconds:.2f} s"
        )
    return OK


def cmd_repair(args: argparse.Namespace) -> int:
    report = usecases.repair(_settings(args))
    if args.json:
        output.emit_json(report.to_json())
        return OK
    for note in report.notes:
        output.line(f"found: {note}")
    if report.ledger == "rebuilt":
        output.line(
            f"{report.workspace}: ledger rebuilt ({report.from_chroma} items from Chroma, "
            f"{report.from_backup} from the last backup); the damaged file is kept as {report.kept_damaged}"
        )
    else:
        output.line(f"{report.workspace}: the ledger is sound")
    output.line(f"{report.workspace}: {report.store}")
    return OK


def cmd_status(args: argparse.Namespace) -> int:
    summary = usecases.status(_settings(args))
    if args.json:
        output.emit_json(summary)
    else:
        output.line(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return OK


def cmd_workspaces(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.delete:
        if args.delete not in usecases.workspaces(settings):
            output.error(f"no workspace named {args.delete!r}")
            return USAGE
        usecases.delete_workspace(settings, args.delete)
    names = usecases.workspaces(settings)
    if args.json:
        output.emit_json({"workspaces": names})
    else:
        output.line("\n".join(names) or "No workspaces yet: run `selfreview ingest` or `selfreview demo`.")
    return OK


def cmd_egress(args: argparse.Namespace) -> int:
    from app.egress import read_log

    entries = read_log(_settings(args).home, args.limit)
    if args.json:
        output.emit_json({"requests": entries})
    elif not entries:
        output.line("Nothing has been sent to any LLM endpoint.")
    else:
        for entry in entries:
            ids = ", ".join(entry.get("evidence_ids", [])) or "-"
            output.line(
                f"{entry.get('time')}  {entry.get('purpose')}  {entry.get('endpoint')}  "
                f"{entry.get('model')}  evidence: {ids}"
            )
    return OK


def cmd_app(args: argparse.Namespace) -> int:
    from app.serve import serve

    return serve(_settings(args), args.port, open_browser=not args.no_browser)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.serve import serve

    settings = _settings(args)
    settings.workspace = args.workspace or "sample"
    with output.BarProgress() as bar:
        report = usecases.ingest_sample(settings, bar)
    output.err.print(
        f"sample workspace '{settings.workspace}': {report.added} added, {report.unchanged} unchanged"
    )
    return serve(settings, args.port, open_browser=not args.no_browser)


def _chat(settings: Settings) -> Any:
    """The configured chat model, or None for offline mode (said plainly on stderr)."""
    from app.llm import chat_from_settings

    chat = chat_from_settings(settings)
    if chat is None:
        output.err.print(
            "offline mode: no LLM endpoint configured (OPENAI_BASE_URL / OPENAI_API_KEY); "
            "answers and drafts come from the deterministic offline path"
        )
    return chat


def cmd_draft(args: argparse.Namespace) -> int:
    from app.ladder import load_ladder
    from app.render import draft_followups

    target = _draft_file(args)  # checked first: a draft that cannot be written is not drafted
    settings = _settings(args)
    period = _period(args)
    ladder = load_ladder(args.ladder)
    result = usecases.draft(usecases.open_index(settings), ladder, args.level, period, chat=_chat(settings))
    if args.json:
        output.emit_json(result.to_json())
        return OK
    document: str | bytes
    if args.format in ("text", "markdown"):  # the terminal's export: evidence ids, every criterion, coverage
        document = usecases.export(result, args.format, ids=True, empty=True, coverage=True)
    elif args.format == "plain":  # the clean documents the Draft page downloads
        document = usecases.export(result, "plain")
    else:
        title = f"{ladder.name}, level {args.level}: {_day(period.since)} to {_day(period.until)}"
        document = usecases.export(result, "docx", title=title)
    if target is None:
        output.line(str(document))
    else:
        _write_draft(target, document)
        output.err.print(f"Wrote the draft to {target}", markup=False, highlight=False, soft_wrap=True)
    if followups := draft_followups(result):  # on stderr: `> review.md` keeps only the draft
        output.err.print("\n" + followups, markup=False, highlight=False, soft_wrap=True)
    return OK


def _draft_file(args: argparse.Namespace) -> Path | None:
    from ingest.sources import UsageError

    target: Path | None = args.output
    if target is None:
        if args.format == "docx" and not args.json:
            raise UsageError(
                "a .docx draft is a file, not terminal text: add --output FILE (e.g. review.docx)"
            )
        return None
    if args.json:
        raise UsageError(
            "--json prints the draft on stdout (redirect it: > draft.json); --output writes a document"
        )
    if target.is_dir():
        raise UsageError(f"--output {target} is a folder: name the file to write")
    if not target.parent.is_dir():
        raise UsageError(f"--output {target}: the folder {target.parent} does not exist")
    return target


def _write_draft(target: Path, document: str | bytes) -> None:
    from ingest.sources import UsageError

    try:
        if isinstance(document, bytes):
            target.write_bytes(document)
        else:
            target.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the draft to {target}: {exc.strerror or exc}") from None


def _day(when: Any) -> str:
    return when.date().isoformat() if when is not None else "…"


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings(args)
    period = _period(args)
    answer = usecases.ask(usecases.open_index(settings), args.question, period, chat=_chat(settings))
    if args.json:
        output.emit_json(answer.to_json())
        return OK
    output.line(answer.answer)
    for number, citation in enumerate(answer.citations, 1):
        output.line(f"[{number}] {citation['date'][:10]} {citation['title']} ({citation['id']})")
    return OK


def cmd_rewrite(args: argparse.Namespace) -> int:
    from app import services
    from app.ladder import load_glossary

    settings = _settings(args)
    glossary = load_glossary(args.glossary or services.sample_glossary())
    index = usecases.open_index(settings)  # the evidence it stands on
    result = usecases.rewrite(read_text_argument(args.text), glossary, chat=_chat(settings), index=index)
    if args.json:
        output.emit_json(result.to_json())
        return OK
    output.line(result.text)
    for number, cited in enumerate(result.citations, 1):
        output.line(f"[{number}] {cited['date'][:10]} {cited['title']} ({cited['id']})")
    if not result.preserved:
        output.warn(f"kept the original: {result.reason}")
    return OK


def cmd_lint(args: argparse.Namespace) -> int:
    from app.lint import lint

    text = read_text_argument(args.text)
    findings = lint(text)
    if args.json:
        output.emit_json(
            {
                "findings": [
                    {"rule": f.rule, "span": list(f.span), "text": f.text, "suggestion": f.suggestion}
                    for f in findings
                ]
            }
        )
        return OK
    if not findings:
        output.line("No hedges, weak verbs or passive voice found.")
    for finding in findings:
        output.line(
            f"{finding.span[0]}-{finding.span[1]} {finding.rule}: '{finding.text}' -> {finding.suggestion}"
        )
    return OK


def cmd_metrics(args: argparse.Namespace) -> int:
    metrics = usecases.metrics(usecases.open_index(_settings(args)), _period(args))
    if args.json:
        output.emit_json(
            {
                "metrics": [
                    {
                        "name": m.name,
                        "value": m.value,
                        "label": m.label,
                        "unit": m.unit,
                        "evidence": m.evidence,
                    }
                    for m in metrics
                ]
            }
        )
        return OK
    for metric in metrics:
        output.line(
            f"{metric.label or metric.name}: {metric.value:g} {metric.unit}".rstrip()
            + f"  ({len(metric.evidence)} items counted)"
        )
    return OK


def read_text_argument(value: str) -> str:
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "ingest": cmd_ingest,
    "me": cmd_me,
    "sync": cmd_sync,
    "search": cmd_search,
    "draft": cmd_draft,
    "ask": cmd_ask,
    "rewrite": cmd_rewrite,
    "lint": cmd_lint,
    "metrics": cmd_metrics,
    "egress": cmd_egress,
    "workspaces": cmd_workspaces,
    "reembed": cmd_reembed,
    "repair": cmd_repair,
    "status": cmd_status,
    "app": cmd_app,
    "demo": cmd_demo,
}
