"""Thresholds of the claim check (app/claims.py) and the number-sense check (app/number_sense.py), in one place.

Measured with `.venv/bin/python -m evals.trust` (evals/results/trust.md, "Claim check thresholds"): honest bullets
and LLM-style paraphrases of their evidence must pass, injected claims cited to real work must fail; and on the
offline drafts of the sample workspace's three levels (68 bullets), no bullet with a correct citation is flagged.
"""

from __future__ import annotations

# Share of a bullet's key words (stems of its content words) found in what its cited evidence says, at or
# above which the words alone support the claim. Measured: honest bullets and paraphrases 0.43-1.00 (those below
# pass on meaning); injected claims cited to real work 0.00-0.25.
KEY_SUPPORT = 0.5

# Below KEY_SUPPORT, the closest sentence of the cited evidence must be at least this close in meaning
# (all-MiniLM-L6-v2 cosine). Measured: honest bullets and paraphrases 0.79-0.97; injected claims -0.05-0.28.
MEANING_SUPPORT = 0.5

# Words either side of a number, within its sentence, that say what it counts ("to 3 teams": teams).
SENSE_WINDOW = 4

# Sentences of one evidence item compared by meaning, at most (a long note is cut, not embedded whole).
MAX_SENTENCES = 40
