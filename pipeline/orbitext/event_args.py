"""Arguments of one trigger mention: date, vehicles, participants and location.

The rules read the trigger's clause first (:mod:`orbitext.event_context`), then a
relative clause's antecedent ("Intelsat 901, which Arianespace orbited in August 2001"),
then the main clauses of the sentence that hold no other trigger. Roles follow
ANNOTATION.md:

- date: a DATE of the clause belongs to the closest trigger before it, else the first
  after it ("flew ... in April 2015 and flew ... in December 2017"); a finer date beats a
  bare year; "since X" is never the date of the event before it. Dates of a sentence about
  rescheduling, and dates borrowed from elsewhere in the sentence or from the dateline
  ("MOSCOW, 1 July — X has signed"), are weak: used only when nothing firmer names the
  event's day.
- vehicles: VEHICLE entities closest to this trigger; destinations ("to the MIR
  station"), types ("Soyuz rockets") and, for launches and landings, stations are left
  out; "the freighter"/"the rocket"/"it" take the last vehicle of that kind.
- participants: see :mod:`orbitext.event_actors`.
- location: for launches the place after "from", past any pad; for landings and meetings
  the place after "in"/"at" (a visit's "to"); "here", and a meeting or signing on the
  dateline's day in the dateline sentence, take the dateline's place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .event_actors import participants
from .event_context import (
    clause_of,
    is_subordinate,
    lowers,
    relative_antecedent,
)
from .event_document import (
    DocContext,
    is_facility,
    is_pad,
    name_of,
    nearest_trigger,
    owns_next,
)
from .event_triggers import Candidate

_DESTINATION_WORDS: frozenset[str] = frozenset({"to", "toward", "towards"})
_EXCLUDED_VEHICLE_CONTEXT: frozenset[str] = frozenset(
    "replace replaces replacing replaced like than unlike successor".split()
)
_RESCHEDULE_WORDS: frozenset[str] = frozenset(
    "originally initially postponed rescheduled delayed moved slipped".split()
)
_DATE_EXCLUDERS: frozenset[str] = frozenset({"since", "until", "till"})
# Nouns that refer back to the last vehicle of a kind ("the freighter" -> Progress MS-01).
_VEHICLE_ANAPHORS: dict[str, tuple[str, ...]] = {
    "spacecraft": ("spacecraft",),
    "capsule": ("spacecraft",),
    "freighter": ("spacecraft",),
    "ship": ("spacecraft",),
    "spaceship": ("spacecraft",),
    "vehicle": ("spacecraft",),
    "satellite": ("satellite", "spacecraft"),
    "rocket": ("launch_vehicle",),
    "launcher": ("launch_vehicle",),
    "booster": ("launch_vehicle",),
    "craft": ("spacecraft",),
    "probe": ("spacecraft",),
    "lander": ("spacecraft",),
    "orbiter": ("spacecraft",),
    "spaceplane": ("spacecraft",),
}
_ANAPHOR_DETERMINERS: frozenset[str] = frozenset({"the", "this", "its", "their"})
_PREP_WINDOW = 3
_CLASS_NOUNS: frozenset[str] = frozenset(
    (
        "rockets launchers series ships freighters vehicles capsules boosters spaceships "
        "modules family"
    ).split()
)
_POSSESSIVE_REACH = 3


@dataclass(frozen=True)
class VehicleRef:
    """A vehicle argument: its standard name and kind."""

    name: str
    kind: str | None


@dataclass
class Arguments:
    """The arguments one trigger mention gives its event."""

    date: str | None = None
    date_weak: bool = False
    vehicles: list[VehicleRef] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)  # the participants who are people
    location: str | None = None
    location_is_facility: bool = False


def mention_arguments(ctx: DocContext, cand: Candidate) -> Arguments:
    """Collect the arguments that the text around ``cand`` gives its event."""
    doc = ctx.doc
    sent = doc[cand.start].sent
    own = clause_of(ctx.bounds(sent), cand.start)
    if ctx.is_dateline_clause(own):  # a trigger inside a dateline: its clause is the next one
        own = (own[0], sent.end)
    free = ctx.free_clauses(sent, own)
    antecedent = relative_antecedent(doc, own)
    host = _gerund_host(ctx, cand, sent, own)
    args = Arguments()
    date, args.date_weak = _date(ctx, cand, sent, own, free, antecedent, host)
    args.date = date._.value if date is not None else None
    # the dateline's place needs a date the text gives, not one the report implies
    place_date = args.date
    if args.date is None:
        args.date = _news_day(ctx, cand, sent)
        args.date_weak = args.date is not None
    extra = _when_clauses(ctx, sent, own, date)
    if cand.type != "MEETING":
        args.vehicles = _vehicles(ctx, cand, own, [*free, *extra], antecedent, host)
    actors = participants(ctx, cand, own, free)
    args.participants = list(dict.fromkeys(name_of(e) for e in actors))
    args.persons = list(dict.fromkeys(name_of(e) for e in actors if e.label_ == "PERSON"))
    args.location, args.location_is_facility = _location(ctx, cand, sent, own, free, place_date)
    return args


def _gerund_host(
    ctx: DocContext, cand: Candidate, sent: Span, own: tuple[int, int]
) -> tuple[int, int] | None:
    """The clause whose subject a bare "before/after -ing" trigger shares.

    In "Orion will launch in 2014 and climb to 3,600 miles before returning to Earth",
    "returning" has no subject of its own: it is the previous clause's.
    """
    doc = ctx.doc
    if not (own[0] == cand.start - 1 and doc[own[0]].lower_ in ("before", "after")):
        return None
    if not doc[cand.start].lower_.endswith("ing"):
        return None
    earlier = [c for c in ctx.bounds(sent) if c[1] <= own[0] and not is_subordinate(doc, c)]
    return earlier[-1] if earlier else None


def _when_clauses(
    ctx: DocContext, sent: Span, own: tuple[int, int], date: Span | None
) -> list[tuple[int, int]]:
    """Trigger-free relative clauses hanging on the event's own date.

    In "its debut on 13 February 2012, when it carried the LARES satellite", the
    when-clause tells more about the debut.
    """
    if date is None or not own[0] <= date.start < own[1]:
        return []
    doc = ctx.doc
    return [
        c
        for c in ctx.bounds(sent)
        if c[0] >= own[1]
        and relative_antecedent(doc, c) == date
        and not ctx.trigger_tokens.intersection(range(*c))
    ]


def _date(
    ctx: DocContext,
    cand: Candidate,
    sent: Span,
    own: tuple[int, int],
    free: list[tuple[int, int]],
    antecedent: Span | None,
    host: tuple[int, int] | None,
) -> tuple[Span | None, bool]:
    """The DATE naming the trigger's time, and whether it is weak (a rescheduled or
    borrowed date, used only when nothing firmer names the event's)."""
    weak = not _RESCHEDULE_WORDS.isdisjoint(lowers(ctx.doc, sent.start, sent.end))
    in_clause = _usable_dates(ctx, *own)
    own_dates = [d for d in in_clause if _date_owner(ctx, d, own) == cand]
    if not own_dates:  # "In late August it will be released ... and splash down"
        own_dates = [d for d in in_clause if _fronted(ctx, d, own)]
    if own_dates:
        return _closest_date(own_dates, cand), weak
    if antecedent is not None and antecedent.label_ == "DATE" and antecedent._.value:
        return antecedent, weak
    other = [d for c in free for d in _usable_dates(ctx, *c)]
    if other:
        return _closest_date(other, cand), weak
    if host is not None:
        hosted = _usable_dates(ctx, *host)
        if hosted:
            return _closest_date(hosted, cand), True
    # "X lifted off on 10 July, and three hours later the freighter docked": the day of
    # another event of the sentence, kept only when nothing firmer names this one's.
    inherited = _usable_dates(ctx, sent.start, sent.end)
    if inherited:
        return _closest_date(inherited, cand), True
    return None, False


def _news_day(ctx: DocContext, cand: Candidate, sent: Span) -> str | None:
    """The day of the report for "PLACE, DATE — X has signed ...": a present perfect
    in the dateline's sentence tells news of that day (kept weak: a later mention may
    give the exact day)."""
    line = ctx.datelines.get(sent.start)
    doc = ctx.doc
    if line is None or cand.start < line.end:
        return None
    # Wire style tells the day's news in the simple past as well ("MOSCOW, March 12 —
    # The cargo ship docked with the station."): a past-tense trigger counts too.
    perfect = any(
        t.lower_ in ("has", "have") for t in doc[max(line.end, cand.start - 2) : cand.start]
    )
    if not perfect and not doc[cand.start].lower_.endswith("ed"):
        return None
    ref = doc._.reference_date
    day = line.date if line.date and len(line.date) == 10 else None
    return day or (ref.isoformat() if ref is not None else None)


def _fronted(ctx: DocContext, date: Span, own: tuple[int, int]) -> bool:
    """A date before every trigger of its clause sets the time of all of them."""
    return all(date.end <= c.start for c in ctx.candidates_from(own[0], own[1]))


def _is_since(ctx: DocContext, date: Span) -> bool:
    doc = ctx.doc
    return date.start > 0 and doc[date.start - 1].lower_ in _DATE_EXCLUDERS


def _date_owner(ctx: DocContext, date: Span, own: tuple[int, int]) -> Candidate | None:
    """The trigger a date in a clause belongs to: the closest one before it, else after.

    "flew to the station in April 2015 and flew there again in December 2017"; a
    possessive date belongs to the noun after it: "last Thursday's launch".
    """
    doc = ctx.doc
    triggers = ctx.candidates_from(own[0], own[1])
    if date.end < len(doc) and doc[date.end].text in ("'s", "’s"):
        following = [c for c in triggers if 0 < c.start - date.end <= _POSSESSIVE_REACH]
        if following:
            return following[0]
    before = [c for c in triggers if c.end <= date.start]
    if before:
        return max(before, key=lambda c: c.start)
    after = [c for c in triggers if c.start >= date.end]
    return min(after, key=lambda c: c.start) if after else None


def _usable_dates(ctx: DocContext, a: int, b: int) -> list[Span]:
    return [
        d
        for d in ctx.ents_in(a, b, "DATE")
        if d._.value and not _is_since(ctx, d) and not _in_dateline(ctx, d)
    ]


def _in_dateline(ctx: DocContext, date: Span) -> bool:
    line = ctx.datelines.get(date.sent.start)
    return line is not None and date.end <= line.end


def _closest_date(dates: list[Span], cand: Candidate) -> Span:
    # A bare year next to a finer date is usually part of a name or a span ("Airshow 2019").
    finer = [d for d in dates if len(d._.value) > 4]
    return min(finer or dates, key=lambda d: _after_first(d, cand))


def _after_first(span: Span, cand: Candidate) -> int:
    """Distance to the trigger; what follows it ("lifted off on Monday") counts half."""
    if span.start >= cand.end:
        return span.start - cand.end
    return 2 * (cand.start - span.end)


def _vehicles(
    ctx: DocContext,
    cand: Candidate,
    own: tuple[int, int],
    free: list[tuple[int, int]],
    antecedent: Span | None,
    host: tuple[int, int] | None,
) -> list[VehicleRef]:
    found = [
        v
        for v in ctx.ents_in(*own, "VEHICLE")
        if _vehicle_fits(ctx, cand, v) and nearest_trigger(ctx, cand, v, own)
    ]
    if antecedent is not None and antecedent.label_ == "VEHICLE":
        found.insert(0, antecedent)
    # Borrow from the sentence's other clauses when this one names no vehicle, or, for a
    # launch, only the rocket: "Aeolus is in orbit after a Vega rocket lifted off".
    rockets_only = all(v._.kind in ("launch_vehicle", "upper_stage") for v in found)
    if not found or (cand.type == "LAUNCH" and rockets_only):
        found += [
            v for c in free for v in ctx.ents_in(*c, "VEHICLE") if _vehicle_fits(ctx, cand, v)
        ]
    if not found and host is not None:
        found = [v for v in ctx.ents_in(*host, "VEHICLE") if v._.kind == "spacecraft"]
    if cand.type == "LANDING" and any(v._.kind == "spacecraft" for v in found):
        found = [v for v in found if v._.kind != "launch_vehicle"]  # the capsule lands
    refs = [VehicleRef(name_of(v), v._.kind) for v in found]
    anaphors = _anaphor_kinds(ctx, own)
    if cand.type in ("DOCKING", "LANDING") and _subject_it(ctx, cand, own):
        anaphors.append(("spacecraft", "satellite"))
    for kinds in anaphors:
        if not any(r.kind in kinds for r in refs):
            previous = _last_vehicle(ctx, cand.start, kinds)
            if previous is not None:
                refs.append(VehicleRef(name_of(previous), previous._.kind))
    return list(dict.fromkeys(refs))


def _vehicle_fits(ctx: DocContext, cand: Candidate, v: Span) -> bool:
    doc = ctx.doc
    if _class_use(doc, v):
        return False
    if cand.type == "AGREEMENT" and v._.kind not in ("satellite", "spacecraft"):
        return False  # a launch contract lists the satellites it covers, not the rocket
    before = set(lowers(doc, max(0, v.start - 2), v.start))
    if before & _EXCLUDED_VEHICLE_CONTEXT:
        return False
    if cand.type in ("LAUNCH", "LANDING"):
        return v._.kind != "station" and not before & _DESTINATION_WORDS
    return True


def _class_use(doc: Doc, v: Span) -> bool:
    """A type named, not one vehicle: "Soyuz rockets", "Progress cargo ships"."""
    return bool(set(lowers(doc, v.end, v.end + 2)) & _CLASS_NOUNS)


def _anaphor_kinds(ctx: DocContext, own: tuple[int, int]) -> list[tuple[str, ...]]:
    doc = ctx.doc
    kinds = []
    words = lowers(doc, own[0], own[1])
    for k in range(1, len(words)):
        kind = _VEHICLE_ANAPHORS.get(words[k])
        if (
            kind
            and not _ANAPHOR_DETERMINERS.isdisjoint(words[max(0, k - 2) : k])
            and doc[own[0] + k].ent_type_ == ""
        ):
            kinds.append(kind)
    return kinds


def _subject_it(ctx: DocContext, cand: Candidate, own: tuple[int, int]) -> bool:
    """A subject "it" before the trigger, no vehicle named between: "it is to dock with X"."""
    doc = ctx.doc
    window = doc[own[0] : cand.start]
    return any(t.lower_ == "it" for t in window) and not ctx.ents_in(own[0], cand.start, "VEHICLE")


def _last_vehicle(ctx: DocContext, before: int, kinds: tuple[str, ...]) -> Span | None:
    """The last vehicle of that kind named before ``before`` as one vehicle, not a type
    ("a Progress freighter", "Soyuz rockets")."""
    doc = ctx.doc
    # From the nearest entity backwards: the first that qualifies is the last one.
    for v in reversed(ctx.ents_before(before)):
        if (
            v.label_ == "VEHICLE"
            and v.end <= before
            and v._.kind in kinds
            and not _class_use(doc, v)
            and not (v.start > 0 and doc[v.start - 1].lower_ in ("a", "an"))
        ):
            return v
    return None


_LOCATION_PREPS: dict[str, tuple[str, ...]] = {
    "LAUNCH": ("at",),
    "LANDING": ("in", "at", "on", "near", "off", "of"),
    "MEETING": ("in", "at"),
    "AGREEMENT": ("in", "at"),
    "DOCKING": (),
}


def _location(
    ctx: DocContext,
    cand: Candidate,
    sent: Span,
    own: tuple[int, int],
    free: list[tuple[int, int]],
    date: str | None,
) -> tuple[str | None, bool]:
    doc = ctx.doc
    if cand.type == "DOCKING":
        return None, False
    if cand.type == "LAUNCH":
        found = _place_after_from(ctx, cand, own) or next(
            (p for c in free for p in [_place_after_from(ctx, None, c)] if p is not None), None
        )
        if found is not None:
            return name_of(found), is_facility(doc, found)
    preps = _LOCATION_PREPS[cand.type] + (("to",) if cand.group.kind == "visit" else ())
    clauses = [own] if cand.type in ("MEETING", "AGREEMENT") else [own, *free]
    for a, b in clauses:
        places = [
            p
            for p in ctx.ents_in(a, b, "LOCATION")
            if not is_pad(p)
            and set(lowers(doc, max(a, p.start - _PREP_WINDOW), p.start)) & set(preps)
            and (cand.type != "LAUNCH" or is_facility(doc, p))
            and ((a, b) != own or nearest_trigger(ctx, cand, p, own, types=None))
        ]
        if places:
            best = min(places, key=lambda p: _after_first(p, cand))
            return name_of(best), is_facility(doc, best)
    return _dateline_place(ctx, cand, sent, own, date)


def _place_after_from(
    ctx: DocContext, cand: Candidate | None, clause: tuple[int, int]
) -> Span | None:
    """The first place after "from" (after the trigger, when given) that is not a pad."""
    doc = ctx.doc
    start = clause[0] if cand is None else cand.end
    starts = [t.i for t in doc[start : clause[1]] if t.lower_ == "from"]
    if not starts:
        return None
    places = ctx.ents_in(starts[0], clause[1], "LOCATION")
    # "from Virginia's Eastern Shore": the possessed place is the precise one
    places = [p for p in places if not owns_next(doc, p, "LOCATION")]
    return next((p for p in places if not is_pad(p)), None)


def _dateline_place(
    ctx: DocContext, cand: Candidate, sent: Span, own: tuple[int, int], date: str | None
) -> tuple[str | None, bool]:
    """The dateline's place for "here", or for a meeting or signing on the dateline's day."""
    line = ctx.datelines.get(sent.start)
    doc = ctx.doc
    here = any(t.lower_ == "here" for t in doc[cand.end : min(own[1], cand.end + 3)])
    if here and ctx.first_dateline is not None and ctx.first_dateline.place is not None:
        place = ctx.first_dateline.place
        return name_of(place), is_facility(doc, place)
    if (
        line is not None
        and line.place is not None
        and date is not None
        and date == line.date
        and cand.type in ("MEETING", "AGREEMENT")
        and cand.group.kind != "remote"
    ):
        return name_of(line.place), is_facility(doc, line.place)
    return None, False
