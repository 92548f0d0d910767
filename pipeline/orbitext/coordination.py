"""Coordinated names share their label: ``cosmonaut X, astronaut Y and Z``.

A list joined by commas and ``and`` names things of one kind, so a name-shaped item
beside a PERSON is a person (``Nick Hague and Hazzaa Al Mansoori``) and a designator
beside a satellite is a satellite (``RWASAT-1, NARSSCube-1 and AQT-D``). An item may
carry an ``of ORG`` tail (``Mark Vande Hei of NASA and Norishige Kanai``). Items that
only a weak rule claimed (``priority < 0``) take the list's label.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from .candidates import info_of

_JOINERS: frozenset[str] = frozenset({",", "and", "&"})
_PARTICLES: frozenset[str] = frozenset(
    {"Al", "al", "bin", "van", "von", "de", "da", "del", "der", "Vande", "El"}
)
_MAX_ITEMS = 12


def _person_token(tok: Token) -> bool:
    return bool(tok._.name_shape) and not tok._.non_name_words and not tok._.title_words


# Class nouns written in capitals: "Two CubeSats, X and Y" lists no vehicle named CubeSats.
_CLASS_NOUNS: frozenset[str] = frozenset(
    {
        "cubesat",
        "cubesats",
        "smallsat",
        "smallsats",
        "nanosat",
        "nanosats",
        "microsat",
        "microsats",
        "satellites",
        "satellite",
        "spacecraft",
    }
)


def _vehicle_token(tok: Token) -> bool:
    text = tok.text
    return (
        text[:1].isupper()
        and any(c.isdigit() or c.isupper() for c in text[1:])
        and not tok._.non_name_words
        and tok.lower_ not in _CLASS_NOUNS
    )


def _item_end(doc: Doc, start: int, label: str) -> int:
    """End of a name-shaped item starting at ``start`` (== start when there is none)."""
    accept: Callable[[Token], bool] = _person_token if label == "PERSON" else _vehicle_token
    end = start
    limit = min(len(doc), start + (4 if label == "PERSON" else 2))
    while end < limit:
        tok = doc[end]
        if accept(tok) or (label == "PERSON" and end > start and tok.text in _PARTICLES):
            end += 1
        elif (
            tok.text == "-" and end > start and not doc[end - 1].whitespace_ and not tok.whitespace_
        ):
            end += 1
        else:
            break
    if label == "PERSON" and end - start < 2:
        return start  # a lone word is too weak to call a person
    return end


def _skip_of_tail(doc: Doc, i: int, at: dict[int, Span]) -> int:
    """Skip ``of ORG`` / ``of the ORG`` after an item."""
    if i < len(doc) and doc[i].lower_ == "of":
        j = i + 1
        if j < len(doc) and doc[j].lower_ == "the":
            j += 1
        if j in at and at[j].label_ == "ORG":
            return at[j].end
    return i


def propagate(doc: Doc, ents: list[Span]) -> list[Span]:
    """Label the unclaimed or weakly claimed items of lists holding a PERSON or VEHICLE."""
    at = {i: e for e in ents for i in range(e.start, e.end)}
    added: dict[int, Span] = {}
    replaced: set[int] = set()
    for ent in ents:
        if ent.label_ not in ("PERSON", "VEHICLE"):
            continue
        i = ent.end
        for _ in range(_MAX_ITEMS):
            i = _skip_of_tail(doc, i, at)
            j = i
            while j < len(doc) and doc[j].text in _JOINERS:
                j += 1
            if j == i or j >= len(doc):
                break
            end = _item_end(doc, j, ent.label_)
            if end == j:
                break
            owners = {id(at[k]) for k in range(j, end) if k in at}
            if owners:
                owner = at[j]
                if (owner.start, owner.end) != (j, end) or owner.label_ == ent.label_:
                    i = owner.end if owner.label_ == ent.label_ else i
                    if owner.label_ == ent.label_:
                        continue
                    break
                if info_of(owner).priority >= 0:
                    break
                replaced.add(owner.start)
            span = Span(doc, j, end, label=ent.label_)
            span._.kind = ent._.kind
            span._.source = f"coordinated-with:{ent.text}"
            added[j] = span
            for k in range(j, end):
                at[k] = span
            i = end
    # Leftwards, for vehicles: "Two CubeSats, CE-SAT-IE and TIRSAT" (one designator a step).
    queue = [e for e in [*ents, *added.values()] if e.label_ == "VEHICLE"]
    while queue:
        ent = queue.pop()
        j = ent.start
        while j > 0 and doc[j - 1].text in _JOINERS:
            j -= 1
        k = j - 1
        if j == ent.start or k < 0 or not _vehicle_token(doc[k]):
            continue
        first = k  # back over hyphen-glued parts: CE-SAT-IE is five tokens
        while (
            first >= 2
            and doc[first - 1].text == "-"
            and not doc[first - 2].whitespace_
            and not doc[first - 1].whitespace_
        ):
            first -= 2
        holder = at.get(k)
        if holder is not None:
            if (holder.start, holder.end) != (first, k + 1) or holder.label_ == "VEHICLE":
                continue
            if info_of(holder).priority >= 0:
                continue
            replaced.add(holder.start)
        span = Span(doc, first, k + 1, label="VEHICLE")
        span._.kind = ent._.kind
        span._.source = f"coordinated-with:{ent.text}"
        added[first] = span
        for t in range(first, k + 1):
            at[t] = span
        queue.append(span)
    kept = [e for e in ents if e.start not in replaced]
    return sorted([*kept, *added.values()], key=lambda s: s.start)
