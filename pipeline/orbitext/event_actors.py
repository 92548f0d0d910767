"""Participants of one trigger mention, and crews named apart from any trigger.

Participants are the ORG and PERSON entities that act, host, sign, meet, crew the vehicle,
operate the launch or are its customer (ANNOTATION.md). Left out are speakers and
onlookers ("said", "watched", "according to"), builders ("built by"), venues ("the
office of", "NASA's Johnson Space Center" for a meeting), parent organisations ("part
of", "HSFC of ISRO"), tickers ("NYSE: NOC") and, except for signings, people's employers
("NASA astronaut X", "X of Roscosmos"). A country is a participant only as a party
("between X and Y", "signed with X", "of Russia and China"). "he"/"she"/"they" before
the trigger stand for people named in the sentence before.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .event_context import (
    SPEECH_VERBS,
    lowers,
)
from .event_document import (
    DocContext,
    is_facility,
    name_of,
    nearest_trigger,
    owns_next,
)
from .event_triggers import Candidate

_BUILDER_VERBS: frozenset[str] = frozenset(
    "built developed manufactured made designed produced assembled".split()
)
_VENUE_WORDS: frozenset[str] = frozenset({"office", "offices", "headquarters", "premises"})
_PARENT_WORDS: frozenset[str] = frozenset({"part", "subsidiary", "division", "unit", "member"})
_BACKUP_WORDS: frozenset[str] = frozenset({"back-up", "backup", "reserve", "understudy"})
# An organisation named before these is the employer of unnamed people, not an actor.
_CREW_NOUNS: frozenset[str] = frozenset(
    "astronaut astronauts cosmonaut cosmonauts taikonaut taikonauts crew crews team teams".split()
)
_PRONOUNS: frozenset[str] = frozenset({"he", "she"})
_PARENT_WINDOW = 10
_AFFILIATION_GAP = 4
_PARTY_WINDOW = 6
_SUBJECT_REACH = 6
_ROLE_REACH = 4
# Nouns for what a party is to an organisation: "ESA's largest contributor".
_ROLE_NOUNS: frozenset[str] = frozenset(
    (
        "contributor contributors partner partners member members customer customers contractor "
        "contractors supplier suppliers shareholder shareholders subsidiary subsidiaries client "
        "clients"
    ).split()
)
# Auxiliaries and adverbs between a subject and its verb ("has formally signed").
_SUBJECT_GAP: frozenset[str] = frozenset(
    "has have had will would formally also then jointly today".split()
)
# Verbs that present a vehicle's crew: "The spaceship carries ...", "commanded by ...".
_CREW_VERBS: frozenset[str] = frozenset(
    "carries carried carrying commanded crewed piloted joined".split()
)
_CRAFT_NOUNS: frozenset[str] = frozenset(
    {"spaceship", "spacecraft", "capsule", "ship", "vehicle", "crew"}
)
_SUBJECT_WINDOW = 5


def participants(
    ctx: DocContext, cand: Candidate, own: tuple[int, int], free: list[tuple[int, int]]
) -> list[Span]:
    """The entities taking part in the event the trigger names, in text order, pronoun
    subjects first (as the people they stand for)."""
    found = _actors_in(ctx, cand, *own)
    if not found and ctx.doc[own[0]].lower_ != "but":  # "..., but the docking was automatic"
        found = [e for c in free for e in _actors_in(ctx, cand, *c)]
    return [*_pronoun_subjects(ctx, cand, own), *found]


def _actors_in(ctx: DocContext, cand: Candidate, a: int, b: int) -> list[Span]:
    doc = ctx.doc
    actors = []
    dropped: set[int] = set()
    backup = _mentions_backup(lowers(doc, a, b))  # "the back-up crew for the flight ..."
    for ent in ctx.ents_in(a, b):
        if ctx.is_dateline_clause((ent.start, ent.end)):
            continue  # "BEIJING, Oct. 31 (Xinhua) --": the news agency reports, it does not act
        if not nearest_trigger(ctx, cand, ent, (a, b), types=None):
            continue
        keep = False
        if ent.label_ in ("ORG", "PERSON"):
            keep = not (
                (ent.label_ == "PERSON" and backup)
                or _acronym_of(doc, ent, dropped)
                or _not_an_actor(ctx, cand, ent, b)
            )
        elif ent.label_ == "LOCATION" and cand.type in ("MEETING", "AGREEMENT"):
            keep = _is_party(ctx, cand, ent)
        if keep:
            actors.append(ent)
        elif ent.label_ != "DATE":
            dropped.add(ent.end)
    return actors


def _mentions_backup(words: list[str]) -> bool:
    """A back-up or reserve crew (``words``: lower-case): people who stay on the ground."""
    return not _BACKUP_WORDS.isdisjoint(words) or any(
        a == "back" and b == "-" and c == "up"
        for a, b, c in zip(words, words[1:], words[2:], strict=False)
    )


def _not_an_actor(ctx: DocContext, cand: Candidate, ent: Span, clause_end: int) -> bool:
    """Speakers, onlookers, builders, venues, parents, employers and tickers."""
    doc = ctx.doc
    if _after_words(doc, ent, _BUILDER_VERBS, ("by",)) or _after_words(
        doc, ent, _VENUE_WORDS, ("of",)
    ):
        return True
    if cand.type != "MEETING" and _is_speaker(ctx, ent, clause_end):
        return True
    if ent.label_ == "PERSON":
        return False
    if cand.type == "DOCKING":  # the crew at the arm; an organisation only as the agent
        return not (ent.start > 0 and doc[ent.start - 1].lower_ == "by")
    vehicle_event = cand.type in ("LAUNCH", "LANDING")
    return (
        _parent_org(doc, ent)
        or (ent.end < len(doc) and doc[ent.end].text == ":")  # "NYSE: NOC"
        or (cand.type != "AGREEMENT" and _is_affiliation(ctx, ent))
        or (vehicle_event and _followed_by(doc, ent, _CREW_NOUNS))  # "NASA astronauts"
        or (cand.type == "MEETING" and owns_next(doc, ent, "LOCATION"))  # "NASA's JSC"
        or _owns_role(doc, ent)  # "For France, ESA's second-largest contributor"
    )


def _owns_role(doc: Doc, ent: Span) -> bool:
    """An owner's role noun describes someone else: "ESA's largest contributor"."""
    if not (ent.end < len(doc) and doc[ent.end].text in ("'s", "’s")):
        return False
    for tok in doc[ent.end + 1 : ent.end + 1 + _ROLE_REACH]:
        if tok.lower_ in _ROLE_NOUNS:
            return True
        if not tok.is_alpha and tok.text != "-":
            return False
    return False


def _followed_by(doc: Doc, ent: Span, words: frozenset[str]) -> bool:
    return ent.end < len(doc) and doc[ent.end].lower_ in words


def _after_words(doc: Doc, ent: Span, heads: frozenset[str], preps: tuple[str, ...]) -> bool:
    """True for "<head> <prep> [the] ENT" ("built by X", "the office of X")."""
    i = ent.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 1 and doc[i].lower_ in preps and doc[i - 1].lower_ in heads


def _parent_org(doc: Doc, ent: Span) -> bool:
    """A parent named after its unit: "HSFC of ISRO", "a subsidiary of the operator SES"."""
    i = ent.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 1 and doc[i].lower_ == "of":
        before = doc[i - 1]
        if before.ent_type_ == "ORG" or (before.text == ")" and doc[i - 2].ent_type_ == "ORG"):
            return True
    # "part of", "a subsidiary of [descriptive words] X"
    words = lowers(doc, max(0, ent.start - _PARENT_WINDOW), ent.start)
    return any(
        w in _PARENT_WORDS and k + 1 < len(words) and words[k + 1] == "of"
        for k, w in enumerate(words)
    )


def _acronym_of(doc: Doc, ent: Span, dropped: set[int]) -> bool:
    """A parenthesised acronym repeats the dropped name just before it: "... (CNSA)"."""
    return ent.start >= 1 and doc[ent.start - 1].text == "(" and ent.start - 1 in dropped


def _is_speaker(ctx: DocContext, ent: Span, clause_end: int) -> bool:
    """The subject of "said", "watched" (before any trigger), or "according to" X."""
    doc = ctx.doc
    before = lowers(doc, max(0, ent.start - _PARENT_WINDOW), ent.start)
    if any(a == "according" and b == "to" for a, b in zip(before, before[1:], strict=False)):
        return True
    for i, word in enumerate(lowers(doc, ent.end, clause_end), ent.end):
        if i in ctx.trigger_tokens:
            return False
        if word in SPEECH_VERBS:
            return True
    return False


def _is_affiliation(ctx: DocContext, org: Span) -> bool:
    """An employer named with a person: "NASA astronaut X", "X of NASA", "X, NASA's ..."."""
    doc = ctx.doc
    # ORG [role words] PERSON: "NASA astronaut Nick Hague", "Roscosmos Director General X"
    k = org.end
    while k < len(doc) and k - org.end < _AFFILIATION_GAP and _is_role_word(doc[k]):
        k += 1
    if k < len(doc) and doc[k].ent_type_ == "PERSON":
        return True
    # PERSON [, role words] of [the] ORG: "Alexey Ovchinin of Roscosmos"
    i = org.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 0 and doc[i].lower_ == "of":
        return _person_before(doc, i)
    # PERSON, ORG ...: "William Gerstenmaier, NASA's associate administrator"
    return org.start >= 1 and doc[org.start - 1].text == "," and _person_before(doc, org.start - 1)


def _is_role_word(tok: Token) -> bool:
    return (
        tok.is_alpha
        and not tok.ent_type_
        and tok.lower_ not in ("and", "with", "by")
        and tok.lower_ not in SPEECH_VERBS
    )


def _person_before(doc: Doc, i: int) -> bool:
    """A PERSON ends within a few role words and commas before token ``i``."""
    j = i - 1
    while j >= 0 and i - j <= 6:
        tok = doc[j]
        if tok.ent_type_ == "PERSON":
            return True
        if not (_is_role_word(tok) or tok.text in (",", "-")):
            return False
        j -= 1
    return False


def _is_party(ctx: DocContext, cand: Candidate, loc: Span) -> bool:
    """A country acting as a party: "between X and Y", "signed with X", "of X and Y"."""
    doc = ctx.doc
    if is_facility(doc, loc):
        return False
    before = lowers(doc, max(0, loc.start - 3), loc.start)
    near = 0 <= loc.start - cand.end <= _PARTY_WINDOW
    if ("between" in before and near) or "delegation" in before:
        return True
    if before and before[-1] in ("with", "and") and loc.start - cand.end <= 3:
        return True
    if _subject_of(doc, loc, cand):  # "France signed", "Brazil and Argentina signed"
        return True
    # "of Russia and China": a coordinated pair of places after the trigger
    nxt = doc[loc.end : loc.end + 2]
    pair_after = len(nxt) == 2 and nxt[0].lower_ == "and" and nxt[1].ent_type_ == "LOCATION"
    pair_before = (
        loc.start >= 2
        and doc[loc.start - 1].lower_ == "and"
        and doc[loc.start - 2].ent_type_ == "LOCATION"
    )
    return (pair_after or pair_before) and cand.end <= loc.start


def _pronoun_subjects(ctx: DocContext, cand: Candidate, own: tuple[int, int]) -> list[Span]:
    """Resolve a subject pronoun just before the trigger to people named earlier.

    "he"/"she" is the first person named in the closest earlier sentence that names one
    ("After the signing, Bridenstine met Koichi Hagiuda. ... he held talks"); "they" is
    every person of that sentence when it names several.
    """
    doc = ctx.doc
    window = set(lowers(doc, max(own[0], cand.start - 4), cand.start))
    if not window & (_PRONOUNS | {"they"}):
        return []
    sent_start = doc[cand.start].sent.start
    last = next(
        (
            e
            for e in reversed(ctx.ents_before(sent_start))
            if e.label_ == "PERSON" and e.end <= sent_start
        ),
        None,
    )
    if last is None:
        return []
    last_sent = last.sent  # the people of the last sentence naming any, before this one
    people = [
        e
        for e in ctx.ents_starting(last_sent.start, last_sent.end)
        if e.label_ == "PERSON" and e.end <= sent_start
    ]
    if window & _PRONOUNS:
        return [people[0]]
    return people if len(people) > 1 else []


def crew_sentences(ctx: DocContext) -> list[tuple[int, list[str]]]:
    """Sentences without a trigger that name a vehicle's crew: (sentence index, people).

    "The spaceship carries the primary crew: Sergey Ryazanskiy, ..." and a following
    "He is joined by ..." give the crew of the launch or landing just reported.
    """
    found: list[tuple[int, list[str]]] = []
    previous_was_crew = False
    for index, sent in enumerate(ctx.doc.sents):
        people = [name_of(e) for e in ctx.ents_in(sent.start, sent.end, "PERSON")]
        sentence_words = lowers(ctx.doc, sent.start, sent.end)
        words = set(sentence_words)
        head = sent[:_SUBJECT_WINDOW]
        about_craft = any(t.lower_ in _CRAFT_NOUNS or (t.ent_type_ == "VEHICLE") for t in head) or (
            previous_was_crew and head[0].lower_ in _PRONOUNS | {"they"}
        )
        is_crew = (
            bool(people)
            and not ctx.trigger_tokens.intersection(range(sent.start, sent.end))
            and bool(words & _CREW_VERBS)
            and not _mentions_backup(sentence_words)
            and about_craft
        )
        if is_crew:
            found.append((index, people))
        previous_was_crew = is_crew
    return found


def _subject_of(doc: Doc, loc: Span, cand: Candidate) -> bool:
    """Places right before the trigger, alone or coordinated: the parties that act."""
    if loc.start > 0 and doc[loc.start - 1].lower_ in ("the", "a", "an", "this"):
        return False  # "the Lucerne meeting": a modifier, not a subject
    k = loc.end
    while k < cand.start:
        tok = doc[k]
        if tok.ent_type_ == "LOCATION" or tok.lower_ in ("and", ","):
            k += 1
        elif tok.is_alpha and tok.lower_ in _SUBJECT_GAP:
            k += 1
        else:
            return False
    return k == cand.start and cand.start - loc.end <= _SUBJECT_REACH
