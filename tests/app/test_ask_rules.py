"""Questions about fields are answered from the fields: one test per kind of question, over a small git-like year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.ask import ask
from app.ask_search import names_all
from app.fakes import InMemoryIndex
from app.questions import parse
from ingest.evidence import Evidence

NOW = datetime(2026, 8, 20, tzinfo=UTC)
ME = "Ada Lovelace"


def commit(
    sha: str,
    title: str,
    date: str,
    files: list[str],
    author: str = ME,
    co: list[str] | None = None,
    pr: int | None = None,
    lines: tuple[int, int] = (10, 2),
) -> Evidence:
    role = "author" if author == ME else "co-author"
    extra: dict[str, object] = {"files": files}
    if co:
        extra["co_authors"] = co
    native: dict[str, object] = {"repo": "acme/http", "sha": sha * 8}
    if pr:
        native["pr_number"] = pr
    return Evidence(
        id=f"git:acme/http@{sha * 4}",
        source="git",
        kind="commit",
        title=title,
        role=role,
        date=f"{date}T10:00:00+00:00",
        author=author,
        native=native,
        extra=extra,
        stats={"insertions": lines[0], "deletions": lines[1], "files_changed": len(files)},
    )


INDEX = InMemoryIndex(
    [
        commit(
            "a",
            "Transport API (#963)",
            "2020-05-21",
            ["httpx/_transports.py", "docs/api.md"],
            author="Yeray Diaz",
            co=[ME],
            pr=963,
            lines=(300, 120),
        ),
        commit(
            "b",
            "Drop chardet (#1269)",
            "2020-09-15",
            ["setup.py", "httpx/_models.py"],
            author="Tom Christie",
            co=[ME, ME],
            pr=1269,
        ),
        commit(
            "c", "Release 0.15.3 (#1318)", "2020-09-24", ["CHANGELOG.md", "httpx/__version__.py"], pr=1318
        ),
        commit(
            "d",
            "Rename PoolLimits to Limits (#1113)",
            "2020-08-01",
            ["httpx/_config.py", "docs/advanced.md"],
            co=["Tom Christie"],
            pr=1113,
            lines=(80, 38),
        ),
        commit(
            "e",
            "Tweak advanced timeouts docs (#1420)",
            "2020-12-08",
            ["docs/advanced.md"],
            pr=1420,
            lines=(5, 5),
        ),
        commit(
            "f",
            "Add troubleshooting guide (#1435)",
            "2020-12-29",
            ["docs/troubleshooting.md", "mkdocs.yml"],
            pr=1435,
            lines=(120, 0),
        ),
    ]
)


def answer(question: str) -> str:
    return ask(INDEX, question, now=NOW).answer


def test_a_count_by_file_counts_the_commits_that_touched_it() -> None:
    result = ask(INDEX, "How many commits touched docs/advanced.md?", now=NOW)

    assert result.answer.startswith("2 commits you authored or co-authored touching docs/advanced.md")
    assert {c["id"] for c in result.citations} == {"git:acme/http@dddd", "git:acme/http@eeee"}


def test_a_file_no_item_touched_is_counted_as_none_and_similar_names_are_shown() -> None:
    text = answer("How many commits touched CHANGES.rst?")

    assert text.startswith("0 commits: no item in your evidence touched a file named CHANGES.rst.")
    assert "CHANGELOG.md" in text
    assert "6" not in text  # never the count of all commits


def test_a_folder_counts_every_file_under_it() -> None:
    assert answer("How many commits touched the docs folder?").startswith("4 commits")
    assert answer("How many commits touched httpx/_transports?").startswith(
        "0 commits"
    )  # a file's stem is no folder
    assert answer("How many commits touched acme/docs?").startswith("0 commits")


def test_a_path_without_a_trailing_slash_is_a_folder_when_files_lie_under_it() -> None:
    nested = InMemoryIndex(
        [
            commit(
                "a", "Fix indentation cop", "2020-05-01", ["lib/cop/layout/indent.rb", "spec/layout_spec.rb"]
            ),
            commit("b", "Fix line length cop", "2020-05-02", ["lib/cop/layout/line_length.rb"]),
            commit("c", "Fix naming cop", "2020-05-03", ["lib/cop/naming/name.rb"]),
        ]
    )

    assert ask(nested, "How many commits touched lib/cop/layout?", now=NOW).answer.startswith("2 commits")


def test_a_count_by_period_uses_the_newest_evidence_for_a_bare_month() -> None:
    result = ask(INDEX, "How many commits did I author in December?", now=NOW)

    assert result.answer.startswith("2 commits you authored (in December)")
    assert result.since == "2020-12-01T00:00:00+00:00"


def test_a_count_by_role_splits_nothing_it_was_not_asked_to() -> None:
    assert answer("How many commits did I co-author?").startswith("2 commits you co-authored")
    assert "(4 authored, 2 co-authored)" in answer("How many commits did I make?")


def test_lines_are_summed_from_the_users_own_changes() -> None:
    assert answer("How many lines did I add in Q3?").startswith(
        "90 lines added and 40 removed (in Q3), in the 2 changes you authored"
    )


def test_lines_removed_come_first_when_the_question_asks_for_them() -> None:
    assert answer("How many lines did I delete in Q3?").startswith("40 lines removed and 90 added (in Q3)")


def test_how_many_times_a_file_was_edited_counts_the_changes_to_it() -> None:
    text = answer("How many times did I edit docs/advanced.md?")

    assert text.startswith("2 commits you authored or co-authored touching docs/advanced.md")


def test_a_half_year_named_in_words_is_a_period_not_a_topic() -> None:
    text = answer("How many commits did I author in the second half of 2020?")

    assert text.startswith("4 commits you authored (in the second half of 2020)")


def test_the_files_changed_most_are_ranked_by_the_changes_that_touched_them() -> None:
    head, first, *_ = answer("Which file did I change most often?").splitlines()

    assert head.startswith("The files in most of the commits you authored or co-authored (6 commits in all)")
    assert first == "- docs/advanced.md: 2 commits [1]"


def test_the_month_with_most_commits_is_named_with_its_count_and_the_runners_up() -> None:
    result = ask(INDEX, "In which month did I author the most commits?", now=NOW)

    assert result.answer.startswith("December 2020 had the most commits you authored: 2, of 4 (then ")
    assert {c["id"] for c in result.citations} == {"git:acme/http@eeee", "git:acme/http@ffff"}


def test_people_counted_with_a_role_are_the_people_in_that_work_never_a_count_of_prs() -> None:
    text = answer("How many different people did I co-author PRs with?")

    assert text.startswith("2 people took part in the work you co-authored, bots not counted")
    assert "Tom Christie" in text
    assert "Yeray Diaz" in text


def test_who_reviewed_my_prs_says_a_git_history_records_no_reviewers() -> None:
    result = ask(INDEX, "Who reviewed my pull requests?", now=NOW)

    assert result.answer.startswith("Your evidence does not record who reviewed your PRs")
    assert result.citations == []


def test_who_reviewed_my_prs_ranks_the_reviewers_pr_records_name() -> None:
    def pr(number: int, reviewers: list[str], author: str = ME) -> Evidence:
        return Evidence(
            id=f"github:acme/http#{number}",
            source="github",
            kind="pr",
            title=f"Change {number}",
            role="author" if author == ME else "reviewer",
            date=f"2020-0{number % 9 + 1}-01T10:00:00+00:00",
            author=author,
            native={"repo": "acme/http", "number": number, "pr_number": number, "state": "merged"},
            extra={"reviewers": reviewers},
        )

    index = InMemoryIndex(
        [pr(1, ["tomchristie", "yeray"]), pr(2, ["tomchristie"]), pr(3, [ME], "Tom Christie")]
    )
    head, first, second = ask(index, "Who reviewed my PRs?", now=NOW).answer.splitlines()

    assert head.startswith("2 people reviewed your PRs (2 of your 2 PRs name their reviewers)")
    assert first == "- tomchristie: 2 PRs of yours [1]"
    assert second == "- yeray: 1 PR of yours (#1) [2]"


def test_a_list_by_person_names_who_wrote_each_pr() -> None:
    text = answer("Which PRs did Tom Christie co-author with me?")

    assert text.startswith("2 PRs you co-authored with Tom Christie")
    assert "#1269 “Drop chardet” by Tom Christie, co-authored by you" in text
    assert "#1113 “Rename PoolLimits to Limits” by you, co-authored by Tom Christie" in text


def test_a_first_name_alone_finds_the_one_person_who_has_it() -> None:
    assert parse("what did Tom and I ship?", INDEX.all_evidence()).people == ["Tom Christie"]


def test_when_was_it_merged_answers_with_the_date() -> None:
    result = ask(INDEX, "When was the Transport API merged?", now=NOW)

    assert result.answer.startswith("#963 “Transport API” was merged on 2020-05-21.")
    assert result.citations[0]["id"] == "git:acme/http@aaaa"


def test_which_pr_and_who_wrote_it() -> None:
    text = answer("Which PR dropped chardet and who wrote it?")

    assert text.startswith("#1269 “Drop chardet” was written by Tom Christie, co-authored by you")


def test_a_pr_number_is_looked_up() -> None:
    assert answer("What was PR #1435 about?").startswith(
        "#1435 “Add troubleshooting guide” was merged on 2020-12-29"
    )
    assert answer("What was PR #77?") == "PR #77 is not in your evidence."


@pytest.mark.parametrize("question", ["How many reviews did I do?", "How many users does httpx have?"])
def test_what_cannot_be_counted_is_said_and_no_count_is_given(question: str) -> None:
    result = ask(INDEX, question, now=NOW)

    assert "can't count" in result.answer.splitlines()[0]
    assert not result.answer[:1].isdigit()


def test_a_question_about_nothing_in_the_evidence_says_so() -> None:
    result = ask(INDEX, "Which PR added websocket support?", now=NOW)

    assert result.answer.startswith("I found nothing in your evidence about websocket support")
    assert result.citations == []


@pytest.fixture(scope="module")
def understood(minilm) -> InMemoryIndex:  # type: ignore[no-untyped-def]
    return InMemoryIndex(INDEX.evidence, embedder=minilm)


def test_a_question_about_a_kind_of_work_lists_the_periods_units_of_that_kind(
    understood: InMemoryIndex,
) -> None:
    result = ask(understood, "What docs did I write in December?", now=NOW)

    head, *lines = result.answer.splitlines()
    assert head.startswith("2 pieces of documentation")
    assert "(in December)" in head
    assert ["#1420" in lines[0], "#1435" in lines[1]] == [True, True]
    assert len(result.citations) == 2


def test_a_kind_of_work_in_another_role_lists_only_work_in_that_role(understood: InMemoryIndex) -> None:
    result = ask(understood, "Which documentation changes did I co-author?", now=NOW)

    assert "co-authored" in result.answer.splitlines()[0]
    assert "#963" in result.answer
    assert "#1420" not in result.answer
    assert "#1435" not in result.answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What tech debt did I pay down?", "dependencies and maintenance work"),
        ("What onboarding did I do?", "mentoring and onboarding work"),
    ],
)
def test_what_people_call_a_kind_of_work_asks_for_that_kind(
    understood: InMemoryIndex, question: str, kind: str
) -> None:
    head = ask(understood, question, now=NOW).answer.splitlines()[0]

    assert kind in head


def test_a_topic_that_is_not_a_kind_of_work_is_searched_by_meaning(understood: InMemoryIndex) -> None:
    result = ask(understood, "What did I do about the troubleshooting guide?", now=NOW)

    assert result.answer.startswith("Here is what your evidence shows about troubleshooting guide")
    assert "#1435" in result.answer


def test_a_question_with_only_a_period_lists_the_work_of_that_period() -> None:
    result = ask(INDEX, "What did I work on in December?", now=NOW)

    head, *lines = result.answer.splitlines()
    assert head.startswith("2 pieces of work in December")
    assert ["#1420" in lines[0], "#1435" in lines[1]] == [True, True]


def test_who_i_worked_with_most_ranks_people_and_never_bots() -> None:
    with_bot = commit("g", "Bump deps (#1500)", "2020-12-30", ["setup.py"], co=["dependabot[bot]"], pr=1500)
    result = ask(InMemoryIndex([*INDEX.evidence, with_bot]), "Who did I work with most?", now=NOW)

    lines = result.answer.splitlines()
    assert lines[1].startswith("- Tom Christie: 2 pieces of work together")
    assert "bot" not in result.answer.replace("bots not counted", "")


def test_my_biggest_pr_is_my_own_largest_change() -> None:
    result = ask(INDEX, "What was my biggest PR?", now=NOW)

    first = result.answer.splitlines()[1]
    assert "#1435" in first
    assert first.endswith("+120/−0 lines [1]")
    assert "#963" not in result.answer  # the user only co-authored it


def test_reviewing_and_mentoring_are_found_in_the_others_work_the_user_shaped(minilm) -> None:  # type: ignore[no-untyped-def]
    first = commit(
        "g", "Enable NO_PROXY support (#835)", "2020-03-02", ["httpx/_utils.py"], "Evan Lurvey", [ME], 835
    )
    first.stats["author_prior_changes"] = 0  # Evan's first change to the project
    index = InMemoryIndex([*INDEX.evidence, first], embedder=minilm)

    reviews = ask(index, "Which code reviews did I do?", now=NOW).answer
    mentoring = ask(index, "What mentoring did I do?", now=NOW).answer

    assert reviews.startswith("3 pieces of reviewing others' work you did")  # never "... work work"
    assert ["#963" in reviews, "#1269" in reviews, "#835" in reviews] == [True, True, True]
    assert mentoring.startswith("1 piece of mentoring")
    assert "#835" in mentoring
    assert "#963" not in mentoring  # Yeray Diaz's change: no sign it was a first


def test_a_version_number_in_the_question_must_be_in_the_answer() -> None:
    assert answer("When did I release 0.15.3?").startswith("#1318 “Release 0.15.3” was merged on 2020-09-24.")
    assert answer("When did I release 0.16.0?").startswith("I found nothing in your evidence about 0.16.0")


def test_a_dotted_code_name_is_a_topic_and_a_file_name_is_a_path() -> None:
    evidence = INDEX.all_evidence()

    called = parse("Which PR made Headers.keys() return set-like views?", evidence)
    assert called.paths == []
    assert "Headers.keys" in called.topic
    assert parse("When did I add the Client.auth setter?", evidence).paths == []
    assert parse("How many commits touched CHANGES.rst?", evidence).paths == ["CHANGES.rst"]
    assert parse("Which commits touched __version__.py?", evidence).paths == ["__version__.py"]
    assert parse("When did I add Style/EndlessMethod?", evidence).paths == []
    assert parse("How many commits touched docs/Guides?", evidence).paths == ["docs/Guides"]
    assert parse("How many commits touched httpx/?", evidence).paths == ["httpx/"]


def test_whose_work_i_co_authored_most_ranks_the_authors_of_that_work_only() -> None:
    text = answer("Whose PRs did I co-author most?")

    head, *lines = text.splitlines()
    assert head.startswith("The people in most of the work you co-authored, bots not counted (2 pieces")
    assert sorted(line.split(":")[0] for line in lines) == ["- Tom Christie", "- Yeray Diaz"]
    assert answer("Whose changes did I review most?") == "Your evidence has no work you reviewed."


def test_when_a_namespaced_code_name_was_added_is_answered_with_its_date() -> None:
    cop = commit(
        "h",
        "Add new cop `Style/EndlessMethod`",
        "2020-12-22",
        ["lib/rubocop/cop/style/endless_method.rb", "config/default.yml"],
    )
    result = ask(InMemoryIndex([*INDEX.evidence, cop]), "When did I add Style/EndlessMethod?", now=NOW)

    assert result.answer.startswith("hhhhhhh “Add new cop `Style/EndlessMethod`” was done on 2020-12-22.")


def test_a_handle_names_the_person_whose_pull_requests_were_merged_from_it() -> None:
    def merged(sha: str, number: int, branch: str, name: str) -> Evidence:
        return Evidence(
            id=f"git:acme/http@{sha * 4}",
            source="git",
            kind="pr",
            title=f"Merge pull request #{number} from {branch}",
            role="merger",
            date="2020-10-02T10:00:00+00:00",
            author=ME,
            native={"repo": "acme/http", "sha": sha * 8, "pr_number": number},
            extra={"files": ["httpx/_api.py"], "pr_commit_authors": [name]},
        )

    index = InMemoryIndex(
        [
            *INDEX.evidence,
            merged("m", 1401, "koic/fix-headers", "Koichi Ito"),
            merged("n", 1402, "koic/fix-cookies", "Koichi Ito"),
            merged("o", 1403, "tb/docs", "Tejas B"),
        ]
    )

    assert parse("How many PRs by koic did I merge?", index.all_evidence()).people == ["Koichi Ito"]
    assert ask(index, "How many PRs by @koic did I merge?", now=NOW).answer.startswith(
        "2 PRs you merged with Koichi Ito"
    )


def _ticket(
    key: str, title: str, kind: str, priority: str, role: str = "assignee", when: str = "2026-06-03"
) -> Evidence:
    return Evidence(
        id=f"jira:{key}",
        source="jira",
        kind=kind,
        title=title,
        role=role,
        date=f"{when}T12:00:00+00:00",
        author=ME,
        native={"key": key, "priority": priority, "status": "Closed"},
    )


TICKETS = InMemoryIndex(
    [
        _ticket("INC-231", "Settlement consumer lag", "incident", "Highest"),
        _ticket("INC-240", "Webhook retries stalled", "incident", "High", when="2026-07-01"),
        _ticket("INC-252", "Bank SFTP outage", "incident", "Highest", role="reporter", when="2026-09-30"),
        _ticket("PAY-152", "Postmortem and follow-ups for INC-231", "ticket", "High", when="2026-06-09"),
    ]
)


def test_a_ticket_key_is_looked_up_with_the_items_that_name_it() -> None:
    result = ask(TICKETS, "When was INC-231?", now=NOW)

    assert result.answer.startswith(
        "INC-231 “Settlement consumer lag” (incident, Highest, Closed, assigned to you) is dated 2026-06-03. "
        "1 more item names it."
    )
    assert [c["id"] for c in result.citations] == ["jira:INC-231", "jira:PAY-152"]
    assert parse("When was INC-999?", TICKETS.all_evidence()).key is None  # not in the evidence: a topic


def test_a_priority_the_evidence_uses_is_a_field() -> None:
    text = ask(TICKETS, "Which incidents were Highest priority?", now=NOW).answer

    assert text.startswith("2 incidents with priority Highest")
    assert "INC-240" not in text
    assert parse("What was the highest impact work?", TICKETS.all_evidence()).priority is None


def test_assigned_is_a_role_and_kudos_i_got_are_the_ones_i_received() -> None:
    assert ask(TICKETS, "How many incidents was I assigned?", now=NOW).answer.startswith(
        "2 incidents you were assigned, counted"
    )
    thanks = [
        Evidence(
            id=f"email:{n}",
            source="email",
            kind="kudos",
            title=title,
            role=role,
            date="2026-06-05T12:00:00+00:00",
            author="Priya Raman",
        )
        for n, (title, role) in enumerate(
            [("Thank you for leading INC-231", "recipient"), ("Shout-outs for the team", "mentioned")]
        )
    ]
    index = InMemoryIndex([*TICKETS.evidence, *thanks])
    assert ask(index, "How many kudos did I get?", now=NOW).answer.startswith(
        "1 kudos message you received; 1 more name you in another role"
    )
    assert ask(index, "What did Priya Raman thank me for?", now=NOW).answer.startswith(
        "2 kudos messages with Priya Raman"
    )


def test_a_period_summary_lists_the_users_own_work_before_the_work_they_shaped() -> None:
    shaped = commit(
        "p",
        "Docs for proxies (#1401)",
        "2020-12-01",
        ["docs/proxies.md"],
        author="Tom Christie",
        co=[ME],
        pr=1401,
    )
    result = ask(InMemoryIndex([*INDEX.evidence, shaped]), "What did I work on in December?", now=NOW)

    head, *lines = result.answer.splitlines()
    assert head.startswith("3 pieces of work in December (2 your own, 1 shaping others' work)")
    assert ["#1420" in lines[0], "#1435" in lines[1], "#1401" in lines[2]] == [True, True, True]


def test_people_are_counted_as_people_once_whatever_name_they_go_by() -> None:
    login = Evidence(
        id="github:acme/http#1500",
        source="github",
        kind="pr",
        title="Cookie jar fixes",
        role="reviewer",
        date="2020-11-02T10:00:00+00:00",
        author="tomchristie",
        native={"repo": "acme/http", "number": 1500},
    )
    thanks = [
        Evidence(
            id=f"email:{n}",
            source="email",
            kind="kudos",
            title="Thanks!",
            role="recipient",
            date="2020-11-05T10:00:00+00:00",
            author=who,
        )
        for n, who in enumerate(["Tom Christie", "Yeray Diaz", "Tom Christie"])
    ]
    index = InMemoryIndex([*INDEX.evidence, login, *thanks])

    worked = answer_in(index, "How many people did I work with?")
    assert worked.startswith("2 people took part in your work, bots not counted")
    assert worked.endswith(": Tom Christie [1], Yeray Diaz [2].")  # each person once, each with a citation
    assert answer_in(index, "How many people thanked me?").startswith("2 people sent you kudos (3 messages)")
    assert "can't count" in answer_in(index, "How many people did I mentor?")


def test_a_release_is_counted_once_and_one_on_ones_are_a_kind() -> None:
    record = Evidence(
        id="github:acme/http#1318",
        source="github",
        kind="pr",
        title="Release 0.15.3",
        role="author",
        date="2020-09-24T10:00:00+00:00",
        author=ME,
        native={"repo": "acme/http", "number": 1318},
    )
    one_on_one = Evidence(
        id="notes:1on1.md@0#2020-10-01",
        source="notes",
        kind="one-on-one",
        title="2020-10-01",
        role="author",
        date="2020-10-01T10:00:00+00:00",
        body="Talked about the 1.0 plan.",
    )
    index = InMemoryIndex([*INDEX.evidence, record, one_on_one])

    assert answer_in(index, "How many releases did I do?").startswith("1 release you authored")
    assert answer_in(index, "How many 1:1s did I have?").startswith("1 one-on-one, counted")


def answer_in(index: InMemoryIndex, question: str) -> str:
    return ask(index, question, now=NOW).answer


def test_a_pr_merged_in_git_is_by_its_branch_author_and_found_by_the_role_of_whoever_asks() -> None:
    record = Evidence(
        id="github:acme/http#402",
        source="github",
        kind="pr",
        title="Ledger: dual-write entries",
        role="reviewer",
        date="2020-10-02T10:00:00+00:00",
        author="Lena Park",
        native={"repo": "acme/http", "number": 402, "pr_number": 402},
    )
    merge = Evidence(
        id="git:acme/http@abcd",
        source="git",
        kind="pr",
        title="Merge pull request #402 from lena/dual-write",
        role="merger",
        date="2020-10-02T10:00:00+00:00",
        author=ME,
        native={"repo": "acme/http", "pr_number": 402},
        extra={"pr_commit_authors": ["Lena Park"]},
    )
    index = InMemoryIndex([*INDEX.evidence, record, merge])

    merged = answer_in(index, "Which PRs did I merge?")
    assert merged.startswith("1 PR you merged")
    assert "#402" in merged
    assert "by Lena Park" in merged  # never "by you": the user merged it
    assert "#402 “Ledger: dual-write entries” by Lena Park" in answer_in(index, "Which PRs did I review?")


def test_which_prs_did_i_open_is_authoring_not_prs_still_open() -> None:
    assert parse("Which PRs did I open in May?", INDEX.all_evidence()).unfinished is False
    assert parse("Which PRs are still open?", INDEX.all_evidence()).unfinished is True


def test_the_first_or_last_item_is_the_earliest_or_latest_of_the_users_by_date() -> None:
    first = ask(INDEX, "What was my first commit of 2020?", now=NOW)
    last = ask(INDEX, "When did I last change docs/advanced.md?", now=NOW)

    assert first.answer.startswith("Your first commit (of 2020) is #963 “Transport API”, dated 2020-05-21")
    assert [c["id"] for c in first.citations] == ["git:acme/http@aaaa"]
    assert last.answer.startswith(
        "Your last commit touching docs/advanced.md is #1420 “Tweak advanced timeouts docs”, dated 2020-12-08"
    )
    assert [c["id"] for c in last.citations] == ["git:acme/http@eeee"]


def test_days_of_the_week_are_a_field_not_a_topic() -> None:
    result = ask(INDEX, "How many commits did I make on weekends?", now=NOW)

    assert result.answer.startswith(
        "1 commit you authored or co-authored on weekends"
    )  # 1 August, a Saturday
    assert [c["id"] for c in result.citations] == ["git:acme/http@dddd"]
    tuesdays = answer("How many commits did I make on Tuesdays?")
    assert tuesdays.startswith(
        "3 commits you authored or co-authored on tuesdays (2 authored, 1 co-authored)"
    )


def test_did_i_ever_touch_a_file_counts_the_changes_to_it() -> None:
    assert answer("Did I ever touch setup.py?").startswith(
        "1 commit you authored or co-authored touching setup.py"
    )


def test_the_changes_that_touched_the_most_files_are_ranked_by_their_files() -> None:
    head, first, *_ = answer("Which of my commits touched the most files?").splitlines()

    assert head.startswith("The commits you authored or co-authored that touched the most files, of 6")
    assert first.endswith(": 2 files [1]")


def test_who_the_user_mentored_are_the_authors_of_the_first_changes_they_shaped(minilm) -> None:  # type: ignore[no-untyped-def]
    first = commit(
        "g", "Enable NO_PROXY support (#835)", "2020-03-02", ["httpx/_utils.py"], "Evan Lurvey", [ME], 835
    )
    first.stats["author_prior_changes"] = 0  # Evan's first change to the project
    index = InMemoryIndex([*INDEX.evidence, first], embedder=minilm)

    result = ask(index, "Who did I mentor?", now=NOW)

    head, *lines = result.answer.splitlines()
    assert head.startswith("The people in your mentoring and onboarding work, bots not counted (1 piece")
    assert lines[0] == "- Evan Lurvey: 1 piece of work (#835) [1]"
    assert "Yeray Diaz" not in result.answer  # a co-author, not someone the user mentored


def test_a_persons_account_and_possessive_name_them() -> None:
    """'Aisha Okafor's PRs': the person, not a topic "s"; a PR record's author "aishaokafor" is her account."""
    reviewed = Evidence(
        id="github:acme/fraud#57",
        source="github",
        kind="pr",
        title="Scoring API: batch endpoint",
        role="reviewer",
        date="2020-08-28T10:00:00+00:00",
        author="aishaokafor",
        native={"pr_number": 57},
    )
    thanks = Evidence(
        id="email:1",
        source="email",
        kind="kudos",
        title="Thanks for the reviews",
        role="recipient",
        date="2020-09-01T10:00:00+00:00",
        author="Aisha Okafor",
    )
    index = InMemoryIndex([*INDEX.evidence, reviewed, thanks])

    result = ask(index, "How many of Aisha Okafor's PRs did I review?", now=NOW)

    assert result.answer.startswith("1 PR you reviewed authored by Aisha Okafor, counted")
    assert [c["id"] for c in result.citations] == ["github:acme/fraud#57"]


def test_what_another_person_did_is_their_role_not_every_item_they_are_on() -> None:
    wrote = ask(INDEX, "How many PRs did Tom Christie write?", now=NOW)
    merged = ask(INDEX, "How many PRs did Tom Christie merge?", now=NOW).answer

    assert wrote.answer.startswith("1 PR authored by Tom Christie")
    assert [c["id"] for c in wrote.citations] == ["git:acme/http@bbbb"]  # not #1113, which he co-authored
    assert merged.startswith(
        "I can't count the PRs Tom Christie merged: your evidence records who merged a PR only when it was you."
    )
    assert "the 2 PRs you worked on with Tom Christie" in merged
    assert parse("Which PRs did Tom Christie co-author with me?", INDEX.all_evidence()).their_role is None


def test_a_state_a_git_history_cannot_show_is_said_and_how_many_times_counts_the_kind() -> None:
    unmerged = answer("How many PRs did I close without merging?")

    assert unmerged.startswith("I can't count the PRs closed without merging")
    assert answer("How many times did I release?").startswith("1 release you authored or co-authored")


def test_who_merged_my_prs_is_what_the_records_say_and_never_a_guess() -> None:
    assert answer("Who merged my PRs?").startswith("Your evidence does not record who merged your PRs")
    own_merge = Evidence(
        id="git:acme/http@merge1435",
        source="git",
        kind="pr",
        title="Merge pull request #1435 from ada/troubleshooting",
        role="merger",
        date="2020-12-29T11:00:00+00:00",
        author=ME,
        native={"repo": "acme/http", "pr_number": 1435},
        extra={"pr_commit_authors": [ME]},
    )
    text = ask(InMemoryIndex([*INDEX.evidence, own_merge]), "Who merged my PRs?", now=NOW).answer

    assert text.startswith("Who merged your PRs (1 of your 6 PRs say who merged them")
    assert "- You: 1 PR of yours (#1435) [1]" in text


def test_a_count_of_a_kind_of_work_counts_that_kind_not_the_word(understood: InMemoryIndex) -> None:
    text = ask(understood, "How many docs commits did I author?", now=NOW).answer

    assert text.startswith("3 commits you authored of documentation and knowledge sharing work")
    assert ["#1113" in text, "#1420" in text, "#1435" in text] == [True, True, True]


def test_a_name_the_question_spells_is_never_answered_by_an_item_without_it() -> None:
    proxies = InMemoryIndex(
        [commit("p", "Cleaner no proxy support (#1103)", "2020-08-02", ["httpx/_config.py"], pr=1103)]
    )

    item = proxies.all_evidence()[0]

    # however close in meaning: an item that does not say "SOCKS" is not about SOCKS proxy support
    assert not names_all("SOCKS proxy support", item)
    assert not names_all("WebSocket support", item)
    assert names_all("no proxy support", item)
    assert ask(proxies, "When did I add SOCKS proxy support?", now=NOW).answer.startswith("I found nothing")
    assert ask(proxies, "When did I add no proxy support?", now=NOW).answer.startswith("#1103")


def test_reviews_a_git_history_does_not_record_are_said_to_be_uncountable() -> None:
    text = answer("How many pull requests did I review in 2020?")

    assert text.startswith("I can't count the PRs you reviewed: your evidence has no review records")
    assert "#963" in text  # the closest: changes the user co-authored, review suggestions applied


def test_an_acronym_with_a_slash_or_a_domain_is_a_topic_not_a_path() -> None:
    evidence = INDEX.all_evidence()

    assert parse("When did HTTP/2 become an optional install?", evidence).paths == []
    assert parse("When did I move the docs to www.python-httpx.org?", evidence).paths == []
    assert parse("How many commits touched CHANGES.rst?", evidence).paths == ["CHANGES.rst"]


def test_an_aside_in_brackets_and_both_roles_named_do_not_narrow_the_count() -> None:
    assert answer("How many commits did I co-author (ones someone else wrote)?").startswith(
        "2 commits you co-authored"
    )
    assert answer(
        "Counting co-authored commits as well as my own, how many commits touched docs/advanced.md?"
    ).startswith("2 commits you authored or co-authored touching docs/advanced.md")
    assert answer("How many commits that I authored changed something under docs/?").startswith(
        "3 commits you authored touching docs/"
    )


def test_a_period_with_none_of_the_users_work_is_said_to_have_nothing() -> None:
    assert answer("What did I do in June 2020?").startswith("I found nothing of yours (in June 2020)")
