"""Each reliability section rewrites only its own part of the results file, so parts can be re-run alone."""

from __future__ import annotations

from pathlib import Path

from evals.reliability_results import write_section


def test_a_section_is_replaced_in_place_and_the_others_kept(tmp_path: Path) -> None:
    results = tmp_path / "reliability.md"
    write_section("inputs", "## Malformed input\n\n300 cases", results)
    write_section("store", "## kill -9\n\nfirst run", results)
    write_section("users", "## Two users", results)

    write_section("store", "## kill -9\n\nsecond run", results)

    text = results.read_text()
    assert "second run" in text
    assert "first run" not in text
    assert text.index("300 cases") < text.index("second run") < text.index("## Two users")
    assert text.count("<!-- section: store -->") == 1
