"""Questions about past work: time phrases become filters; answers cite evidence; 'nothing' when nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import llm_ask
from app.ask import ask
from app.fakes import InMemoryIndex
from app.timephrases import parse
from ingest.evidence import Evidence

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)


def item(ident: str, kind: str, title: str, date: str, role: str = "assignee", **fields: object) -> Evidence:
    return Evidence(
        id=ident,
        source=ident.split(":")[0],
        kind=kind,
        title=title,
        role=role,
        date=f"{date}T10:00:00+00:00",
        author="Maya Chen",
        **fields,
    )  # type: ignore[arg-type]


INDEX = InMemoryIndex(
    [
        item(
            "jira:OPS-7", "incident", "Refund outage on checkout", "2026-05-12", native={"status": "Resolved"}
        ),
        item(
            "jira:OPS-9", "incident", "Payments webhook backlog", "2026-02-03", native={"status": "Resolved"}
        ),
        item(
            "jira:PAY-142",
            "ticket",
            "Payments migration: move refunds to the new ledger",
            "2026-04-20",
            body="Migrated 3 refund tables.",
            native={"status": "Done"},
        ),
        item(
            "github:acme/pay#88",
            "pr",
            "Payments migration: dual-write ledger entries",
            "2026-06-02",
            role="author",
            native={"state": "merged"},
            stats={"insertions": 240, "deletions": 30},
        ),
        item("jira:PAY-160", "ticket", "Holiday rota spreadsheet", "2026-07-01", native={"status": "Done"}),
    ]
)


@pytest.mark.parametrize(
    ("phrase", "since", "until"),
    [
        ("in Q2", "2026-04-01", "2026-06-30"),
        ("last month", "2026-07-01", "2026-07-31"),
        ("in 2021", "2021-01-01", "2021-12-31"),
        ("since March", "2026-03-01", None),
        ("this year", "2026-01-01", "2026-08-20"),
        ("in May 2026", "2026-05-01", "2026-05-31"),
        ("in Q4", "2025-10-01", "2025-12-31"),
        ("in the last 30 days", "2026-07-21", "2026-08-20"),
        ("in the first half of 2021", "2021-01-01", "2021-06-30"),
        ("in the second half of the year", "2026-07-01", "2026-12-31"),
        ("in the third quarter", "2026-07-01", "2026-09-30"),
        ("in the second quarter of 2026", "2026-04-01", "2026-06-30"),
        ("of 2021", "2021-01-01", "2021-12-31"),
        ("over the summer", "2026-06-01", "2026-08-31"),
        ("in the fall", "2025-09-01", "2025-11-30"),  # the latest autumn that has begun by 20 August 2026
        ("in the winter of 2026", "2025-12-01", "2026-02-28"),
        ("in spring 2025", "2025-03-01", "2025-05-31"),
        ("in the week of March 8", "2026-03-08", "2026-03-14"),
        ("the week of 2026-06-29", "2026-06-29", "2026-07-05"),
        ("from March through May", "2026-03-01", "2026-05-31"),
        ("from November to February", "2025-11-01", "2026-02-28"),
        ("between Aug 20 and Sep 10 2025", "2025-08-20", "2025-09-10"),
        ("from 20 December to 5 January 2026", "2025-12-20", "2026-01-05"),
        ("from 2026-02-03 to 2026-02-17", "2026-02-03", "2026-02-17"),
    ],
)
def test_time_phrases_become_a_period(phrase: str, since: str, until: str | None) -> None:
    period = parse(f"what did I ship {phrase}?", NOW)

    assert period.since is not None
    assert period.since.date().isoformat() == since
    assert (period.until.date().isoformat() if period.until else None) == until
    assert period.rest == "what did I ship?"


def test_a_question_without_a_time_phrase_has_no_period() -> None:
    assert parse("what did I do for the payments migration?", NOW).since is None


def test_answer_lists_matching_items_with_numbered_citations() -> None:
    answer = ask(INDEX, "what did I do for the payments migration?", now=NOW)

    assert [c["id"] for c in answer.citations] == ["jira:PAY-142", "github:acme/pay#88"]
    assert "[1]" in answer.answer
    assert "[2]" in answer.answer
    assert "2026-04-20" in answer.answer
    assert answer.mode == "offline"
    assert {"id", "title", "date", "url", "snippet"} <= answer.citations[0].keys()


def test_time_phrase_filters_the_evidence() -> None:
    answer = ask(INDEX, "which incidents did I lead in Q2?", now=NOW)

    assert [c["id"] for c in answer.citations] == ["jira:OPS-7"]
    assert answer.since == "2026-04-01T00:00:00+00:00"


def test_explicit_dates_win_over_the_phrase() -> None:
    answer = ask(
        INDEX,
        "which incidents did I lead in Q2?",
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2026, 3, 1, tzinfo=UTC),
        now=NOW,
    )

    assert [c["id"] for c in answer.citations] == ["jira:OPS-9"]


@pytest.mark.parametrize(
    "question",
    [
        "what did I do for the kubernetes upgrade?",
        "tell me about the offsite",
        "which incidents did I lead in 2021?",
    ],
)
def test_nothing_found_says_so_and_cites_nothing(question: str) -> None:
    answer = ask(INDEX, question, now=NOW)

    assert answer.answer.startswith("I found nothing in your evidence about")
    assert answer.citations == []


def test_how_many_answers_with_a_computed_count() -> None:
    answer = ask(INDEX, "how many incidents did I handle this year?", now=NOW)

    assert answer.answer.startswith("2 incidents you were assigned to or owned (this year)")
    assert {c["id"] for c in answer.citations} == {"jira:OPS-7", "jira:OPS-9"}


def test_llm_answer_keeps_only_citations_that_were_retrieved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        llm_ask,
        "answer",
        lambda chat, question, hits, metrics: (
            "You moved refunds to the new ledger [jira:PAY-142] and fixed billing [jira:FAKE-1].",
            ["jira:PAY-142", "jira:FAKE-1"],
        ),
    )

    answer = ask(INDEX, "what did I do for the payments migration?", chat=object(), now=NOW)

    assert answer.mode == "llm"
    assert [c["id"] for c in answer.citations] == ["jira:PAY-142"]


def test_llm_failure_answers_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm_ask, "answer", lambda *args: None)

    answer = ask(INDEX, "what did I do for the payments migration?", chat=object(), now=NOW)

    assert answer.mode == "offline"
    assert answer.citations


TEAM = InMemoryIndex(
    [
        item(
            "jira:PAY-1",
            "ticket",
            "Ledger schema",
            "2026-03-02",
            native={"status": "Done"},
            stats={"story_points": 5},
        ),
        item(
            "jira:PAY-2",
            "ticket",
            "Dual-write",
            "2026-04-02",
            native={"status": "Done"},
            stats={"story_points": 8},
        ),
        item(
            "jira:PAY-3",
            "ticket",
            "Backfill",
            "2026-05-02",
            native={"status": "In Progress"},
            stats={"story_points": 3},
        ),
        item(
            "jira:PAY-4",
            "ticket",
            "Rota",
            "2026-05-03",
            role="mentioned",
            native={"status": "Done"},
            stats={"story_points": 2},
        ),
        Evidence(
            id="email:a",
            source="email",
            kind="kudos",
            title="Thanks!",
            role="recipient",
            date="2026-03-01T10:00:00+00:00",
            author="Priya Raman",
        ),
        Evidence(
            id="email:b",
            source="email",
            kind="kudos",
            title="Great cutover",
            role="recipient",
            date="2026-04-01T10:00:00+00:00",
            author="Priya Raman",
        ),
        Evidence(
            id="email:c",
            source="email",
            kind="kudos",
            title="Thank you",
            role="recipient",
            date="2026-05-01T10:00:00+00:00",
            author="Jonas Weber",
        ),
        item(
            "notes:one#1",
            "one-on-one",
            "2026-04-09 1:1 with Priya",
            "2026-04-09",
            role="author",
            body="Cutover plan",
        ),
        item(
            "notes:one#2",
            "one-on-one",
            "2026-04-10 1:1 with Jonas",
            "2026-04-10",
            role="author",
            body="Pairing",
        ),
        item(
            "github:acme/pay#5",
            "pr",
            "Dual-write ledger entries",
            "2026-04-01",
            role="author",
            native={"state": "merged", "number": 5, "pr_number": 5, "repo": "acme/pay"},
            stats={"cycle_time_hours": 170.0},
        ),
        item(
            "github:acme/pay#6",
            "pr",
            "Backfill job",
            "2026-05-01",
            role="author",
            native={"state": "merged", "number": 6, "pr_number": 6, "repo": "acme/pay"},
            stats={"cycle_time_hours": 20.0},
        ),
    ]
)


def test_story_points_are_summed_over_the_tickets_the_user_resolved() -> None:
    result = ask(TEAM, "How many story points did I complete this year?", now=NOW)

    assert result.answer.startswith(
        "13 story points (this year), in the 2 tickets with points you resolved; 1 more"
    )
    assert {c["id"] for c in result.citations} == {"jira:PAY-1", "jira:PAY-2"}


def test_who_sent_the_most_kudos_ranks_the_senders_not_the_people_worked_with() -> None:
    head, first, second = ask(TEAM, "Who sent me the most kudos?", now=NOW).answer.splitlines()

    assert head.startswith("The people who sent you most kudos (3 messages from 2 people)")
    assert first == "- Priya Raman: 2 messages [1]"
    assert second == "- Jonas Weber: 1 message [2]"


def test_a_one_on_one_titled_with_a_first_name_is_found_by_that_person() -> None:
    result = ask(TEAM, "What did I write about in my 1:1s with Priya?", now=NOW)  # Priya Raman sent kudos

    assert [c["id"] for c in result.citations] == ["notes:one#1"]


def test_the_prs_that_took_longest_to_merge_are_ranked_by_their_cycle_time() -> None:
    head, first, second = ask(TEAM, "Which of my PRs took longest to merge?", now=NOW).answer.splitlines()

    assert head.startswith("Your PRs that took longest from opening to merge, of 2")
    assert first.endswith("“Dual-write ledger entries” by you: 7.1 days [1]")
    assert second.endswith("“Backfill job” by you: 20 hours [2]")


def test_bugs_are_the_tickets_typed_bug_and_never_all_tickets() -> None:
    typed = InMemoryIndex(
        [
            item(
                "jira:B-1", "ticket", "Rounding bug", "2026-03-02", native={"status": "Done", "type": "Bug"}
            ),
            item(
                "jira:B-2",
                "ticket",
                "Ledger schema",
                "2026-03-03",
                native={"status": "Done", "type": "Story"},
            ),
        ]
    )

    assert ask(typed, "How many bugs did I fix?", now=NOW).answer.startswith(
        "1 ticket you finished of type Bug"
    )
    untyped = ask(TEAM, "How many bugs did I fix?", now=NOW).answer
    assert untyped.startswith("Your tickets carry no type, so I can't count bugs apart from other tickets.")


def test_work_finished_is_the_users_own_and_done() -> None:
    """'Which stories did I finish?': not a story the user only reported, nor one still in progress."""
    stories = InMemoryIndex(
        [
            item(
                "jira:S-1",
                "ticket",
                "Ledger schema",
                "2026-03-02",
                native={"status": "Done", "type": "Story"},
            ),
            item(
                "jira:S-2",
                "ticket",
                "Refund webhook",
                "2026-03-03",
                role="reporter",
                native={"status": "Done", "type": "Story"},
            ),
            item(
                "jira:S-3",
                "ticket",
                "Partitioning",
                "2026-03-04",
                native={"status": "In Progress", "type": "Story"},
            ),
        ]
    )

    result = ask(stories, "Which stories did I finish?", now=NOW)
    assert result.answer.startswith("1 ticket you finished of type Story")
    assert [c["id"] for c in result.citations] == ["jira:S-1"]
    shipped = ask(stories, "What did I ship in March?", now=NOW)
    assert shipped.answer.startswith("1 piece of work you finished in March")
    assert [c["id"] for c in shipped.citations] == ["jira:S-1"]


def test_open_tickets_are_those_not_resolved_yet() -> None:
    result = ask(TEAM, "Which tickets are still open?", now=NOW)

    assert result.answer.startswith("1 ticket not resolved or merged yet")
    assert [c["id"] for c in result.citations] == ["jira:PAY-3"]


def test_a_duration_the_evidence_does_not_record_is_not_ranked_by_another() -> None:
    text = ask(INDEX, "What was the longest incident?", now=NOW).answer

    assert (
        text
        == "I can't rank your incidents by how long they took: your evidence records no duration for them."
    )


def test_work_with_someone_includes_the_prs_they_reviewed_by_their_account_name() -> None:
    reviewed = InMemoryIndex(
        [
            *TEAM.evidence,
            item(
                "github:acme/pay#7",
                "pr",
                "Refund retries",
                "2026-06-01",
                role="author",
                native={"state": "merged", "number": 7, "pr_number": 7, "repo": "acme/pay"},
                extra={"reviewers": ["jonasweber"]},
            ),
        ]
    )

    result = ask(reviewed, "What did Jonas and I work on together?", now=NOW)

    assert {c["id"] for c in result.citations} == {
        "notes:one#2",
        "github:acme/pay#7",
        "email:c",
    }  # his thanks


def test_what_the_user_filed_approved_and_what_others_did_are_counted_by_their_roles() -> None:
    """Each count answers its own question: tickets the user filed (their own too), PRs they approved (a
    review's verdict), the points a colleague resolved, kudos a colleague sent."""
    filed_mine = item(
        "jira:P-1",
        "ticket",
        "Schema",
        "2026-03-02",
        native={"status": "Done"},
        extra={"reporter": "Maya Chen"},
    )
    filed_for_sam = item(
        "jira:P-2",
        "ticket",
        "Lag gauge",
        "2026-03-03",
        role="reporter",
        native={"status": "Done"},
        stats={"story_points": 5},
        extra={"assignee": "Sam Ortiz", "reporter": "Maya Chen"},
    )
    given = item(
        "jira:P-3",
        "ticket",
        "Cutover",
        "2026-03-04",
        native={"status": "Done"},
        stats={"story_points": 8},
        extra={"assignee": "Maya Chen", "reporter": "Priya Raman"},
    )
    approved = item(
        "github:a/p#7", "pr", "Retries", "2026-03-05", role="reviewer", extra={"verdict": "approved"}
    )
    asked = item(
        "github:a/p#8",
        "pr",
        "Webhooks",
        "2026-03-06",
        role="reviewer",
        extra={"verdict": "changes_requested"},
    )
    thanks = item("email:1", "kudos", "Thanks for the cutover", "2026-03-07", role="recipient")
    thanks.author = "Priya Raman"
    # the names the user goes by come from what they authored
    own = item("github:a/p#6", "pr", "Ledger cutover", "2026-03-04", role="author")
    index = InMemoryIndex([filed_mine, filed_for_sam, given, approved, asked, thanks, own])

    def first(question: str) -> str:
        return ask(index, question, now=NOW).answer.splitlines()[0]

    assert first("How many tickets did I create?").startswith("2 tickets you filed")
    assert first("How many PRs did I approve?").startswith("1 PR you reviewed")
    assert first("How many story points did Sam complete?").startswith(
        "5 story points, in the 1 ticket with points Sam Ortiz resolved"
    )
    assert first("How many kudos did Priya send?").startswith("1 kudos message you received with Priya Raman")
    assert first("How many tickets did Priya assign to me?").startswith("1 ticket")


def test_prs_closed_without_merging_are_those_a_code_host_says_were_closed_unmerged() -> None:
    closed = item("github:a/p#5", "pr", "Try HTTP/2", "2026-06-10", role="author", native={"state": "closed"})
    landed = item(
        "github:a/p#6", "pr", "Cache config", "2026-06-11", role="author", native={"state": "merged"}
    )

    result = ask(InMemoryIndex([closed, landed]), "Which PRs did I close without merging?", now=NOW)

    assert result.answer.startswith("1 PR closed without merging")
    assert [c["id"] for c in result.citations] == ["github:a/p#5"]


def test_the_average_time_to_merge_is_over_the_users_prs_that_record_it() -> None:
    text = ask(TEAM, "What was the average time from opening to merge for my PRs?", now=NOW).answer

    assert text.startswith("95.0 hours from opening to merge on average (median 95.0), over 2 of your PRs")


def test_time_spent_is_never_counted() -> None:
    text = ask(TEAM, "How much time per week did I spend doing code reviews?", now=NOW).answer

    assert text.startswith("I can't count the time you spent")


def test_a_relative_period_counts_back_from_a_past_years_history_but_not_a_live_one() -> None:
    live = parse(
        "how many commits this week?", datetime(2026, 12, 2, tzinfo=UTC), datetime(2026, 11, 27, tzinfo=UTC)
    )
    old = parse(
        "how many commits this year?", datetime(2026, 12, 2, tzinfo=UTC), datetime(2021, 11, 27, tzinfo=UTC)
    )

    assert live.phrase == "this week"  # an empty week is still this week
    assert old.phrase == "this year: 2021-01-01 to 2021-11-27"
