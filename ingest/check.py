"""Index health check, run in a child process by ingest.store: prints {"ok", "count"} or dies trying."""

from __future__ import annotations

import json
import os
import sys

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
        if count:
            sample = coll.get(limit=1, include=["embeddings"])
            coll.query(query_embeddings=[list(sample["embeddings"][0])], n_results=min(count, 10), include=[])
    except Exception as exc:  # noqa: BLE001 - any failure means the index needs a rebuild
        sys.stdout.write(json.dumps({"ok": False, "error": str(exc)[:300]}) + "\n")
        return 0
    sys.stdout.write(json.dumps({"ok": True, "count": count}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
