"""Names defined by their acronym in the text: ``Smart Lander for Investigating the Moon (SLIM)``.

A capitalised phrase right before ``(ACR)`` whose word initials spell the acronym is a
name, whatever list knows it; so is the acronym itself. Its label comes from a candidate
another component proposed for the same phrase or acronym, else from its head word.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .aliases import is_acronym
from .candidates import Info, info_of, propose
from .extensions import token_texts

_CONNECTORS: frozenset[str] = frozenset(
    {"of", "for", "and", "the", "de", "du", "des", "la", "le", "del", "di", "&", "-", "on", "in"}
)
_MAX_WORDS = 10
_VEHICLE_HEADS: frozenset[str] = frozenset(
    {
        "System",
        "Satellite",
        "Vehicle",
        "Lander",
        "Rover",
        "Adapter",
        "Module",
        "Telescope",
        "Observatory",
        "Spacecraft",
        "Probe",
        "Orbiter",
        "Explorer",
        "Station",
        "Capsule",
    }
)
_KIND_BY_HEAD: dict[str, str] = {
    "Satellite": "satellite",
    "System": "satellite",
    "Adapter": "station",
    "Module": "station",
    "Station": "station",
}
_PLACE_HEADS: frozenset[str] = frozenset(
    {
        "Spaceport",
        "Cosmodrome",
        "Site",
        "Range",
        "Zone",
        "Base",
        "Harbor",
        "Harbour",
        "Pad",
        "Complex",
        "Vega",
    }
)
_FACILITY_BEFORE_CENTRE: frozenset[str] = frozenset(
    {"Operations", "Control", "Training", "Launch", "Test", "Tracking"}
)


def _initials(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t[:1].isupper())


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _spells(words: list[str], acronym: str) -> bool:
    """True when the capitalised words' initials spell the acronym's letters."""
    letters = "".join(c for c in acronym if c.isalpha()).upper()
    initials = _initials(words).upper()
    if len(initials) < 2 or not letters or initials[0] != letters[0]:
        return False
    if initials == letters:
        return True
    # Acronyms skip or add letters (CHEOPS for Characterising Exoplanet Satellite).
    return initials[-1] == letters[-1] and (
        _is_subsequence(initials, letters) or _is_subsequence(letters, initials)
    )


def head_word(phrase: Span) -> str:
    """The type word of a name: its last capitalised word before ``of``/``for``.

    ``Smart Lander for Investigating the Moon`` → ``Lander``; ``Vehicle-1`` → ``Vehicle``.
    """
    head = ""
    for tok in phrase:
        if tok.lower_ in ("of", "for", "on") and head:
            break
        if tok.text[:1].isupper() and tok.is_alpha:
            head = tok.text
    return head


def _label_for(phrase: Span) -> str:
    words = [t.text for t in phrase if t.text[:1].isupper() and t.is_alpha]
    head = head_word(phrase)
    if head in _VEHICLE_HEADS:
        return "VEHICLE"
    if head in _PLACE_HEADS:
        return "LOCATION"
    if (
        head in ("Centre", "Center")
        and len(words) > 1
        and words[words.index(head) - 1] in _FACILITY_BEFORE_CENTRE
    ):
        return "LOCATION"
    return "ORG"


def propose_expansions(doc: Doc, candidates: list[Span]) -> list[Span]:
    """Candidates for every ``Long Name (ACR)`` whose initials spell ACR, and for ACR."""
    # Weak guesses (an unknown all-caps word taken for an ORG) do not decide the label.
    labels = {
        (c.start, c.end): c.label_
        for c in candidates
        if c.label_ != "DATE" and info_of(c).priority >= 0
    }
    kinds = {
        (c.start, c.end): k for c in candidates if c.label_ == "VEHICLE" and (k := info_of(c).kind)
    }
    proposals: list[Span] = []
    texts = token_texts(doc)
    # Only the words between brackets: a Token object per word would cost more.
    bracketed = [
        i
        for i in range(2, len(texts) - 1)
        if texts[i - 1] == "(" and texts[i + 1] == ")" and is_acronym(texts[i])
    ]
    for i in bracketed:
        end = i - 1
        best: Span | None = None
        for start in range(end - 1, max(-1, end - 1 - _MAX_WORDS), -1):
            tok = doc[start]
            if (
                tok.is_space
                or tok.is_sent_start
                and start != end - 1
                and not tok.text[:1].isupper()
            ):
                break
            if not (tok.text[:1].isupper() or tok.text in _CONNECTORS or tok.like_num):
                break
            if tok.text in _CONNECTORS or tok.like_num:
                continue
            words = [t.text for t in doc[start:end]]
            if _spells(words, doc[i].text):
                best = doc[start:end]
        if best is None or best.text == doc[i].text:
            continue
        label = labels.get((best.start, best.end)) or labels.get((i, i + 1)) or _label_for(best)
        kind = None
        if label == "VEHICLE":
            head = head_word(best)
            kind = (
                kinds.get((best.start, best.end))
                or kinds.get((i, i + 1))
                or (
                    "launch_vehicle"
                    if "Launch" in best.text and head == "System"
                    else _KIND_BY_HEAD.get(head, "spacecraft")
                )
            )
        info = Info(source="acronym-definition", priority=2, kind=kind)
        for s, e in ((best.start, best.end), (i, i + 1)):
            proposals.append(propose(doc, s, e, label, info))
    return proposals
