"""The Streamlit browser UI: thin pages over app services (run by `selfreview app` / `selfreview demo`)."""
