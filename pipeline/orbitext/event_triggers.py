"""Event trigger candidates from ``patterns/events/*.jsonl`` and the sense filters.

Every group of a rule file is a set of spaCy ``Matcher`` token patterns (or phrase
strings) whose ``label`` is the event type. Token specs may carry ``"CTX": true`` as in
:mod:`orbitext.entity_rules`: such tokens must match but are not part of the trigger
(``returning`` in "returning to Earth"). Optional group fields:

- ``effect``: ``"trigger"`` (default) or ``"block"``: a block group marks modifier uses
  ("launch vehicle", "docking port"); a trigger of its type overlapping a block is dropped.
- ``strength``: ``"strong"`` (default) or ``"weak"``: a weak trigger ("arrival",
  "re-entry", "call") only names an event some strong trigger already introduced.
- ``kind``: a sub-kind the coreference compares (``dock``/``undock``; ``talks``,
  ``press``, ``remote``, ``visit``, ``ceremony``, ``assembly`` for meetings).
- ``named``: the trigger is the event's own name (``Dubai Airshow``, ``Space19+``).
- ``requires``: conditions from :data:`CONDITIONS`, all of which must hold.

Whatever the patterns say, a trigger never overlaps an entity or another trigger, and
counted, generic, negated and cancelled uses are dropped (ANNOTATION.md, Events).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .event_context import (
    CANCELLATIONS,
    NEGATIONS,
    clause_around,
    doc_ents,
    entity_at,
    ents_within,
    headline_end,
    lowers,
    noun_phrase,
)
from .extensions import full_text
from .lexicons import EVENT_TRIGGER_FLAGS
from .patterns_io import PatternGroup, rule_files
from .rule_matcher import RuleMatcher
from .schema import EVENT_TYPES, SchemaError

EFFECTS: tuple[str, ...] = ("trigger", "block")
STRENGTHS: tuple[str, ...] = ("strong", "weak")
# Nouns naming documents: their presence makes "concluded" a signing word.
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    (
        "agreement agreements contract contracts memorandum memorandums memoranda protocol "
        "protocols deal deals accord accords treaty treaties arrangement arrangements mou "
        "statement statements declaration declarations document documents charter letter"
    ).split()
)
_STATION_WORDS: frozenset[str] = frozenset({"station", "iss", "outpost", "laboratory", "lab"})
# Words that may stand between "arrived"/"released" and the station it names.
_STATION_PATH: frozenset[str] = frozenset(
    (
        "at from to with the space international orbiting russian chinese american segment of "
        "its their"
    ).split()
)
# Words that may follow "space" when it is the destination: "into space on Monday".
_FUNCTION_WORDS: frozenset[str] = frozenset(
    "on in at aboard and with for from by atop after before as to this that".split()
)
_ORBIT_WINDOW = 10
_SERIES_WINDOW = 12
_TALLY_WINDOW = 6
_IRREGULAR_PASTS: frozenset[str] = frozenset(
    "met flew flown put sent went gone took rode left came".split()
)
_STATION_WINDOW = 5
_NEGATION_WINDOW = 3
_SUBJECT_NEGATION_WINDOW = 5
_CANCEL_WINDOW = 6


@dataclass(frozen=True)
class TriggerGroup:
    """A pattern group's settings, as the finder uses them."""

    name: str
    type: str
    effect: str
    strength: str
    kind: str | None
    named: bool
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A trigger found in a text: tokens ``[start, end)`` and the group that found it."""

    start: int
    end: int
    group: TriggerGroup

    @property
    def type(self) -> str:
        return self.group.type


def _window_after(doc: Doc, cand: Candidate, size: int) -> list[Token]:
    """Up to ``size`` tokens after the trigger, within its clause."""
    _, clause_end = clause_around(doc, cand.start)
    return list(doc[cand.end : min(clause_end, cand.end + size)])


def _clause_ents(doc: Doc, cand: Candidate) -> list[Span]:
    a, b = clause_around(doc, cand.start)
    return ents_within(doc, a, b)


def _orbit_after(doc: Doc, cand: Candidate) -> bool:
    """A launch destination after the trigger: "into orbit", "to space"."""
    return any(_is_orbit(t) for t in _window_after(doc, cand, _ORBIT_WINDOW))


def _is_orbit(tok: Token) -> bool:
    # lowercase only ("Space Activities Act" is a name); "space" alone, not "space station"
    if tok.text in ("orbit", "orbits"):
        return True
    if tok.text != "space":
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is None or not nxt.is_alpha or nxt.lower_ in _FUNCTION_WORDS


def _station_after(doc: Doc, cand: Candidate) -> bool:
    """A station right after the trigger: "arrived at the station", "released from the ISS"."""
    for tok in _window_after(doc, cand, _STATION_WINDOW):
        if tok.lower_ in _STATION_WORDS:
            return True
        if tok.ent_type_ == "VEHICLE":
            ent = entity_at(doc, tok.i)
            return ent is not None and ent._.kind == "station"
        if tok.lower_ not in _STATION_PATH:
            return False
    return False


def _argument_in_clause(doc: Doc, cand: Candidate) -> bool:
    return any(e.label_ in ("VEHICLE", "PERSON", "DATE") for e in _clause_ents(doc, cand))


def _vehicle_in_clause(doc: Doc, cand: Candidate) -> bool:
    return any(e.label_ == "VEHICLE" for e in _clause_ents(doc, cand))


def _counterpart_after(doc: Doc, cand: Candidate) -> bool:
    window = _window_after(doc, cand, _STATION_WINDOW)
    return any(t.ent_type_ in ("PERSON", "ORG", "LOCATION") for t in window) or any(
        t.lower_ in ("delegation", "counterpart", "counterparts", "minister", "head", "heads")
        for t in window
    )


def _document_in_clause(doc: Doc, cand: Candidate) -> bool:
    a, b = clause_around(doc, cand.start)
    return any(t.lower_ in DOCUMENT_NOUNS for t in doc[a:b])


def _in_headline(doc: Doc, cand: Candidate) -> bool:
    return cand.end <= headline_end(doc)


def _after_name(doc: Doc, cand: Candidate) -> bool:
    # A present-tense verb follows its subject, a name ("PSLV-C60 successfully launches");
    # a plural noun follows a modifier ("2020 rideshare launches").
    i = cand.start - 1
    while i >= 0 and doc[i].lower_.endswith("ly"):
        i -= 1
    if i < 0:
        return False
    prev = doc[i]
    return bool(prev.ent_type_) or prev.is_title or prev.is_upper


CONDITIONS: dict[str, Callable[[Doc, Candidate], bool]] = {
    "orbit_after": _orbit_after,
    "station_after": _station_after,
    "argument_in_clause": _argument_in_clause,
    "vehicle_in_clause": _vehicle_in_clause,
    "counterpart_after": _counterpart_after,
    "document_in_clause": _document_in_clause,
    "in_headline": _in_headline,
    "after_name": _after_name,
}


def _settings(group: PatternGroup) -> TriggerGroup:
    where = f"{group.source_file}:{group.line} group {group.group!r}"
    extra = group.model_extra or {}
    effect = extra.get("effect", "trigger")
    strength = extra.get("strength", "strong")
    requires = tuple(extra.get("requires", ()))
    if group.label not in EVENT_TYPES:
        raise SchemaError(where, f"label {group.label!r} is not an event type")
    if effect not in EFFECTS:
        raise SchemaError(where, f"effect {effect!r} is not one of {', '.join(EFFECTS)}")
    if strength not in STRENGTHS:
        raise SchemaError(where, f"strength {strength!r} is not one of {', '.join(STRENGTHS)}")
    unknown = [r for r in requires if r not in CONDITIONS]
    if unknown:
        raise SchemaError(where, f"unknown condition(s) {unknown}; known: {sorted(CONDITIONS)}")
    return TriggerGroup(
        name=group.group,
        type=group.label,
        effect=effect,
        strength=strength,
        kind=extra.get("kind"),
        named=bool(extra.get("named", False)),
        requires=requires,
    )


class TriggerFinder:
    """Find trigger candidates in a Doc whose entities are already set."""

    def __init__(self, nlp: Language, root: Path) -> None:
        self.matcher = RuleMatcher(nlp, rule_files(root, "events"), None, EVENT_TRIGGER_FLAGS)
        self.settings = {g.group: _settings(g) for g in self.matcher.groups}

    def __call__(self, doc: Doc) -> list[Candidate]:
        """Non-overlapping triggers in text order, after every filter."""
        triggers: list[Candidate] = []
        blocks: list[Candidate] = []
        for group, s, e in self.matcher(doc):
            settings = self.settings[group.group]
            cand = Candidate(s, e, settings)
            (blocks if settings.effect == "block" else triggers).append(cand)
        entity_tokens = {i for ent in doc_ents(doc) for i in range(ent.start, ent.end)}
        blocked = {(b.type, i) for b in blocks for i in range(b.start, b.end)}
        kept = [
            c
            for c in triggers
            if not entity_tokens.intersection(range(c.start, c.end))
            and not any((c.type, i) in blocked for i in range(c.start, c.end))
            and all(CONDITIONS[name](doc, c) for name in c.group.requires)
            and not _generic(doc, c)
        ]
        return _non_overlapping(kept)


def _generic(doc: Doc, cand: Candidate) -> bool:
    """Counted, generic, negated or cancelled uses, which name no single happening."""
    if cand.group.named:
        return False
    np = noun_phrase(doc, cand.start)
    if (np.counted or np.negated) and not _past_verb(doc[cand.start].lower_):
        return True  # "96 commercial launches"; not "the two agencies signed"
    a, _ = clause_around(doc, cand.start)
    before = lowers(doc, max(a, cand.start - _CANCEL_WINDOW), cand.start)
    if any(w in CANCELLATIONS for w in before) or "called off" in " ".join(before):
        return True
    if before[-2:] in (["attempt", "to"], ["failed", "to"], ["unable", "to"], ["tried", "to"]):
        return True  # an attempt names no happening of its own
    if any(w in NEGATIONS for w in before[-_NEGATION_WINDOW:]):
        return True
    if any(w in ("no", "never") for w in before[-_SUBJECT_NEGATION_WINDOW:]):
        return True  # "No Russian spacecraft has landed", "has never before flown"
    return _series(doc, cand) or _cumulative(doc, cand, before) or _boilerplate(doc, cand)


def _cumulative(doc: Doc, cand: Candidate, before: list[str]) -> bool:
    """A tally, not one happening: "has launched more than 200 satellites since 2015"."""
    _, b = clause_around(doc, cand.start)
    after = lowers(doc, cand.end, min(b, cand.end + _TALLY_WINDOW))
    pairs = list(zip(after, after[1:], strict=False))
    if ("more", "than") in pairs or any(
        a in ("over", "nearly", "almost") and b.isdigit() for a, b in pairs
    ):
        return True
    if any(a in ("dozens", "hundreds", "thousands") and b == "of" for a, b in pairs):
        return True
    perfect = any(w in ("has", "have") for w in before[-2:])
    return perfect and "since" in lowers(doc, cand.end, b)


def _boilerplate(doc: Doc, cand: Candidate) -> bool:
    """Legal boilerplate ("forward-looking statements") speaks of no real event."""
    sent = doc[cand.start].sent
    text = full_text(doc)[sent.start_char : sent.end_char].lower()
    return "forward-looking" in text or "forward looking" in text or "safe harbor" in text


def _past_verb(word: str) -> bool:
    """A past-tense verb form, which heads no noun phrase to count."""
    return word.endswith("ed") or word in _IRREGULAR_PASTS


def _series(doc: Doc, cand: Candidate) -> bool:
    """A service over a period, not one happening: "to launch satellites starting in 2020"."""
    if cand.type not in ("LAUNCH", "LANDING", "DOCKING"):
        return False
    _, b = clause_around(doc, cand.start)
    words = lowers(doc, cand.end, min(b, cand.end + _SERIES_WINDOW))
    return any(
        w in ("starting", "beginning") and i + 1 < len(words) and words[i + 1] in ("in", "from")
        for i, w in enumerate(words)
    )


def _non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    """Longest first, strong before weak: overlapping candidates keep one winner."""
    ordered = sorted(
        cands, key=lambda c: (-(c.end - c.start), c.group.strength != "strong", c.start)
    )
    taken: set[int] = set()
    chosen = []
    for c in ordered:
        span = set(range(c.start, c.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)
