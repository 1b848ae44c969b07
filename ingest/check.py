"""Index health check, run in a child process by ingest.store: prints {"ok", "count"} or dies trying."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main(path: str, name: str) -> int:
    import chromadb
    from chromadb.config import Settings

    from ingest.chroma_store import embedding_function

    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    try:
        names = [c.name if hasattr(c, "name") else c for c in client.list_collections()]
        if name not in names:
            sys.stdout.write(json.dumps({"ok": True, "count": 0}) + "\n")
            return 0
        embedding_function("register")  # registers the class so Chroma can rebuild the collection's function
        coll = client.get_collection(name)
        count = coll.count()
        sample_ids: list[str] = []
        sample_vectors: list[Any] = []
        offset = 0
        while offset < count:  # reading every vector touches every page of the index files
            page: Any = coll.get(include=["embeddings"], limit=2000, offset=offset)
            if not page["ids"]:
                break
            step = max(len(page["ids"]) // 10, 1)
            sample_ids.extend(page["ids"][::step])
            sample_vectors.extend(page["embeddings"][::step])
            offset += len(page["ids"])
        misses = 0
        for chunk_id, vector in zip(sample_ids, sample_vectors, strict=True):
            query: list[Any] = [list(vector)]
            found = coll.query(query_embeddings=query, n_results=min(count, 3), include=[])
            misses += chunk_id not in found["ids"][0]
        if misses > len(sample_ids) // 10:
            raise RuntimeError(f"{misses} of {len(sample_ids)} stored vectors do not find themselves")
    except Exception as exc:  # noqa: BLE001 - any failure means the index needs a rebuild
        sys.stdout.write(json.dumps({"ok": False, "error": str(exc)[:300]}) + "\n")
        return 0
    sys.stdout.write(json.dumps({"ok": True, "count": count}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
