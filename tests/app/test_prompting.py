"""Prompt templates: every shipped prompt loads and renders; variables are strict."""

from __future__ import annotations

import pytest

from app import prompting
from app.prompting import PromptError, parse


@pytest.mark.parametrize("name", prompting.names())
def test_every_prompt_renders_with_its_declared_variables(name: str) -> None:
    prompt = prompting.load(name)
    values = {variable: f"<<{variable} value>>" for variable in prompt.variables}

    messages = prompting.render(name, **values)

    assert messages, name
    assert all(m["role"] in ("system", "user", "assistant") and m["content"] for m in messages)
    text = "\n".join(m["content"] for m in messages)
    for variable in prompt.variables:
        assert f"<<{variable} value>>" in text, f"{name}: {variable} is declared but never used"
    assert "{{" not in text  # no placeholder left unrendered


def test_shipped_prompts_include_the_three_llm_paths() -> None:
    assert {"draft_bullets", "ask", "rewrite"} <= set(prompting.names())


def test_missing_and_undeclared_variables_raise() -> None:
    prompt = parse("demo", "---\nvariables: [question, evidence]\n---\nQ: {{ question }}\n{{evidence}}\n")

    with pytest.raises(PromptError, match="missing variable.*evidence"):
        prompt.render(question="why?")
    with pytest.raises(PromptError, match="undeclared variable.*extra"):
        prompt.render(question="why?", evidence="e", extra="x")


def test_undeclared_placeholder_fails_at_load() -> None:
    with pytest.raises(PromptError, match=r"prompts/demo.md: placeholder.*\{\{ typo \}\}.*not declared"):
        parse("demo", "---\nvariables: [question]\n---\n{{ question }} {{ typo }}\n")


def test_sections_become_messages_and_no_sections_is_one_user_message() -> None:
    sectioned = parse("demo", "---\nvariables: [q]\n---\n---system---\nBe terse.\n---user---\n{{ q }}\n")
    plain = parse("demo", "---\nvariables: [q]\n---\nJust {{ q }}\n")

    assert sectioned.render(q="hi") == [
        {"role": "system", "content": "Be terse."},
        {"role": "user", "content": "hi"},
    ]
    assert plain.render(q="hi") == [{"role": "user", "content": "Just hi"}]


def test_values_are_inserted_literally_never_rendered() -> None:
    prompt = parse("demo", "---\nvariables: [evidence, secret]\n---\n{{ evidence }} / {{ secret }}\n")

    [message] = prompt.render(evidence="text with {{ secret }} and \\1 inside", secret="S")

    assert message["content"] == "text with {{ secret }} and \\1 inside / S"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("no front matter {{ x }}", "must start with YAML front matter"),
        ("---\nvariables: [a\n---\nbody\n", "not valid YAML"),
        ("---\nvariables: a\n---\nbody\n", "'variables' must be a list"),
        ("---\nvariables: []\n---\n\n", "body is empty"),
        ("---\nvariables: []\n---\nstray\n---user---\nhi\n", "text before the first"),
    ],
)
def test_malformed_files_say_what_to_fix(source: str, problem: str) -> None:
    with pytest.raises(PromptError, match=problem):
        parse("demo", source)


def test_unknown_prompt_names_the_available_ones() -> None:
    with pytest.raises(PromptError, match="no prompt named 'nope'.*draft_bullets"):
        prompting.render("nope")
