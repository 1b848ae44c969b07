"""Rewrites use the organization's words and never change a fact, number or reference."""

from __future__ import annotations

import pytest

from app import hedge_fixes, llm_rewrite
from app.fakes import InMemoryIndex
from app.lint import fix as lint_fix
from app.lint import hedges
from app.model import Glossary, GlossaryTerm
from app.rewrite import check, rewrite
from app.rewrite_evidence import subject
from ingest.evidence import Evidence

GLOSSARY = Glossary(
    terms=[GlossaryTerm("customers", ["users", "clients"]), GlossaryTerm("partnered with", ["worked with"])],
    avoid=["rockstar"],
)


def test_glossary_terms_replace_whole_words_keeping_case() -> None:
    result = rewrite("Worked with Billing so Users and users-facing clients see refunds (PAY-142).", GLOSSARY)

    assert (
        result.text == "Partnered with Billing so Customers and users-facing customers see refunds (PAY-142)."
    )
    assert result.preserved is True
    assert {"op": "replace", "from": "Worked", "to": "Partnered"} in result.diff


def test_code_spans_are_never_rewritten() -> None:
    result = rewrite("Renamed `users` table for users", GLOSSARY)

    assert result.text == "Renamed `users` table for customers"


def test_hedges_are_fixed_in_the_same_pass() -> None:
    result = rewrite("I just helped build the refund cache, cutting p95 latency 38%.", GLOSSARY)

    assert result.text == "I built the refund cache, cutting p95 latency 38%."


def test_avoid_words_are_reported() -> None:
    assert rewrite("A rockstar refund fix", GLOSSARY).warnings == [
        "'rockstar' is on the glossary's avoid list"
    ]


@pytest.mark.parametrize(
    ("changed", "what"),
    [
        ("Cut p95 latency 40% in `RefundService` for Kafka (PAY-142).", "numbers"),
        ("Cut p95 latency 38% in `RefundService` for Kafka (PAY-143).", "ids"),
        ("Cut p95 latency 38% in `RefundService` for Redis (PAY-142).", "names"),
        ("Cut p95 latency 38% in the refund service for Kafka (PAY-142).", "names"),
    ],
)
def test_a_rewrite_that_changes_a_fact_is_refused(
    monkeypatch: pytest.MonkeyPatch, changed: str, what: str
) -> None:
    original = "Cut p95 latency 38% in `RefundService` for Kafka (PAY-142)."
    monkeypatch.setattr(llm_rewrite, "rewrite", lambda chat, text, glossary: changed)

    result = rewrite(original, GLOSSARY, chat=object())

    assert result.preserved is False
    assert result.text == original
    assert what in result.reason


def test_an_llm_rewrite_that_keeps_the_facts_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        llm_rewrite, "rewrite", lambda chat, text, glossary: "Delivered a 38% p95 cut for Kafka."
    )

    result = rewrite("Cut p95 latency 38% for Kafka.", GLOSSARY, chat=object())

    assert (result.text, result.preserved, result.mode) == ("Delivered a 38% p95 cut for Kafka.", True, "llm")


def test_check_lists_what_changed() -> None:
    assert check("Saved $12,400 on PAY-7", "Saved $12,400 on PAY-7") == ""
    assert "removed 12400USD" in check("Saved $12,400", "Saved a lot")


def test_plural_terms_are_replaced_and_no_word_is_lost() -> None:
    glossary = Glossary(terms=[GlossaryTerm(use="customer", instead_of=["user"])])

    result = rewrite("I helped users by fixing PAY-142.", glossary)

    assert result.text == "I supported customers by fixing PAY-142."
    assert result.preserved


def _work(ident: str, title: str, role: str, kind: str = "ticket", **fields: object) -> Evidence:
    return Evidence(
        id=ident,
        source=ident.split(":")[0],
        kind=kind,
        title=title,
        role=role,
        date="2026-03-02T10:00:00+00:00",
        author="Maya Chen",
        **fields,
    )  # type: ignore[arg-type]


WORKSPACE = InMemoryIndex(
    [
        _work(
            "jira:PAY-101", "Ledger migration to Postgres: design doc", "assignee", native={"key": "PAY-101"}
        ),
        _work(
            "github:acme/pay#88",
            "Dual-write ledger entries to Postgres",
            "author",
            kind="pr",
            native={"pr_number": 88},
        ),
        _work("jira:PAY-140", "Cut checkout p95 latency 38%", "assignee", native={"key": "PAY-140"}),
        _work(
            "github:acme/pay#90",
            "Adopt the refund queue in billing",
            "reviewer",
            kind="pr",
            native={"pr_number": 90},
        ),
    ]
)


@pytest.mark.parametrize(
    ("owned", "expected"),
    [
        (True, "I migrated the ledger to Postgres with the team and cut p95 latency by 38%"),
        (
            False,
            "I worked with the team to migrate the ledger to Postgres and contributed to cutting p95 latency by 38%",
        ),
    ],
)
def test_hedges_become_grammatical_as_strong_as_the_users_part(owned: bool, expected: str) -> None:
    text = "I helped the team migrate the ledger to Postgres and was involved in cutting p95 latency by 38%"

    assert hedge_fixes.fix(text, owned) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I helped two teams adopt nw-kafka.", "I enabled two teams to adopt nw-kafka."),
        ("I helped 3 squads move to the new queue.", "I enabled 3 squads to move to the new queue."),
        ("I helped the team set up runbooks.", "I set up runbooks with the team."),
    ],
)
def test_teams_the_user_enabled_are_not_written_as_the_users_own_group(text: str, expected: str) -> None:
    assert hedge_fixes.fix(text, owned=True) == expected


def test_a_rewrite_names_the_users_own_work_with_citations() -> None:
    result = rewrite("I helped migrate the ledger to Postgres.", None, index=WORKSPACE)

    assert result.preserved
    assert result.text == (
        "I migrated the ledger to Postgres (wrote “Ledger migration to Postgres: design doc” (PAY-101))."
    )
    assert [c["id"] for c in result.citations] == ["jira:PAY-101"]
    assert not hedges(result.text)


def test_work_the_user_only_reviewed_is_not_claimed() -> None:
    result = rewrite("I helped billing adopt the refund queue.", None, index=WORKSPACE)

    assert result.text == "I worked with billing to adopt the refund queue."
    assert [c["id"] for c in result.citations] == ["github:acme/pay#90"]


def test_a_name_the_evidence_does_not_state_is_still_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        llm_rewrite, "rewrite", lambda chat, text, glossary: "I migrated the ledger to CockroachDB."
    )

    result = rewrite("I helped migrate the ledger to Postgres.", None, chat=object(), index=WORKSPACE)

    assert result.preserved is False
    assert "CockroachDB" in result.reason


def test_a_pr_and_its_squashed_commit_are_named_once() -> None:
    squashed = InMemoryIndex(
        [
            _work(
                "github:acme/pay#88",
                "Dual-write ledger entries to Postgres",
                "author",
                kind="pr",
                native={"pr_number": 88},
            ),
            _work(
                "git:acme/pay@1a2b3c4d5e6f",
                "Dual-write ledger entries to Postgres (#88)",
                "author",
                kind="commit",
                native={"pr_number": 88},
            ),
        ]
    )

    result = rewrite("I helped with ledger entries.", None, index=squashed)

    assert result.text.count("Dual-write ledger entries to Postgres") == 1


def test_a_key_the_sentence_names_is_the_users_when_their_own_work_goes_by_it() -> None:
    """A colleague's PR that mentions RFC-9 does not make the user's RFC-9 a small part: their ticket named by it
    does; a key only others' work goes by stays as modest as the evidence."""
    rfc = InMemoryIndex(
        [
            _work("github:acme/docs#12", "RFC-9 in the standards index", "reviewer", kind="pr"),
            _work(
                "jira:PAY-60",
                "RFC-9: retry and backoff guidelines for payments and the ledger services",
                "assignee",
                kind="ticket",
            ),
            _work("jira:PAY-61", "RFC-8: cache guidelines", "reporter", kind="ticket"),
        ]
    )

    assert rewrite("I had a small part in writing RFC-9.", None, index=rfc).text.startswith("I wrote RFC-9")
    assert rewrite("I had a small part in writing RFC-8.", None, index=rfc).text.startswith(
        "I contributed to writing RFC-8"
    )


def test_a_version_the_sentence_names_finds_the_release_that_names_it() -> None:
    releases = InMemoryIndex(
        [
            _work("github:acme/pay#131", "Release 2.4.1", "author", kind="pr", native={"pr_number": 131}),
            _work("github:acme/pay#120", "Release 2.3.0", "author", kind="pr", native={"pr_number": 120}),
        ]
    )

    result = rewrite("I was involved in cutting the 2.4.1 release.", None, index=releases)

    assert result.text.startswith("I cut the 2.4.1 release")
    assert [c["id"] for c in result.citations] == ["github:acme/pay#131"]


@pytest.mark.parametrize(
    ("text", "owned", "expected"),
    [
        ("I tried to improve the help output.", True, "I improved the help output."),
        ("I tried to improve the help output.", False, "I worked to improve the help output."),
        ("I was part of the effort to add safety notes.", True, "I added safety notes."),
        (
            "I was part of the effort to add safety notes.",
            False,
            "I contributed to the effort to add safety notes.",
        ),
        ("I was sort of involved in fixing the rounding bug.", True, "I fixed the rounding bug."),
        (
            "I was sort of involved in fixing the rounding bug.",
            False,
            "I contributed to fixing the rounding bug.",
        ),
        (
            "I was part of the team that ran the failover game day, and I wrote the report.",
            True,
            "I ran the failover game day with the team, and I wrote the report.",
        ),
        (
            "I was part of the team that ran the failover game day.",
            False,
            "I contributed to the team that ran the failover game day.",
        ),
        ("I had a small part in writing the retry RFC.", True, "I wrote the retry RFC."),
        ("I had a small part in writing the retry RFC.", False, "I contributed to writing the retry RFC."),
        ("I tried my best to help cut hosting costs.", True, "I cut hosting costs."),
    ],
)
def test_trying_being_part_of_an_effort_or_a_team_read_as_strongly_as_the_users_part(
    text: str, owned: bool, expected: str
) -> None:
    fixed, _ = lint_fix(hedge_fixes.fix(text, owned))

    assert fixed == expected
    assert not hedges(fixed)


def test_work_the_sentence_already_names_is_cited_by_its_number_and_nothing_weaker_is_named() -> None:
    backends = InMemoryIndex(
        [
            _work(
                "github:acme/http#901",
                "Drop concurrency backends",
                "author",
                kind="pr",
                native={"pr_number": 901},
            ),
            _work(
                "github:acme/http#791",
                "Drop backend parameter on AsyncClient",
                "author",
                kind="pr",
                native={"pr_number": 791},
            ),
        ]
    )

    result = rewrite("I attempted to drop the concurrency backends.", None, index=backends)

    assert result.text == "I dropped the concurrency backends (#901)."


def test_what_a_hedged_sentence_is_about_is_searched_without_its_hedges_or_person() -> None:
    assert subject("I believe I helped write the troubleshooting guide.") == "troubleshooting guide"
    assert subject("I maybe helped tune the on-call alerts.") == "tune on-call alerts"


def test_a_code_name_the_sentence_names_is_named_by_every_item_it_cites() -> None:
    cops = InMemoryIndex(
        [
            _work(
                "git:acme/lint@aaaa",
                "Fix `Layout/LineLength` autocorrection for heredocs",
                "author",
                "commit",
            ),
            _work("git:acme/lint@bbbb", "Fix `Style/Semicolon` autocorrection", "author", "commit"),
            _work(
                "git:acme/lint@cccc",
                "Fix `Layout/LineLength` autocorrection bugs in hashes",
                "author",
                "commit",
            ),
        ]
    )

    result = rewrite("I sort of helped fix Layout/LineLength autocorrection bugs.", None, index=cops)

    assert result.text.startswith("I fixed Layout/LineLength autocorrection bugs")
    assert {c["id"] for c in result.citations} == {"git:acme/lint@aaaa", "git:acme/lint@cccc"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I sort of helped out with the refund queue.", "I contributed to the refund queue."),
        ("I may have helped a bit with the refund queue.", "I contributed to the refund queue."),
        (
            "I was partly responsible for retiring the MySQL cluster.",
            "I contributed to retiring the MySQL cluster.",
        ),
    ],
)
def test_softened_hedges_become_plain_english_never_supported_out_with(text: str, expected: str) -> None:
    assert rewrite(text, None).text == expected


def test_a_weakened_hedge_takes_its_verb_from_the_users_own_work_on_what_the_sentence_names() -> None:
    library = InMemoryIndex(
        [
            _work("jira:PAY-55", "Build a shared Kafka consumer library (nw-kafka)", "assignee"),
            _work("jira:PAY-56", "Decommission the MySQL ledger cluster", "assignee"),
        ]
    )

    built = rewrite("I helped a bit with the nw-kafka library.", None, index=library)
    named = rewrite("I was involved in the MySQL ledger cluster decommission.", None, index=library)

    assert built.text.startswith("I built the nw-kafka library (")
    assert [c["id"] for c in built.citations][:1] == ["jira:PAY-55"]
    # the sentence already names the action: never "decommissioned the … decommission"
    assert named.text.startswith("I contributed to the MySQL ledger cluster decommission")


def test_a_role_that_proves_the_act_makes_the_act_the_users() -> None:
    """The user merged koic's PRs (a merger), so 'helped with merging' is 'merged'; a co-author did not merge."""
    merges = InMemoryIndex([_work("git:r@1", "Merge pull request #9435 from koic/fix", "merger", kind="pr")])

    assert rewrite("I helped a little with merging koic's pull requests.", None, index=merges).text == (
        "I merged koic's pull requests."
    )
    assert (
        hedge_fixes.fix("I was involved in merging the fix.", owned=False)
        == "I contributed to merging the fix."
    )


@pytest.mark.parametrize(
    ("owned", "expected"),
    [
        (True, "I cut the ledger reads over to Postgres."),
        (False, "I contributed to cutting the ledger reads over to Postgres."),
    ],
)
def test_credit_given_away_in_the_passive_is_said_actively_as_strongly_as_the_users_part(
    owned: bool, expected: str
) -> None:
    text = "The ledger reads were cut over to Postgres, with some help from me."

    assert hedge_fixes.credited(text, owned) == expected


def test_work_the_user_did_that_the_passive_credits_partly_to_them_is_theirs() -> None:
    cops = InMemoryIndex([_work("git:acme/lint@aaaa", "Add new `Lint/Ruby2Keywords` cop", "author")])

    result = rewrite("The Lint/Ruby2Keywords cop got added, partly thanks to me.", None, index=cops)

    assert result.text.startswith("I added the Lint/Ruby2Keywords cop")
    assert [c["id"] for c in result.citations] == ["git:acme/lint@aaaa"]
    assert not hedges(result.text)


@pytest.mark.parametrize(
    ("text", "owned", "expected"),
    [
        ("I chipped in on documenting the retry API.", True, "I documented the retry API."),
        ("I had a go at adding retries.", True, "I added retries."),
        ("I had a go at adding retries.", False, "I worked on adding retries."),
        (
            "I supported Tom in tightening the closed-state checks.",
            False,
            "I worked with Tom to tighten the closed-state checks.",
        ),
        ("I was tasked with adding the cop.", True, "I added the cop."),
        ("I was tasked with adding the cop.", False, "I was tasked with adding the cop."),
        ("My small contribution was running the checks in parallel.", True, "I ran the checks in parallel."),
        (
            "My small contribution was running the checks in parallel.",
            False,
            "I contributed to running the checks in parallel.",
        ),
        ("I was on the team that shipped the cutover.", True, "I shipped the cutover with the team."),
    ],
)
def test_new_forms_of_hedging_read_as_strongly_as_the_users_part(
    text: str, owned: bool, expected: str
) -> None:
    assert hedge_fixes.fix(text, owned) == expected


def test_work_on_something_the_user_built_takes_the_verb_of_their_work() -> None:
    auth = InMemoryIndex([_work("git:acme/http@bbbb", "Add `Client.auth` setter", "author")])

    assert rewrite("I made a start on the Client.auth setter.", None, index=auth).text.startswith(
        "I added the Client.auth setter"
    )
    # said by the user, "worked on" is theirs to keep
    assert rewrite("I worked on the Client.auth setter.", None, index=auth).text.startswith(
        "I worked on the Client.auth setter"
    )


def test_one_of_those_who_merged_is_the_user_when_their_role_proves_it() -> None:
    assert (
        hedge_fixes.fix("I was one of the people who merged Tejas's fixes.", False, frozenset({"merge"}))
        == "I merged Tejas's fixes."
    )
    assert (
        hedge_fixes.fix("I was one of the people who merged Tejas's fixes.", False)
        == "I was one of the people who merged Tejas's fixes."
    )


def test_an_area_after_dabbled_in_is_made_an_act_only_when_the_users_work_is_titled_with_it() -> None:
    text = "I dabbled in streaming text decoding."

    assert (
        hedge_fixes.fix(text, True, shown=frozenset({"implement"})) == "I worked on streaming text decoding."
    )
    assert hedge_fixes.fix(text, True, shown=frozenset({"stream"})) == "I streamed text decoding."


def test_housekeeping_done_by_acts_is_said_as_those_acts_when_the_work_was_the_users() -> None:
    text = "I did a little housekeeping by starting a CHANGELOG and pushing out releases."

    assert hedge_fixes.fix(text, True) == "I started a CHANGELOG and pushed out releases."
    assert hedge_fixes.fix(text, False) == text


def test_some_light_doing_of_a_thing_is_the_act_the_sentence_claims() -> None:
    assert hedge_fixes.fix("Did some light tidying of QueryParams.", False) == "Tidied QueryParams."
