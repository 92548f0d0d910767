"""The entity resolver: choose one flat entity layer from every component's candidates.

Candidates come from the span groups ``dates``, ``gazetteer`` and ``rules``. Each rule
group may carry a ``priority``; among overlapping candidates the higher priority wins,
then the longer span ("longest well-formed match wins"), then a gazetteer candidate over
a rule one (it knows the canonical name). Candidates labelled ``BLOCK`` win like any other
but are not entities: they keep a stretch of text out of every label (``Moscow time``,
mission designators such as ``NG-11``). Canonical names are then assigned by
:mod:`orbitext.aliases`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .acronyms import propose_expansions
from .aliases import assign_canonical_names
from .candidates import info_of, propose
from .coordination import propagate
from .lexicons import read_word_list, title_words
from .roles import assign_roles

_SERIAL_NO = re.compile(r"^No\.\d+$")
CANDIDATE_KEYS: tuple[str, ...] = ("dates", "gazetteer", "rules")
BLOCK = "BLOCK"
# Dates are found by their own precise component; they outrank names of equal extent.
_SOURCE_RANK = {"dates": 2, "gazetteer": 1, "rules": 0}


@Language.factory("orbitext_entities", default_config={"patterns_dir": ""})
def make_entities(nlp: Language, name: str, patterns_dir: str) -> EntityResolver:
    """Factory for :class:`EntityResolver`."""
    titles = Path(patterns_dir) / "lexicons" / "person_titles.txt"
    return EntityResolver(name, title_words(read_word_list(titles)))


def _joined(doc: Doc, i: int) -> bool:
    """True when token ``i`` is a hyphen glued to both neighbours (``Briz-M``)."""
    return (
        0 < i < len(doc) - 1
        and doc[i].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def _name_part(tok: Token) -> bool:
    text = tok.text
    return (text[:1].isupper() or text[:1].isdigit()) and not text.endswith(".")


def _glued_suffix(doc: Doc, end: int) -> bool:
    """True when token ``end`` continues the previous one without a space (``M-27`` + ``M``)."""
    return (
        end < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].is_alpha
        and doc[end].is_upper
        and len(doc[end]) <= 2
    )


def extend_over_hyphens(doc: Doc, span: Span, own_starts: set[int], own_ends: set[int]) -> Span:
    """Grow a name over hyphen-glued name parts the tokenizer split off.

    ``M`` in ``Briz-M`` grows to ``Briz-M``, ``David Saint`` to ``David Saint-Jacques``;
    a part that is a name of its own (``Russia`` in ``Russia-China``) or a lowercase word
    (``Luxembourg-based``) stops it.
    """
    start, end = span.start, span.end
    # Into a known name only to complete a serial: Luna-Resurs-1, not Soyuz-Apollo.
    serial = any(c.isdigit() for c in doc[end - 1].text)
    while (
        _joined(doc, start - 1)
        and _name_part(doc[start - 2])
        and (start - 1 not in own_ends or serial)
    ):
        start -= 2
    while True:
        if _joined(doc, end) and _name_part(doc[end + 1]) and end + 1 not in own_starts:
            end += 2
        elif _glued_suffix(doc, end) and end not in own_starts:
            end += 1
        elif span.label_ == "VEHICLE" and end < len(doc) and _SERIAL_NO.match(doc[end].text):
            end += 1  # Meteor-M No.2-2: the serial number is part of the name
        else:
            break
    if (start, end) == (span.start, span.end):
        return span
    # A longer name is a more specific one (LVM3-M4 is not LVM3): the standard name of
    # the shorter match no longer applies.
    info = replace(info_of(span), canonical=None)
    return propose(doc, start, end, span.label_, info)


# The word after a vehicle's name says what it is, whatever its family usually is:
# "Soyuz-2 launch vehicles", "the Soyuz spacecraft".
_DESCRIPTOR_KINDS: dict[str, str] = {
    "rocket": "launch_vehicle",
    "rockets": "launch_vehicle",
    "launcher": "launch_vehicle",
    "booster": "launch_vehicle",
    "carrier": "launch_vehicle",
    "spacecraft": "spacecraft",
    "spaceship": "spacecraft",
    "capsule": "spacecraft",
    "probe": "spacecraft",
    "lander": "spacecraft",
    "rover": "spacecraft",
    "freighter": "spacecraft",
    "satellite": "satellite",
    "satellites": "satellite",
    "module": "station",
    "station": "station",
}
_LAUNCH_VEHICLE_AFTER = {("launch", "vehicle"), ("launch", "vehicles")}
_UPPER_STAGE_AFTER = {("upper", "stage"), ("booster", "stage"), ("kick", "stage")}


def descriptor_kind(doc: Doc, ent: Span) -> str | None:
    """The vehicle kind the words right after ``ent`` give, if they give one."""
    after = [t.lower_ for t in doc[ent.end : ent.end + 2]]
    if tuple(after) in _LAUNCH_VEHICLE_AFTER:
        return "launch_vehicle"
    if tuple(after) in _UPPER_STAGE_AFTER:
        return "upper_stage"
    return _DESCRIPTOR_KINDS.get(after[0]) if after else None


def _drop_tiled_rule_spans(candidates: list[tuple[Span, int]]) -> list[tuple[Span, int]]:
    """Drop a rule's span that known names tile exactly: "SpaceX Dragon spacecraft" is
    the company and its ship (two gazetteer names), not one unknown vehicle."""
    known: dict[int, set[int]] = {}
    for span, rank in candidates:
        if rank == 1 and span.label_ not in ("DATE", BLOCK):
            known.setdefault(span.start, set()).add(span.end)

    def tiled(start: int, end: int, pieces: int = 0) -> bool:
        if start == end:
            return pieces >= 2
        return any(e <= end and tiled(e, end, pieces + 1) for e in known.get(start, ()))

    return [
        (span, rank)
        for span, rank in candidates
        if rank != 0 or span.label_ != "VEHICLE" or not tiled(span.start, span.end)
    ]


def select_spans(candidates: list[tuple[Span, int]]) -> list[Span]:
    """Greedy choice of non-overlapping spans by (priority, length, source rank, start)."""
    ordered = sorted(
        candidates,
        key=lambda c: (
            -info_of(c[0]).priority,
            -(c[0].end_char - c[0].start_char),
            -c[1],
            c[0].start,
        ),
    )
    taken = bytearray()
    chosen: list[Span] = []
    for span, _rank in ordered:
        if len(taken) < span.end:
            taken.extend(b"\0" * (span.end - len(taken)))
        if any(taken[span.start : span.end]):
            continue
        taken[span.start : span.end] = b"\1" * (span.end - span.start)
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


class EntityResolver:
    """Set ``doc.ents`` from the candidate span groups, then name every entity."""

    def __init__(self, name: str, title_words: frozenset[str] = frozenset()) -> None:
        self.name = name
        self.title_words = title_words  # words of people's titles, for roles

    def __call__(self, doc: Doc) -> Doc:
        candidates = [
            (span, _SOURCE_RANK[key])
            for key in CANDIDATE_KEYS
            if key in doc.spans
            for span in doc.spans[key]
        ]
        names = [s for s, _r in candidates if s.label_ not in ("DATE", BLOCK)]
        candidates += [(s, 1) for s in propose_expansions(doc, names)]
        candidates = _drop_tiled_rule_spans(candidates)
        # A gazetteer name between hyphens keeps its own boundaries (Russia-China).
        own = [s for s, r in candidates if r == 1]
        starts, ends = {s.start for s in own}, {s.end for s in own}
        candidates = [
            (extend_over_hyphens(doc, s, starts, ends) if s.label_ not in ("DATE", BLOCK) else s, r)
            for s, r in candidates
        ]
        # A rule may win a span a gazetteer also knows: keep the gazetteer's standard name.
        known = {
            (s.start, s.end, s.label_): info_of(s).canonical
            for s, r in candidates
            if r == 1 and info_of(s).canonical
        }
        selected = select_spans(candidates)
        blocked = {i for s in selected if s.label_ == BLOCK for i in range(s.start, s.end)}
        chosen = [s for s in selected if s.label_ != BLOCK]
        doc.ents = chosen
        # spaCy rebuilds doc.ents at every access: read it once per change.
        ents = list(doc.ents)
        # Offsets are unique now that the layer is flat: attributes can live on the spans.
        for ent, span in zip(ents, chosen, strict=True):
            info = info_of(span)
            if ent.label_ != "DATE":
                ent._.kind = info.kind if ent.label_ == "VEHICLE" else None
                ent._.canonical = info.canonical or known.get((ent.start, ent.end, ent.label_))
            ent._.source = info.source
        for ent in ents:
            if ent.label_ == "VEHICLE":
                ent._.kind = descriptor_kind(doc, ent) or ent._.kind
        doc.ents = propagate(doc, ents)
        ents = assign_canonical_names(doc, blocked)
        assign_roles(doc, self.title_words, ents)
        return doc
