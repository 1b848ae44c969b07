"""How many changes an author had landed in a repository before a given one: someone's first change there is a
newcomer's, and the user who reviewed, co-authored or merged it helped a newcomer land it.

One `git log` of names, emails and commit times over the whole history of HEAD, read only when a change by someone
other than the user is ingested. A shallow clone's history is incomplete, so it answers nothing there.
"""

from __future__ import annotations

import bisect
import subprocess
from collections import defaultdict
from pathlib import Path

# Evidence.stats keys of facts about the people in someone else's change, read by drafting (not searched as words)
PRIOR_CHANGES = "author_prior_changes"  # how many changes its author had landed before it
USER_COMMITS = "user_commits"  # in a change the user co-authored: how many of its commits were the user's
PEOPLE_FACTS = frozenset({PRIOR_CHANGES, USER_COMMITS})


class PriorChanges:
    def __init__(self, path: Path, shallow: bool) -> None:
        self._path = path
        self._shallow = shallow
        self._times: dict[str, list[int]] | None = None

    def before(self, name: str, email: str, epoch: int) -> int | None:
        """Changes on HEAD by this author (same name or same email, after .mailmap) committed before `epoch`."""
        times = self._load()
        if times is None:
            return None
        counts = [
            bisect.bisect_left(times[key], epoch)
            for key in (f"n:{name.strip().lower()}", f"e:{email.strip().lower()}")
            if key in times  # an author the history does not show: no claim that it was their first
        ]
        return max(counts, default=None)

    def _load(self) -> dict[str, list[int]] | None:
        if self._shallow:
            return None
        if self._times is None:
            done = subprocess.run(
                ["git", "-C", str(self._path), "log", "--format=%aN%x1f%aE%x1f%ct", "--no-color"],
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
            if done.returncode != 0:
                self._shallow = True  # the history could not be read: answer nothing rather than "a first"
                return None
            times: dict[str, list[int]] = defaultdict(list)
            for line in done.stdout.splitlines():
                name, _, rest = line.partition("\x1f")
                email, _, when = rest.partition("\x1f")
                if not when.strip().isdigit():
                    continue
                for key in (f"n:{name.strip().lower()}", f"e:{email.strip().lower()}"):
                    if key[2:]:
                        times[key].append(int(when))
            self._times = {key: sorted(values) for key, values in times.items()}
        return self._times
