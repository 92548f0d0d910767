"""Normalising DATE expressions to ISO 8601 values (ANNOTATION.md, "Dates").

The finder (:mod:`orbitext.dates`) decides *where* a date is; this module decides *what*
it means. An expression is first analysed into a small structure (:class:`Expr`) using
the language tables in ``patterns/dates/normalisation.<lang>.json`` (month names,
weekdays, seasons, modifiers, period parts, relative words, numbers in words), then
resolved against a reference date and, for expressions such as "the next day", an
anchor date taken from the text.

The surface-to-date step for calendar forms is done by :mod:`dateparser` with explicit
``date_formats`` (one parser, reused; results cached): this keeps the fuzzy parser out
of the loop and costs ~20 µs a call. Relative arithmetic ("three years ago", "last
Thursday") is plain date arithmetic over the tables.

Values keep the granularity of the text: ``2019``, ``2019-07``, ``2019-07-18``; ranges
are ``start/end``; ``None`` when the expression cannot be resolved (e.g. "yesterday"
without a reference date).

Public API::

    load_tables(path=None) -> Tables
    DateNormaliser(tables).normalise(text, ref, anchor=..., tense=..., day_first=...)
    DateNormaliser(tables).resolve(...) -> Value | None
    DateNormaliser(tables).analyse(text) -> Expr | None
    normalise(text, ref=None, ...)            # module-level, default English tables
    Point, Value, parse_value(iso)            # value objects
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from dateparser.date import DateDataParser

from .resources import patterns_dir

Tense = Literal["past", "future"]
Grain = Literal["year", "month", "day"]

_MONTH_NAMES = [calendar.month_name[m] for m in range(13)]  # "", "January", ...


class DateTablesError(ValueError):
    """The normalisation tables are missing or malformed."""


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, order=True)
class Point:
    """A calendar point at year, month or day granularity."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def grain(self) -> Grain:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date:
        """The first calendar day the point covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The last calendar day the point covers."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @classmethod
    def of(cls, day: dt.date, grain: Grain = "day") -> Point:
        """The point of ``grain`` containing ``day``."""
        if grain == "year":
            return cls(day.year)
        if grain == "month":
            return cls(day.year, day.month)
        return cls(day.year, day.month, day.day)


@dataclass(frozen=True)
class Value:
    """A DATE value: one point, or a range of two."""

    start: Point
    end: Point

    @classmethod
    def point(cls, p: Point) -> Value:
        """A single-point value."""
        return cls(p, p)

    @property
    def is_range(self) -> bool:
        """True when start and end differ."""
        return self.start != self.end

    @property
    def grain(self) -> Grain:
        """The granularity of the end point (what "the next day" can count from)."""
        return self.end.grain

    def iso(self) -> str:
        """The ISO string: ``A`` or ``A/B``."""
        return self.start.iso() if not self.is_range else f"{self.start.iso()}/{self.end.iso()}"


_ISO_POINT_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_value(iso: str) -> Value | None:
    """Read an ISO value (``2019``, ``2019-07-18``, ``2018/2022``) back into a :class:`Value`."""
    points = []
    for part in iso.split("/"):
        m = _ISO_POINT_RE.match(part)
        if not m:
            return None
        y, mo, d = (int(g) if g else None for g in m.groups())
        points.append(Point(y, mo, d))  # type: ignore[arg-type]
    if len(points) == 1:
        return Value.point(points[0])
    if len(points) == 2:
        return Value(points[0], points[1])
    return None


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Tables:
    """One language's normalisation tables (see ``normalisation.en.json``)."""

    language: str
    months: Mapping[str, int]
    ambiguous_months: frozenset[str]
    weekdays: Mapping[str, int]
    day_parts: frozenset[str]
    seasons: Mapping[str, tuple[int, int]]
    modifiers: frozenset[str]
    period_parts: Mapping[str, tuple[int, int]]
    part_ordinals: frozenset[str]
    part_units: frozenset[str]
    relative_days: Mapping[str, int]
    relative_shifts: Mapping[str, int]
    units: Mapping[str, str]
    anchored: Mapping[str, tuple[str, int]]
    directions: Mapping[str, int]
    numbers: Mapping[str, int | None]
    lists: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        """A plain word list of the table file (e.g. ``quantity_nouns``, ``past_cues``)."""
        try:
            return self.lists[name]
        except KeyError:
            raise DateTablesError(f"no word list {name!r} in the {self.language} tables") from None


_LIST_KEYS = (
    "edges",
    "range_connectors",
    "year_prepositions",
    "month_contexts",
    "quantity_nouns",
    "not_before_year",
    "future_cues",
    "plan_words",
    "present_auxiliaries",
    "plan_verbs",
    "past_cues",
    "not_past_ed",
    "linking_verbs",
    "not_before_month",
    "year_name_nouns",
    "time_words",
)


def tables_path(language: str = "en", root: Path | None = None) -> Path:
    """Where the tables of ``language`` live under the patterns folder."""
    return (root or patterns_dir()) / "dates" / f"normalisation.{language}.json"


@lru_cache(maxsize=8)
def load_tables(path: Path | None = None) -> Tables:
    """Load (once) the normalisation tables; the English file by default."""
    path = path or tables_path()
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DateTablesError(f"{path}: cannot read normalisation tables: {exc}") from None
    try:
        return Tables(
            language=raw["language"],
            months={k.lower(): int(v) for k, v in raw["months"].items()},
            ambiguous_months=frozenset(raw["ambiguous_months"]),
            weekdays={k.lower(): int(v) for k, v in raw["weekdays"].items()},
            day_parts=frozenset(raw["day_parts"]),
            seasons={k: (int(v[0]), int(v[1])) for k, v in raw["seasons"].items()},
            modifiers=frozenset(raw["modifiers"]),
            period_parts={k: (int(v[0]), int(v[1])) for k, v in raw["period_parts"].items()},
            part_ordinals=frozenset(raw["part_ordinals"]),
            part_units=frozenset(raw["part_units"]),
            relative_days={k: int(v) for k, v in raw["relative_days"].items()},
            relative_shifts={k: int(v) for k, v in raw["relative_shifts"].items()},
            units=dict(raw["units"]),
            anchored={k: (str(v[0]), int(v[1])) for k, v in raw["anchored"].items()},
            directions={k: int(v) for k, v in raw["directions"].items()},
            numbers={k: (None if v is None else int(v)) for k, v in raw["numbers"].items()},
            lists={k: frozenset(w.lower() for w in raw[k]) for k in _LIST_KEYS},
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise DateTablesError(f"{path}: malformed normalisation tables: {exc!r}") from None


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Cal:
    """A calendar expression: any of day, month, year; maybe a weekday or a modifier."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    year_shift: int | None = None  # "December last year" -> -1 (year taken from the ref)
    month_shift: int | None = None  # "last October" -> -1, "next March" -> +1, "this July" -> 0


@dataclass(frozen=True)
class Numeric:
    """An all-digit date: ``first`` and ``second`` are day/month in an unknown order."""

    year: int
    first: int
    second: int
    year_first: bool  # 2019-07-18 / 2019/07/18 are always year-month-day


@dataclass(frozen=True)
class Range:
    """Two expressions joined by a range connector."""

    left: Expr
    right: Expr


@dataclass(frozen=True)
class MonthSpan:
    """A part of a year given in months (half, quarter, season): months ``first..last``."""

    first: int
    last: int
    base: Expr  # the year: a Cal with only a year, or a Relative year


@dataclass(frozen=True)
class Decade:
    """``the 1990s``."""

    start: int


@dataclass(frozen=True)
class RelDay:
    """A day relative to the reference date: today, yesterday, tomorrow."""

    offset: int


@dataclass(frozen=True)
class Relative:
    """A unit counted from the reference (``anchored`` False) or a text anchor (True).

    ``last year`` = Relative("year", -1); ``three years ago`` = Relative("year", -3);
    ``the next day`` = Relative("day", 1, anchored=True).
    """

    unit: str
    offset: int
    anchored: bool = False


@dataclass(frozen=True)
class Weekday:
    """A weekday alone: ``Monday``, ``last Thursday`` (shift -1), ``next Friday`` (+1)."""

    weekday: int
    shift: int | None = None


Expr = Cal | Numeric | Range | MonthSpan | Decade | RelDay | Relative | Weekday
RefKind = Literal["none", "calendar", "ref", "anchor-day", "anchor-any"]
_KIND_ORDER: tuple[RefKind, ...] = ("none", "calendar", "ref", "anchor-any", "anchor-day")


def _kind(e: Expr) -> RefKind:
    if isinstance(e, Cal):
        if e.year_shift is not None or e.month_shift is not None:
            return "ref"
        return "calendar" if e.year is None and e.month is not None else "none"
    if isinstance(e, Range):
        return max(_kind(e.left), _kind(e.right), key=_KIND_ORDER.index)
    if isinstance(e, MonthSpan):
        return _kind(e.base)
    if isinstance(e, Relative):
        if not e.anchored:
            return "ref"
        return "anchor-day" if e.unit in ("day", "week") else "anchor-any"
    if isinstance(e, RelDay | Weekday):
        return "ref"
    return "none"


# --------------------------------------------------------------------------- analysis

_WS_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‑": "-"})
_DAY_RE = r"(?P<{n}>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<{n}>\d{{4}})"


def _alternation(words: set[str] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class _Grammar:
    """The regular expressions of one language, built from its tables."""

    def __init__(self, t: Tables) -> None:
        month = _alternation(set(t.months))
        weekday = _alternation(set(t.weekdays))
        edges = _alternation(t.words("edges"))
        mods = _alternation(t.modifiers)
        mod = rf"(?:(?:the\s+)?(?:very\s+)?(?:{mods}|(?:{edges})\s+of)(?:\s+|-\s*))"
        day_a, day_b = _DAY_RE.format(n="d"), _YEAR_RE.format(n="y")
        self.modifier = re.compile(rf"^{mod}")
        self.weekday_prefix = re.compile(rf"^(?P<w>{weekday})\s*,?\s+(?=\S)")
        self.day_month = re.compile(rf"^{day_a}\s+(?:of\s+)?(?P<m>{month})(?:\s*,?\s*{day_b})?$")
        self.month_day = re.compile(rf"^(?P<m>{month})\s+{day_a}(?:\s*,?\s*{day_b})?$")
        self.month_year = re.compile(rf"^(?P<m>{month})(?:\s*,?\s*(?:of\s+)?{day_b})?$")
        self.year = re.compile(r"^(?P<y>\d{4})$")
        self.month_rel_year = re.compile(
            rf"^(?P<m>{month})\s+(?P<s>{_alternation(set(t.relative_shifts))})\s+year$"
        )
        self.shift_month = re.compile(
            rf"^(?P<s>{_alternation(set(t.relative_shifts))})\s+(?P<m>{month})$"
        )
        self.numeric_dmy = re.compile(r"^(\d{1,2})([-./])(\d{1,2})\2(\d{4})$")
        self.short_year_range = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2})$")  # "2022-23"
        self.numeric_ymd = re.compile(r"^(\d{4})([-./])(\d{1,2})\2(\d{1,2})$")
        self.decade = re.compile(rf"^(?:the\s+)?{mod}?(?P<y>\d{{3}}0)'?s$")
        parts = _alternation(set(t.period_parts))
        self.part = re.compile(rf"^(?:the\s+)?(?P<p>{parts})\s+(?:of\s+)?(?P<base>.+)$")
        seasons = _alternation(set(t.seasons))
        self.season = re.compile(rf"^(?:the\s+)?(?P<s>{seasons})\s+(?:of\s+)?(?P<base>.+)$")
        self.shift_season = re.compile(
            rf"^(?P<sh>{_alternation(set(t.relative_shifts))})\s+(?P<s>{seasons})$"
        )
        number = _alternation({k for k, v in t.numbers.items() if v is not None})
        units = _alternation(set(t.units))
        dirs = _alternation(set(t.directions))
        self.counted = re.compile(rf"^(?P<n>\d+|{number})\s+(?P<u>{units})\s+(?P<dir>{dirs})$")
        shifts = _alternation(set(t.relative_shifts))
        self.shift_unit = re.compile(
            rf"^(?:(?:earlier|later|{mods})[\s-]+|(?:the\s+)?(?:{edges})\s+of\s+)?"
            rf"(?P<s>{shifts})\s+(?P<u>{units})$"
        )
        self.the_unit = re.compile(rf"^the\s+(?P<u>{units})$")
        self.weekday_alone = re.compile(
            rf"^(?:(?P<s>{shifts}|{mods})\s+)?(?P<w>{weekday})"
            rf"(?:\s+(?:{_alternation(set(t.day_parts))}))?$"
        )
        self.connector = re.compile(
            r"\s*(?:-|/|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b)\s*"
        )
        self.day_only = re.compile(rf"^{day_a}$")
        self.day_year = re.compile(rf"^{day_a}\s*,?\s*{day_b}$")


def _clean(text: str) -> str:
    """Lowercase, straighten quotes and dashes, squeeze blanks, drop a trailing "'s"."""
    s = _WS_RE.sub(" ", text.translate(_QUOTES).strip().lower())
    return s.removesuffix("'s").strip(" ,")


class DateNormaliser:
    """Turns DATE expressions into ISO values; one instance per language, reused.

    Thread-unsafe caches are fine here: a spaCy pipeline runs documents one at a time.
    """

    def __init__(self, tables: Tables | None = None) -> None:
        self.t = tables or load_tables()
        self.g = _Grammar(self.t)
        # One dateparser, explicit formats only: no fuzzy fallback, no search_dates.
        self._parser = DateDataParser(
            languages=[self.t.language],
            settings={
                "PREFER_DAY_OF_MONTH": "first",
                "PARSERS": ["custom-formats"],
                "REQUIRE_PARTS": [],
                "RETURN_TIME_AS_PERIOD": False,
            },
        )
        # Caches per instance: analyses by text, values by (text, ref, anchor, tense, order).
        self._analyse_cached = lru_cache(maxsize=8192)(self._analyse)
        self._resolve_cached = lru_cache(maxsize=16384)(self._resolve)
        self._calendar = lru_cache(maxsize=8192)(self._calendar_uncached)

    # ---- public ---------------------------------------------------------------------

    def normalise(
        self,
        text: str,
        ref: dt.date | None = None,
        *,
        anchor: Value | None = None,
        tense: Tense | None = None,
        day_first: bool = True,
    ) -> str | None:
        """The ISO value of ``text``, or None when it cannot be resolved.

        ``ref`` is the reference (publication) date: relative expressions and year-less
        dates resolve against it. ``anchor`` is the nearest preceding date in the text,
        used by "the next day", "two days later", "the eve". ``tense`` ("past" or
        "future") steers year-less dates and bare weekdays. ``day_first`` decides
        ambiguous numeric dates such as ``03/04/2019``.
        """
        value = self.resolve(text, ref, anchor=anchor, tense=tense, day_first=day_first)
        return value.iso() if value is not None else None

    def resolve(
        self,
        text: str,
        ref: dt.date | None = None,
        *,
        anchor: Value | None = None,
        tense: Tense | None = None,
        day_first: bool = True,
    ) -> Value | None:
        """Like :meth:`normalise`, but the :class:`Value` itself (cached)."""
        return self._resolve_cached(text, ref, anchor, tense, day_first)

    def analyse(self, text: str) -> Expr | None:
        """The structure of ``text`` (:data:`Expr`), or None when it is no date (cached)."""
        return self._analyse_cached(text)

    def cache_clear(self) -> None:
        """Forget cached analyses and resolutions (for benchmarking)."""
        self._analyse_cached.cache_clear()
        self._resolve_cached.cache_clear()
        self._calendar.cache_clear()

    def is_self_contained(self, text: str) -> bool:
        """True when ``text`` resolves without any reference or anchor (it names its year)."""
        return self.resolve(text) is not None

    def reference_kind(self, text: str) -> RefKind | None:
        """What ``text`` needs to resolve, or None when it is no date expression.

        ``"none"``: it names its year ("July 18, 2019"); ``"calendar"``: a year-less
        calendar date ("July 10"), whose year comes from the reference or the dated
        context; ``"ref"``: relative to the publication date ("yesterday", "last year",
        "on Monday"); ``"anchor-day"`` / ``"anchor-any"``: counted from a preceding date
        in the text, a day ("the next day") or any date ("a year later").
        """
        expr = self.analyse(text)
        return _kind(expr) if expr is not None else None

    # ---- analysis -------------------------------------------------------------------

    def _analyse(self, text: str) -> Expr | None:
        s = _clean(text)
        if not s:
            return None
        return self._analyse_clean(s)

    def _analyse_clean(self, s: str) -> Expr | None:
        t, g = self.t, self.g
        if s in t.relative_days:
            return RelDay(t.relative_days[s])
        if s in t.anchored:
            unit, offset = t.anchored[s]
            return Relative(unit, offset, anchored=True)
        if m := g.decade.match(s):
            return Decade(int(m["y"]))
        if m := g.numeric_dmy.match(s):
            return Numeric(int(m[4]), int(m[1]), int(m[3]), year_first=False)
        if m := g.short_year_range.match(s):
            # "2019-20" is a span of years; "2019-05" (second part not after the first) a month.
            start, second = int(m[1]), int(m[2])
            if second > start % 100:
                return Range(Cal(year=start), Cal(year=start // 100 * 100 + second))
            return Cal(year=start, month=second) if 1 <= second <= 12 else None
        if m := g.numeric_ymd.match(s):
            return Numeric(int(m[1]), int(m[3]), int(m[4]), year_first=True)
        if m := g.counted.match(s):
            return self._counted(m)
        if m := g.shift_unit.match(s):
            unit = t.units[m["u"]]
            return Relative(unit, t.relative_shifts[m["s"]]) if unit != "decade" else None
        if m := g.weekday_alone.match(s):
            shift = m["s"]
            return Weekday(t.weekdays[m["w"]], t.relative_shifts.get(shift) if shift else None)
        if m := g.part.match(s):
            base = self._year_base(m["base"])
            first, last = t.period_parts[m["p"]]
            return MonthSpan(first, last, base) if base is not None else None
        if m := g.season.match(s):
            base = self._year_base(m["base"])
            first, last = t.seasons[m["s"]]
            return MonthSpan(first, last, base) if base is not None else None
        if m := g.shift_season.match(s):
            # "last spring" is the latest spring before the reference, as "last October".
            first, last = t.seasons[m["s"]]
            return MonthSpan(first, last, Cal(month=first, month_shift=t.relative_shifts[m["sh"]]))
        point = self._calendar_expr(s)
        if point is not None:
            return point
        return self._range(s)

    def _counted(self, m: re.Match[str]) -> Expr | None:
        raw = m["n"]
        n = int(raw) if raw.isdigit() else self.t.numbers.get(raw)
        if n is None:
            return None
        unit, direction = self.t.units[m["u"]], self.t.directions[m["dir"]]
        if unit == "decade":
            unit, n = "year", n * 10
        # "ago" counts back from the reference; "later"/"earlier" from a date in the text.
        return Relative(unit, direction * n, anchored=m["dir"] != "ago")

    def _year_base(self, s: str) -> Expr | None:
        """The year a part or season belongs to: ``2023``, ``this year``, ``the year``."""
        if m := self.g.year.match(s):
            return Cal(year=int(m["y"]))
        if m := self.g.shift_unit.match(s):
            if self.t.units[m["u"]] == "year":
                return Relative("year", self.t.relative_shifts[m["s"]])
        if (m := self.g.the_unit.match(s)) and self.t.units[m["u"]] == "year":
            return Relative("year", 0)
        return None

    def _calendar_expr(self, s: str) -> Expr | None:
        """Day, month and year in any usual order, with an optional weekday and modifier."""
        g, t = self.g, self.t
        weekday = None
        if m := g.weekday_prefix.match(s):
            weekday = t.weekdays[m["w"]]
            s = s[m.end() :]
        # Modifiers ("late", "mid-", "the end of") keep the unit they modify.
        modified = weekday is None and g.modifier.match(s) is not None
        if modified:
            s = g.modifier.sub("", s, count=1)
        s = s.removeprefix("the ")
        if modified and s in t.units and t.units[s] in ("year", "month"):
            return Relative(t.units[s], 0)  # "the end of the year": the reference's year
        if m := g.month_rel_year.match(s):
            shift = t.relative_shifts[m["s"]]
            return Cal(month=t.months[m["m"]], year_shift=shift)
        if m := g.shift_month.match(s):
            return Cal(month=t.months[m["m"]], month_shift=t.relative_shifts[m["s"]])
        for rx in (g.day_month, g.month_day):
            if m := rx.match(s):
                year = int(m["y"]) if m["y"] else None
                return Cal(year=year, month=t.months[m["m"]], day=int(m["d"]), weekday=weekday)
        if weekday is not None:
            return None
        if m := g.month_year.match(s):
            return Cal(year=int(m["y"]) if m["y"] else None, month=t.months[m["m"]])
        if m := g.year.match(s):
            return Cal(year=int(m["y"]))
        if (m := g.shift_unit.match(s)) and t.units[m["u"]] in ("year", "month"):
            return Relative(t.units[m["u"]], t.relative_shifts[m["s"]])
        return None

    def _range(self, s: str) -> Expr | None:
        """``A-B``, ``A to B``, ``A and B``: split at the connector that parses on both sides."""
        s = re.sub(r"^(?:from|between)\s+", "", s)
        for m in self.g.connector.finditer(s):
            left, right = s[: m.start()].strip(" ,"), s[m.end() :].strip(" ,")
            if not left or not right:
                continue
            r = self._side(right)
            lexpr = self._side(left) if r is not None else None
            if lexpr is not None and r is not None:
                return Range(lexpr, r)
        return None

    def _side(self, s: str) -> Expr | None:
        """One side of a range, which may lack what the other side gives ("15", "18, 2019")."""
        if m := self.g.day_only.match(s):
            return Cal(day=int(m["d"]))
        if m := self.g.day_year.match(s):
            return Cal(year=int(m["y"]), day=int(m["d"]))
        return self._analyse_clean(s)

    # ---- resolution -----------------------------------------------------------------

    def _resolve(
        self,
        text: str,
        ref: dt.date | None,
        anchor: Value | None,
        tense: Tense | None,
        day_first: bool,
    ) -> Value | None:
        expr = self.analyse(text)
        if expr is None:
            return None
        return self._value(expr, ref, anchor, tense, day_first)

    def _value(
        self,
        e: Expr,
        ref: dt.date | None,
        anchor: Value | None,
        tense: Tense | None,
        day_first: bool,
    ) -> Value | None:
        if isinstance(e, Cal):
            p = self._cal_point(e, ref, tense)
            return Value.point(p) if p is not None else None
        if isinstance(e, Numeric):
            p = self._numeric_point(e, day_first)
            return Value.point(p) if p is not None else None
        if isinstance(e, Range):
            return self._range_value(e, ref, anchor, tense, day_first)
        if isinstance(e, Decade):
            return Value(Point(e.start), Point(e.start + 9))
        if isinstance(e, MonthSpan):
            base = self._value(e.base, ref, anchor, tense, day_first)
            if base is None:
                return None
            year = base.start.year  # the year, or the season's first month for "last spring"
            end_year = year + 1 if e.last < e.first else year  # winter runs into January
            return Value(Point(year, e.first), Point(end_year, e.last))
        if isinstance(e, RelDay):
            return Value.point(Point.of(ref + dt.timedelta(days=e.offset))) if ref else None
        if isinstance(e, Relative):
            return self._relative(e, ref, anchor)
        if isinstance(e, Weekday):
            return self._weekday(e, ref, tense)
        return None

    def _relative(self, e: Relative, ref: dt.date | None, anchor: Value | None) -> Value | None:
        if e.anchored:
            # Before a range counts from its start ("the eve" of 12-16 October), after it
            # from its end ("the next day").
            point = (anchor.end if e.offset > 0 else anchor.start) if anchor is not None else None
            base = point if point is not None else (Point.of(ref) if ref else None)
            if base is None:
                return None
            if e.unit in ("day", "week") and base.grain != "day":
                return None  # "the next day" after "in 2019" says nothing about the day
            if e.unit == "month" and base.month is None:
                return None
            return _shift(base.first_day(), e.unit, e.offset, keep=base.grain)
        if ref is None:
            return None
        if e.unit == "week" and e.offset in (-1, 0, 1):
            monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=e.offset)
            return Value(Point.of(monday), Point.of(monday + dt.timedelta(days=6)))
        return _shift(ref, e.unit, e.offset)

    def _weekday(self, e: Weekday, ref: dt.date | None, tense: Tense | None) -> Value | None:
        if ref is None:
            return None
        delta = (e.weekday - ref.weekday()) % 7  # days ahead to the next such day (0..6)
        if e.shift == 1:  # "next Friday": strictly after the reference
            day = ref + dt.timedelta(days=delta or 7)
        elif e.shift == -1:  # "last Thursday": strictly before
            day = ref - dt.timedelta(days=(7 - delta) % 7 or 7)
        elif tense == "future":  # "will launch on Monday": on or after
            day = ref + dt.timedelta(days=delta)
        else:  # press releases mostly report: the most recent such day, on or before
            day = ref - dt.timedelta(days=(7 - delta) % 7)
        return Value.point(Point.of(day))

    def _range_value(
        self,
        e: Range,
        ref: dt.date | None,
        anchor: Value | None,
        tense: Tense | None,
        day_first: bool,
    ) -> Value | None:
        left, right = e.left, e.right
        borrowed = lent = False  # the left side took its year from the right one, or lent it
        # Missing parts are shared: "17-21 November 2019", "July 15-18", "1996 to 2018".
        if isinstance(left, Cal) and isinstance(right, Cal):
            if left.day is not None and right.day is not None:
                if left.month is None:
                    left = Cal(year=left.year or right.year, month=right.month, day=left.day)
                if right.month is None:
                    right = Cal(year=right.year or left.year, month=left.month, day=right.day)
            if left.month is not None and right.month is not None:
                if left.year is None and right.year is not None:
                    left, borrowed = Cal(year=right.year, month=left.month, day=left.day), True
                elif right.year is None and left.year is not None:
                    right, lent = Cal(year=left.year, month=right.month, day=right.day), True
                elif left.year is None and right.year is None:
                    # Resolve the start against the reference (an event under way is not
                    # in the future), then lend its year to the end.
                    lp = self._cal_point(left, ref, tense)
                    if lp is None:
                        return None
                    left = Cal(year=lp.year, month=left.month, day=left.day)
                    right, lent = Cal(year=lp.year, month=right.month, day=right.day), True
        lv = self._value(left, ref, anchor, tense, day_first)
        rv = self._value(right, ref, anchor, tense, day_first)
        if lv is None or rv is None:
            return None
        start, end = lv.start, rv.end
        if start.first_day() > end.last_day() and start.month is not None and end.month:
            # "December 20 - January 5": the range crosses into the next year.
            if borrowed:
                start = self._calendar(end.year - 1, start.month, start.day) or start
            elif lent:
                end = self._calendar(start.year + 1, end.month, end.day) or end
        if start.first_day() > end.last_day():
            return None
        return Value(start, end)

    def _numeric_point(self, e: Numeric, day_first: bool) -> Point | None:
        if e.year_first:
            return self._calendar(e.year, e.first, e.second)
        day, month = (e.first, e.second) if day_first else (e.second, e.first)
        if month > 12 and day <= 12:  # the other order is the only valid one
            day, month = month, day
        return self._calendar(e.year, month, day)

    def _cal_point(self, e: Cal, ref: dt.date | None, tense: Tense | None) -> Point | None:
        if e.month is None:
            return Point(e.year) if e.year is not None else None
        year = e.year
        if year is None:
            if ref is None:
                return None
            if e.year_shift is not None:
                year = ref.year + e.year_shift
            elif e.month_shift is not None:
                year = _month_shift_year(e.month, e.month_shift, ref)
            else:
                year = _pick_year(e.month, e.day, e.weekday, ref, tense)
            if year is None:
                return None
        return self._calendar(year, e.month, e.day)

    def _calendar_uncached(self, year: int, month: int, day: int | None) -> Point | None:
        """Validate a calendar point with dateparser (explicit format, no guessing)."""
        if not 1 <= month <= 12:
            return None
        if day is None:
            text, fmt = f"{_MONTH_NAMES[month]} {year:04d}", "%B %Y"
        else:
            text, fmt = f"{day} {_MONTH_NAMES[month]} {year:04d}", "%d %B %Y"
        data = self._parser.get_date_data(text, date_formats=[fmt])
        if data.date_obj is None:
            return None
        d = data.date_obj.date()
        return Point(d.year, d.month, d.day if day is not None else None)


# --------------------------------------------------------------------------- arithmetic


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: dt.date, unit: str, offset: int, keep: Grain | None = None) -> Value | None:
    """``day`` moved by ``offset`` units, at the unit's granularity (or ``keep``'s if finer)."""
    if unit == "day":
        return Value.point(Point.of(day + dt.timedelta(days=offset)))
    if unit == "week":
        return Value.point(Point.of(day + dt.timedelta(weeks=offset)))
    if unit == "month":
        return Value.point(Point.of(_add_months(day, offset), "month"))
    if unit == "year":
        return Value.point(Point(day.year + offset))
    return None


def _month_shift_year(month: int, shift: int, ref: dt.date) -> int:
    """Year of "last October" (-1), "this July" (0), "next March" (+1) from ``ref``."""
    if shift < 0:
        return ref.year if month < ref.month else ref.year - 1
    if shift > 0:
        return ref.year if month > ref.month else ref.year + 1
    return ref.year


_TENSE_SLACK_DAYS = 7


def _pick_year(
    month: int, day: int | None, weekday: int | None, ref: dt.date, tense: Tense | None
) -> int | None:
    """The year of a year-less month or day: the nearest to ``ref``, steered by tense.

    A weekday given with the date ("Friday, Dec. 20") picks the year it fits, when
    exactly one nearby year fits. Past tense never resolves into the future, future
    tense never into the past (within a year either way).
    """
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        if day is not None and day > calendar.monthrange(year, month)[1]:
            continue
        if day is None:
            distance = (year * 12 + month) - (ref.year * 12 + ref.month)  # in months
            distance_days = distance * 30
        else:
            distance_days = (dt.date(year, month, day) - ref).days
        candidates.append((year, distance_days))
    if not candidates:
        return None
    if weekday is not None and day is not None:
        fitting = [y for y, _ in candidates if dt.date(y, month, day).weekday() == weekday]
        if len(fitting) == 1:
            return fitting[0]
    # Nearest; a tie (six months either way) goes to the past, as reports mostly look back.
    year, distance = min(candidates, key=lambda c: (abs(c[1]), c[1] > 0))
    if abs(distance) <= _TENSE_SLACK_DAYS:
        return year  # a few days off the reference: time zones, late filing, not tense
    if tense == "past" and distance > 0:
        earlier = [c for c in candidates if c[1] <= 0]
        year = max(earlier, key=lambda c: c[1])[0] if earlier else year
    elif tense == "future" and distance < 0:
        later = [c for c in candidates if c[1] >= 0]
        year = min(later, key=lambda c: c[1])[0] if later else year
    return year


# --------------------------------------------------------------------------- defaults


@lru_cache(maxsize=1)
def default_normaliser() -> DateNormaliser:
    """The shared English normaliser (tables from the patterns folder)."""
    return DateNormaliser(load_tables())


def normalise(
    text: str,
    ref: dt.date | None = None,
    *,
    anchor: Value | None = None,
    tense: Tense | None = None,
    day_first: bool = True,
) -> str | None:
    """ISO value of the English DATE expression ``text`` (see :meth:`DateNormaliser.normalise`)."""
    return default_normaliser().normalise(
        text, ref, anchor=anchor, tense=tense, day_first=day_first
    )
