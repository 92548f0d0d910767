"""What the event rules can see around a trigger without a parser.

Clauses are cut at strong punctuation and at subordinating words, so that in
"the first launch since April 28, when a rocket lifted off with Progress M-27M" the date
and the freighter belong to "lifted off", not to "launch". The noun-phrase scan looks left
of a trigger for its determiner, ordinal and quantifiers ("the 20th meeting",
"96 commercial launches"). The headline is the article's first line; the dateline is
"PLACE, DATE —" at the start of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:  # the trigger finder imports this module
    from .event_triggers import Candidate

# Words that open a clause of their own: relative, temporal and contrastive links.
CLAUSE_OPENERS: frozenset[str] = frozenset(
    {
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "while",
        "whereas",
        "but",
        "although",
        "though",
        "because",
        "after",
        "before",
        "until",
        "since",
        "once",
    }
)
# Relative words whose clause inherits the noun just before it ("Intelsat 901, which ...").
RELATIVES: frozenset[str] = frozenset({"which", "who", "whom", "whose", "when", "where", "that"})
# Verbs of saying and of watching: their subjects comment on an event, they do not act.
SPEECH_VERBS: frozenset[str] = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "tells",
        "noted",
        "notes",
        "added",
        "adds",
        "stated",
        "states",
        "explained",
        "reported",
        "reports",
        "announced",
        "announces",
        "congratulated",
        "congratulates",
        "praised",
        "thanked",
        "called",
        "calls",
        "described",
        "stressed",
        "acknowledged",
        "expressed",
        "commented",
        "followed",
        "watched",
        "observed",
        "confirmed",
        "welcomed",
        "hailed",
        "emphasised",
        "emphasized",
        "recalled",
    }
)
CLAUSE_PUNCT: frozenset[str] = frozenset({";", ":", "—", "–"})
DASHES: frozenset[str] = frozenset({"—", "–", "-"})

DEFINITE: frozenset[str] = frozenset(
    {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "'s", "’s"}
)
INDEFINITE: frozenset[str] = frozenset({"a", "an"})
# Quantifiers that make a noun generic or counted ("several launches", "no spacecraft").
QUANTIFIERS: frozenset[str] = frozenset(
    {
        "several",
        "many",
        "numerous",
        "multiple",
        "few",
        "dozens",
        "hundreds",
        "thousands",
        "all",
        "every",
        "each",
        "some",
        "any",
        "more",
        "most",
        "future",
        "various",
        "per",
    }
)
CARDINALS: frozenset[str] = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozen",
        "hundred",
        "thousand",
    }
)
# Modifiers of a plural noun that make it habitual: "regular meetings", "annual forums".
HABITUAL: frozenset[str] = frozenset(
    {"regular", "annual", "periodic", "frequent", "routine", "monthly", "weekly", "such"}
)
CONTRASTIVE: frozenset[str] = frozenset({"previous", "prior", "next", "another", "earlier"})
NEGATIONS: frozenset[str] = frozenset({"no", "not", "never", "n't", "without", "nor"})
CANCELLATIONS: frozenset[str] = frozenset(
    {"cancelled", "canceled", "scrapped", "abandoned", "cancel", "cancels"}
)
# Words that end the noun phrase when scanning left from its head.
_NP_STOP: frozenset[str] = frozenset(
    {
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "to",
        "by",
        "after",
        "before",
        "since",
        "and",
        "or",
        "was",
        "is",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "that",
        "which",
        "when",
        "during",
        "into",
        "under",
        "about",
        "as",
    }
)
# Pronouns and frequent verbs end a left scan: "he held talks" has no determiner.
_NP_VERBS: frozenset[str] = frozenset(
    {
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "held",
        "hold",
        "holds",
        "holding",
        "had",
        "made",
        "make",
        "took",
        "take",
        "began",
        "begin",
        "gave",
        "give",
        "conducted",
        "attended",
        "opened",
        "closed",
        "hosted",
        "organised",
        "organized",
        "joined",
        "completed",
        "performed",
        "signed",
        "met",
        "said",
        "announced",
        "attempt",
    }
)
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_NP_WINDOW = 5
_COORDINATION_REACH = 12
_PREPOSITIONS: frozenset[str] = frozenset(
    {"during", "at", "in", "on", "after", "before", "for", "of", "within", "ahead"}
)
_THAT_WINDOW = 3
_HEADING_LENGTH = 8


@dataclass(frozen=True)
class NounPhrase:
    """What stands left of a trigger inside its noun phrase."""

    determiner: str | None  # "definite", "indefinite" or None (bare)
    ordinal: str | None  # a numeric ordinal such as "20th"
    counted: bool  # a cardinal number or a quantifier: generic or counted use
    contrastive: bool  # "previous", "next", "another": a different happening
    negated: bool


def clause_bounds(sent: Span) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the clauses of ``sent`` (doc token indices)."""
    cuts = [sent.start]
    # A fronted "After the signing," or an aside ", which ... ," ends at its comma.
    close_at_comma = sent[0].lower_ in CLAUSE_OPENERS
    depth = 0  # inside parentheses nothing opens a clause: "(Nasdaq: RKLB)"
    for tok in sent:
        depth += (tok.text == "(") - (tok.text == ")")
        if tok.i == sent.start or depth > 0:
            continue
        low = tok.lower_
        if tok.text == ";" and tok.i + 1 < sent.end and tok.doc[tok.i + 1].ent_type_ == "PERSON":
            continue  # a list of people separated by semicolons
        if tok.text in CLAUSE_PUNCT or (
            tok.text in DASHES and tok.whitespace_ and not _dash_list(tok, sent)
        ):
            cuts.append(tok.i + 1 if tok.i + 1 < sent.end else tok.i)
            close_at_comma = False
        elif low in CLAUSE_OPENERS and not _inside_entity(tok):
            cuts.append(tok.i)
            close_at_comma = low in RELATIVES and doc_text(tok, -1) == ","
        elif low == "that" and any(
            doc_text(tok, -k).lower() in SPEECH_VERBS for k in range(1, _THAT_WINDOW + 1)
        ):
            cuts.append(tok.i)  # "announced (on Monday) that ...": what is said is a clause
        elif close_at_comma and tok.text == "," and not _inside_entity(tok):
            cuts.append(tok.i + 1 if tok.i + 1 < sent.end else tok.i)
            close_at_comma = False
    cuts = sorted(set(cuts))
    bounds = list(zip(cuts, [*cuts[1:], sent.end], strict=True))
    return [(a, b) for a, b in bounds if b > a]


def _dash_list(dash: Token, sent: Span) -> bool:
    """Dashes enclosing only names, commas and "and": an apposition, not a clause."""
    doc = dash.doc
    i = dash.i + 1
    seen_name = False
    while i < sent.end:
        tok = doc[i]
        if tok.text in DASHES and i > dash.i + 1:
            return seen_name
        if tok.ent_type_:
            seen_name = True
        elif not (tok.text == "," or tok.lower_ in ("and", "or") or tok.is_space):
            break
        i += 1
    # a list before a closing dash: "— Socrat, VDNH-80 and AmurSat —" seen from the second dash
    j = dash.i - 1
    seen_name = False
    while j >= sent.start:
        tok = doc[j]
        if tok.text in DASHES:
            return seen_name
        if tok.ent_type_:
            seen_name = True
        elif not (tok.text == "," or tok.lower_ in ("and", "or") or tok.is_space):
            return False
        j -= 1
    return False


def doc_text(tok: Token, offset: int) -> str:
    """The text of the token ``offset`` places from ``tok`` ("" outside the doc)."""
    i = tok.i + offset
    return tok.doc[i].text if 0 <= i < len(tok.doc) else ""


def is_subordinate(doc: Doc, clause: tuple[int, int]) -> bool:
    """A clause opened by a relative or subordinating word ("when ...", "which ...")."""
    first = doc[clause[0]].lower_
    return first in CLAUSE_OPENERS or first in RELATIVES


def clause_of(bounds: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """The clause range holding token ``i``."""
    for a, b in bounds:
        if a <= i < b:
            return a, b
    raise ValueError(f"token {i} lies in no clause")


def _inside_entity(tok: Token) -> bool:
    return tok.ent_iob_ in ("B", "I")


def relative_antecedent(doc: Doc, clause: tuple[int, int]) -> Span | None:
    """The entity that a relative clause ("..., which/when ...") hangs on, if any."""
    start = clause[0]
    if start >= len(doc) or doc[start].lower_ not in RELATIVES:
        return None
    j = start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    if j < 0:
        return None
    for ent in doc.ents:
        if ent.start <= j < ent.end:
            return ent
    return None


def anterior_start(doc: Doc, bounds: list[tuple[int, int]]) -> int | None:
    """Where "since DATE, when ..." begins telling an earlier happening, if it does.

    In "the first launch since 9 May, when a Vega rocket lifted off", the Vega launch is
    another, earlier event than "the first launch".
    """
    for clause in bounds:
        ante = relative_antecedent(doc, clause)
        if ante is not None and ante.label_ == "DATE" and ante.start > 0:
            if doc[ante.start - 1].lower_ == "since":
                return clause[0]
    return None


def noun_phrase(doc: Doc, start: int) -> NounPhrase:
    """Scan left of token ``start`` within its noun phrase (a few tokens, no verbs)."""
    determiner = ordinal = None
    counted = contrastive = negated = False
    sent_start = doc[start].sent.start
    i = start - 1
    while i >= sent_start and start - i <= _NP_WINDOW:
        tok = doc[i]
        low = tok.lower_
        if tok.is_punct and low not in ("'s", "’s"):
            break
        if low in _NP_STOP or low in _NP_VERBS:
            break
        if low in DEFINITE:
            determiner = "definite"
            break
        if low in INDEFINITE:
            determiner = "indefinite"
            break
        if low in NEGATIONS:
            negated = True
            break
        if _ORDINAL_RE.match(low):
            ordinal = low
        elif tok.ent_type_:
            pass  # a name inside the phrase ("the Soyuz-FG launch", "Falcon 9 rocket")
        elif low in QUANTIFIERS or low in CARDINALS or tok.is_digit:
            counted = True
        elif low in HABITUAL and doc[start].lower_.endswith("s"):
            counted = True
        elif low in CONTRASTIVE:
            contrastive = True
        i -= 1
    return NounPhrase(determiner, ordinal, counted, contrastive, negated)


def first_line_end(doc: Doc) -> int:
    """Token index just past the article's first line (its headline when it has one)."""
    for tok in doc:
        if "\n" in tok.text_with_ws and not tok.is_space:
            return tok.i + 1
        if tok.is_space and "\n" in tok.text:
            return tok.i
    return len(doc)


def headline_end(doc: Doc) -> int:
    """Token index just past the headline, or 0 when the first line is a sentence of text.

    A headline stands alone on the first line and does not end in a full stop.
    """
    end = first_line_end(doc)
    words = [t for t in doc[:end] if not t.is_space]
    if not words or end >= len(doc) or words[-1].text in (".", "!", "?"):
        return 0
    return end


@dataclass(frozen=True)
class Dateline:
    """``PLACE, DATE —`` opening a sentence: where and when the article was written."""

    sent_start: int
    end: int  # token index just past the dash
    place: Span | None
    date: str | None


def find_datelines(doc: Doc) -> list[Dateline]:
    """Datelines at sentence starts: only places, dates and commas before a dash."""
    found = []
    for sent in doc.sents:
        place: Span | None = None
        date: str | None = None
        ents = {e.start: e for e in doc.ents}
        i = sent.start
        last_dash = -1
        while i < sent.end and i - sent.start < 20:
            tok = doc[i]
            ent = ents.get(i)
            if ent is not None and ent.label_ in ("LOCATION", "DATE"):
                if ent.label_ == "LOCATION" and place is None:
                    place = ent
                if ent.label_ == "DATE":
                    date = ent._.value
                i = ent.end
                continue
            if tok.text in DASHES:
                last_dash = i
            elif not (tok.text == "," or tok.is_space):
                break
            i += 1
        if last_dash >= 0 and (place is not None or date is not None):
            found.append(Dateline(sent.start, last_dash + 1, place, date))
    return found


def heading_lines(doc: Doc) -> set[int]:
    """Line numbers of section headings ("Interesting facts 2/3", "About Boeing").

    A heading is a short line without final punctuation naming no place, date or vehicle;
    the article's first line (its headline) is not counted.
    """
    headings = set()
    line_tokens: dict[int, list[Token]] = {}
    line = 0
    for tok in doc:
        if not tok.is_space:
            line_tokens.setdefault(line, []).append(tok)
        line += tok.text_with_ws.count("\n")
    for number, toks in line_tokens.items():
        if number == 0 or len(toks) > _HEADING_LENGTH:
            continue
        if toks[-1].text in (".", "!", "?", ":", ";", '"', "”"):
            continue
        if any(t.ent_type_ in ("DATE", "LOCATION", "VEHICLE") for t in toks):
            continue
        headings.add(number)
    return headings


# Place names for pads, launch complexes and sites: never an event's location.
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
    {"cosmodrome", "spaceport", "centre", "center", "base", "headquarters", "hall", "complex"}
)

_MODULE_WORDS: frozenset[str] = frozenset(
    {"module", "node", "adapter", "segment", "compartment", "airlock", "laboratory", "lab"}
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
    after = [t.lower_ for t in doc[loc.end : loc.end + 2]]
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
    rivals = [
        c
        for c in ctx.candidates
        if own[0] <= c.start < own[1] and (types is None or c.type in types)
    ]
    doc = ctx.doc
    group = coordination(doc, ent)

    def distance(c: Candidate) -> int:
        # "signed by A and B during a video conference": a trigger in a prepositional
        # phrase claims nothing before it when another trigger stands before the names.
        if ent.end <= c.start and _after_preposition(doc, c) and any(
            r.end <= ent.start for r in rivals
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
        elif not (tok.is_alpha and not tok.is_sent_start and tok.lower_ not in _NP_STOP):
            break
        i -= 1
    return group


class DocContext:
    """Per-document facts the argument rules share: clauses, triggers, datelines."""

    def __init__(self, doc: Doc, candidates: list[Candidate]) -> None:
        self.doc = doc
        self.ents: list[Span] = list(doc.ents)
        self.candidates = candidates
        self.trigger_tokens = {i for c in candidates for i in range(c.start, c.end)}
        self.newlines = [i for i, ch in enumerate(doc.text) if ch == "\n"]
        self.main_station = main_station(self.ents)
        self.headings = sorted(heading_lines(doc))
        self._bounds: dict[int, list[tuple[int, int]]] = {}
        self.datelines: dict[int, Dateline] = {d.sent_start: d for d in find_datelines(doc)}
        self.first_dateline = min(self.datelines.values(), key=lambda d: d.sent_start, default=None)

    def bounds(self, sent: Span) -> list[tuple[int, int]]:
        """Clause bounds of ``sent`` (cached)."""
        if sent.start not in self._bounds:
            self._bounds[sent.start] = clause_bounds(sent)
        return self._bounds[sent.start]

    def ents_in(self, a: int, b: int, label: str | None = None) -> list[Span]:
        """Entities inside tokens ``[a, b)``, optionally of one label."""
        return [e for e in self.ents if a <= e.start and e.end <= b and label in (None, e.label_)]

    def is_dateline_clause(self, clause: tuple[int, int]) -> bool:
        """True for the ``PLACE, DATE —`` clause opening a sentence."""
        line = self.datelines.get(self.doc[clause[0]].sent.start)
        return line is not None and clause[1] <= line.end

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
