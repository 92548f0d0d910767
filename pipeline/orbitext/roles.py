"""People's roles and organisations as the text states them.

Two shapes carry them in press releases:

- a title before the name, an organisation before the title:
  ``Roscosmos Director General Dmitry Rogozin`` → role ``Director General``,
  organization ``Roscosmos``; ``NASA astronaut Anne McClain`` → ``astronaut``, ``NASA``;
- an apposition after the name: ``Frank DeMauro, vice president and general manager,
  space systems, Northrop Grumman`` or ``K. Sivan, Chairman of ISRO``.

Title words come from ``patterns/lexicons/person_titles.txt``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_HONORIFICS: frozenset[str] = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "professor",
        "sir",
        "shri",
        "smt",
        "h.e",
        "his",
        "her",
        "excellency",
        "highness",
        "madam",
        "dame",
        "lord",
        "lady",
    }
)
_APPOSITION_LINKS: frozenset[str] = frozenset({"of", "at", "for", "and", ",", "&"})
_MAX_APPOSITION = 14


def _name(ent: Span) -> str:
    return ent._.canonical or ent.text


def _before(
    doc: Doc, ent: Span, words: frozenset[str], at: dict[int, Span]
) -> tuple[str | None, str | None]:
    i = ent.start - 1
    while i >= 0 and doc[i].lower_ in words and doc[i].ent_iob_ not in ("B", "I"):
        i -= 1
    if i == ent.start - 1:
        return None, None
    if all(t.lower_.rstrip(".") in _HONORIFICS for t in doc[i + 1 : ent.start]):
        return None, None  # "Dr." is a form of address, not a role
    role = doc[i + 1 : ent.start].text
    if i >= 0 and doc[i].text in ("’s", "'s") and i > 0:
        i -= 1
    org = at.get(i)
    return role, (_name(org) if org is not None and org.label_ == "ORG" else None)


def _after(
    doc: Doc, ent: Span, words: frozenset[str], at: dict[int, Span]
) -> tuple[str | None, str | None]:
    i = ent.end
    if i >= len(doc) or doc[i].text != ",":
        return None, None
    j = i + 1
    role_tokens: list[int] = []
    while j < len(doc) and j - i < _MAX_APPOSITION:
        tok = doc[j]
        if tok.is_space or tok.text in (".", ";", "“", '"'):
            break
        other = at.get(j)
        if other is not None:
            if other.label_ == "ORG" and role_tokens:
                role = doc[role_tokens[0] : role_tokens[-1] + 1].text
                return role, _name(other)
            break
        if tok.lower_ in words and tok.lower_ not in _APPOSITION_LINKS:
            role_tokens.append(j)
        elif tok.lower_ not in _APPOSITION_LINKS and not role_tokens:
            break
        j += 1
    if role_tokens:
        return doc[role_tokens[0] : role_tokens[-1] + 1].text, None
    return None, None


def assign_roles(doc: Doc, words: frozenset[str], ents: list[Span]) -> None:
    """Set ``_.role`` and ``_.organization`` on every PERSON of ``ents`` (``doc.ents``) whose
    text states them.

    ``words`` are the lower-cased words of the titles (:func:`lexicons.title_words`).
    """
    if not words:
        return
    at = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    for ent in ents:
        if ent.label_ != "PERSON":
            continue
        role, org = _before(doc, ent, words, at)
        if role is None:
            role, org = _after(doc, ent, words, at)
        if role is not None:
            ent._.role = role.strip(" ,")
        if org is not None:
            ent._.organization = org
