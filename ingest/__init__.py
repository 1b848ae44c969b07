"""The ingestion pipeline: sources -> Evidence -> chunks -> embeddings -> Chroma, as an idempotent sync."""
