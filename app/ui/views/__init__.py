"""One script per page, run by st.navigation from app/ui/main.py (not imported)."""
