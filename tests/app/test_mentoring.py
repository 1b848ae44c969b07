"""Mentoring shows in a history as newcomers' first changes the user helped land: co-authored, reviewed or merged."""

from __future__ import annotations

from app import units
from app.model import Criterion
from app.offline_drafter import shaped_sentence
from app.work_kinds import structural_labels
from ingest.evidence import Evidence


def change(
    n: int, title: str, role: str = "author", author: str = "Maya Chen", prior: int | None = None
) -> Evidence:
    stats: dict[str, float] = {"insertions": 80, "deletions": 10, "files_changed": 2}
    if prior is not None:
        stats["author_prior_changes"] = prior
    return Evidence(
        id=f"git:lib/x@{n:012d}",
        source="git",
        kind="commit",
        title=f"{title} (#{n})",
        role=role,  # type: ignore[arg-type]
        author=author,
        date="2026-03-02T10:00:00+00:00",
        native={"repo": "lib/x", "sha": f"{n:040d}", "pr_number": n},
        stats=stats,
        extra={"files": ["lib/x/core.py", "tests/test_core.py"]},
    )


def test_a_newcomers_first_change_the_user_shaped_is_mentoring_and_says_so() -> None:
    first = units.build(
        [change(887, "Fix support for generator-based apps", "co-author", "Ed Singleton", 0)]
    )[0]
    veteran = units.build([change(963, "Transport API", "co-author", "Tom Christie", 26)])[0]
    unknown = units.build([change(964, "Header refinements", "co-author", "Tom Christie")])[0]
    bot = units.build([change(965, "Bump certifi", "merger", "dependabot[bot]", 0)])[0]

    assert structural_labels(first)["mentoring"] == "helped Ed Singleton land their first change"
    assert shaped_sentence(first) == (
        "Reviewed and shaped Ed Singleton’s first change, “Fix support for generator-based apps” (#887)."
    )
    for unit in (veteran, unknown, bot):  # an old hand's change, a source that cannot tell, a bot
        assert "mentoring" not in structural_labels(unit)
        assert "first" not in shaped_sentence(unit)


def test_a_mentoring_criterion_cites_the_newcomers_changes_and_one_only_near_it_does_not(minilm) -> None:  # type: ignore[no-untyped-def]
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    history = [
        change(1, "Implement streaming multipart uploads"),
        change(2, "Map transport exceptions to our own"),
        change(3, "Drop the old concurrency backends"),
        change(835, "Enable NO_PROXY environment variable support", "co-author", "Evan Lurvey", 0),
        change(887, "Fix support for generator-based apps", "co-author", "Ed Singleton", 1),
        change(963, "Transport API", "co-author", "Tom Christie", 26),
    ]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    criteria = [
        Criterion(
            "mentor",
            "Talent",
            "L3",
            "Mentorship - I actively level up less-experienced members of my team by helping them with their craft, "
            "providing guidance, and setting a good example",
        ),
        Criterion(
            "growth",
            "Talent",
            "L3",
            "I have a growth mindset and am comfortable experimenting with new approaches, learning, owning the "
            "outcomes, and sharing what I learned",
        ),
    ]
    mentor, growth = match_all(profiles(criteria, work), work)

    assert {m.unit.number for m in mentor[:2]} == {835, 887}
    assert 963 not in [m.unit.number for m in mentor[:2]]
    assert not any(m.unit.number in (835, 887) for m in growth)  # near mentoring, not about it
