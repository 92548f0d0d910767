"""The events component: triggers, arguments and coreference into ``doc._.events``.

It runs last, on the flat entity layer. Triggers come from ``patterns/events``
(:mod:`orbitext.event_triggers`), each mention's arguments from its clause
(:mod:`orbitext.event_args`), and mentions of one happening are merged into one
:class:`orbitext.schema.Event` (:mod:`orbitext.event_coref`). Event ids are ``e1``,
``e2``, ... in the order of each event's first trigger.
"""

from __future__ import annotations

import bisect
from contextlib import AbstractContextManager
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .event_actors import crew_sentences
from .event_args import mention_arguments
from .event_context import (
    DEFINITE,
    INDEFINITE,
    RELATIVES,
    anterior_start,
    clause_of,
    lowers,
    noun_phrase,
    reading_cache,
)
from .event_coref import Cluster, Mention, add_crews, cluster_mentions, event_dates
from .event_document import DocContext
from .event_triggers import DOCUMENT_NOUNS, Candidate, TriggerFinder
from .resources import patterns_dir as default_patterns_dir
from .schema import Event, Trigger

_PARTNER_WINDOW = 4
# Words that move a clause's time away from the sentence's other events.
_TIME_SHIFTS: frozenset[str] = frozenset({"previously", "earlier", "later", "formerly", "once"})


@Language.factory("orbitext_events", default_config={"patterns_dir": ""})
def make_events(nlp: Language, name: str, patterns_dir: str) -> EventFinder:
    """Factory for :class:`EventFinder`; an empty ``patterns_dir`` means the default one."""
    return EventFinder(nlp, name, Path(patterns_dir) if patterns_dir else default_patterns_dir())


class EventFinder:
    """Sets ``doc._.events`` to a list of :class:`orbitext.schema.Event`."""

    def __init__(self, nlp: Language, name: str, root: Path) -> None:
        self.name = name
        self.triggers = TriggerFinder(nlp, root)

    def memory_zone(self, mem: object = None) -> AbstractContextManager[None]:
        """Called by spaCy's ``nlp.memory_zone()``: forget the words first seen inside it."""
        return self.triggers.matcher.memory_zone()

    def __call__(self, doc: Doc) -> Doc:
        with reading_cache(doc):
            return self._find(doc)

    def _find(self, doc: Doc) -> Doc:
        candidates = self.triggers(doc)
        ctx = DocContext(doc, candidates)
        mentions = [_mention(ctx, c) for c in candidates]
        clusters = cluster_mentions(mentions)
        sent_index = {sent.start: i for i, sent in enumerate(doc.sents)}
        add_crews(clusters, crew_sentences(ctx), sent_index)
        dates = event_dates(clusters)
        doc._.events = [
            _event(ctx, i, c, d) for i, (c, d) in enumerate(zip(clusters, dates, strict=True), 1)
        ]
        return doc


def _mention(ctx: DocContext, cand: Candidate) -> Mention:
    doc = ctx.doc
    span = doc[cand.start : cand.end]
    sent = span.sent
    clause = clause_of(ctx.bounds(sent), cand.start)
    line = bisect.bisect_right(ctx.newlines, span.start_char)
    earlier_from = anterior_start(doc, ctx.bounds(sent))  # "since 9 May, when ..."
    return Mention(
        cand=cand,
        text=span.text,
        args=mention_arguments(ctx, cand),
        np=noun_phrase(doc, cand.start),
        sent=sent.start,
        line=line,
        section=bisect.bisect_left(ctx.headings, line),
        headline=cand.end <= ctx.headline_end,
        document_determiner=_document_determiner(ctx, cand) if cand.type == "AGREEMENT" else None,
        partner_vehicle=_partner_vehicle(ctx, cand) if cand.type == "DOCKING" else False,
        backgrounded=doc[clause[0]].lower_ in RELATIVES,
        shifted=not _TIME_SHIFTS.isdisjoint(lowers(doc, clause[0], clause[1])),
        anterior=earlier_from is not None and cand.start >= earlier_from,
    )


def _document_determiner(ctx: DocContext, cand: Candidate) -> str | None:
    """How the signed document is introduced: "the contract was signed", "signed a MoU"."""
    doc = ctx.doc
    a, b = clause_of(ctx.bounds(doc[cand.start].sent), cand.start)
    nouns = [t for t in doc[a:b] if t.lower_ in DOCUMENT_NOUNS]
    if not nouns:
        return None
    noun = min(nouns, key=lambda t: abs(t.i - cand.start))
    for left in reversed(doc[max(a, noun.i - 4) : noun.i]):
        if left.lower_ in DEFINITE:
            return "definite"
        if left.lower_ in INDEFINITE:
            return "indefinite"
    return None


def _partner_vehicle(ctx: DocContext, cand: Candidate) -> bool:
    """A docking with a named non-station partner: "docked with the Apollo spacecraft"."""
    doc = ctx.doc
    window = doc[cand.end : cand.end + _PARTNER_WINDOW]
    if not window or window[0].lower_ not in ("with", "to"):
        return False
    return any(
        e.label_ == "VEHICLE" and e._.kind != "station"
        for e in ctx.ents_starting(cand.end, cand.end + _PARTNER_WINDOW)
    )


def _event(ctx: DocContext, number: int, cluster: Cluster, date: str | None) -> Event:
    doc = ctx.doc
    triggers = [doc[m.cand.start : m.cand.end] for m in cluster.mentions]
    vehicles = [v.name for v in cluster.vehicles]
    if cluster.type == "DOCKING":
        station = ctx.main_station
        partnered = any(m.partner_vehicle for m in cluster.mentions)
        if station is not None and station not in vehicles and not partnered:
            vehicles.append(station)
    participants = cluster.all_participants
    return Event(
        id=f"e{number}",
        type=cluster.type,  # type: ignore[arg-type]
        triggers=[Trigger(start=t.start_char, end=t.end_char, text=t.text) for t in triggers],
        date=date,
        participants=participants,
        vehicles=vehicles,
        location=_cluster_location(cluster),
    )


def _cluster_location(cluster: Cluster) -> str | None:
    """A facility (spaceport, centre) beats a city or region; else the first place given."""
    places = [m.args for m in cluster.mentions if m.args.location]
    facility = next((a.location for a in places if a.location_is_facility), None)
    return facility or (places[0].location if places else None)
