"""Ladders and glossaries load from YAML; every mistake is reported with file, line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ladder import LadderError, load_glossary, load_ladder

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ladders"

LADDER = """\
name: Payments ladder
levels:
  - id: L3
    title: Engineer
  - id: L4
    title: Senior Engineer
criteria:
  - id: l3-delivery
    area: Delivery
    level: L3
    text: I ship features end to end.
    signals: [shipped, launched]
  - id: l4-mentoring
    area: People
    level: L4
    text: I mentor other engineers.
"""


def write(tmp_path: Path, text: str, name: str = "ladder.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_ladder_loads_levels_criteria_and_keeps_extra_keys(tmp_path: Path) -> None:
    ladder = load_ladder(write(tmp_path, LADDER))

    assert ladder.name == "Payments ladder"
    assert [level.id for level in ladder.levels] == ["L3", "L4"]
    assert [c.id for c in ladder.for_level("L3")] == ["l3-delivery"]
    assert ladder.criteria[0].extra == {"signals": ["shipped", "launched"]}


def test_missing_criteria_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nlevels:\n  - id: L3\n")

    with pytest.raises(LadderError, match=r"ladder\.yaml:1: missing `criteria`"):
        load_ladder(path)


def test_criterion_without_text_points_at_that_criterion(tmp_path: Path) -> None:
    text = LADDER.replace("    text: I mentor other engineers.\n", "")
    path = write(tmp_path, text)

    with pytest.raises(LadderError) as caught:
        load_ladder(path)

    assert caught.value.line == 13  # the "- id: l4-mentoring" line
    assert "'l4-mentoring' has no `text`" in str(caught.value)
    assert str(path) in str(caught.value)


def test_level_not_in_levels_points_at_the_level_line(tmp_path: Path) -> None:
    path = write(tmp_path, LADDER.replace("level: L4", "level: L9"))

    with pytest.raises(LadderError, match=r"ladder\.yaml:15: level 'L9' is not in `levels` \(L3, L4\)"):
        load_ladder(path)


def test_bad_yaml_syntax_reports_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, LADDER.replace("    area: People\n", "    area: [People\n"))

    with pytest.raises(LadderError, match=r"ladder\.yaml:1[45]: not valid YAML"):
        load_ladder(path)


def test_duplicate_criterion_ids_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, LADDER.replace("l4-mentoring", "l3-delivery"))

    with pytest.raises(LadderError, match="duplicate criterion id 'l3-delivery' \\(first at line 8\\)"):
        load_ladder(path)


def test_missing_file_is_a_ladder_error(tmp_path: Path) -> None:
    with pytest.raises(LadderError, match="file not found"):
        load_ladder(tmp_path / "nope.yaml")


def test_glossary_accepts_mappings_and_plain_strings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
values:
  - term: Customer obsession
    meaning: start from the customer
  - Bias for action
terms:
  - use: customers
    instead_of: [users, clients]
  - use: partnered with
    instead_of: worked with
  - impact
avoid: [rockstar, ninja]
""",
        "glossary.yaml",
    )

    glossary = load_glossary(path)

    assert glossary.values == [
        {"term": "Customer obsession", "meaning": "start from the customer"},
        {"term": "Bias for action", "meaning": ""},
    ]
    assert [(t.use, t.instead_of) for t in glossary.terms] == [
        ("customers", ["users", "clients"]),
        ("partnered with", ["worked with"]),
        ("impact", []),
    ]
    assert glossary.avoid == ["rockstar", "ninja"]


def test_glossary_term_without_use_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "terms:\n  - use: customers\n  - instead_of: [users]\n", "glossary.yaml")

    with pytest.raises(LadderError, match=r"glossary\.yaml:3: a term needs `use`"):
        load_glossary(path)


@pytest.mark.parametrize(
    ("name", "level", "count"), [("dropbox_swe.yaml", "IC3", 68), ("engineeringladders.yaml", "D3", 5)]
)
def test_the_shared_real_ladders_load_as_they_are(name: str, level: str, count: int) -> None:
    if not (SHARED / name).is_file():
        pytest.skip("../shared is not present")

    ladder = load_ladder(SHARED / name)

    assert len(ladder.for_level(level)) == count


def test_a_ladder_with_yaml_aliases_is_refused_with_its_line(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nname: L\nlevels: []\ncriteria: []\n"
    )

    with pytest.raises(LadderError, match=r"bomb.yaml:2: YAML aliases \(\*name\) are not allowed"):
        load_ladder(bomb)


def test_the_organisation_a_ladder_is_for_comes_from_company_or_a_name_its_criteria_use(
    tmp_path: Path,
) -> None:
    def ladder(name: str, text: str, extra: str = "") -> str:
        return (
            f"name: {name}\n{extra}levels:\n  - id: L3\n    title: Engineer\ncriteria:\n"
            f"  - id: c1\n    area: Culture\n    level: L3\n    text: {text}\n"
        )

    named = write(
        tmp_path, ladder("Initrode Engineering Framework", "I promote Initrode core values"), "a.yaml"
    )
    told = write(tmp_path, ladder("Our ladder", "I write code", "company: Initech\n"), "b.yaml")
    generic = write(
        tmp_path,
        ladder("Engineering Ladders", "I apply Software Engineering practices and Ladders"),
        "c.yaml",
    )

    assert load_ladder(named).company == "Initrode"
    assert load_ladder(told).company == "Initech"
    assert load_ladder(generic).company == ""  # English words, even capitalised in a sentence


def test_a_criterion_listing_several_levels_applies_to_each(tmp_path: Path) -> None:
    ladder = load_ladder(write(tmp_path, LADDER.replace("level: L3", "level: [L3, L4]")))

    assert [c.id for c in ladder.for_level("L3")] == ["l3-delivery"]
    assert [c.id for c in ladder.for_level("L4")] == ["l3-delivery", "l4-mentoring"]
    with pytest.raises(LadderError, match=r"ladder.yaml:10: level 'L9' is not in `levels`"):
        load_ladder(write(tmp_path, LADDER.replace("level: L3", "level: [L3, L9]")))
