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
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy
from spacy.attrs import ENT_TYPE, IDX, IS_SPACE, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

# Words that open a clause of their own: relative, temporal and contrastive links.
CLAUSE_OPENERS: frozenset[str] = frozenset(
    (
        "which who whom whose when where while whereas but although though because after before "
        "until since once"
    ).split()
)
# Relative words whose clause inherits the noun just before it ("Intelsat 901, which ...").
RELATIVES: frozenset[str] = frozenset("which who whom whose when where that".split())
# Verbs of saying and of watching: their subjects comment on an event, they do not act.
SPEECH_VERBS: frozenset[str] = frozenset(
    (
        "said says say told tells noted notes added adds stated states explained reported "
        "reports announced announces congratulated congratulates praised thanked called calls "
        "described stressed acknowledged expressed commented followed watched observed "
        "confirmed welcomed hailed emphasised emphasized recalled"
    ).split()
)
CLAUSE_PUNCT: frozenset[str] = frozenset({";", ":", "—", "–"})
DASHES: frozenset[str] = frozenset({"—", "–", "-", "--", "---"})

DEFINITE: frozenset[str] = frozenset(
    "the this that these those its their his her our 's ’s".split()
)
INDEFINITE: frozenset[str] = frozenset({"a", "an"})
# Quantifiers that make a noun generic or counted ("several launches", "no spacecraft").
QUANTIFIERS: frozenset[str] = frozenset(
    (
        "several many numerous multiple few dozens hundreds thousands all every each some any "
        "more most future various per"
    ).split()
)
CARDINALS: frozenset[str] = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen hundred thousand".split()
)
# Modifiers of a plural noun that make it habitual: "regular meetings", "annual forums".
HABITUAL: frozenset[str] = frozenset(
    "regular annual periodic frequent routine monthly weekly such".split()
)
CONTRASTIVE: frozenset[str] = frozenset({"previous", "prior", "next", "another", "earlier"})
NEGATIONS: frozenset[str] = frozenset({"no", "not", "never", "n't", "without", "nor"})
CANCELLATIONS: frozenset[str] = frozenset(
    {"cancelled", "canceled", "scrapped", "abandoned", "cancel", "cancels"}
)
# Words that end the noun phrase when scanning left from its head.
NP_STOP: frozenset[str] = frozenset(
    (
        "of in on at for with from to by after before since and or was is were are be been has "
        "have had will would that which when during into under about as"
    ).split()
)
# Pronouns and frequent verbs end a left scan: "he held talks" has no determiner.
_NP_VERBS: frozenset[str] = frozenset(
    (
        "he she it they we i you held hold holds holding had made make took take began begin "
        "gave give conducted attended opened closed hosted organised organized joined completed "
        "performed signed met said announced attempt"
    ).split()
)
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_NP_WINDOW = 5
# A fronted measure of time before "after"/"before": "Eight minutes and 48 seconds after".
_TIME_WORDS: frozenset[str] = frozenset(
    (
        "and a an some about around roughly just only shortly soon few several moments seconds "
        "second minutes minute hours hour days day weeks week months month years year half "
        "later"
    ).split()
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
            # ", which ... ," and a fronted "Eight minutes after lift-off, ..." end at a comma
            close_at_comma = (low in RELATIVES and doc_text(tok, -1) == ",") or all(
                t.like_num or t.lower_ in _TIME_WORDS for t in tok.doc[sent.start : tok.i]
            )
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


def ents_within(doc: Doc, a: int, b: int) -> list[Span]:
    """The entities lying inside tokens ``[a, b)``, read off the tokens' entity tags.

    ``doc.ents`` builds every entity of the document; asking it once per trigger made
    long texts quadratic.
    """
    found: list[Span] = []
    i = a
    while i < b:
        token = doc[i]
        if token.ent_iob_ != "B":
            i += 1
            continue
        j = i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        if j <= b:
            found.append(
                Span(
                    doc, i, j, label=token.ent_type_, kb_id=token.ent_kb_id_, span_id=token.ent_id_
                )
            )
        i = j
    return found


_CACHE = "orbitext.events.cache"
_T = TypeVar("_T")


@contextmanager
def reading_cache(doc: Doc) -> Iterator[None]:
    """Within the block, :func:`doc_ents`, :func:`lowers`, :func:`sentence_clauses` and the
    like compute once per document.

    The event finder reads entities and clauses many times per trigger and changes
    neither; spaCy rebuilds ``doc.ents`` on every access. The cache lives in
    ``doc.user_data`` only while the block runs, so no stale copy outlives it.
    """
    doc.user_data[_CACHE] = {}
    try:
        yield
    finally:
        doc.user_data.pop(_CACHE, None)


def _cached(doc: Doc, key: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()``, kept under ``key`` while :func:`reading_cache` is open on ``doc``."""
    cache: dict[Hashable, Any] | None = doc.user_data.get(_CACHE)
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    value: _T = cache[key]
    return value


def doc_ents(doc: Doc) -> list[Span]:
    """``doc.ents`` as a list; computed once inside :func:`reading_cache`."""
    return _cached(doc, "ents", lambda: list(doc.ents))


def lowers(doc: Doc, start: int, end: int) -> list[str]:
    """The lower-case forms of tokens ``[start, end)`` (clamped to the document).

    Inside :func:`reading_cache` they are read off one list made per document, rather than
    off a ``Token`` object made for every word at every look.
    """

    def every_word() -> list[str]:
        strings = doc.vocab.strings
        return [strings[h] for h in doc.to_array(LOWER).tolist()] if len(doc) else []

    return _cached(doc, "lowers", every_word)[max(start, 0) : end]


def ent_starts(doc: Doc) -> list[int]:
    """Where each of :func:`doc_ents` starts (cached like them)."""
    return _cached(doc, "ent_starts", lambda: [e.start for e in doc_ents(doc)])


def sentence_clauses(sent: Span) -> list[tuple[int, int]]:
    """:func:`clause_bounds` of ``sent``; computed once inside :func:`reading_cache`."""
    return _cached(sent.doc, ("clauses", sent.start), lambda: clause_bounds(sent))


def clause_around(doc: Doc, i: int) -> tuple[int, int]:
    """The clause of token ``i`` in its sentence (cached inside :func:`reading_cache`)."""
    return _cached(doc, ("clause", i), lambda: clause_of(sentence_clauses(doc[i].sent), i))


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
    return entity_at(doc, j)


def entity_at(doc: Doc, i: int) -> Span | None:
    """The entity holding token ``i``, if any."""
    if doc[i].ent_iob_ not in ("B", "I"):
        return None
    ents = doc_ents(doc)
    # The entity holding token i is the last one starting at or before it.
    k = bisect_right(ent_starts(doc), i) - 1
    if k >= 0 and ents[k].start <= i < ents[k].end:
        return ents[k]
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
        if low in NP_STOP or low in _NP_VERBS:
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


def _closing(doc: Doc, i: int, end: int) -> int | None:
    """The ``)`` closing the bracket at ``i`` within a few tokens, if any."""
    for j in range(i + 1, min(end, i + 8)):
        if doc[j].text == ")":
            return j
    return None


def find_datelines(doc: Doc) -> list[Dateline]:
    """Datelines at sentence starts: only places, dates and commas before a dash."""
    found = []
    ents = {e.start: e for e in doc_ents(doc)}
    for sent in doc.sents:
        place: Span | None = None
        date: str | None = None
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
            elif tok.text == "(" and (close := _closing(doc, i, sent.end)) is not None:
                i = close + 1  # the agency's credit: "BEIJING, Oct. 31 (Xinhua) --"
                continue
            elif tok.text == "." and i == sent.end - 1:
                last_dash = i  # "MOSCOW, July 15, 2022." on a sentence of its own
            elif not (tok.text == "," or tok.is_space):
                break
            i += 1
        if last_dash >= 0 and (place is not None or date is not None):
            found.append(Dateline(sent.start, last_dash + 1, place, date))
    return found


def heading_lines(doc: Doc, newlines: list[int]) -> set[int]:
    """Line numbers of section headings ("Interesting facts 2/3", "About Boeing").

    A heading is a short line without final punctuation naming no place, date or vehicle;
    the article's first line (its headline) is not counted. ``newlines`` are the offsets
    of the text's line breaks. Read off token arrays: a ``Token`` object per word would
    cost more than the rest of the test.
    """
    if not len(doc):
        return set()
    strings = doc.vocab.strings
    table = doc.to_array([IDX, IS_SPACE, ORTH, ENT_TYPE])
    words = numpy.flatnonzero(table[:, 1] == 0)  # tokens that are not whitespace
    if not words.size:
        return set()
    line_breaks = numpy.array(newlines, dtype=numpy.int64)
    lines = numpy.searchsorted(line_breaks, table[words, 0].astype(numpy.int64), side="left")
    placed = {strings.add(label) for label in ("DATE", "LOCATION", "VEHICLE")}
    headings = set()
    # Tokens are in text order, so each line's words form one run of ``lines``.
    breaks = numpy.flatnonzero(numpy.diff(lines)) + 1
    for run in numpy.split(numpy.arange(words.size), breaks):
        number = int(lines[run[0]])
        if number == 0 or run.size > _HEADING_LENGTH:
            continue
        last = words[run[-1]]
        if strings[int(table[last, 2])] in (".", "!", "?", ":", ";", '"', "”"):
            continue
        if any(int(table[words[k], 3]) in placed for k in run):
            continue
        headings.add(number)
    return headings


# Place names for pads, launch complexes and sites: never an event's location.
