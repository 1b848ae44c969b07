"""The humility linter finds hedges, weak verbs, passive voice, a solo 'we' and figures left out."""

from __future__ import annotations

import pytest

from app.lint import apply, fix, lint
from ingest.evidence import Evidence


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Helped migrate the refund service", "Helped migrate"),
        ("Assisted with the billing launch", "Assisted with"),
        ("Was involved in the payments migration", "Was involved in"),
        ("Tried to reduce flaky tests", "Tried to"),
        ("Just shipped the new checkout", "Just "),
        ("I think the cache cut latency", "I think "),
        ("Made the build sort of faster", "sort of"),
        ("Made the build a bit faster", "a bit"),
        ("Made the build somewhat faster", "somewhat "),
        ("Participated in the incident review", "Participated in"),
    ],
)
def test_each_hedge_is_found_with_its_span(text: str, found: str) -> None:
    findings = [f for f in lint(text) if f.rule == "hedge"]

    assert len(findings) == 1
    start, end = findings[0].span
    assert text[start:end] == found == findings[0].text
    assert findings[0].suggestion


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Helped migrate the refund service", "Migrated the refund service"),
        ("Assisted with the billing launch", "Contributed to the billing launch"),
        ("Was involved in the payments migration", "Contributed to the payments migration"),
        ("Tried to reduce flaky tests", "Worked to reduce flaky tests"),
        ("Just shipped the new checkout", "Shipped the new checkout"),
        ("I think the cache cut latency", "The cache cut latency"),
        ("Made the build sort of faster", "Made the build faster"),
        ("Made the build somewhat faster, I think", "Made the build faster"),
        ("I was lucky enough to work on the refunds API", "I worked on the refunds API"),
        ("I had the chance to lead the cutover", "I led the cutover"),
        ("I might have renamed the config class", "I renamed the config class"),
        ("I had a small part in the ledger migration", "I contributed to the ledger migration"),
        ("I did a little bit of work on the proxies docs", "I worked on the proxies docs"),
        ("I did my best to reduce flaky tests", "I worked to reduce flaky tests"),
        ("I did what I could to reduce flaky tests", "I worked to reduce flaky tests"),
        ("I pitched in on the billing launch", "I contributed to the billing launch"),
        ("I lent a hand with the billing launch", "I contributed to the billing launch"),
        ("I gave Sam a hand with the billing launch", "I supported Sam with the billing launch"),
        (
            "I played a part in the cutover and in making the flag default",
            "I contributed to the cutover and to making the flag default",
        ),
        ("I had some involvement in the cutover", "I contributed to the cutover"),
        ("I made a start on the refunds API", "I worked on the refunds API"),
        ("I had a go at the refunds API", "I worked on the refunds API"),
        ("All I really did was drop the old backend", "I dropped the old backend"),
        ("Mostly I just fixed the flaky tests", "I fixed the flaky tests"),
        ("I only fixed two flaky tests", "I fixed two flaky tests"),
        ("I was lucky to lead the cutover", "I led the cutover"),
        ("I did a bit on the follow-ups", "I worked on the follow-ups"),
        ("I got to give a talk at the meetup", "I gave a talk at the meetup"),
        ("I ended up disabling the cop by default", "I disabled the cop by default"),
        ("It was mostly others, but I added the templates", "I added the templates"),
        ("I kinda set up the custom domain", "I set up the custom domain"),
        ("I more or less added the cop", "I added the cop"),
        ("I was around for the docs revamp", "I contributed to the docs revamp"),
        ("I tried my hand at the scoring service", "I worked on the scoring service"),
        ("I handled some of the reviews on Sam's refunds", "I reviewed Sam's refunds"),
        ("I took a rough first pass at the proxy dispatcher", "I worked on the proxy dispatcher"),
        ("I fiddled a bit with our CI setup", "I worked on our CI setup"),
        ("I wired up the proxy settings, nothing major", "I wired up the proxy settings"),
        ("I added a small Response.stream_text() addition", "I added a Response.stream_text() addition"),
        ("I pushed out a few small releases", "I pushed out a few releases"),
        (
            "I made a modest tweak so the handshake stopped sending X",
            "I made sure the handshake stopped sending X",
        ),
        ("I jotted down notes on debugging CI, if that counts for anything", "I wrote notes on debugging CI"),
        ("In March I sort of poked at the transport API a bit", "In March I worked on the transport API"),
        ("I threw together a little command-line helper", "I built a command-line helper"),
        ("I tidied the URL parsing, nothing too exciting", "I tidied the URL parsing"),
        ("I fixed host vs raw_host and that kind of stuff", "I fixed host vs raw_host"),
        (
            "I pinned the dev requirements, mostly Marcelo's work",
            "I pinned the dev requirements with Marcelo",
        ),
        ("I merely wrote an internal cop", "I wrote an internal cop"),
        ("Probably not a big deal, but I reorganised the help text a little", "I reorganised the help text"),
        ("I merged a couple of fixes along the way", "I merged a couple of fixes"),
        ("I added an info severity, if I remember right", "I added an info severity"),
        ("I gave a small talk at a meetup", "I gave a talk at a meetup"),
    ],
)
def test_apply_removes_or_replaces_every_hedge(text: str, fixed: str) -> None:
    result = apply(text, lint(text))

    assert result == fixed
    assert not [f for f in lint(result) if f.rule == "hedge"]


def test_helped_and_a_bare_verb_is_the_users_action() -> None:
    assert apply("I helped cut hosting costs.", lint("I helped cut hosting costs.")) == "I cut hosting costs."


@pytest.mark.parametrize("text", ["I helped users migrate.", "I helped team members onboard."])
def test_helping_someone_do_something_is_never_fixed_into_broken_english(text: str) -> None:
    assert apply(text, lint(text)) == text  # not "I supported users migrate."
    assert [f.rule for f in lint(text)] == ["hedge"]


def test_could_have_been_stays_a_suggestion_not_a_broken_fix() -> None:
    text = "The rollout could have been faster"

    assert apply(text, lint(text)) == text
    assert [f.text for f in lint(text) if f.rule == "hedge"] == ["could have "]


def test_a_kind_of_bug_is_not_a_hedge() -> None:
    assert not [f for f in lint("Fixed the kind of bug that pages on-call") if f.rule == "hedge"]


@pytest.mark.parametrize(
    ("text", "rule", "found"),
    [
        ("Worked on the billing migration", "weak_verb", "Worked on"),
        ("Was responsible for the refund queue", "weak_verb", "Was responsible for"),
        ("Handled the on-call rotation", "weak_verb", "Handled"),
        ("The cache was implemented by me", "passive", "was implemented by"),
        ("Twelve flaky tests were fixed", "passive", "were fixed"),
    ],
)
def test_weak_verbs_and_passive_voice_are_suggestions_not_fixes(text: str, rule: str, found: str) -> None:
    [finding] = [f for f in lint(text) if f.rule == rule]

    assert finding.text == found
    assert finding.replacement is None
    assert apply(text, [finding]) == text


def solo(**fields: object) -> Evidence:
    return Evidence(
        id="git:r@1",
        source="git",
        kind="commit",
        title="Add refund cache",
        date="2026-03-01T00:00:00+00:00",
        role="author",
        **fields,
    )  # type: ignore[arg-type]


def test_we_for_sole_authorship_becomes_i() -> None:
    text = "We added the refund cache"

    fixed, findings = fix(text, [solo()])

    assert fixed == "I added the refund cache"
    assert not [f for f in findings if f.rule == "we_sole_author"]


def test_we_stays_when_someone_else_co_authored() -> None:
    findings = lint("We added the refund cache", [solo(extra={"co_authors": ["Lee Park"]})])

    assert not [f for f in findings if f.rule == "we_sole_author"]


def test_a_number_the_evidence_has_but_the_bullet_lacks() -> None:
    evidence = [solo(stats={"insertions": 257, "deletions": 0, "files_changed": 5})]

    [finding] = [f for f in lint("Added the refund cache", evidence) if f.rule == "missing_number"]

    assert "+257/−0 lines" in finding.suggestion
    assert not [
        f for f in lint("Added the refund cache (+257/−0 lines)", evidence) if f.rule == "missing_number"
    ]


def test_credit_given_away_in_the_passive_is_a_hedge_left_to_the_evidence() -> None:
    text = "The ledger was migrated to Postgres, partly thanks to me."

    assert [f.text for f in lint(text) if f.rule == "hedge"] == [", partly thanks to me"]
    assert apply(text, lint(text)) == text  # who did it is for the evidence to say (app.hedge_fixes)


def test_only_is_kept_where_it_is_not_said_of_the_users_own_work() -> None:
    assert not [f for f in lint("I was the only engineer on call.") if f.rule == "hedge"]


def test_getting_to_a_place_is_not_a_hedge() -> None:
    assert not [f for f in lint("I got to the root cause in an hour.") if f.rule == "hedge"]


@pytest.mark.parametrize(
    "text",
    [
        "I was tasked with adding the cop.",
        "I was on the team that shipped the cutover.",
        "My small contribution was running the checks in parallel.",
    ],
)
def test_ownership_said_as_an_assignment_is_a_hedge_the_evidence_settles(text: str) -> None:
    found = [f for f in lint(text) if f.rule == "hedge"]

    assert found
    assert found[0].replacement is None  # app.hedge_fixes says it as strongly as the evidence allows


def test_small_said_of_something_other_than_the_work_is_a_fact_not_a_hedge() -> None:
    assert not [f for f in lint("I led a small team of four through the cutover.") if f.rule == "hedge"]


def test_only_said_of_what_the_user_has_is_no_minimiser() -> None:
    assert not [f for f in lint("I only have two open PRs.") if f.rule == "hedge"]


def test_what_others_seemed_to_do_is_a_suggestion_never_made_certain() -> None:
    text = "I removed the setting some servers seemed to reject"
    found = [f for f in lint(text) if f.rule == "hedge"]

    assert [f.text for f in found] == ["seemed to reject"]
    assert found[0].replacement is None
    assert apply(text, lint(text)) == text
