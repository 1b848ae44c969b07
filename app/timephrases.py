"""Time phrases in questions ("in Q2", "last month", "since March", "in May 2026") as since/until datetimes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"((?:19|20)\d\d)"
_TICK = timedelta(microseconds=1)
# A workspace whose newest evidence is older than this is a past year's history: relative periods count back from it
HISTORICAL_DAYS = 365

Span = tuple[datetime | None, datetime | None]  # (since, until) a phrase covers; None is open


@dataclass
class Period:
    since: datetime | None
    until: datetime | None
    phrase: str = ""  # the words that set the period, as written
    rest: str = ""  # the question without them
    # "in March and May": the spans the period is made of (since and until are their ends); empty for one span
    parts: tuple[Span, ...] = ()

    def holds(self, moment: datetime) -> bool:
        spans = self.parts or ((self.since, self.until),)
        return any(
            (since is None or moment >= since) and (until is None or moment <= until)
            for since, until in spans
        )


def _month(name: str) -> int:
    return next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name.lower()[:3]))


def _start(year: int, month: int, tz: tzinfo | None) -> datetime:
    while month > 12:
        year, month = year + 1, month - 12
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 1, tzinfo=tz)


def _span(year: int, month: int, months: int, tz: tzinfo | None) -> tuple[datetime, datetime]:
    return _start(year, month, tz), _start(year, month + months, tz) - _TICK


def _recent_year(month: int, now: datetime) -> int:
    """The year of the most recent `month` that has begun: 'in May' in March 2026 is May 2025."""
    return now.year if month <= now.month else now.year - 1


def parse(question: str, now: datetime | None = None, latest: datetime | None = None) -> Period:
    """The period a question names, or Period(None, None) when it names none.

    Relative phrases ("last month", "this year") count back from `now`. A month, quarter or half named without
    a year ("in November", "in Q2") is the most recent one that has begun by `latest` (the newest evidence,
    when the caller knows it): over a 2020 history, "in November" is November 2020, not last November.
    """
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    question = _NUMERIC_MONTH.sub(
        lambda m: f"in {_MONTHS[int(m['m'] or m['m2']) - 1].title()} {m['y'] or m['y2']}", question
    )
    question = _MONTH_OF.sub("in ", question)
    question = _END_OF_YEAR.sub(" of the year", question)
    tz = now.tzinfo
    anchor = (
        min(now, latest if latest is None or latest.tzinfo else latest.replace(tzinfo=UTC)) if latest else now
    )
    for pattern, build in _RULES:
        match = re.search(pattern, question, re.IGNORECASE)
        span = build(match, anchor if build in _NAMED else now, tz) if match else None
        said_as = match.group(0).strip() if match else ""
        historical = (now - anchor).days > HISTORICAL_DAYS
        if match and span is not None and build not in _NAMED and span[0] and anchor < span[0] and historical:
            # "this year" over a history that ended more than a year ago, before this year began: the year of the
            # newest evidence, said with its dates (a live workspace's "this week" stays this week, even if empty)
            span = build(match, anchor, tz)
            if span is not None and span[0] and span[1]:
                said_as = f"{said_as}: {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}"
        if match and span is not None:
            start, end = match.start(), match.end()
            parts: tuple[Span, ...] = ()
            more = _AND_MORE.match(question, end)
            if more and span[0] and span[1]:
                said = more["more"]
                added = "" if re.match(r"(?:in|during)\s", said, re.IGNORECASE) else "in "
                other = parse(added + said, now, latest)
                modal = re.match(r"may\b", said)  # "in March and may have …": the verb, not the month
                if (
                    other.since
                    and other.until
                    and not modal
                    and (added + said).lower().startswith(other.phrase.lower())
                ):
                    parts = (span, (other.since, other.until))  # the words after "and" are a second period
                    end = more.start("more") + len(other.phrase) - len(added)
                    span = (min(span[0], other.since), max(span[1], other.until))
            since, until = span
            rest = " ".join((question[:start] + " " + question[end:]).split())
            phrase = said_as if end == match.end() else question[start:end].strip()
            rest = re.sub(r"\s+([?.!,])(?=\s|$)", r"\1", rest)
            again = parse(rest, now, latest) if since is not None and until is not None else None
            if (
                again is not None
                and since is not None
                and until is not None
                and again.since is not None
                and again.until is not None
                and again.since <= until
                and since <= again.until
            ):
                rest = again.rest  # "in the autumn, September through November 2020": one period said twice
            return Period(since, until, phrase, rest, parts)
    return Period(None, None, "", question)


# "11/2020", "2020-11": a month written in numbers; "in the month of July": a month
_NUMERIC_MONTH = re.compile(
    r"(?<![\w/.-])(?:in\s+|during\s+)?(?:(?P<m>0?[1-9]|1[0-2])/(?P<y>(?:19|20)\d\d)|(?P<y2>(?:19|20)\d\d)-(?P<m2>0[1-9]|1[0-2]))"
    r"(?![\w/.-])",
    re.IGNORECASE,
)
_MONTH_OF = re.compile(r"\b(?:in|during)\s+the\s+month\s+of\s+", re.IGNORECASE)
# "before the year ran out", "by the end of the year": within the year
_END_OF_YEAR = re.compile(
    r"\s+(?:before\s+the\s+year\s+(?:ran|runs)\s+out|by\s+(?:the\s+)?end\s+of\s+the\s+year|before\s+year['’]s\s+end)\b",
    re.IGNORECASE,
)

# "in March and May", "in Q1 and Q3": a second period named right after the first
_AND_MORE = re.compile(r",?\s+and\s+(?P<more>\S.*)$", re.IGNORECASE)


def _quarter(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    if m["ql"]:  # "in the last quarter": the year's fourth ("last quarter" alone is the one before this)
        quarter = 4
    else:
        quarter = int(m["q"]) if m["q"] else ("first", "second", "third", "fourth").index(m["qw"].lower()) + 1
    month = 3 * (quarter - 1) + 1
    year = int(m["y"] or m["y2"] or 0) or _recent_year(month, now)
    return _span(year, month, 3, tz)


def _half(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    month = 1 if m["h"] == "1" or (m["hw"] or m["hs"] or "").lower() == "first" else 7
    year = int(m["y"] or 0) or _recent_year(month, now)
    return _span(year, month, 6, tz)


def _relative(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    which, unit = m["which"].lower(), m["unit"].lower()
    back = 0 if which == "this" else 1
    if unit == "week":
        monday = datetime(now.year, now.month, now.day, tzinfo=tz) - timedelta(days=now.weekday() + 7 * back)
        return monday, (now if back == 0 else monday + timedelta(days=7) - _TICK)
    if unit == "month":
        since, until = _span(now.year, now.month - back, 1, tz)
    elif unit == "quarter":
        since, until = _span(now.year, 3 * ((now.month - 1) // 3) + 1 - 3 * back, 3, tz)
    else:
        since, until = _span(now.year - back, 1, 12, tz)
    return since, (now if back == 0 else until)


def _past(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    count, unit = int(m["n"]), m["unit"].lower().rstrip("s")
    days = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}[unit] * count
    return now - timedelta(days=days), now


def _day(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    day = datetime(now.year, now.month, now.day, tzinfo=tz) - timedelta(days=m["d"].lower() == "yesterday")
    return day, day + timedelta(days=1) - _TICK


def _between(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    """'between March and May', 'from March to May', 'from March through May': both months and those between."""
    said = m.groupdict()
    first, last = _month(said.get("f1") or m["m1"]), _month(m["m2"])
    year2 = int(m["y2"] or 0) or _recent_year(last, now)
    year1 = int(said.get("fy1") or m["y1"] or 0) or (year2 if first <= last else year2 - 1)
    return _start(year1, first, tz), _start(year2, last + 1, tz) - _TICK


def _two_months(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span | None:
    """'in June and July': both months, when the second follows the first (else not one period)."""
    first, last = _month(m["m1"]), _month(m["m2"])
    if m["y1"] and m["y2"] and int(m["y2"]) - int(m["y1"]) != (first == 12):
        return None  # "May 2020 and June 2021"
    return _between(m, now, tz) if last == first % 12 + 1 else None


def _since(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    if m["date"]:
        return datetime.fromisoformat(m["date"]).replace(tzinfo=tz), None
    if m["m"]:
        month = _month(m["m"])
        return _start(int(m["y"] or 0) or _recent_year(month, now), month, tz), None
    return _start(int(m["y"]), 1, tz), None


def _before(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    return None, _start(int(m["y"] or 0) or now.year, _month(m["m"]), tz) - _TICK


# Seasons as the northern hemisphere's meteorological ones: spring March-May, summer June-August, autumn
# September-November, winter December-February (the winter of 2021 is December 2020 to February 2021).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    month = _SEASONS[(m["s"] or m["s2"]).lower()]
    named = int(m["y"] or m["y2"] or 0)
    year = (named - 1 if month == 12 else named) if named else _recent_year(month, now)
    return _span(year, month, 3, tz)


def _week_of(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    if m["date"]:
        start = datetime.fromisoformat(m["date"]).replace(tzinfo=tz)
    else:
        month = _month(m["m"] or m["m2"])
        year = int(m["y"] or m["y2"] or 0) or _recent_year(month, now)
        start = datetime(year, month, int(m["d"] or m["d2"]), tzinfo=tz)
    return start, start + timedelta(days=7) - _TICK


def _in_month(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    month = _month(m["m"])
    return _span(int(m["y"] or 0) or _recent_year(month, now), month, 1, tz)


def _months_of_year(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    """'the last two months of 2020': November and December; 'the first 3 months of the year'."""
    count = (
        int(m["n"]) if m["n"].isdigit() else ("two", "three", "four", "five", "six").index(m["n"].lower()) + 2
    )
    year = int(m["y"] or 0) or now.year
    start = 1 if m["end"].lower() == "first" else 13 - count
    return _span(year, start, count, tz)


def _the_year(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    return _span(now.year, 1, 12, tz)


def _in_year(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    return _span(int(m["y"]), 1, 12, tz)


def _day_said(n: str) -> str:
    """A day as written, its groups numbered n: 'Aug 20', '20 August', '2019-08-20', each with an optional year."""
    month, other = _MONTH.replace("(", f"(?P<m{n}>", 1), _MONTH.replace("(", f"(?P<n{n}>", 1)
    return (
        rf"(?:{month}\.?\s+(?P<d{n}>[0-3]?\d)(?:st|nd|rd|th)?|(?P<e{n}>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{other}"
        rf"|(?P<iso{n}>\d{{4}}-\d\d-\d\d))(?:,?\s+(?P<y{n}>(?:19|20)\d\d))?"
    )


def _said_day(said: dict[str, str], n: str, now: datetime, tz: tzinfo | None) -> datetime:
    """The day written in the groups numbered n (see _day_said), in the most recent year it has begun when none is
    named."""
    if f"iso{n}" in said:
        return datetime.fromisoformat(said[f"iso{n}"]).replace(tzinfo=tz)
    month = _month(said.get(f"m{n}") or said[f"n{n}"])
    day = int(said.get(f"d{n}") or said[f"e{n}"])
    return datetime(int(said.get(f"y{n}", 0)) or _recent_year(month, now), month, day, tzinfo=tz)


def _on_day(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    day = _said_day({k: v for k, v in m.groupdict().items() if v}, "1", now, tz)
    return day, day + timedelta(days=1) - _TICK


def _day_range(m: re.Match[str], now: datetime, tz: tzinfo | None) -> Span:
    """'between Aug 20 and Sep 10 2019', 'from 20 August to 10 September', 'from 2019-08-20 to 2019-09-10' (a
    first day before or after either, as between March and May: the first day's year is the last day's, or the one
    before when the first day comes later in the year)."""
    said = {k: v for k, v in m.groupdict().items() if v}
    for a in ("m", "d", "e", "n", "iso", "y"):  # the two spellings of the first day share numbering 1
        if f"{a}1b" in said:
            said[f"{a}1"] = said[f"{a}1b"]
    end = _said_day(said, "2", now, tz)
    if "iso1" in said or "y1" in said:
        start = _said_day(said, "1", now, tz)
    else:  # no year: the last day's, or the one before when the first day comes later in the year
        month, day = _month(said.get("m1") or said["n1"]), int(said.get("d1") or said["e1"])
        year = end.year if (month, day) <= (end.month, end.day) else end.year - 1
        start = datetime(year, month, day, tzinfo=tz)
    return start, end + timedelta(days=1) - _TICK


_RULES = [
    (
        rf"\b(?:between\s+{_day_said('1')}\s+and\s+|from\s+{_day_said('1b')}\s*(?:\s(?:to|through|thru|till|until)\s|[-–—])\s*)"
        rf"{_day_said('2')}(?![\w-])",
        _day_range,
    ),
    (
        rf"\b(?:between\s+{_MONTH.replace('(', '(?P<m1>', 1)}(?:\s+(?P<y1>(?:19|20)\d\d))?\s+and|"
        rf"(?:(?:from|in|during)\s+)?{_MONTH.replace('(', '(?P<f1>', 1)}(?:\s+(?P<fy1>(?:19|20)\d\d))?\s*(?:\s(?:to|through|thru|till|until)\s|[-–—]|\s[-–—]\s))\s*"
        rf"{_MONTH.replace('(', '(?P<m2>', 1)}(?:\s+(?P<y2>(?:19|20)\d\d))?\b",
        _between,
    ),
    (
        rf"\b(?:in|during)\s+{_MONTH.replace('(', '(?P<m1>', 1)}(?:\s+(?P<y1>(?:19|20)\d\d))?\s+and\s+"
        rf"{_MONTH.replace('(', '(?P<m2>', 1)}(?:\s+(?P<y2>(?:19|20)\d\d))?\b",
        _two_months,
    ),
    (
        r"\b(?:in\s+|during\s+)?(?:the\s+)?(?:(?P<y2>(?:19|20)\d\d)\s+)?(?:Q(?P<q>[1-4])|(?<=the\s)(?P<ql>last|final)\s+quarter|(?P<qw>first|second|third|fourth)"
        r"\s+quarter)(?:\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d\d)|the\s+year))?\b",
        _quarter,
    ),
    (
        r"\b(?:in\s+|during\s+)?(?:the\s+)?(?:H(?P<h>[12])|(?P<hw>first|second)\s+half|(?P<hs>first|last|second)\s+(?:six|6)\s+months"
        r"(?=\s+of\s+(?:(?:19|20)\d\d|the\s+year)))"
        r"(?:\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d\d)|the\s+year))?\b",
        _half,
    ),
    (
        r"\b(?:in\s+|during\s+)?(?:the\s+)?(?P<end>first|last|final)\s+(?P<n>\d+|two|three|four|five|six)\s+months\s+of\s+"
        rf"(?:{_YEAR.replace('(', '(?P<y>', 1)}|the\s+year)\b",
        _months_of_year,
    ),
    (
        r"\b(?:in\s+|during\s+)?(?:the\s+)?(?:last|past)\s+(?P<n>\d+)\s+(?P<unit>days?|weeks?|months?|years?)\b",
        _past,
    ),
    (
        r"\b(?:in\s+|during\s+)?(?P<which>this|last|previous|past)\s+(?P<unit>week|month|quarter|year)\b",
        _relative,
    ),
    (r"\b(?P<d>yesterday|today)\b", _day),
    (rf"\bon\s+{_day_said('1')}(?![\w-])", _on_day),  # "on September 28", "on 28 Sep 2021", "on 2021-09-28"
    (
        rf"\bsince\s+(?:(?P<date>\d{{4}}-\d{{2}}-\d{{2}})|{_MONTH.replace('(', '(?P<m>', 1)}(?:\s+{_YEAR.replace('(', '(?P<y>', 1)})?"
        rf"|(?P<yy>{_YEAR[1:-1]}))\b",
        lambda m, now, tz: _since(m, now, tz) if m["date"] or m["m"] else (_start(int(m["yy"]), 1, tz), None),
    ),
    (
        rf"\b(?:before|until)\s+{_MONTH.replace('(', '(?P<m>', 1)}(?:\s+{_YEAR.replace('(', '(?P<y>', 1)})?\b",
        _before,
    ),
    (
        rf"\b(?:(?:in|during)\s+{_MONTH.replace('(', '(?P<m>', 1)}(?:\s+{_YEAR.replace('(', '(?P<y>', 1)})?"
        rf"|(?P<m2>{_MONTH[1:-1]})\s+(?P<y2>(?:19|20)\d\d))\b",
        lambda m, now, tz: _in_month(m, now, tz) if m["m"] else _span(int(m["y2"]), _month(m["m2"]), 1, tz),
    ),
    (
        rf"\b(?:in\s+|during\s+)?(?:the\s+)?week\s+of\s+(?:(?P<date>\d{{4}}-\d{{2}}-\d{{2}})|"
        rf"{_MONTH.replace('(', '(?P<m>', 1)}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{_YEAR.replace('(', '(?P<y>', 1)})?|"
        rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('(', '(?P<m2>', 1)}(?:,?\s+(?P<y2>(?:19|20)\d\d))?)\b",
        _week_of,
    ),
    (
        r"\b(?:(?:in|over|during)\s+(?:the\s+)?|the\s+|(?:last|this)\s+)(?P<s>spring|summer|autumn|fall|winter)"
        rf"(?:\s+(?:of\s+)?{_YEAR.replace('(', '(?P<y>', 1)})?\b"
        rf"|\b(?P<s2>spring|summer|autumn|fall|winter)\s+{_YEAR.replace('(', '(?P<y2>', 1)}\b",
        _season,
    ),
    (rf"\b(?:in|during|of)\s+{_YEAR.replace('(', '(?P<y>', 1)}\b", _in_year),  # "my first PR of 2020"
    (
        rf"(?:(?<=\bmy\s)|(?<=\bthe\s)|(?<=\bour\s)){_YEAR.replace('(', '(?P<y>', 1)}(?=\s+[a-z])",
        _in_year,
    ),  # "my 2021 commits"
    (r"\b(?:in|during|of|for)\s+the\s+year\b", _the_year),  # "my first PR of the year": the latest year
]
# Rules whose bare names ("in May", "Q2", "H1", "since March", "between March and May") resolve against the
# newest evidence rather than today.
_NAMED = {build for _, build in _RULES if build not in (_past, _relative, _day)}
