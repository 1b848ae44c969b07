"""Which words a history uses as verbs: a word that is a noun too ('Fix', 'Update') and opens several change titles.

Commit and PR titles are imperative by convention, so a word that already reads as the verb of several of them, each
before a different object ('Fix `Layout/DotPosition`', 'Fix a crash', 'Fix bytes handling'), is the verb in this
history: phrasing then reads it as the verb of its other titles too ('Fix type checking breakage'). Nothing is listed
by hand; a title whose word only ever opens a version ('Release 0.15.3', 'Version 0.11.1') casts no vote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.actions import opens_action
from app.phrasing import clean_title, split_area
from app.verbs import base_form, readings
from ingest.evidence import Evidence

VOTES = 2  # distinct objects a word must already open before it reads as the verb of its other titles
_BRANCH = re.compile(r"^Merge (?:pull request|PR) #\d+ from ", re.IGNORECASE)


def verbs_in_use(evidence: Iterable[Evidence]) -> frozenset[str]:
    """Base forms of the noun-or-verb words that open actions in at least VOTES change titles with different objects."""
    objects: dict[str, set[str]] = {}
    for item in evidence:
        if item.kind not in ("pr", "commit") or (_BRANCH.match(item.title) and not item.body.strip()):
            continue  # a branch name is often a noun phrase ("refund status webhook"): it says nothing here
        area, rest = split_area(clean_title(item))
        words = rest.split()
        if len(words) < 2 or readings(words[0]) - {"verb"} == frozenset():
            continue  # a word that is only a verb needs no vote
        if opens_action(words, 0, True, not area):
            base = base_form(words[0])
            if base:
                objects.setdefault(base, set()).add(words[1].lower().strip("`'\"“”"))
    return frozenset(word for word, seen in objects.items() if len(seen) >= VOTES)
