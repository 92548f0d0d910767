"""DATE candidates: token patterns find them, :mod:`orbitext.datenorm` gives their values.

The patterns live in ``patterns/dates/*.jsonl`` (rule files, one group a line, see
:mod:`orbitext.patterns_io`). Besides spaCy's token-pattern keys a group may carry:

- ``priority`` (int, default 0): breaks ties between overlapping matches of equal length
  (longer matches always win);
- ``context``: conditions on the neighbouring tokens (lowercased), any of ``prev_in``,
  ``prev_not_in``, ``next_in``, ``next_not_in`` (``""`` stands for the start or end of
  the text) — e.g. a bare year must not be followed by a unit ("2000 kg");
- ``drop_unresolved`` (bool, default false): drop a match whose value is null (a numeric
  shape that is no valid date, "45.13.2019").

Word lists in patterns and contexts may name a table of
``patterns/dates/normalisation.en.json`` instead of spelling it out: ``"$MONTH"`` (month
names and abbreviations, cased), ``"$MONTH_SAFE"`` / ``"$MONTH_AMBIGUOUS"`` (full month
names that are / are not also ordinary words: "July" vs "May"), ``"$WEEKDAY"``,
``"$WEEKDAY_FULL"``, ``"$MODIFIER"``, ``"$EDGE"``, ``"$SEASON"``, ``"$DAY_PART"``,
``"$SHIFT"``, ``"$UNIT"``, ``"$NUMBER"``, ``"$PART_ORDINAL"``, ``"$PART_UNIT"``,
``"$RELATIVE_DAY"``, ``"$YEAR_PREP"``, ``"$MONTH_CONTEXT"``, ``"$QUANTITY_NOUN"``,
``"$NOT_BEFORE_YEAR"``, ``"$NOT_BEFORE_MONTH"``, ``"$YEAR_NAME_NOUN"``, ``"$TIME_WORD"``.
A placeholder stands for a whole list (``{"IN": "$MONTH"}``) or is spliced into one
(``{"IN": ["$UNIT", "fortnight"]}``).

The component also sets ``doc._.reference_date`` from the dateline when the caller left
it unset (:mod:`orbitext.dateline`), then resolves every span in text order so that
"the next day" and year-less dates can lean on the dates before them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span

from .dateline import find_dateline, infer_year
from .datenorm import DateNormaliser, Point, Tables, Tense, Value, load_tables, tables_path
from .extensions import full_text, register_extensions
from .indexed_matcher import IndexedMatcher
from .patterns_io import PatternGroup, load_groups, rule_files
from .resources import patterns_dir as default_patterns_dir
from .schema import SchemaError

SPAN_GROUP = "dates"
LABEL = "DATE"
_CONTEXT_KEYS = ("prev_in", "prev_not_in", "next_in", "next_not_in")


@Language.factory("orbitext_dates", default_config={"patterns_dir": ""})
def make_dates(nlp: Language, name: str, patterns_dir: str) -> DateFinder:
    """Factory for :class:`DateFinder` (``patterns_dir`` empty: the default folder)."""
    return DateFinder(nlp, name, Path(patterns_dir) if patterns_dir else None)


# --------------------------------------------------------------------------- placeholders


def _cased(words: Iterable[str]) -> list[str]:
    """Title and upper case forms: months and weekdays are names ("May" but not "may")."""
    return sorted({form for w in words for form in (w[:1].upper() + w[1:], w.upper())})


def placeholders(t: Tables) -> dict[str, list[str]]:
    """The ``$NAME`` word lists the date patterns may use, from the tables."""
    full_months = {calendar.month_name[m].lower() for m in range(1, 13)}
    full_days = {calendar.day_name[d].lower() for d in range(7)}
    return {
        "$MONTH": _cased(t.months),
        "$MONTH_SAFE": _cased(full_months - t.ambiguous_months),
        "$MONTH_AMBIGUOUS": _cased(full_months & t.ambiguous_months),
        "$WEEKDAY": _cased(t.weekdays),
        "$WEEKDAY_FULL": _cased(full_days),
        "$MODIFIER": sorted(t.modifiers),
        "$EDGE": sorted(t.words("edges")),
        "$SEASON": sorted(t.seasons),
        "$DAY_PART": sorted(t.day_parts),
        "$SHIFT": sorted(w for w in t.relative_shifts if " " not in w),
        "$UNIT": sorted(t.units),
        "$NUMBER": sorted(w for w, n in t.numbers.items() if n is not None and " " not in w),
        "$PART_ORDINAL": sorted(t.part_ordinals),
        "$PART_UNIT": sorted(t.part_units),
        "$RELATIVE_DAY": sorted(w for w in t.relative_days if " " not in w),
        "$YEAR_PREP": sorted(t.words("year_prepositions")),
        "$MONTH_CONTEXT": sorted(t.words("month_contexts")),
        "$QUANTITY_NOUN": sorted(t.words("quantity_nouns")),
        "$NOT_BEFORE_YEAR": sorted(t.words("not_before_year")),
        "$NOT_BEFORE_MONTH": sorted(t.words("not_before_month")),
        "$YEAR_NAME_NOUN": sorted(t.words("year_name_nouns")),
        "$TIME_WORD": sorted(t.words("time_words")),
    }


def _expand(obj: Any, names: dict[str, list[str]], where: str) -> Any:
    """Replace ``"$NAME"`` strings standing for lists, recursively."""
    if isinstance(obj, dict):
        return {
            k: (
                _lookup(v, names, where)
                if k in ("IN", "NOT_IN") and isinstance(v, str)
                else _expand(v, names, where)
            )
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        out: list[Any] = []
        for item in obj:
            if isinstance(item, str) and item.startswith("$"):
                out.extend(_lookup(item, names, where))
            else:
                out.append(_expand(item, names, where))
        return out
    return obj


def _lookup(name: str, names: dict[str, list[str]], where: str) -> list[str]:
    if name not in names:
        raise SchemaError(where, f"unknown placeholder {name!r} (known: {', '.join(names)})")
    return names[name]


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class _Group:
    name: str
    priority: int
    drop_unresolved: bool
    context: dict[str, frozenset[str]] = field(default_factory=dict)

    def accepts(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the tokens around ``doc[start:end]`` satisfy the group's context."""
        prev = {doc[start - 1].lower_ if start > 0 else ""}
        if start > 1 and prev == {"."}:
            prev.add(doc[start - 2].lower_ + ".")  # "No. 1999" is tokenised "No", ".", "1999"
        nxt = doc[end].lower_ if end < len(doc) else ""
        c = self.context
        return not (
            ("prev_in" in c and not prev & c["prev_in"])
            or ("prev_not_in" in c and prev & c["prev_not_in"])
            or ("next_in" in c and nxt not in c["next_in"])
            or ("next_not_in" in c and nxt in c["next_not_in"])
        )


def _group(g: PatternGroup, names: dict[str, list[str]]) -> _Group:
    where = f"{g.source_file}:{g.line}"
    extra = g.model_extra or {}
    raw_context = extra.get("context", {})
    if not isinstance(raw_context, dict) or set(raw_context) - set(_CONTEXT_KEYS):
        raise SchemaError(where, f"context keys must be among {', '.join(_CONTEXT_KEYS)}")
    context = {
        k: frozenset(w.lower() for w in _expand(list(v), names, where))
        for k, v in raw_context.items()
    }
    return _Group(
        name=g.group,
        priority=int(extra.get("priority", 0)),
        drop_unresolved=bool(extra.get("drop_unresolved", False)),
        context=context,
    )


# --------------------------------------------------------------------------- component


@dataclass
class _State:
    """What the resolution of one document has seen so far."""

    ref: dt.date | None
    day_first: bool
    last_day: Value | None = None  # for "the next day"
    last_any: Value | None = None  # for "a year later"
    context: tuple[Value, int] | None = None  # last self-dated month/day and its char end
    context_any: Value | None = None  # last self-dated value of any grain


class DateFinder:
    """Writes DATE spans with ``span._.value`` into ``doc.spans["dates"]``.

    Also sets ``doc._.reference_date`` from the dateline when it is unset.
    """

    def __init__(self, nlp: Language, name: str = "orbitext_dates", root: Path | None = None):
        register_extensions()
        self.name = name
        root = root or default_patterns_dir()
        self.tables = load_tables(tables_path("en", root))
        self.norm = DateNormaliser(self.tables)
        names = placeholders(self.tables)
        self.matcher = IndexedMatcher(nlp.vocab)
        self.groups: dict[int, _Group] = {}
        files = rule_files(root, "dates")
        if not files:
            raise SchemaError(str(root / "dates"), "no date pattern files (*.jsonl)")
        for path in files:
            for g in load_groups(path):
                where = f"{g.source_file}:{g.line}"
                if g.label != LABEL:
                    raise SchemaError(where, f"date groups must have label DATE, not {g.label!r}")
                patterns = _expand(g.patterns, names, where)
                for pattern in patterns:
                    problems = validate_token_pattern(pattern)
                    if problems:
                        raise SchemaError(where, f"group {g.group!r}: bad pattern: {problems[0]}")
                    try:
                        self.matcher.add(g.group, pattern)
                    except (ValueError, KeyError, TypeError) as exc:
                        raise SchemaError(
                            where, f"group {g.group!r}: bad pattern: {exc}"
                        ) from None
                self.groups[nlp.vocab.strings[g.group]] = _group(g, names)
        w = self.tables.words
        self._future, self._plan = w("future_cues"), w("plan_words")
        self._present, self._plan_verbs = w("present_auxiliaries"), w("plan_verbs")
        self._past, self._not_past_ed = w("past_cues"), w("not_past_ed")
        self._linking = w("linking_verbs") | self._present

    # ---- finding --------------------------------------------------------------------

    def find(self, doc: Doc) -> list[tuple[int, int, _Group]]:
        """Non-overlapping matches (longest first, then priority, then leftmost)."""
        found = []
        for match_id, start, end in self.matcher(doc):
            group = self.groups[match_id]
            if group.accepts(doc, start, end) and not self._invalid(doc[start:end].text, group):
                found.append((start, end, group))
        found.sort(key=lambda m: (-(m[1] - m[0]), -m[2].priority, m[0]))
        taken = [False] * len(doc)
        chosen = []
        for start, end, group in found:
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                chosen.append((start, end, group))
        return sorted(chosen, key=lambda m: m[0])

    def _invalid(self, text: str, group: _Group) -> bool:
        """A self-dated match of a ``drop_unresolved`` group that names no valid date."""
        if not group.drop_unresolved:
            return False
        kind = self.norm.reference_kind(text)
        if kind is None:
            return True
        return kind == "none" and self.norm.resolve(text) is None

    # ---- the pipe -------------------------------------------------------------------

    def memory_zone(self, mem: object = None) -> AbstractContextManager[None]:
        """Called by spaCy's ``nlp.memory_zone()``: forget the words first seen inside it."""
        return self.matcher.memory_zone()

    def __call__(self, doc: Doc) -> Doc:
        matches = self.find(doc)
        spans = [Span(doc, s, e, label=LABEL) for s, e, _ in matches]
        tenses = [self.tense(doc, span) for span in spans]
        kinds = [self.norm.reference_kind(span.text) for span in spans]
        ref = doc._.reference_date
        if ref is None:
            ref = self.reference_from_dateline(doc, spans, kinds, tenses)
            doc._.reference_date = ref
        state = _State(ref=ref, day_first=self._day_first(spans))
        out = []
        for (_, _, group), span, kind, tense in zip(matches, spans, kinds, tenses, strict=True):
            value = self._resolve(doc, span, kind, tense, state)
            if value is None and group.drop_unresolved:
                continue
            span._.value = value.iso() if value is not None else None
            span._.source = f"dates:{group.name}"
            out.append(span)
        doc.spans[SPAN_GROUP] = out
        return doc

    def reference_from_dateline(
        self,
        doc: Doc,
        spans: Sequence[Span],
        kinds: Sequence[str | None],
        tenses: Sequence[Tense | None],
    ) -> dt.date | None:
        """The publication date from the dateline, its year inferred when not given."""
        line = find_dateline(full_text(doc), self.norm)
        if line is None:
            return None
        if line.year is not None:
            return line.date()
        evidence = []
        for span, kind, tense in zip(spans, kinds, tenses, strict=True):
            if kind == "none" and not (span.start_char < line.end and line.start < span.end_char):
                value = self.norm.resolve(span.text)
                if value is not None:
                    evidence.append((value, tense))
        # A year-less dateline in a text with no dated context: the year in the article's
        # file name (press-2015-12-23.txt), when the caller found one, is the best evidence.
        return line.date(infer_year(line.month, line.day, evidence) or doc._.year_hint)

    def _resolve(
        self, doc: Doc, span: Span, kind: str | None, tense: Tense | None, st: _State
    ) -> Value | None:
        text = span.text
        if kind is None:
            return None
        if kind == "none":
            value = self.norm.resolve(text, day_first=st.day_first)
            if value is not None:
                st.context_any = value
                if value.start.grain != "year":
                    st.context = (value, span.end_char)
        elif kind == "calendar":
            base = self._calendar_base(doc, span, st)
            # Tense places a date before or after the time of writing; against a dated
            # context ("On 11 August 2023 … planned for 21 August") the nearest year wins.
            if base is not st.ref:
                tense = None
            value = self.norm.resolve(text, base, tense=tense, day_first=st.day_first)
        elif kind == "ref":
            value = self.norm.resolve(text, st.ref, tense=tense, day_first=st.day_first)
        else:
            anchor = st.last_day if kind == "anchor-day" else st.last_any
            value = self.norm.resolve(
                text, st.ref, anchor=anchor, tense=tense, day_first=st.day_first
            )
        if value is not None:
            st.last_any = value
            if value.end.grain == "day":
                st.last_day = value
        return value

    def _calendar_base(self, doc: Doc, span: Span, st: _State) -> dt.date | None:
        """The date a year-less date is read against: the reference, or the dated context.

        The context (the last date naming its year, to the month or day) wins when it is
        in the same paragraph and in another year than the reference ("On July 15, 1975
        … On July 17 it docked"), or when there is no reference at all.
        """
        if st.ref is None:
            return _middle(st.context_any.start) if st.context_any is not None else None
        if st.context is not None:
            value, end = st.context
            same_paragraph = "\n" not in full_text(doc)[end : span.start_char]
            if same_paragraph and value.start.year != st.ref.year:
                return _middle(value.start)
        return st.ref

    def _day_first(self, spans: Sequence[Span]) -> bool:
        """Whether the document writes day before month ("18 July"): decides "03/04/2019"."""
        months = self.tables.months
        day_first = month_first = 0
        for span in spans:
            words = [t.lower_ for t in span]
            for a, b in zip(words, words[1:], strict=False):
                if a in months and b[:1].isdigit():
                    month_first += 1
                elif b in months and a[:1].isdigit():
                    day_first += 1
        return day_first >= month_first

    # ---- tense ----------------------------------------------------------------------

    def tense(self, doc: Doc, span: Span) -> Tense | None:
        """The tense of the clause around ``span``: the nearest cue before it, else after.

        Cues: "will", "is scheduled", "plans to" (future); "was", "had", a past-tense
        verb (past). Cheap, and only used to choose between two readings.
        """
        sent_start, sent_end = self._sentence(doc, span)
        for i in range(span.start - 1, max(sent_start, span.start - 15) - 1, -1):
            cue = self._cue(doc, i)
            if cue is not None:
                return cue
        for i in range(span.end, min(sent_end, span.end + 8)):
            cue = self._cue(doc, i)
            if cue is not None:
                return cue
        return None

    @staticmethod
    def _sentence(doc: Doc, span: Span) -> tuple[int, int]:
        """The sentence's bounds within the window the cues are looked for in.

        Scans only the window: ``span.sent`` and ``doc.has_annotation`` walk the whole
        document, which made long texts quadratic.
        """
        start = span.start
        while start > max(0, span.start - 15) and not doc[start].is_sent_start:
            start -= 1
        end = span.end
        while end < min(len(doc), span.end + 8) and not doc[end].is_sent_start:
            end += 1
        return start, end

    def _cue(self, doc: Doc, i: int) -> Tense | None:
        w = doc[i].lower_
        prev = doc[i - 1].lower_ if i > 0 else ""
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if w in self._future:
            return "future"
        if w in self._plan_verbs and nxt == "to":
            return "future"
        if w in self._plan:
            return "future" if prev in self._present or prev in self._future else None
        if w in self._past:
            return "past"
        if len(w) > 4 and w.endswith("ed") and w.isalpha() and w not in self._not_past_ed:
            # "remain docked", "is based": a participle after a linking verb tells no tense.
            return None if prev in self._linking else "past"
        return None


def _middle(p: Point) -> dt.date:
    """The middle of a point's period: a year-less date near it takes its year."""
    if p.grain == "year":
        return dt.date(p.year, 7, 2)
    if p.grain == "month":
        return dt.date(p.year, p.month or 1, 15)
    return p.first_day()
