"""Prompt templates as files with declared variables (rendered by app.prompting)."""
