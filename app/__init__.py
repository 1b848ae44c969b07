"""selfreview: retrieval, metrics, drafting, verification, lint, ask, rewrite, the CLI and the UI."""
