"""Thresholds of the claim check (app/claims.py) and the number-sense check (app/number_sense.py), in one place.

Each was measured with `.venv/bin/python -m evals.trust` (evals/results/trust.md, "Claims" section): honest
bullets (every offline bullet of the sample workspace's three levels, and paraphrases of sample evidence written
the way an LLM writes them) must all pass, and injected claims cited to real evidence must all fail.
"""

from __future__ import annotations

# Share of a bullet's key words (stems of its content words) found in what its cited evidence says, at or
# above which the words alone support the claim. Offline bullets score 0.55-1.0 (they are built from evidence
# fields); injected claims cited to unrelated evidence 0.0-0.4.
KEY_SUPPORT = 0.5

# Below KEY_SUPPORT, the closest sentence of the cited evidence must be at least this close in meaning
# (all-MiniLM-L6-v2 cosine). Paraphrases of a cited sentence score 0.5-0.9; claims about other work 0.0-0.4.
MEANING_SUPPORT = 0.5

# Words either side of a number, within its sentence, that say what it counts ("to 3 teams": teams).
SENSE_WINDOW = 4

# Sentences of one evidence item compared by meaning, at most (a long note is cut, not embedded whole).
MAX_SENTENCES = 40
