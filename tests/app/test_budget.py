"""Token counting offline and fitting evidence into a budget."""

from __future__ import annotations

from app import budget


def test_counts_tokens_offline() -> None:
    assert budget.count_tokens("hello world") == 2
    assert budget.count_tokens("") == 0
    assert budget.count_tokens("<|endoftext|> is plain text here") > 1  # special tokens are not special


def test_message_tokens_include_framing() -> None:
    messages = [{"role": "system", "content": "hello world"}, {"role": "user", "content": "hello world"}]

    assert budget.count_message_tokens(messages) == 2 + 4 + 2 + 4 + 2


def test_truncate_cuts_to_the_limit_with_a_marker() -> None:
    text = "word " * 500

    cut = budget.truncate(text, 50)

    assert budget.count_tokens(cut) <= 50
    assert cut.endswith(" [...]")
    assert budget.truncate("short text", 50) == "short text"


def test_fit_drops_the_lowest_ranked_first_and_says_how_many() -> None:
    blocks = [f"block {n} " + "evidence " * 90 for n in range(10)]  # ~100 tokens each, best first

    fitted = budget.fit(blocks, lambda block: block, budget=350)

    assert fitted.kept == blocks[:3]
    assert fitted.dropped == 7
    assert fitted.tokens <= 350
    assert fitted.note() == "7 lower-ranked evidence items left out to fit the model's context budget"


def test_fit_keeps_everything_that_fits_and_always_the_best_item() -> None:
    assert budget.fit(["a", "b"], str, budget=100).dropped == 0
    assert budget.fit(["a", "b"], str, budget=100).note() == ""
    huge = budget.fit(["x " * 1000, "small"], str, budget=10)
    assert len(huge.kept) == 1
    assert huge.dropped == 1
