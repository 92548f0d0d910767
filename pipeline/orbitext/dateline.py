"""Finding an article's reference (publication) date in its dateline.

Press releases open with a dateline (``MOSCOW, March 12 (TASS) —``, ``Moscow, 12 March
2019 —``, ``DULLES, Va. – April 19, 2019 –``) or put the date on a line of its own near
the top (``28.11.2019``, ``Dec. 22, 2019``, ``September 29, 2019 (JST)``,
``Published: 2019-07-18``). :func:`find_dateline` looks for these in the first lines
only; a date further down or inside a sentence ("On 21 March 2018, at 20:44…") is an
event date, not the publication date.

A dateline without a year ("MOSCOW, November 20 —") gets one from the dated mentions of
the article with :func:`infer_year`: the publication follows what the text reports in
the past tense and precedes what it announces in the future tense.

Public API::

    find_dateline(text, normaliser=None, max_lines=8) -> Dateline | None
    infer_year(month, day, evidence) -> int | None
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .datenorm import Cal, DateNormaliser, Numeric, Tense, Value, default_normaliser

# A place: up to five capitalised words, then up to two ", Region" parts ("N.M.", "Va.").
_WORD = r"[A-ZÀ-Ý][\w.'’-]*"
_PLACE = rf"{_WORD}(?:[ ]{_WORD}){{0,4}}(?:,[ ]{_WORD}(?:[ ]{_WORD}){{0,3}}){{0,2}}"
# "(Reuters)", "(JST)", "(Xinhua)", and TASS's "MOSCOW, March 5. /TASS/."
_AGENCY = r"(?:\s*\([^()\n]{1,40}\)|\.?\s*/[A-Z][A-Za-z-]{1,20}/)?"
_DASH = r"(?:--|[—–-])"
_STAMP = r"(?:posted|published|released|issued|date)(?:\s+on)?\s*:?"


@dataclass(frozen=True)
class Dateline:
    """The publication date found near the top: where it is and what it says."""

    start: int  # character offsets of the date itself in the text
    end: int
    text: str
    year: int | None  # None when the dateline gives no year ("MOSCOW, November 20 —")
    month: int
    day: int

    def date(self, year: int | None = None) -> dt.date | None:
        """The date, with ``year`` filled in when the dateline has none."""
        y = self.year if self.year is not None else year
        return dt.date(y, self.month, self.day) if y is not None else None


def _date_regex(n: DateNormaliser) -> str:
    months = "|".join(re.escape(m) for m in sorted(n.t.months, key=len, reverse=True))
    weekdays = "|".join(re.escape(w) for w in sorted(n.t.weekdays, key=len, reverse=True))
    day = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
    return (
        rf"(?:(?:{weekdays})\s*,?\s+)?"
        rf"(?:(?:{months})\s+{day}(?:\s*,?\s*\d{{4}})?"
        rf"|{day}\s+(?:of\s+)?(?:{months})(?:\s*,?\s*\d{{4}})?"
        r"|\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)\d{4}|\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2})"
    )


class _Patterns:
    def __init__(self, n: DateNormaliser) -> None:
        date = rf"(?P<date>(?i:{_date_regex(n)}))(?![\w.]*\d)"
        flags = re.IGNORECASE
        self.dateline = re.compile(
            # "MOSCOW, July 15, 2022. State Space Corporation…": a full stop ends it too.
            rf"^\s*{_PLACE}\s*[,–—-]\s*{date}{_AGENCY}\s*(?:{_DASH}|:|\.(?=\s)|$)",
            re.MULTILINE,
        )
        # "CAPE CANAVERAL, Fla. (Dec. 2, 2023) — SpaceX launched…"
        self.bracketed = re.compile(
            rf"^\s*{_PLACE}\s*\(\s*{date}\s*\)\s*(?:{_DASH}|:)", re.MULTILINE
        )
        self.alone = re.compile(rf"^\s*{date}{_AGENCY}\s*(?:[|•·]\s*[^\n]*)?$", flags)
        self.stamp = re.compile(rf"^\s*{_STAMP}\s*{date}{_AGENCY}\s*$", flags)


_CACHE: weakref.WeakKeyDictionary[DateNormaliser, _Patterns] = weakref.WeakKeyDictionary()


def find_dateline(
    text: str, normaliser: DateNormaliser | None = None, max_lines: int = 8
) -> Dateline | None:
    """The dateline date of ``text``: in its first ``max_lines`` non-blank lines, or None.

    The date must name a day (a month alone is no publication date).
    """
    n = normaliser or default_normaliser()
    pats = _CACHE.get(n)
    if pats is None:
        pats = _CACHE[n] = _Patterns(n)
    offset, seen = 0, 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            seen += 1
            for rx in (pats.dateline, pats.bracketed, pats.alone, pats.stamp):
                m = rx.match(line)
                if m and (found := _read(n, text, offset + m.start("date"), m["date"])):
                    return found
            if seen >= max_lines:
                break
        offset += len(line)
    return None


def _read(n: DateNormaliser, text: str, start: int, surface: str) -> Dateline | None:
    expr = n.analyse(surface)
    end = start + len(surface)
    if isinstance(expr, Cal) and expr.month is not None and expr.day is not None:
        if expr.year is not None and n.resolve(surface) is None:
            return None  # "31 September 2019"
        return Dateline(start, end, surface, expr.year, expr.month, expr.day)
    if isinstance(expr, Numeric):
        value = n.resolve(surface)
        p = value.start if value is not None else None
        if p is not None and p.day is not None and p.month is not None:
            return Dateline(start, end, surface, p.year, p.month, p.day)
    return None


def infer_year(month: int, day: int, evidence: Iterable[tuple[Value, Tense | None]]) -> int | None:
    """The year of a year-less dateline, from the article's dated mentions and their tense.

    ``evidence`` holds values that name their own year, each with the tense of its
    clause. The publication comes after what is reported in the past and before what
    announced for the future (before the earliest announced day or month, within the
    earliest announced year); with
    future evidence the latest fitting year is taken (announcements look a few months
    ahead), else the earliest after the past evidence;
    with no tense at all, the most frequent year (ties: the latest).
    """
    items = list(evidence)
    if not items:
        return None
    past = [v.start.first_day() for v, t in items if t == "past"]
    # An announced day or month is after the publication; an announced year may be its own.
    future = [
        v.end.last_day() if v.start.grain == "year" else v.start.first_day()
        for v, t in items
        if t == "future"
    ]
    lower, upper = (max(past) if past else None), (min(future) if future else None)
    years = {v.start.year for v, _ in items} | {v.end.year for v, _ in items}
    candidates = []
    for year in range(min(years) - 1, max(years) + 2):
        if day > calendar.monthrange(year, month)[1]:
            continue
        d = dt.date(year, month, day)
        if (lower is None or d >= lower) and (upper is None or d <= upper):
            candidates.append(d)
    if upper is not None and candidates:
        return max(candidates).year
    if lower is not None and candidates:
        return min(candidates).year
    if lower is None and upper is None:
        counts = Counter(v.start.year for v, _ in items)
        return max(counts, key=lambda y: (counts[y], y))
    return None
