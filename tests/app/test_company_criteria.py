"""A criterion that names the organisation (its values, programmes, org chart) is never shown by code changes."""

from __future__ import annotations

from app.model import Criterion
from ingest.evidence import Evidence


def item(n: int, kind: str, title: str, role: str = "author", source: str = "git") -> Evidence:
    return Evidence(
        id=f"{source}:x/{n}",
        source=source,
        kind=kind,
        title=title,
        role=role,  # type: ignore[arg-type]
        author="Maya Chen",
        date="2026-03-02T10:00:00+00:00",
        native={"repo": "x/lib"},
        stats={"insertions": 90, "deletions": 10, "files_changed": 2} if kind == "commit" else {},
        extra={"files": ["lib/values.py"]} if kind == "commit" else {},
    )


def test_only_notes_and_kudos_speak_for_a_criterion_that_names_the_company(minilm) -> None:  # type: ignore[no-untyped-def]
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    history = [
        item(1, "commit", "Promote core values in the onboarding code"),
        item(2, "commit", "Add a values page to the handbook site"),
        item(3, "note", "Ran the Initrode core values workshop for new hires", source="notes"),
        item(4, "note", "Hosted the quarterly values session for the whole team", source="notes"),
    ]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    values = Criterion("values", "Culture", "L3", "I promote and role model Initrode core values")

    (named,) = match_all(profiles([values], work, company="Initrode"), work)
    (plain,) = match_all(profiles([values], work), work)

    assert named
    assert {m.unit.kind for m in named} == {"note"}
    assert "change" in {m.unit.kind for m in plain}  # without the organisation named, code could speak


def test_a_criterion_about_code_that_names_the_company_is_still_shown_by_code(minilm) -> None:  # type: ignore[no-untyped-def]
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    history = [
        item(1, "commit", "Implement streaming uploads for the storage client"),
        item(2, "commit", "Add retries with backoff to the storage client"),
        item(3, "note", "Ran the Initrode core values workshop for new hires", source="notes"),
    ]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    code = Criterion(
        "code", "Craft", "L3", "I ship new features and well-tested code to the Initrode codebase"
    )

    (found,) = match_all(profiles([code], work, company="Initrode"), work)

    assert "change" in {m.unit.kind for m in found}
