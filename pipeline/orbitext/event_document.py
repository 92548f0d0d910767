"""The document as the argument rules see it: its entities, triggers and clauses.

:class:`DocContext` caches per-document facts (clause bounds, datelines, headings, the
article's main station); the helpers here read entities: standard names, pads and
facilities, owners ("NASA's ..."), and which trigger of a clause an entity belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc, Span

from .event_context import (
    NP_STOP,
    Dateline,
    doc_ents,
    ent_starts,
    find_datelines,
    heading_lines,
    headline_end,
    is_subordinate,
    lowers,
    sentence_clauses,
)
from .event_triggers import Candidate
from .extensions import full_text

_PREPOSITIONS: frozenset[str] = frozenset(
    "during at in on after before for of within ahead".split()
)
_COORDINATION_REACH = 12

# "Site 31" is a pad, "Wenchang Space Launch Site" a spaceport.
_PAD_RE = re.compile(
    r"\b(?:pad|complex|start|slc|lc|platform)\b|\b(?:site|area)\s*\d", re.IGNORECASE
)

# Heads that make a place a facility (spaceport, centre, base) rather than a region.
_FACILITY_RE = re.compile(
    r"\b(?:cosmodrome|spaceport|center|centre|base|station|range|facility|harbou?r|"
    r"headquarters|hall|airport|institute|site)\b",
    re.IGNORECASE,
)

_FACILITY_HEADS: frozenset[str] = frozenset(
    "cosmodrome spaceport centre center base headquarters hall complex".split()
)

_MODULE_WORDS: frozenset[str] = frozenset(
    "module node adapter segment compartment airlock laboratory lab".split()
)


def name_of(ent: Span) -> str:
    """An entity's standard name: its canonical name, else its text."""
    return ent._.canonical or ent.text


def is_pad(ent: Span) -> bool:
    """A launch pad, complex or site: ``Launch Pad No.1``, ``Site 31``, ``SLC-40``."""
    return bool(_PAD_RE.search(ent.text) or _PAD_RE.search(ent._.canonical or ""))


def is_facility(doc: Doc, loc: Span) -> bool:
    """A spaceport, centre or base: by its own head word or a lowercase one after it."""
    if _FACILITY_RE.search(loc.text) or _FACILITY_RE.search(loc._.canonical or ""):
        return True
    after = lowers(doc, loc.end, loc.end + 2)
    return bool(set(after) & _FACILITY_HEADS)


def owns_next(doc: Doc, ent: Span, label: str) -> bool:
    """The owner of the next name: "NASA's Johnson Space Center", "SpaceX's Dragon"."""
    return (
        ent.end + 1 < len(doc)
        and doc[ent.end].text in ("'s", "’s")
        and doc[ent.end + 1].ent_type_ == label
    )


def nearest_trigger(
    ctx: DocContext,
    cand: Candidate,
    ent: Span,
    own: tuple[int, int],
    types: frozenset[str] | None = frozenset({"LAUNCH", "LANDING", "DOCKING"}),
) -> bool:
    """In a clause with several events, an entity goes to the closest trigger.

    Coordinated names go together: in "signed by A and B during a video conference",
    B is as close to "signed" as A is.
    """
    rivals = [c for c in ctx.candidates_from(own[0], own[1]) if types is None or c.type in types]
    doc = ctx.doc
    group = coordination(doc, ent)

    def distance(c: Candidate) -> int:
        # "signed by A and B during a video conference": a trigger in a prepositional
        # phrase claims nothing before it when another trigger stands before the names.
        if (
            ent.end <= c.start
            and _after_preposition(doc, c)
            and any(r.end <= ent.start for r in rivals)
        ):
            return len(doc)
        return min(max(c.start - e.end, e.start - c.end, 0) for e in group)

    return all(distance(cand) <= distance(c) for c in rivals)


def _after_preposition(doc: Doc, cand: Candidate) -> bool:
    """The trigger heads a prepositional phrase: "during a video conference"."""
    for tok in reversed(doc[max(0, cand.start - 3) : cand.start]):
        if tok.lower_ in _PREPOSITIONS:
            return True
        if not tok.is_alpha or tok.ent_type_:
            return False
    return False


def coordination(doc: Doc, ent: Span) -> list[Span]:
    """``ent`` and the names coordinated before it ("A, B and C"), with role words between.

    "Roscosmos Director General Dmitry Rogozin and CNSA Administrator Zhang Kejian"
    """
    group = [ent]
    i = ent.start - 1
    linked = False
    while i >= 0 and ent.start - i <= _COORDINATION_REACH:
        tok = doc[i]
        if tok.lower_ in ("and", ",", "&"):
            linked = True
        elif tok.ent_type_:
            start = i
            while doc[start].ent_iob_ == "I":
                start -= 1
            if linked:  # a conjunct; a name met before any "and" is a modifier
                group.append(doc[start : i + 1])
                linked = False
            i = start
        elif not (tok.is_alpha and not tok.is_sent_start and tok.lower_ not in NP_STOP):
            break
        i -= 1
    return group


class DocContext:
    """Per-document facts the argument rules share: clauses, triggers, datelines."""

    def __init__(self, doc: Doc, candidates: list[Candidate]) -> None:
        self.doc = doc
        self.ents: list[Span] = doc_ents(doc)
        self._ent_starts = ent_starts(doc)  # doc.ents are in text order
        self.candidates = candidates
        self._candidate_starts = [c.start for c in candidates]
        self.trigger_tokens = {i for c in candidates for i in range(c.start, c.end)}
        self.newlines = [m.start() for m in re.finditer("\n", full_text(doc))]
        self.main_station = main_station(self.ents)
        self.headline_end = headline_end(doc)
        self.headings = sorted(heading_lines(doc, self.newlines))
        self.datelines: dict[int, Dateline] = {d.sent_start: d for d in find_datelines(doc)}
        self.first_dateline = min(self.datelines.values(), key=lambda d: d.sent_start, default=None)

    def bounds(self, sent: Span) -> list[tuple[int, int]]:
        """Clause bounds of ``sent`` (cached while the event finder runs)."""
        return sentence_clauses(sent)

    def candidates_from(self, a: int, b: int) -> list[Candidate]:
        """The trigger candidates starting inside tokens ``[a, b)`` (candidates are in order)."""
        lo = bisect_left(self._candidate_starts, a)
        return self.candidates[lo : bisect_left(self._candidate_starts, b)]

    def ents_before(self, end: int) -> list[Span]:
        """The entities starting before token ``end``, in text order."""
        return self.ents[: bisect_left(self._ent_starts, end)]

    def ents_starting(self, a: int, b: int) -> list[Span]:
        """The entities starting inside tokens ``[a, b)`` (they may end after ``b``)."""
        return self.ents[bisect_left(self._ent_starts, a) : bisect_left(self._ent_starts, b)]

    def ents_in(self, a: int, b: int, label: str | None = None) -> list[Span]:
        """Entities inside tokens ``[a, b)``, optionally of one label."""
        return [e for e in self.ents_starting(a, b) if e.end <= b and label in (None, e.label_)]

    def is_dateline_clause(self, clause: tuple[int, int]) -> bool:
        """True for the ``PLACE, DATE —`` clause opening a sentence."""
        # A clause ending by a dateline's end and starting at or after its sentence's
        # start lies in that sentence: no sentence look-up needed (a text has one or two).
        return any(
            line.sent_start <= clause[0] and clause[1] <= line.end
            for line in self.datelines.values()
        )

    def free_clauses(self, sent: Span, own: tuple[int, int]) -> list[tuple[int, int]]:
        """The other main clauses of the sentence that hold no trigger and are no dateline.

        Relative and subordinate clauses ("since July 10, when a Vega was lost") describe
        something else and lend nothing.
        """
        return [
            c
            for c in self.bounds(sent)
            if c != own
            and not self.trigger_tokens.intersection(range(*c))
            and not self.is_dateline_clause(c)
            and not is_subordinate(self.doc, c)
        ]


def main_station(ents: list[Span]) -> str | None:
    """The station the article is about: the most mentioned one, a whole station first."""
    counts: dict[str, int] = {}
    modules: set[str] = set()
    whole: set[str] = set()
    for e in ents:
        if e.label_ == "VEHICLE" and e._.kind == "station":
            name = name_of(e)
            counts[name] = counts.get(name, 0) + 1
            after = e.doc[e.end].lower_ if e.end < len(e.doc) else ""
            if after in _MODULE_WORDS:
                modules.add(name)
            if after == "station" or "station" in name.lower():
                whole.add(name)
    if not counts:
        return None
    return max(counts, key=lambda n: (n not in modules, n in whole, counts[n]))
