"""Services shared by the CLI and the UI: open a workspace, its search index, ingest, the sample workspace."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from app.embedding_backends import from_settings
from app.search import HybridSearch, build_snapshot
from app.settings import Settings
from ingest.embeddings import Embedder
from ingest.evidence import normalize_date, parse_iso
from ingest.pipeline import IngestReport, Progress, ingest
from ingest.sources import SourceOptions, UsageError
from ingest.store import Workspace

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "ingest" / "sample"


def parse_day(value: str | None, end: bool = False) -> datetime | None:
    """'2026-03-14' (or any date text) -> datetime; an end date covers the whole day."""
    if not value:
        return None
    try:
        when = parse_iso(normalize_date(value))
    except ValueError as exc:
        raise UsageError(f"cannot read the date {value!r}: use YYYY-MM-DD") from exc
    if end and len(value.strip()) <= 10:
        when = when.replace(hour=23, minute=59, second=59)
    return when


@functools.lru_cache(maxsize=4)
def _embedder(settings_key: tuple, keep: str) -> Embedder:
    settings = Settings(**dict(settings_key))
    return from_settings(settings, keep)


def embedder_factory(settings: Settings, workspace: Workspace | str | None = None) -> Callable[[], Embedder]:
    """The configured embedder, made once per process; for `workspace` (open, or by name), the local model it
    was built with (read when the embedder is first wanted, so a workspace ingested or repaired meanwhile counts)."""
    key = (
        ("home", settings.home),
        ("embedding", settings.embedding),
        ("embedding_model", settings.embedding_model),
        ("openai_base_url", settings.openai_base_url),
        ("openai_api_key", settings.openai_api_key),
    )

    def kept() -> str:
        if settings.embedding != "local" or workspace is None:
            return ""
        return recorded_model(settings, workspace) if isinstance(workspace, str) else workspace.embedder_name

    return lambda: _embedder(key, kept())


def recorded_model(settings: Settings, name: str) -> str:
    """The embedding model a workspace's ledger records ('' when there is none or it cannot be read)."""
    from ingest.layout import WorkspacePaths
    from ingest.ledger import Ledger

    try:
        ledger = Ledger(WorkspacePaths(settings.home, name).ledger, name)
    except Exception:  # noqa: BLE001 - a damaged ledger records nothing readable: the configured model then
        return ""
    try:
        return ledger.get("embedder")
    finally:
        ledger.close()


def open_workspace(settings: Settings, name: str | None = None) -> Workspace:
    return Workspace(settings.home, name or settings.workspace, chroma_url=settings.chroma_url)


def search_index(settings: Settings, workspace: Workspace) -> HybridSearch:
    return HybridSearch(workspace, embedder_factory(settings, workspace))


def ingest_paths(
    settings: Settings,
    workspace: Workspace,
    kind: str,
    paths: list[Path],
    options: SourceOptions | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    report = ingest(workspace, embedder_factory(settings, workspace), kind, paths, options, prune, progress)
    build_snapshot(workspace)  # the first search after an ingest is then as fast as any other
    return report


def sample_manifest() -> dict[str, Any]:
    return yaml.safe_load((SAMPLE_DIR / "workspace.yaml").read_text())


def sample_sources(workdir: Path) -> tuple[SourceOptions, list[tuple[str, Path]]]:
    """The bundled sample's sources as (kind, path), its git repository built from a script under `workdir`,
    and the options that name the sample's engineer."""
    manifest = sample_manifest()
    user = manifest.get("user", {})
    options = SourceOptions(authors=[user.get("name", ""), *user.get("aliases", [])])
    sources = []
    for source in manifest["sources"]:
        kind, path = source["kind"], SAMPLE_DIR / source["path"]
        if kind == "git":
            from ingest.sample.build_git_sample import build

            path = build(workdir / "payments")
        sources.append((kind, path))
    return options, sources


def ingest_sample(settings: Settings, workspace: Workspace, progress: Progress | None = None) -> IngestReport:
    """Ingest the bundled sample workspace (its git repository is built from a script first)."""
    total = IngestReport()
    with tempfile.TemporaryDirectory(prefix="selfreview-sample-") as tmp:
        options, sources = sample_sources(Path(tmp))
        for kind, path in sources:
            report = ingest(
                workspace, embedder_factory(settings, workspace), kind, [path], options, False, progress
            )
            for name in ("added", "updated", "unchanged", "removed", "chunks", "embedded"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.skipped.extend(report.skipped)
            total.seconds += report.seconds
    build_snapshot(workspace)
    return total


def sample_ladder() -> Path:
    return SAMPLE_DIR / "ladder.yaml"


def sample_glossary() -> Path:
    return SAMPLE_DIR / "glossary.yaml"


def copy_upload(data: bytes, name: str, dest: Path) -> Path:
    """Keep an uploaded file under a folder named by its content: two different files with one name (two
    `retro.md`) keep both their evidence, and the same file uploaded again keeps its ids."""
    import hashlib

    folder = dest / hashlib.sha256(data).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(name).name
    target.write_bytes(data)
    return target


def file_upload(path: Path, kind: str, uploads: Path) -> Path:
    """Move an upload kept by `copy_upload` into its kind's folder, keeping the folder named by its content, so
    its evidence ids (which come from its path) never collide with another file of the same name."""
    target = uploads / kind / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    return path.replace(target)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
