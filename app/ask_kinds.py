"""Questions about a kind of work ("What docs did I write in December?", "Which refactors did I do in Q3?").

The question's subject is matched by meaning to what people call each kind of work (app.work_kinds.CALLED); the
answer is the period's units of work of that kind (app.units, labelled from their structure or meaning), in the
role the question asks about: the user's own work unless it names reviewing or co-authoring; for reviewing,
mentoring and collaboration, also the others' work the user shaped (co-authored, reviewed, merged).
"""

from __future__ import annotations

import numpy as np

from app import policy, work_kinds
from app.matching import PEOPLE_KINDS
from app.understanding import VectorCache, understand
from app.units import Unit
from ingest.evidence import Evidence


def kind_named(subject: str, cache: VectorCache) -> str | None:
    """The kind of work the subject names, when it reads as one (cosine >= policy.KIND_QUESTION_MIN), else None."""
    if not subject.strip() or cache.model.startswith("fake:"):
        return None  # hashed words carry no meaning
    names = [name for name, called in work_kinds.CALLED.items() for _ in called]
    calls = cache.embed([text for called in work_kinds.CALLED.values() for text in called])
    vector = cache.embed_passing([subject])[0]
    norms = np.linalg.norm(calls, axis=1) * np.linalg.norm(vector)
    closeness = (calls @ vector) / np.where(norms == 0, 1.0, norms)
    best = int(np.argmax(closeness))
    return names[best] if float(closeness[best]) >= policy.KIND_QUESTION_MIN else None


def units_of_kind(evidence: list[Evidence], cache: VectorCache, kind: str, role: str | None) -> list[Unit]:
    """The units of this kind among the evidence, in the asked role (by default the user's own work), oldest first."""
    found = []
    for unit in understand(evidence, cache).units:
        if kind not in unit.labels:
            continue
        own = unit.owned or (unit.kind == "note" and unit.role == "author")
        if role is None and not (own or (unit.shaped and kind in PEOPLE_KINDS)):
            continue  # reviewing and mentoring are done in other people's work
        if role == "author" and not unit.owned:
            continue
        if role in ("co-author", "reviewer") and unit.role != role:
            continue
        found.append(unit)
    return sorted(found, key=lambda u: (u.start, u.key))
