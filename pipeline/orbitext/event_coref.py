"""Event coreference: mentions of one happening become one event.

Strong mentions are read in text order; each joins the best compatible event of its type
or starts a new one. Weak mentions ("arrival", "re-entry", "the show") and headline
mentions come second and only join: a weak mention with nothing to join is dropped; a
headline joins the article's main event of its type (the most told), or becomes one.

Two mentions are *incompatible* when their dates exclude each other, their vehicles of a
shared kind are disjoint (Progress MS-07 vs Progress MS-09), their sub-kinds differ
(docking vs undocking; a press conference vs talks), their numeric ordinals differ
("20th meeting" vs "24th meeting"), or, for meetings and signings that bring their own
parties, those parties differ. A mention starts a new event when it says so and shares no
hard fact (date, vehicle, name, ordinal, place) with an earlier one: an indefinite "a meeting",
"signed a memorandum", "the previous council", or an earlier happening told in a
"since 9 May, when ..." clause. Among compatible events the choice is: one mentioned in
the same sentence, then the one sharing most facts, then one in the same paragraph
(line), then the most told one of the same section (an "Interesting facts" paragraph
with a dated event is its own story).
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache

from .event_args import Arguments, VehicleRef
from .event_context import NounPhrase
from .event_triggers import Candidate

_PARTY_TYPES = ("MEETING", "AGREEMENT")
_CREW_REACH = 3  # sentences back from a crew sentence to its event
# A definite gathering noun may name any kind of meeting ("the meeting" = the council).
_GENERAL_MEETING_NOUNS: frozenset[str] = frozenset({"meeting", "session", "council"})


@dataclass
class Mention:
    """One trigger with what its context says about the happening."""

    cand: Candidate
    text: str
    args: Arguments
    np: NounPhrase
    sent: int  # first token of the sentence
    line: int  # line number in the article (press releases put paragraphs on lines)
    section: int  # how many section headings ("Interesting facts 2/3") stand before it
    headline: bool
    document_determiner: str | None = None  # "the contract" / "a memorandum" near a signing
    partner_vehicle: bool = False  # "docked with the Apollo spacecraft"
    backgrounded: bool = False  # inside a relative clause: "which had flown in May"
    shifted: bool = False  # its clause moves the time: "had previously discussed"
    anterior: bool = False  # told as an earlier happening: "since 9 May, when ..."

    @property
    def type(self) -> str:
        return self.cand.type

    @property
    def kind(self) -> str | None:
        return self.cand.group.kind

    @property
    def strong(self) -> bool:
        return self.cand.group.strength == "strong" and not self.headline

    @property
    def definite(self) -> bool:
        return self.np.determiner == "definite" or self.document_determiner == "definite"


@dataclass
class Cluster:
    """The mentions of one event so far.

    What clustering asks of a cluster again and again (kinds, vehicles, dates, places,
    sentences…) is kept up to date as mentions are added with :meth:`add`, so clustering
    stays linear in the mentions of a long text.
    """

    type: str
    mentions: list[Mention] = field(default_factory=list)
    crew: list[str] = field(default_factory=list)  # people named outside any trigger's clause
    kinds: set[str | None] = field(init=False, default_factory=set)
    participants: set[str] = field(init=False, default_factory=set)
    dates: list[str] = field(init=False, default_factory=list)
    starts: list[int] = field(init=False, default_factory=list)  # sorted trigger starts
    sents: set[int] = field(init=False, default_factory=set)  # of foreground mentions
    lines: set[int] = field(init=False, default_factory=set)  # of foreground mentions
    sections: set[int] = field(init=False, default_factory=set)
    ordinals: set[str] = field(init=False, default_factory=set)
    named_texts: set[str] = field(init=False, default_factory=set)
    locations: set[str] = field(init=False, default_factory=set)
    _vehicles: dict[VehicleRef, None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        mentions, self.mentions = self.mentions, []
        for m in mentions:
            self.add(m)

    def add(self, m: Mention) -> None:
        """Add a mention and what it tells."""
        self.mentions.append(m)
        self.kinds.add(m.kind)
        self.participants.update(m.args.participants)
        if m.args.date and not m.args.date_weak:
            self.dates.append(m.args.date)
        insort(self.starts, m.cand.start)
        if not m.backgrounded:
            self.sents.add(m.sent)
            self.lines.add(m.line)
        self.sections.add(m.section)
        if m.np.ordinal:
            self.ordinals.add(m.np.ordinal)
        if m.cand.group.named:
            self.named_texts.add(m.text)
        if m.args.location:
            self.locations.add(m.args.location)
        self._vehicles.update(dict.fromkeys(m.args.vehicles))

    @property
    def vehicles(self) -> list[VehicleRef]:
        return list(self._vehicles)

    @property
    def first(self) -> int:
        return self.starts[0]

    @property
    def all_participants(self) -> list[str]:
        """Participants in text order, then crew named elsewhere."""
        named = [p for m in self.mentions for p in m.args.participants]
        return list(dict.fromkeys([*named, *self.crew]))

    @property
    def persons(self) -> list[str]:
        """The people among the participants, crew included."""
        named = [p for m in self.mentions for p in m.args.persons]
        return list(dict.fromkeys([*named, *self.crew]))


def cluster_mentions(mentions: list[Mention]) -> list[Cluster]:
    """Group mentions into events: strong ones first, then weak and headline ones."""
    clusters: list[Cluster] = []
    for m in mentions:
        if not m.strong:
            continue
        target = _choose(clusters, m, may_start=True)
        if target is None:
            clusters.append(Cluster(m.type, [m]))
        else:
            target.add(m)
    for m in mentions:
        if m.strong:
            continue
        target = _choose(clusters, m, may_start=False)
        if target is not None:
            target.add(m)
        elif m.headline and m.cand.group.strength == "strong":
            clusters.append(Cluster(m.type, [m]))
    for c in clusters:
        c.mentions.sort(key=lambda m: m.cand.start)
    return sorted(clusters, key=lambda c: c.mentions[0].cand.start)


def _choose(clusters: list[Cluster], m: Mention, may_start: bool) -> Cluster | None:
    options = [c for c in clusters if c.type == m.type and _compatible(c, m)]
    if not options and m.headline:
        # A headline tells the article's main event, even when it names things otherwise
        # ("Cygnus" in the text, "S.S. Roger Chaffee" in the headline).
        options = [c for c in clusters if c.type == m.type and _kind_fits(c, m)]
    if not options:
        return None
    # "a meeting", "signed a memorandum": only hard facts (date, vehicles, name) say it is
    # one already seen; the same parties meet and sign more than once.
    if may_start and _starts_new(m) and not any(_evidence(c, m, parties=False) for c in options):
        return None
    if m.headline:  # a headline names the article's main event: the most told, the first
        return max(options, key=lambda c: (len(c.mentions) + _evidence(c, m), -c.first))
    same_sentence = [c for c in options if m.sent in c.sents]
    if same_sentence:
        return max(same_sentence, key=lambda c: _closeness(c, m))
    scored = [(c, _evidence(c, m)) for c in options]
    best = max(score for _, score in scored)
    if best > 0:
        return max((c for c, s in scored if s == best), key=lambda c: _closeness(c, m))
    same_line = [c for c in options if m.line in c.lines]
    if same_line:
        return max(same_line, key=lambda c: _closeness(c, m))
    # Without shared facts, a mention refers to the main event of its own section; a
    # dated event of another section ("Interesting facts 2/3") is another story.
    pool = [c for c in options if not c.dates or m.section in c.sections]
    if not pool:
        if may_start:
            return None
        pool = options
    return max(pool, key=lambda c: (m.kind in c.kinds, len(c.mentions), _closeness(c, m)))


def _closeness(c: Cluster, m: Mention) -> tuple[bool, int]:
    """Same sub-kind first, then the event mentioned last before ``m`` (then after it)."""
    k = bisect_left(c.starts, m.cand.start)  # starts before ``m``: c.starts[:k]
    position = c.starts[k - 1] if k else -c.starts[bisect_right(c.starts, m.cand.start)]
    return m.kind in c.kinds, position


def _starts_new(m: Mention) -> bool:
    """The mention itself says it is another happening."""
    if m.np.contrastive or m.anterior:
        return True
    if m.type in _PARTY_TYPES:
        return m.np.determiner == "indefinite" or m.document_determiner == "indefinite"
    return False


def _compatible(c: Cluster, m: Mention) -> bool:
    if not _kind_fits(c, m):
        return False
    if (
        m.args.date
        and not m.args.date_weak
        and any(not dates_compatible(m.args.date, d) for d in c.dates)
    ):
        return False
    if _vehicles_clash(c.vehicles, m.args.vehicles):
        return False
    if m.np.ordinal and c.ordinals and m.np.ordinal not in c.ordinals:
        return False
    return not (m.type in _PARTY_TYPES and _parties_clash(c, m))


def _kind_fits(c: Cluster, m: Mention) -> bool:
    if m.kind in c.kinds:
        return True
    general = m.definite and m.text.lower() in _GENERAL_MEETING_NOUNS
    return m.type == "MEETING" and general and c.kinds <= {"talks", "assembly"}


def _vehicles_clash(have: list[VehicleRef], new: list[VehicleRef]) -> bool:
    """Disjoint vehicles of a shared kind name different happenings (stations aside)."""
    a = {v for v in have if v.kind != "station"}
    b = {v for v in new if v.kind != "station"}
    if not a or not b or {v.name for v in a} & {v.name for v in b}:
        return False
    return bool({v.kind for v in a} & {v.kind for v in b})


def _parties_clash(c: Cluster, m: Mention) -> bool:
    mine, theirs = set(m.args.participants), c.participants
    if not mine or not theirs or m.definite:
        return False
    if m.type == "AGREEMENT":
        return not mine & theirs
    if any(k == "assembly" for k in c.kinds):
        return False
    return not (mine <= theirs or theirs <= mine)


def _evidence(c: Cluster, m: Mention, parties: bool = True) -> int:
    """How many facts the mention shares with the event (names, vehicles, date, place)."""
    score = 0
    names = {v.name for v in c.vehicles if v.kind != "station"}
    score += 2 * len(names & {v.name for v in m.args.vehicles if v.kind != "station"})
    if m.args.date and m.args.date in c.dates:
        score += 2
    if m.cand.group.named and m.text in c.named_texts:
        score += 3
    if m.np.ordinal and m.np.ordinal in c.ordinals:
        score += 3
    if m.args.location and m.args.location in c.locations:
        score += 1
    if parties and m.type in _PARTY_TYPES and set(m.args.participants) & c.participants:
        score += 1
    return score


@lru_cache(maxsize=4096)
def _interval(value: str) -> tuple[dt.date, dt.date]:
    first, _, last = value.partition("/")
    return _point(first, start=True), _point(last or first, start=False)


def _point(value: str, start: bool) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (1 if start else 12)
    if len(parts) > 2:
        day = parts[2]
    else:
        day = 1 if start else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def dates_compatible(a: str, b: str) -> bool:
    """True when one ISO value lies within the other (2019 and 2019-10-09, not 2019-05)."""
    a0, a1 = _interval(a)
    b0, b1 = _interval(b)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def cluster_date(c: Cluster) -> str | None:
    """The event's date: the first firm date, refined by a finer compatible one.

    A meeting held over several days keeps the range that holds its other dates
    ("held on 27 and 28 November" ... "closed today").
    """
    firm = c.dates
    if not firm:
        weak = [m.args.date for m in c.mentions if m.args.date]
        return weak[0] if weak else None
    best = firm[0]
    for d in firm[1:]:
        b0, b1 = _interval(best)
        d0, d1 = _interval(d)
        if b0 <= d0 and d1 <= b1 and (d0, d1) != (b0, b1):
            best = d
    if c.type == "MEETING":
        spans = [d for d in firm if "/" in d and dates_compatible(d, best)]
        if spans and all(dates_compatible(spans[0], d) for d in firm):
            return spans[0]
    return best


def event_dates(clusters: list[Cluster]) -> list[str | None]:
    """Each event's date; an undated one takes the date of an event told in the same
    sentence ("signed at the end of the meeting", "a few hours before the landing")."""
    own = [cluster_date(c) for c in clusters]
    dated_sentences: dict[int, str] = {}
    for c, date in zip(clusters, own, strict=True):
        for m in c.mentions:
            if date is not None and "/" not in date and not (m.headline or m.anterior):
                dated_sentences.setdefault(m.sent, date)
    return [
        date
        if date is not None
        else next(
            (
                dated_sentences[m.sent]
                for m in c.mentions
                if m.sent in dated_sentences and not m.backgrounded and not m.shifted
            ),
            None,
        )
        for c, date in zip(clusters, own, strict=True)
    ]


def add_crews(
    clusters: list[Cluster], crews: list[tuple[int, list[str]]], sent_index: dict[int, int]
) -> None:
    """Give each crew sentence's people to the launch or landing reported just before it,
    then share crews along one vehicle's flight: launch -> docking, undocking <-> landing."""
    for index, people in crews:
        recent = [
            (sent_index[m.sent], c)
            for c in clusters
            if c.type in ("LAUNCH", "LANDING")
            for m in c.mentions
            if index - _CREW_REACH <= sent_index[m.sent] < index
        ]
        if recent:
            _, target = max(recent, key=lambda p: p[0])
            target.crew.extend(people)
    for a in clusters:
        for b in clusters:
            if a is not b and _same_craft(a, b) and _crew_flows(a, b):
                b.crew.extend(p for p in a.persons if p not in b.persons)


def _same_craft(a: Cluster, b: Cluster) -> bool:
    crafts = {v.name for v in a.vehicles if v.kind == "spacecraft"}
    return bool(crafts & {v.name for v in b.vehicles if v.kind == "spacecraft"})


def _crew_flows(a: Cluster, b: Cluster) -> bool:
    """Who launched is who arrives; who undocks is who lands, and the reverse."""
    kinds_b = b.kinds
    if a.type == "LAUNCH":
        return b.type == "DOCKING" and "dock" in kinds_b
    if a.type == "LANDING":
        return b.type == "DOCKING" and "undock" in kinds_b
    if a.type == "DOCKING" and "undock" in a.kinds:
        return b.type == "LANDING"
    return False
