"""One function per CLI subcommand: parse nothing, print through app.output, return the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import output
from app.cli import OK, SKIPPED, USAGE


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.settings import load

    return load(workspace=getattr(args, "workspace", None))


def _period(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.services import parse_day

    return parse_day(getattr(args, "since", None)), parse_day(getattr(args, "until", None), end=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    from app import services
    from ingest.identity import load_identity
    from ingest.sources import SourceOptions

    settings = _settings(args)
    since, until = _period(args)
    options = SourceOptions(authors=args.author, since=since, until=until, identity=load_identity(settings.home),
                            date_format=args.date_format)
    workspace = services.open_workspace(settings)
    if args.json:
        report = services.ingest_paths(settings, workspace, args.kind, args.paths, options, args.prune)
    else:
        with output.BarProgress() as bar:
            report = services.ingest_paths(settings, workspace, args.kind, args.paths, options, args.prune, bar)
    yours, others = options.tally.get("yours", 0), options.tally.get("others", 0)
    if args.json:
        output.emit_json({**report.to_json(), "yours": yours, "others": others, "identity": options.knows_user})
    else:
        output.line(f"{workspace.name}: {report.added} added, {report.updated} updated, {report.unchanged} "
                    f"unchanged, {report.removed} removed; {report.chunks} chunks embedded in {report.seconds:.2f} s")
        output.line(f"{yours} items are yours, {others} are others' work you appear near")
        if not options.knows_user:
            output.warn("no identity recorded: every item was taken as yours; record who you are with "
                        "`selfreview me --name ... --email ...` (or pass --author) and ingest again")
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
    add = {"names": args.name, "emails": args.email, "github": args.github, "gitlab": args.gitlab,
           "jira": args.jira, "linear": args.linear}
    if any(add.values()) or args.remove:
        identity = update(identity, {k: v for k, v in add.items() if v}, args.remove)
        save_identity(home, identity, args.user)
    if args.json:
        output.emit_json(identity.to_json())
    elif identity.is_empty():
        output.line("No identity recorded: every ingested item is taken as yours. Record it with "
                    "`selfreview me --name \"Your Name\" --email you@example.com --github LOGIN`.")
    else:
        output.line("\n".join(identity.describe()))
    return OK


def cmd_sync(args: argparse.Namespace) -> int:
    from app import services
    from ingest.identity import load_identity
    from ingest.live import github
    from ingest.live.http import SyncError
    from ingest.sources import SourceOptions, UsageError

    settings = _settings(args)
    since, until = _period(args)
    identity = load_identity(settings.home)
    login = args.login or next(iter(identity.logins.get(args.service, [])), "")
    if not login:
        raise UsageError(f"which {args.service} login is yours? pass --login, or record it with "
                         f"`selfreview me --{args.service} LOGIN`")
    try:
        fetched = github.run(settings.home, settings.workspace, login, args.full)
    except SyncError as exc:
        raise UsageError(str(exc)) from None
    options = SourceOptions(since=since, until=until, identity=_with_login(identity, args.service, login))
    workspace = services.open_workspace(settings)
    report = services.ingest_paths(settings, workspace, args.service, [fetched["folder"]], options)
    summary = {**report.to_json(), "fetched_files": len(fetched["files"]),
               "since": fetched["since"].isoformat() if fetched["since"] else None,
               "rate_limit_waits": fetched["waits"], "yours": options.tally.get("yours", 0),
               "others": options.tally.get("others", 0)}
    if args.json:
        output.emit_json(summary)
    else:
        changes = f"changes since {summary['since']}" if summary["since"] else "everything"
        output.line(f"{args.service}: fetched {changes} ({len(fetched['files'])} files); {report.added} added, "
                    f"{report.updated} updated, {report.unchanged} unchanged")
        for skip in report.skipped:
            output.warn(f"skipped {skip['where']}: {skip['why']}")
    return SKIPPED if report.skipped else OK


def _with_login(identity, service: str, login: str):  # type: ignore[no-untyped-def]
    from ingest.identity import update

    return update(identity, {service: [login]}, [])


def cmd_search(args: argparse.Namespace) -> int:
    from app import services

    settings = _settings(args)
    since, until = _period(args)
    workspace = services.open_workspace(settings)
    hits = services.search_index(settings, workspace).search(args.query, args.k, since, until, args.source or None)
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
    from app import services
    from ingest.pipeline import reembed

    settings = _settings(args)
    workspace = services.open_workspace(settings)
    with output.BarProgress() as bar:
        report = reembed(workspace, services.embedder_factory(settings)(), bar)
    services.build_snapshot(workspace)
    if args.json:
        output.emit_json(report.to_json())
    else:
        output.line(f"{workspace.name}: {report.updated} items re-embedded ({report.chunks} chunks) "
                    f"in {report.seconds:.2f} s")
    return OK


def cmd_repair(args: argparse.Namespace) -> int:
    from app import services
    from ingest.repair import repair

    settings = _settings(args)
    report = repair(settings.home, settings.workspace, settings.chroma_url, services.embedder_factory(settings))
    if args.json:
        output.emit_json(report.to_json())
        return OK
    for note in report.notes:
        output.line(f"found: {note}")
    if report.ledger == "rebuilt":
        output.line(f"{report.workspace}: ledger rebuilt ({report.from_chroma} items from Chroma, "
                    f"{report.from_backup} from the last backup); the damaged file is kept as {report.kept_damaged}")
    else:
        output.line(f"{report.workspace}: the ledger is sound")
    output.line(f"{report.workspace}: {report.store}")
    return OK


def cmd_status(args: argparse.Namespace) -> int:
    from app import services

    summary = services.open_workspace(_settings(args)).summary()
    if args.json:
        output.emit_json(summary)
    else:
        output.line(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return OK


def cmd_workspaces(args: argparse.Namespace) -> int:
    from ingest.store import delete_workspace, list_workspaces

    settings = _settings(args)
    if args.delete:
        if args.delete not in list_workspaces(settings.home):
            output.error(f"no workspace named {args.delete!r}")
            return USAGE
        delete_workspace(settings.home, args.delete, settings.chroma_url)
    names = list_workspaces(settings.home)
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
            output.line(f"{entry.get('time')}  {entry.get('purpose')}  {entry.get('endpoint')}  "
                        f"{entry.get('model')}  evidence: {ids}")
    return OK


def cmd_app(args: argparse.Namespace) -> int:
    from app.serve import serve

    return serve(_settings(args), args.port, open_browser=not args.no_browser)


def cmd_demo(args: argparse.Namespace) -> int:
    from app import services
    from app.serve import serve

    settings = _settings(args)
    settings.workspace = args.workspace or "sample"
    workspace = services.open_workspace(settings)
    with output.BarProgress() as bar:
        report = services.ingest_sample(settings, workspace, bar)
    output.err.print(f"sample workspace '{workspace.name}': {report.added} added, {report.unchanged} unchanged")
    workspace.close()
    return serve(settings, args.port, open_browser=not args.no_browser)


def _chat(settings):  # type: ignore[no-untyped-def]
    """The configured chat model, or None for offline mode (said plainly on stderr)."""
    from app.llm import chat_from_settings

    chat = chat_from_settings(settings)
    if chat is None:
        output.err.print("offline mode: no LLM endpoint configured (OPENAI_BASE_URL / OPENAI_API_KEY); "
                         "answers and drafts come from the deterministic offline path")
    return chat


def cmd_draft(args: argparse.Namespace) -> int:
    from app import services
    from app.drafting import draft
    from app.ladder import load_ladder
    from app.render import draft_followups, draft_text

    settings = _settings(args)
    since, until = _period(args)
    ladder = load_ladder(args.ladder)
    index = services.search_index(settings, services.open_workspace(settings))
    result = draft(index, ladder, args.level, since, until, chat=_chat(settings))
    if args.json:
        output.emit_json(result.to_json())
    else:
        output.line(draft_text(result, markdown=args.format == "markdown"))
        if followups := draft_followups(result):  # on stderr: `> review.md` keeps only the draft
            output.err.print("\n" + followups, markup=False, highlight=False, soft_wrap=True)
    return OK


def cmd_ask(args: argparse.Namespace) -> int:
    from app import services
    from app.ask import ask

    settings = _settings(args)
    since, until = _period(args)
    index = services.search_index(settings, services.open_workspace(settings))
    answer = ask(index, args.question, since, until, chat=_chat(settings))
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
    from app.rewrite import rewrite

    settings = _settings(args)
    glossary = load_glossary(args.glossary or services.sample_glossary())
    index = services.search_index(settings, services.open_workspace(settings))  # the evidence it stands on
    result = rewrite(read_text_argument(args.text), glossary, chat=_chat(settings), index=index)
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
        output.emit_json({"findings": [{"rule": f.rule, "span": list(f.span), "text": f.text,
                                        "suggestion": f.suggestion} for f in findings]})
        return OK
    if not findings:
        output.line("No hedges, weak verbs or passive voice found.")
    for finding in findings:
        output.line(f"{finding.span[0]}-{finding.span[1]} {finding.rule}: '{finding.text}' -> {finding.suggestion}")
    return OK


def cmd_metrics(args: argparse.Namespace) -> int:
    from app import services
    from app.metrics import compute

    settings = _settings(args)
    since, until = _period(args)
    workspace = services.open_workspace(settings)
    metrics = compute(services.search_index(settings, workspace).all_evidence(since, until), since, until)
    if args.json:
        output.emit_json({"metrics": [{"name": m.name, "value": m.value, "label": m.label, "unit": m.unit,
                                       "evidence": m.evidence} for m in metrics]})
        return OK
    for metric in metrics:
        output.line(f"{metric.label or metric.name}: {metric.value:g} {metric.unit}".rstrip()
                    + f"  ({len(metric.evidence)} items counted)")
    return OK


def read_text_argument(value: str) -> str:
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value
