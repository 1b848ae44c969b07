"""The git connector: one streamed `git log --numstat` over a local repository (bare or not) -> Evidence."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from heapq import heapify, heappop, heappush
from pathlib import Path

from ingest.evidence import Evidence, Role, normalize_date, parse_iso
from ingest.people import is_bot
from ingest.sources import Skips, SourceOptions, UsageError, records_or_skip
from ingest.sources.git_newcomers import PEOPLE_FACTS, PRIOR_CHANGES, USER_COMMITS, PriorChanges

RS, US = "\x1e", "\x1f"
FIELDS = ("%H", "%P", "%an", "%ae", "%aN", "%aE", "%cI", "%s", "%b")  # %aN / %aE: after .mailmap
FORMAT = RS + US.join(FIELDS) + US
MERGE_PR = re.compile(r"^Merge pull request #(\d+) from \S+")
GITLAB_MR = re.compile(r"^See merge request (\S+?)!(\d+)\s*$", re.MULTILINE)
SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
TRAILER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:\s")
CO_AUTHOR = re.compile(r"^co-authored-by:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
BRACE_RENAME = re.compile(r"\{([^{}]*) => ([^{}]*)\}")
# Merges may include branch commits older than `since`: read this much further back for the PR graph.
GRAPH_SLACK = timedelta(days=120)


@dataclass
class Commit:
    sha: str
    parents: list[str]
    name: str
    email: str
    mapped: str  # "Name <email>" after .mailmap
    date: str
    subject: str
    body: str
    epoch: int = 0
    files: list[str] = field(default_factory=list)
    insertions: int = 0
    deletions: int = 0

    @property
    def who(self) -> list[str]:
        return [f"{self.name} <{self.email}>", self.mapped]


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in paths:
        yield from _repository(path, options, skips)


def _repository(path: Path, options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    _git_dir(path)
    repo, web = _repo_name(path)
    boundary = _shallow_boundary(path)
    if boundary:
        skips.add(
            str(path),
            f"shallow clone: {len(boundary)} boundary commit(s) not credited (their diff is "
            "the whole tree); run `git fetch --unshallow` for the full history",
        )
    prior = PriorChanges(path, shallow=bool(boundary))
    graph: dict[str, Commit] = {}
    merges: list[Commit] = []
    for commit in _log(path, options, skips):
        graph[commit.sha] = commit
        if commit.sha in boundary:
            continue
        if len(commit.parents) > 1:
            merges.append(commit)
        else:
            for evidence in records_or_skip(
                skips, f"{path}@{commit.sha[:12]}", _commit_evidence, commit, repo, web, options, prior
            ):
                if options.in_period(evidence.when):
                    yield evidence
    for merge in merges:
        merged = next(
            iter(
                records_or_skip(
                    skips,
                    f"{path}@{merge.sha[:12]}",
                    _merge_evidence,
                    merge,
                    graph,
                    repo,
                    web,
                    options,
                    prior,
                )
            ),
            None,
        )
        if merged and options.in_period(merged.when):
            yield merged


def _shallow_boundary(path: Path) -> set[str]:
    """The boundary commits of a shallow clone (their parents are missing), or nothing for a full clone."""
    if _run(path, "rev-parse", "--is-shallow-repository").stdout.strip() != "true":
        return set()
    shallow = Path(_run(path, "rev-parse", "--git-path", "shallow").stdout.strip())
    shallow = shallow if shallow.is_absolute() else path / shallow
    try:
        return {line.strip() for line in shallow.read_text().splitlines() if line.strip()}
    except OSError:
        return set()


def _run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed or not on PATH") from exc


def _git_dir(path: Path) -> None:
    result = _run(path, "rev-parse", "--git-dir")
    if not path.is_dir() or result.returncode != 0:
        raise UsageError(f"{path}: not a git repository (expected a clone or a bare repository folder)")


@dataclass
class Web:
    """Links of a hosted repository: GitHub, GitLab (any host named gitlab) or Bitbucket; none elsewhere."""

    base: str = ""
    forge: str = ""

    def commit(self, sha: str) -> str:
        paths = {"github": "commit", "gitlab": "-/commit", "bitbucket": "commits"}
        return f"{self.base}/{paths[self.forge]}/{sha}" if self.forge else ""

    def pull(self, number: int) -> str:
        paths = {"github": "pull", "gitlab": "-/merge_requests", "bitbucket": "pull-requests"}
        return f"{self.base}/{paths[self.forge]}/{number}" if self.forge else ""


def _repo_name(path: Path) -> tuple[str, Web]:
    """`owner/name` from remote.origin.url when it names a host, else the folder name; and its web links."""
    url = _run(path, "config", "--get", "remote.origin.url").stdout.strip()
    hosted = re.match(r"^(?:[a-z+]+://)?(?:[^@/]+@)?([^/:]+)(?::\d+)?[:/](.+?)/?$", url)
    if url and hosted and not url.startswith(("/", ".", "file:")) and "/" in hosted.group(2):
        host, full = hosted.group(1).lower(), hosted.group(2).removesuffix(".git").strip("/")
        parts = full.split("/")
        forge = (
            "github"
            if host == "github.com"
            else "bitbucket"
            if "bitbucket" in host
            else "gitlab"
            if "gitlab" in host
            else ""
        )
        if forge == "bitbucket" and parts[0] == "scm":  # Bitbucket Server clone URLs: /scm/PROJECT/repo.git
            forge = ""
        return "/".join(parts[-2:]), Web(f"https://{host}/{full}" if forge else "", forge)
    folder = Path(url.removeprefix("file://")) if url else path.resolve()
    if folder.name == ".git":
        folder = folder.parent
    return folder.name.removesuffix(".git") or path.resolve().name, Web()


def _log(path: Path, options: SourceOptions, skips: Skips) -> Iterator[Commit]:
    args = [
        "-c",
        "core.quotepath=off",
        "log",
        f"--format={FORMAT}",
        "--numstat",
        "--diff-merges=first-parent",
        "-M",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-show-signature",
    ]
    if options.since:
        args.append(f"--since={(options.since - GRAPH_SLACK).isoformat()}")
    if options.until:
        args.append(f"--until={options.until.isoformat()}")
    cmd = ["git", "-C", str(path), *args]
    # stderr goes to a file, not a pipe: a chatty stderr must never block the log stream.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=errors, encoding="utf-8", errors="replace"
        ) as proc,
    ):
        assert proc.stdout is not None
        chunk: list[str] = []
        for line in proc.stdout:
            if line.startswith(RS) and chunk:
                yield from _parse(chunk, path, skips)
                chunk = []
            chunk.append(line)
        if chunk:
            yield from _parse(chunk, path, skips)
        proc.wait()
        errors.seek(0)
        error = errors.read().decode("utf-8", errors="replace").strip()
    if proc.returncode != 0:
        empty = "does not have any commits" in error
        skips.add(str(path), "repository has no commits yet" if empty else f"git log failed: {error}")


def _parse(lines: list[str], path: Path, skips: Skips) -> Iterator[Commit]:
    parts = "".join(lines)[1:].split(US, len(FIELDS))
    if len(parts) != len(FIELDS) + 1:
        skips.add(f"{path}@{parts[0][:12]}", "unreadable git log record")
        return
    sha, parents, name, email, mapped_name, mapped_email, date, subject, body, numstat = parts
    try:
        date = normalize_date(date)
    except ValueError as exc:
        skips.add(f"{path}@{sha[:12]}", str(exc))
        return
    commit = Commit(
        sha,
        parents.split(),
        name,
        email,
        f"{mapped_name} <{mapped_email}>",
        date,
        subject.strip(),
        body.strip(),
        int(parse_iso(date).timestamp()),
    )
    for row in numstat.splitlines():
        added, _, rest = row.partition("\t")
        deleted, _, name_part = rest.partition("\t")
        if not name_part:
            continue
        commit.files.append(_new_path(name_part))
        commit.insertions += int(added) if added.isdigit() else 0
        commit.deletions += int(deleted) if deleted.isdigit() else 0
    yield commit


def _new_path(text: str) -> str:
    """numstat's rename notation ("a => b", "dir/{a => b}/f") -> the new path."""
    if "{" in text and " => " in text:
        return BRACE_RENAME.sub(lambda m: m.group(2), text).replace("//", "/")
    return text.split(" => ", 1)[-1]


def _split_trailers(body: str) -> tuple[str, list[str]]:
    """The message body without its trailer block, and the co-authors the trailers name."""
    co_authors = [re.sub(r"\s*<[^>]*>\s*$", "", m) for m in CO_AUTHOR.findall(body)]
    paragraphs = body.strip().split("\n\n")
    last = [line for line in paragraphs[-1].splitlines() if line.strip()]
    if last and all(TRAILER.match(line) or line[:1].isspace() for line in last):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs).strip(), co_authors


def _base(commit: Commit, repo: str, web: Web, kind: str, role: Role, body: str) -> Evidence:
    return Evidence(
        id=f"git:{repo}@{commit.sha[:12]}",
        source="git",
        kind=kind,
        title=commit.subject,
        date=commit.date,
        body=body,
        author=re.sub(r"\s*<[^>]*>$", "", commit.mapped) or commit.name,
        url=web.commit(commit.sha),
        role=role,
        native={"repo": repo, "sha": commit.sha},
        stats={
            "files_changed": len(commit.files),
            "insertions": commit.insertions,
            "deletions": commit.deletions,
        },
        extra={"files": commit.files},
    )


def _is_user(commit: Commit, options: SourceOptions) -> bool:
    return any(options.is_user(who) for who in commit.who)


def _commit_evidence(
    commit: Commit, repo: str, web: Web, options: SourceOptions, prior: PriorChanges | None = None
) -> Iterator[Evidence]:
    """The commit; and for a squash-merged pull request ("Title (#123)"), the pull request too."""
    body, co_authors = _split_trailers(commit.body)
    trailers = CO_AUTHOR.findall(commit.body)
    role: Role
    if _is_user(commit, options):
        role = "author"
    elif options.knows_user and any(options.is_user(who) for who in trailers):
        role = "co-author"
    else:
        return
    evidence = _base(commit, repo, web, "commit", role, body)
    if co_authors:
        evidence.extra["co_authors"] = co_authors
    if role == "co-author":
        # GitHub keeps each squashed commit's trailers: one per commit of the user's (an applied suggestion) in it
        evidence.stats[USER_COMMITS] = sum(options.is_user(who) for who in trailers)
        if prior is not None:
            _note_prior(evidence, prior, commit)
    squash = SQUASH_PR.search(commit.subject)
    if not squash:
        yield evidence
        return
    number = int(squash.group(1))
    evidence.native["pr_number"] = number
    yield evidence
    pr = _base(commit, repo, web, "pr", role, body)
    pr.id, pr.url = f"git:{repo}#{number}", web.pull(number) or pr.url
    pr.native |= {"pr_number": number, "state": "merged", "merge": "squash"}
    pr.extra = {**evidence.extra, "pr_commit_authors": [pr.author, *co_authors]}
    pr.stats |= {k: v for k, v in evidence.stats.items() if k in PEOPLE_FACTS}
    yield pr


def _merge_evidence(
    merge: Commit,
    graph: dict[str, Commit],
    repo: str,
    web: Web,
    options: SourceOptions,
    prior: PriorChanges | None = None,
) -> Evidence | None:
    match = MERGE_PR.match(merge.subject)
    gitlab = GITLAB_MR.search(merge.body)
    if not match and not gitlab:
        return None  # a merge that is not a pull request adds no unit of work of its own
    number = int(match.group(1) if match else gitlab.group(2))  # type: ignore[union-attr]
    branch = [graph[sha] for sha in _branch_only(graph, merge.parents[0], merge.parents[1])]
    wrote = any(_is_user(c, options) for c in branch)
    role: Role
    if wrote:
        role = "author"
    elif _is_user(merge, options):
        role = "merger"
    else:
        return None
    evidence = _base(merge, repo, web, "pr", role, _split_trailers(merge.body)[0])
    evidence.native["pr_number"] = number
    evidence.native["state"] = "merged"
    evidence.url = web.pull(number) or evidence.url
    evidence.extra["pr_commit_authors"] = sorted(
        {re.sub(r"\s*<[^>]*>$", "", c.mapped) or c.name for c in branch}
    )
    evidence.extra["pr_commits"] = sorted(
        c.sha[:12] for c in branch
    )  # a PR and its commits are one unit of work
    if role == "merger" and branch and prior is not None:
        _note_prior(evidence, prior, min(branch, key=lambda c: c.epoch))
    return evidence


def _note_prior(evidence: Evidence, prior: PriorChanges, commit: Commit) -> None:
    """How many changes the author of someone else's change had landed before it (0: their first); never for a bot."""
    if is_bot(commit.mapped) or is_bot(commit.name):
        return
    email = re.search(r"<([^>]*)>$", commit.mapped)
    name = re.sub(r"\s*<[^>]*>$", "", commit.mapped) or commit.name
    count = prior.before(name, email.group(1) if email else commit.email, commit.epoch)
    if count is not None:
        evidence.stats[PRIOR_CHANGES] = count


def _branch_only(graph: dict[str, Commit], left: str, right: str) -> list[str]:
    """Commits reachable from `right` but not from `left` (git's `left..right`), walked newest first."""
    flags: dict[str, int] = {left: 1}
    flags[right] = flags.get(right, 0) | 2
    heap = [(-graph[sha].epoch, sha) for sha in flags if sha in graph]
    heapify(heap)
    while heap and not all(flags[sha] & 1 for _, sha in heap):
        _, sha = heappop(heap)
        for parent in graph[sha].parents:
            merged = flags.get(parent, 0) | flags[sha]
            if merged != flags.get(parent, 0):
                flags[parent] = merged
                if parent in graph:
                    heappush(heap, (-graph[parent].epoch, parent))
    return [sha for sha, flag in flags.items() if flag == 2 and sha in graph]
