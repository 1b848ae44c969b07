"""Numbers as claims: find them in text (with spans and units), skip ids and dates, and match them to receipts."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.model import Metric
from ingest.evidence import Evidence

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
)
# Spans that hold digits but are not claims: code, links, ids, versions, dates, times, ordinals, identifiers.
_NOT_CLAIMS = re.compile(
    "|".join(
        (
            r"`[^`\n]*`",
            r"https?://\S+",
            r"(?-i:\b[A-Z][A-Z0-9]{1,9}-\d+\b)",
            r"(?<![\w&])#\d+\b",
            r"\bv\d+(?:\.\d+)*\b",
            r"\b\d+\.\d+\.\d+(?:\.\d+)*\b",
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
            r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
            r"\b[QH][1-4]\b(?:\s+(?:19|20)\d\d\b)?",
            r"\bFY\s?'?\d{2,4}\b",
            r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?",
            r"\b\d{1,2}\s?[ap]\.?m\.?(?![a-z])",
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s+\d{{4}})?",
            r"\b\d+(?:st|nd|rd|th)\b",
            r"\b\d+xx\b",
            r"[A-Za-z_]+\d[\w.]*",
            r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b",
        )
    ),
    re.IGNORECASE,
)

_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
    if i >= 2
}
_WORDS |= {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "twice": 2,
}

_DURATIONS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "wk": 604800,
    "week": 604800,
    "mo": 2629800,
    "month": 2629800,
    "y": 31557600,
    "yr": 31557600,
    "year": 31557600,
}
_SIZES = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12}
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP", "dollars": "USD"}

_NUMBER = re.compile(
    r"(?P<qual>\b(?:more than|over|above|at least|nearly|almost|about|around|roughly|approximately|approx\.?|"
    r"under|less than|fewer than|up to|below)\s+|~\s?|>\s?|<\s?)?"
    r"(?P<cur>[$€£])?\s?"
    r"(?P<sign>[+−-])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|\b(?:" + "|".join(_WORDS) + r")\b)"
    r"(?P<scale>\s?(?:thousand|million|billion)\b|(?:k|K|mm|MM|mn|bn|B|M)(?![A-Za-z]))?"
    r"(?P<unit>\s?(?:%|percent\b|pct\b|percentage points?\b|pp\b)|\s?(?:x|×)(?![A-Za-z])|"
    r"\s(?:times)\s(?=(?:faster|slower|more|less|fewer|larger|smaller|higher|lower|as)\b)|"
    r"\s?(?:ms|milliseconds?|secs?|seconds?|s|mins?|minutes?|m|hrs?|hours?|h|days?|d|wks?|weeks?|mos?|"
    r"months?|yrs?|years?|y)(?![A-Za-z])|\s?(?:[kmgt]b)(?![A-Za-z])|\s(?:usd|eur|gbp|dollars)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    text: str
    span: tuple[int, int]
    value: float  # normalised: 1.2k -> 1200, 840 ms -> 0.84 (seconds), 12% -> 12
    unit: str  # "" (a count), "%", "x", "s" (a duration), "B" (bytes), or a currency code
    tolerance: float  # how far a receipt may be from `value` for this text to be a rounding of it
    qualifier: str = ""  # over / about / nearly / under ...


def extract(text: str) -> list[Number]:
    """Every number in `text` that is a claim: counts, percentages, ratios, money, durations, sizes."""
    return list(_extract(text))


@functools.lru_cache(maxsize=8192)
def _extract(text: str) -> tuple[Number, ...]:
    blocked = [m.span() for m in _NOT_CLAIMS.finditer(text)]
    found: list[Number] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span("num")
        if any(b0 <= start < b1 or b0 < end <= b1 for b0, b1 in blocked):
            continue
        number = _parse(match, text)
        if number is not None:
            found.append(number)
    return tuple(found)


def _parse(match: re.Match[str], text: str) -> Number | None:
    raw, scale_text = match["num"], (match["scale"] or "").strip()
    unit_text = (match["unit"] or "").strip().lower()
    currency = _CURRENCY.get(match["cur"] or "") or _CURRENCY.get(unit_text, "")
    if raw.lower() in _WORDS:
        if raw.lower() == "twice":
            return _number(match, 2.0, "x", 0.0)
        following = text[match.end() : match.end() + 2]
        if not re.match(r"\s[A-Za-z]", following) and not unit_text:
            return None
        value, step = float(_WORDS[raw.lower()]), 1.0
    else:
        digits = raw.replace(",", "")
        value = float(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        step = 10.0**-decimals
        trailing = len(digits) - len(digits.rstrip("0")) if decimals == 0 and digits != "0" else 0
        if trailing and (value >= 1000 or match["qual"]):
            step = 10.0**trailing
        if (
            decimals == 0
            and "," not in raw
            and 1900 <= value <= 2100
            and not unit_text
            and not scale_text
            and not currency
        ):
            return None  # a year
    scale = _SCALE.get(scale_text.lower(), 1.0) if scale_text else 1.0
    if scale_text.lower() == "m" and not currency:  # "5m" without a currency is minutes
        scale, unit_text = 1.0, "m"
    value, step = value * scale, step * scale
    unit, factor = _unit(unit_text, currency)
    return _number(match, value * factor, unit, step * factor / 2)


def _unit(unit_text: str, currency: str) -> tuple[str, float]:
    if currency:
        return currency, 1.0
    if unit_text in ("%", "percent", "pct", "pp") or unit_text.startswith("percentage"):
        return "%", 1.0
    if unit_text in ("x", "×", "times"):
        return "x", 1.0
    if unit_text in _SIZES:
        return "B", _SIZES[unit_text]
    key = unit_text[:-1] if unit_text.endswith("s") and unit_text not in ("s", "ms") else unit_text
    if key in _DURATIONS:
        return "s", _DURATIONS[key]
    if unit_text == "ms":
        return "s", 0.001
    return "", 1.0


def _number(match: re.Match[str], value: float, unit: str, tolerance: float) -> Number:
    qualifier = (match["qual"] or "").strip().lower().rstrip(".")
    start = (
        match.start("qual")
        if qualifier
        else match.start("cur")
        if match["cur"]
        else match.start("sign")
        if match["sign"]
        else match.start("num")
    )
    end = match.end()
    while end > start and match.string[end - 1].isspace():
        end -= 1
    return Number(match.string[start:end], (start, end), abs(value), unit, tolerance, qualifier)


# -- receipts ---------------------------------------------------------------------------------------------

_STAT_UNITS = (
    ("_ms", "s", 0.001),
    ("_seconds", "s", 1),
    ("_minutes", "s", 60),
    ("_hours", "s", 3600),
    ("_days", "s", 86400),
    ("_weeks", "s", 604800),
    ("_percent", "%", 1),
    ("_pct", "%", 1),
)


def stat_receipt(name: str, value: float) -> tuple[float, str]:
    """A stats field as (value, unit): `cycle_time_hours: 3` -> (10800, "s"); other fields are counts."""
    for suffix, unit, factor in _STAT_UNITS:
        if name.endswith(suffix):
            return value * factor, unit
    return value, ""


def metric_receipt(metric: Metric) -> tuple[float, str]:
    unit = metric.unit.lower()
    for word, factor in (("hour", 3600), ("day", 86400), ("minute", 60), ("second", 1)):
        if unit.startswith(word):
            return metric.value * factor, "s"
    return float(metric.value), "%" if unit in ("%", "percent") else ""


def receipts(evidence: Evidence) -> list[tuple[float, str]]:
    """The numbers an evidence item vouches for: those in its title and body, and its stats."""
    found = [(n.value, n.unit) for n in extract(f"{evidence.title}\n{evidence.body}")]
    found += [stat_receipt(name, float(value)) for name, value in evidence.stats.items()]
    return found


def matches(number: Number, value: float, unit: str) -> bool:
    """Is `number` (as written) a fair statement of the receipt `value` (allowing for rounding)?"""
    if unit != number.unit:
        return False
    claim, tolerance = number.value, max(number.tolerance, 1e-9)
    qualifier = number.qualifier
    if qualifier in ("more than", "over", "above", ">"):
        return claim < value <= max(2 * claim, claim + 1)
    if qualifier == "at least":
        return claim <= value <= max(2 * claim, claim + 1)
    if qualifier in ("nearly", "almost"):
        return 0.9 * claim - tolerance <= value < claim
    if qualifier in ("under", "less than", "fewer than", "below", "<"):
        return 0.5 * claim <= value < claim
    if qualifier == "up to":
        return 0.5 * claim <= value <= claim
    if qualifier in ("about", "around", "roughly", "approximately", "approx", "~"):
        tolerance = max(tolerance, 0.1 * claim)
    return abs(value - claim) <= tolerance + 1e-9


def grounded(number: Number, evidence: Iterable[Evidence], metrics: Iterable[Metric] = ()) -> str | None:
    """The id that backs `number` (an evidence id, or "metric:<name>"), or None when nothing does."""
    for item in evidence:
        if any(matches(number, value, unit) for value, unit in receipts(item)):
            return item.id
    for metric in metrics:
        value, unit = metric_receipt(metric)
        if matches(number, value, unit):
            return f"metric:{metric.name}"
    return None
