"""Verbs come from a general English lexicon, read offline: titles with verbs no list names read as past actions,
noun phrases stay quoted, and nothing is ever phrased in broken English."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from app import gate, hedge_fixes, history_verbs, lint, units, verbs
from app.matching import Match, Profile
from app.model import Bullet, Criterion
from app.offline_drafter import OfflineDrafter
from app.phrasing import action, describe
from ingest.evidence import Evidence


def item(title: str, kind: str = "commit", **fields: object) -> Evidence:
    return Evidence(
        id="git:r@1",
        source="git",
        kind=kind,
        title=title,
        role="author",
        date="2020-06-01T10:00:00+00:00",
        author="Florimond Manca",
        **fields,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("verb", "past"),
    [
        ("revamp", "revamped"),
        ("map", "mapped"),
        ("repurpose", "repurposed"),  # a prefixed verb the lexicon lacks, read through "purpose"
        ("reindex", "reindexed"),
        ("lead", "led"),
        ("rebuild", "rebuilt"),
        ("set", "set"),
        ("refactor", "refactored"),  # one of the engineering verbs the lexicon lacks
        ("Dedupe", "Deduped"),
    ],
)
def test_past_tense_comes_from_the_lexicon(verb: str, past: str) -> None:
    assert verbs.past_tense(verb) == past


@pytest.mark.parametrize(
    ("word", "base"),
    [("Adds", "add"), ("mapped", "map"), ("led", "lead"), ("reindexed", "reindex"), ("header", None)],
)
def test_base_forms_of_third_person_and_past_forms(word: str, base: str | None) -> None:
    assert verbs.base_form(word) == base


def test_gerunds_give_their_verb() -> None:
    assert [verbs.base_of_gerund(w) for w in ("mapping", "cutting", "revamping", "headers")] == [
        "map",
        "cut",
        "revamp",
        None,
    ]


def test_the_lexicon_agrees_with_lemminflects_own_api() -> None:
    lemminflect = pytest.importorskip("lemminflect")
    lexicon = verbs.lexicon()
    sample = sorted(lexicon.verbs - verbs.ENGINEERING_VERBS)[::40]
    assert len(sample) > 100
    for verb in sample:
        assert verbs.past_tense(verb) == lemminflect.getInflection(verb, "VBD")[0], verb
        third = lemminflect.getInflection(verb, "VBZ")[0]
        assert verb in lemminflect.getAllLemmas(third).get("VERB", ()), verb
        assert verbs.base_form(third) is not None, third


def test_the_lexicon_is_read_offline_from_the_installed_package() -> None:
    """Only files inside the lemminflect package are opened, and no socket is, when words are read."""
    script = (
        "import json, socket, sys\n"
        "opened, sockets = [], []\n"
        "def hook(event, args):\n"
        "    if event == 'open' and isinstance(args[0], str): opened.append(args[0])\n"
        "    if event.startswith('socket.'): sockets.append(event)\n"
        "from app import verbs\n"
        "sys.addaudithook(hook)\n"
        "verbs.lexicon(); verbs.past_tense('revamp')\n"
        "print(json.dumps({'opened': opened, 'sockets': sockets}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["sockets"] == []
    assert seen["opened"], "the lexicon's tables were read"
    assert all("/lemminflect/resources/" in path for path in seen["opened"]), seen["opened"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Map HTTPCore exceptions", "Mapped HTTPCore exceptions"),
        ("Revamp docs on Client instances", "Revamped docs on Client instances"),
        (
            "Repurpose RedirectBodyUnavailable as RequestBodyUnavailable",
            "Repurposed RedirectBodyUnavailable as RequestBodyUnavailable",
        ),
        ("Treat parens around array items the same", "Treated parens around array items the same"),
        ("Reverse the 212 duplicate refunds", "Reversed the 212 duplicate refunds"),
        ("Use and pin black 20", "Used and pinned black 20"),
        ("Switch to private module names", "Switched to private module names"),
        ("Keep 4 warm workers", "Kept 4 warm workers"),
    ],
)
def test_titles_whose_verbs_no_list_names_read_as_past_actions(title: str, expected: str) -> None:
    assert action(item(title)) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Properly encoded slashes when using `base_url`", "Properly encoded slashes when using `base_url`"),
        ("Mapped HTTPCore exceptions", "Mapped HTTPCore exceptions"),
        ("Adds retry to uploads", "Added retry to uploads"),
        ("Fixes crash in the parser", "Fixed crash in the parser"),
    ],
)
def test_past_and_third_person_titles(title: str, expected: str) -> None:
    assert action(item(title)) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Header refinements",  # the lexicon has "header" only as a noun
        "Exception hierarchy",
        "Context managed transports",
        "Version 0.11.1",  # a noun before a version number
        "Type check tests",  # a compound verb: "Typed check tests" would be wrong
        "Release notes for 0.12",  # a noun before a noun that is a verb too
        "Transport API",  # two words, a noun phrase as often as an action
        "Minor update to changelog",  # an adjective first
        "Support for HTTP/2",
        "Do not register an offense",
        "Game day: failover drill",
    ],
)
def test_noun_phrases_stay_quoted(title: str) -> None:
    assert action(item(title)) == f"Landed “{title}”"


def test_a_ticket_or_a_branch_name_reads_as_a_noun_phrase_unless_an_object_is_plain() -> None:
    done = {"native": {"status": "Done"}}
    assert action(item("Refund status webhook", kind="ticket", **done)) == "Resolved “Refund status webhook”"
    assert (
        action(item("Reverse the duplicate refunds", kind="ticket", **done))
        == "Reversed the duplicate refunds"
    )
    branch = item("Merge pull request #7 from me/refund-status-webhook", kind="pr", native={"merged": True})
    assert action(branch) == "Landed “refund status webhook”"


def test_after_an_area_a_noun_phrase_stays_quoted() -> None:
    assert (
        action(item("Ledger: mismatch dashboard and alert"))
        == "Landed “Ledger: mismatch dashboard and alert”"
    )
    assert action(item("Ledger: upgrade Postgres to 16.4")) == "Upgraded Postgres to 16.4"


@pytest.mark.parametrize(
    ("sentence", "fixed"),
    [
        ("I helped design the API.", "I designed the API."),
        ("I helped map HTTPCore exceptions.", "I mapped HTTPCore exceptions."),
        ("I helped review code for the payments team.", "I reviewed code for the payments team."),
        ("I helped the team review code.", "I reviewed code with the team."),
        ("I helped team members ship the release.", "I shipped the release with team members."),
        ("I helped the on-call team reduce pages.", "I reduced pages with the on-call team."),
        ("I helped team members with onboarding.", "I supported team members with onboarding."),
    ],
)
def test_a_hedge_is_fixed_with_the_verb_the_lexicon_finds(sentence: str, fixed: str) -> None:
    text = hedge_fixes.fix(sentence, owned=True)
    assert lint.apply(text, lint.hedges(text)) == fixed


@pytest.mark.parametrize(
    "title",
    ["Map HTTPCore exceptions", "Use and pin black 20", "Properly encoded slashes when using `base_url`"],
)
def test_a_newly_phrased_owned_change_passes_the_gate_as_its_quoted_title_did(title: str) -> None:
    change = item(title, stats={"insertions": 13, "deletions": 3, "files_changed": 2})
    checked = [
        gate.verify(Bullet(text, [change.id]), {change.id: change})
        for text in (describe(change) + ".", f"Landed “{title}” (+13/−3 lines across 2 files).")
    ]

    assert not describe(change).startswith("Landed")
    assert [(c.flags, c.role_ok) for c in checked] == [([], True), ([], True)]


def history(*titles: str) -> list[Evidence]:
    return [
        Evidence(
            id=f"git:r@{n}",
            source="git",
            kind="commit",
            title=title,
            role="author",
            date="2020-06-01T10:00:00+00:00",
            author="Florimond Manca",
        )
        for n, title in enumerate(titles)
    ]


def test_a_word_that_opens_several_of_the_historys_changes_is_a_verb_there() -> None:
    found = history_verbs.verbs_in_use(
        history(
            "Correct `Lint/SymbolConversion` for hash keys",
            "Correct the autocorrection of `Style/Not`",
            "Fix `Layout/DotPosition` on multiline chains",
            "Release 0.15.2",  # a version casts no vote
            "Release 0.15.3",
            "Version 0.11.1",
            "Minor refactor of `Style/Semicolon`",  # no title reads "Minor" as a verb
            "Minor update to changelog",
            "Minor refactoring",
        )
    )

    assert found == {"correct"}  # "Fix" opens one title only: one object is not a habit


def test_a_branch_name_casts_no_vote() -> None:
    branches = [
        replace(merge, kind="pr", title=f"Merge pull request #{n} from me/refund-{topic}")
        for n, merge, topic in [(1, *history("a"), "status-webhook"), (2, *history("b"), "idempotency-keys")]
    ]
    assert history_verbs.verbs_in_use(history("Refund status webhook", "Refund idempotency keys")) == {
        "refund"
    }
    assert history_verbs.verbs_in_use(branches) == frozenset()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Correct stray rubocop-hq reference", "Corrected stray rubocop-hq reference"),
        (
            "Update instances of `rubocop-hq` to `rubocop` for organization move",
            "Updated instances of `rubocop-hq` to `rubocop` for organization move",
        ),
        ("Update documentation", "Updated documentation"),
        (
            "Fix confusing test in case_indentation_spec.rb",
            "Fixed confusing test in case_indentation_spec.rb",
        ),
    ],
)
def test_a_verb_the_history_uses_opens_its_other_titles(title: str, expected: str) -> None:
    assert action(item(title)) == f"Landed “{title}”"  # without the history, a noun phrase as often as not
    assert action(item(title), (), {"correct", "update", "fix"}) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Type check tests",  # a compound verb: "Typed check tests" would be wrong
        "Release 0.15.3",  # a version keeps its own rule
        "Fix for the parser",  # "Fix for": a noun before a preposition
        "Fix tests",  # two words, the second a verb too
    ],
)
def test_the_historys_verbs_never_make_wrong_english(title: str) -> None:
    assert action(item(title), (), {"type", "release", "fix"}) == f"Landed “{title}”"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Fix type checking breakage", "Fixed type checking breakage"),  # a noun and a gerund: one noun
        ("Move types definitions to a dedicated module", "Moved types definitions to a dedicated module"),
        ("Type checking tests", "Landed “Type checking tests”"),  # was "Typed checking tests"
        ("Release notes for 0.12", "Landed “Release notes for 0.12”"),
    ],
)
def test_a_compound_verb_needs_a_base_form_before_its_object(title: str, expected: str) -> None:
    assert action(item(title)) == expected


def test_the_offline_drafter_reads_verbs_from_the_whole_history() -> None:
    changes = history(
        "Correct `Lint/SymbolConversion` for hash keys",
        "Correct the autocorrection of `Style/Not`",
        "Correct stray rubocop-hq reference",
    )
    criterion = Criterion(id="c", area="Craft", level="L3", text="Writes correct code")
    profile = Profile(criterion, np.zeros((1, 1), np.float32), {"feature": 1.0}, about_people=False)
    unit = next(u for u in units.build(changes) if "stray" in u.title)
    match = Match(unit, score=1.0, meaning=1.0, affinity=1.0)

    with_history = OfflineDrafter([], changes).bullets(profile, [match])
    alone = OfflineDrafter([]).bullets(profile, [match])

    assert with_history[0].text == "Corrected stray rubocop-hq reference."
    assert alone[0].text == "Landed “Correct stray rubocop-hq reference”."
