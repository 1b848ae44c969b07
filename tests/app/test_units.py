"""Units of work: what belongs together, what the user did in it, who else took part, and what kind of work it was."""

from __future__ import annotations

from app import units
from app.metrics import compute
from app.model import Criterion
from app.offline_drafter import shaped_sentence
from app.work_kinds import structural_labels
from ingest.evidence import Evidence


def change(
    ident: str, kind: str, title: str, role: str = "author", author: str = "Maya Chen", **fields: object
) -> Evidence:
    return Evidence(
        id=ident,
        source=ident.split(":")[0],
        kind=kind,
        title=title,
        role=role,
        author=author,
        date=str(fields.pop("date", "2026-03-02T10:00:00+00:00")),
        **fields,
    )  # type: ignore[arg-type]


def test_a_merged_pr_and_its_branch_commits_are_one_unit_sized_by_the_pr() -> None:
    merge = change(
        "git:acme/pay@aaaaaaaaaaaa",
        "pr",
        "Merge pull request #7 from maya/cache",
        native={"repo": "acme/pay", "sha": "a" * 40, "pr_number": 7},
        stats={"insertions": 120, "deletions": 20, "files_changed": 3},
        extra={"pr_commits": ["bbbbbbbbbbbb"], "files": ["pay/cache.py", "tests/test_cache.py", "README.md"]},
    )
    commit = change(
        "git:acme/pay@bbbbbbbbbbbb",
        "commit",
        "Cache refund lookups",
        native={"repo": "acme/pay", "sha": "b" * 40},
        stats={"insertions": 100, "deletions": 20},
        extra={"files": ["pay/cache.py"]},
    )

    [unit] = units.build([merge, commit])

    assert unit.kind == "pr"
    assert unit.number == 7
    assert unit.role == "author"
    assert set(unit.ids) == {merge.id, commit.id}
    assert (unit.insertions, unit.deletions) == (120, 20)  # the PR's diff, not the PR plus its commits again
    assert unit.areas == {"code": 1, "tests": 1, "docs": 1}


def test_squash_commit_review_and_ticket_that_name_each_other_are_one_unit() -> None:
    squash = change(
        "git:acme/pay@cccccccccccc",
        "commit",
        "PAY-142: cache refund lookups (#9)",
        native={"repo": "acme/pay", "sha": "c" * 40, "pr_number": 9},
    )
    review = change(
        "github:acme/pay#9/review/1",
        "review",
        "Review of #9: approved",
        role="reviewer",
        native={"repo": "acme/pay", "pr_number": 9},
    )
    ticket = change(
        "jira:PAY-142", "ticket", "Refund lookups time out", role="assignee", native={"key": "PAY-142"}
    )
    other = change("jira:PAY-150", "ticket", "Update the runbook", role="assignee", native={"key": "PAY-150"})

    built = units.build([squash, review, ticket, other])

    assert sorted(len(u.items) for u in built) == [1, 3]
    joined = next(u for u in built if len(u.items) == 3)
    assert joined.lead.id == "jira:PAY-142"
    assert joined.role == "author"


def test_co_authored_change_is_shaped_not_owned_and_bots_are_not_people() -> None:
    squash = change(
        "git:encode/httpx@dddddddddddd",
        "commit",
        "Transport API (#963)",
        role="co-author",
        author="Tom Christie",
        native={"repo": "encode/httpx", "sha": "d" * 40, "pr_number": 963},
        extra={"co_authors": ["Maya Chen", "pre-commit-ci[bot]"]},
    )
    mine = change("git:encode/httpx@eeeeeeeeeeee", "commit", "Fix typo", native={"repo": "encode/httpx"})

    unit = next(u for u in units.build([squash, mine]) if u.number == 963)

    assert unit.role == "co-author"
    assert unit.shaped
    assert not unit.owned
    assert unit.people == ["Tom Christie"]
    assert unit.bots == ["pre-commit-ci[bot]"]
    assert "review" in structural_labels(unit)
    assert shaped_sentence(unit) == "Reviewed and shaped Tom Christie’s “Transport API” (#963)."


def test_bots_are_never_counted_as_people_whose_prs_you_reviewed() -> None:
    def merged(n: int, author: str) -> Evidence:
        return change(
            f"git:acme/pay@{n:012d}",
            "pr",
            f"Merge pull request #{n} from x/y",
            role="merger",
            native={"repo": "acme/pay", "pr_number": n},
            extra={"pr_commit_authors": [author]},
        )

    metrics = {
        m.name: m.value
        for m in compute(
            [
                merged(1, "Ana Lee"),
                merged(2, "dependabot[bot]"),
                merged(3, "pre-commit-ci[bot]"),
                merged(4, "Sam Ortiz"),
                change("git:acme/pay@f", "commit", "Mine"),
            ]
        )
    }

    assert metrics["review_authors"] == 2
    assert metrics["prs_reviewed_or_merged"] == 2
    assert metrics["bot_prs_reviewed_or_merged"] == 2
    github_bot_pr = change(
        "github:acme/pay#5",
        "pr",
        "Bump urllib3",
        role="merger",
        author="maya",
        native={"repo": "acme/pay", "number": 5, "pr_number": 5, "state": "merged"},
        extra={"bot_author": True, "pr_commit_authors": []},
    )
    with_github = {m.name: m.value for m in compute([github_bot_pr, merged(4, "Sam Ortiz")])}
    assert with_github["bot_prs_reviewed_or_merged"] == 1
    assert with_github["prs_reviewed_or_merged"] == 1


def test_a_criterion_nothing_in_the_history_can_show_gets_no_bullet(minilm) -> None:  # type: ignore[no-untyped-def]
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    history = [
        change(f"git:lib/x@{n:012d}", "commit", title, native={"repo": "lib/x", "sha": f"{n:040d}"})
        for n, title in enumerate(
            [
                "Add streaming multipart uploads",
                "Fix bytes support in multipart",
                "Document the proxy options",
                "Drop the urllib3 transport",
                "Type check the tests",
                "Add a troubleshooting guide to the docs",
            ]
        )
    ]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    criteria = [
        Criterion("hiring", "Hiring", "L3", "I conduct interviews and assess candidates for the team"),
        Criterion("docs", "Craft", "L3", "I write documentation that helps users of my components"),
    ]
    hiring, docs = match_all(profiles(criteria, work), work)

    assert hiring == []
    assert {m.unit.title for m in docs[:2]} == {
        "Document the proxy options",
        "Add a troubleshooting guide to the docs",
    }


def test_a_pr_seen_by_several_sources_is_counted_once() -> None:
    github = change(
        "github:acme/pay#7",
        "pr",
        "Cache refund lookups",
        native={"repo": "acme/pay", "number": 7, "state": "merged"},
    )
    merge = change(
        "git:acme/pay@aaaaaaaaaaaa",
        "pr",
        "Merge pull request #7 from maya/cache",
        native={"repo": "acme/pay", "pr_number": 7},
        extra={"pr_commit_authors": ["Maya Chen"]},
    )
    squash = change("git:acme/pay#9", "pr", "Fix retries (#9)", native={"repo": "acme/pay", "pr_number": 9})

    metrics = {m.name: m for m in compute([github, merge, squash])}

    assert metrics["prs_authored"].value == 2
    assert set(metrics["prs_authored"].evidence) == {github.id, merge.id, squash.id}


def test_a_titles_leading_verb_names_its_kind_of_work_only_when_it_names_one() -> None:
    titles = {
        "git:a/b@111111111111": "Fix bytes support in multipart uploads (#974)",
        "git:a/b@222222222222": "Refactor ASGITransport.request() (#1021)",
        "git:a/b@333333333333": "Add support for streaming uploads (#857)",
        "git:a/b@444444444444": "docs: Fix a typo (#10)",
    }
    built = {u.lead.id: u for u in units.build([change(i, "commit", t) for i, t in titles.items()])}
    labels = {i: structural_labels(u) for i, u in built.items()}

    assert labels["git:a/b@111111111111"]["fix"] == "its title starts “Fix”"
    assert "design" in labels["git:a/b@222222222222"]
    assert labels["git:a/b@333333333333"] == {}  # "Add" names many kinds: meaning decides
    assert set(labels["git:a/b@444444444444"]) == {
        "docs"
    }  # the conventional prefix wins over the verb after it


def test_one_off_texts_are_kept_only_while_recently_used_and_never_grow_the_workspace_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from app.understanding import VectorCache

    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    cache = VectorCache(embed, "test-model", tmp_path)
    cache.PASSING_MAX = 2
    cache.embed(["a unit of work"])
    kept = next(tmp_path.glob("vectors-*[0-9a-f].npz")).read_bytes()
    for bullet in ("bullet one", "bullet two", "bullet one", "bullet three"):
        cache.embed_passing([bullet])

    assert calls == [["a unit of work"], ["bullet one"], ["bullet two"], ["bullet three"]]
    assert next(tmp_path.glob("vectors-*[0-9a-f].npz")).read_bytes() == kept
    reopened = VectorCache(embed, "test-model", tmp_path)
    reopened.embed_passing(["bullet one", "bullet three", "bullet two", "a unit of work"])
    assert calls[-1] == ["bullet two"]  # the least recently used one-off text was let go


def test_a_criterion_about_delivering_projects_is_shown_by_code_the_user_owned(minilm) -> None:  # type: ignore[no-untyped-def]
    from app.matching import match_all, profiles
    from app.understanding import VectorCache, understand

    def commit(n: int, title: str, path: str, role: str = "author", author: str = "Maya Chen") -> Evidence:
        return change(
            f"git:lib/x@{n:012d}",
            "commit",
            title,
            role=role,
            author=author,
            native={"repo": "lib/x", "sha": f"{n:040d}"},
            extra={"files": [path]},
            stats={"insertions": 120, "deletions": 30, "files_changed": 1},
        )

    history = [
        commit(1, "Implement streaming multipart uploads", "httpx/_multipart.py"),
        commit(2, "Map transport exceptions to our own", "httpx/_exceptions.py"),
        commit(3, "Tweak the timeouts docs", "docs/timeouts.md"),
        commit(4, "Transport API", "httpx/_transports.py", role="co-author", author="Tom Christie"),
    ]
    work = understand(history, VectorCache(minilm.embed, minilm.name, None))
    criteria = [
        Criterion(
            "deliver", "Results", "L3", "I own and deliver projects in service of quarterly goals on the team"
        ),
        Criterion("hiring", "Hiring", "L3", "I conduct interviews and assess candidates for the team"),
    ]
    deliver, hiring = match_all(profiles(criteria, work), work)

    titles = [m.unit.title for m in deliver]
    assert set(titles[:2]) == {"Implement streaming multipart uploads", "Map transport exceptions to our own"}
    assert "Transport API" not in titles  # the user only co-authored it
    assert hiring == []


def test_a_criterion_about_work_changes_cannot_show_borrows_a_kind_they_can_only_when_it_is_nearly_as_close() -> (
    None
):
    import numpy as np

    from app.matching import Profile

    def shown(**affinity: float) -> str:
        criterion = Criterion("c", "Area", "L3", "text")
        return Profile(criterion, np.zeros((1, 4)), affinity, about_people=False).kind_shown()

    assert shown(planning=0.47, delivery=0.46, talks=0.3) == "delivery"  # executing a roadmap is shipped work
    assert shown(planning=0.47, delivery=0.40, talks=0.3) == "planning"  # setting goals with a manager is not
    assert (
        shown(collaboration=0.26, review=0.26, talks=0.2) == "collaboration"
    )  # too faint to borrow anything
    assert shown(docs=0.35, talks=0.5) == "talks"


def test_a_co_authored_change_weighs_the_users_share_of_it() -> None:
    def squash(number: int, suggestions: int) -> units.Unit:
        evidence = change(
            f"git:encode/httpx@{number:012d}",
            "commit",
            f"Exception hierarchy (#{number})",
            role="co-author",
            author="Tom Christie",
            native={"repo": "encode/httpx", "sha": f"{number:040d}", "pr_number": number},
            stats={"insertions": 300, "deletions": 100, "user_commits": suggestions},
        )
        return units.build([evidence])[0]

    one, five, mine = squash(1095, 1), squash(1096, 5), squash(1097, 5)
    mine.role = "author"

    assert one.lines == five.lines == 400  # what the bullet says of the change is unchanged
    assert one.weight < five.weight <= 400  # one applied suggestion is a small share of the work
    assert mine.weight == 400


def test_one_piece_of_work_is_cited_under_at_most_three_criteria_where_it_fits_best() -> None:
    from app import policy
    from app.matching import Match, shortlist, spread

    def unit(n: int) -> units.Unit:
        e = Evidence(f"git:r@{n}", "git", "commit", f"Change {n}", "2020-01-01", role="author")
        return units.Unit(key=e.id, kind="change", items=[e], lead=e, role="author")

    big, others = unit(0), [unit(n) for n in range(1, 7)]
    # the big change scores highest everywhere, best of all under the last criteria
    ranked = [
        [Match(big, 0.5 + 0.01 * row, 0.3, 0.4, strong=True)]
        + [Match(u, 0.4 - 0.01 * n, 0.2, 0.4, strong=True) for n, u in enumerate(others)]
        for row in range(6)
    ]

    cited = [[m.unit.key for m in shortlist(found)] for found in spread(ranked)]

    assert sum(big.key in keys for keys in cited) == policy.UNIT_CRITERIA == 3
    assert [big.key in keys for keys in cited] == [False, False, False, True, True, True]
    assert all(len(keys) == policy.MAX_UNITS for keys in cited)  # the next units move up
    assert max(sum(u.key in keys for keys in cited) for u in others) <= 3
