"""Canonical names: link every alias mention of one entity to one standard name.

Sources of links, in order:
1. acronym definitions in the text, ``Full Name (ACR)`` and ``ACR (Full Name)``; an
   acronym defined this way is also found where it is used again later;
2. people's short forms: ``Rogozin`` after ``Dmitry Rogozin``;
3. gazetteer ids: every alias of an entry takes the entry's standard name;
4. legal forms: ``Exolaunch GmbH`` is ``Exolaunch``.
A mention whose text is its canonical name keeps ``_.canonical`` unset.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

# Legal forms that never belong to the standard name of a company.
_LEGAL_FORMS: frozenset[str] = frozenset(
    {"JSC", "PJSC", "OJSC", "GmbH", "AG", "Ltd", "Ltd.", "Inc", "Inc.", "LLC", "plc", "PLC",
     "S.A.", "SA", "SAS", "S.p.A.", "SpA", "B.V.", "N.V.", "Co.", "K.K.", "Pvt", "Limited"}
)
# Words that are part of a name but may be dropped when the short form is used as well.
_SOFT_FORMS: frozenset[str] = frozenset({"Corporation", "Corp.", "Company", "Group"})
_ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z0-9&\-]{1,9}$")
_NAME_PARTICLES: frozenset[str] = frozenset(
    {"al", "Al", "bin", "van", "von", "de", "da", "del", "der", "le", "la", "di", "du", "El", "el"}
)


def is_acronym(text: str) -> bool:
    """True for acronym-shaped tokens: ``CNCA``, ``MBRSC``, ``IDA-3``, ``HTV8`` (2+ capitals)."""
    return bool(_ACRONYM_RE.match(text)) and sum(c.isupper() for c in text) >= 2


def _definitions(doc: Doc, ents: list[Span]) -> dict[str, Span]:
    """Map acronym text to the entity that defines it."""
    defined: dict[str, Span] = {}
    by_start = {e.start: e for e in ents}
    for ent in ents:
        e = ent.end
        if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
            acr = doc[e + 1].text
            if is_acronym(acr) and acr != ent.text and len(ent) > 1:
                defined.setdefault(acr, ent)
        # ACR (Full Name): the long form inside the brackets names the acronym.
        if (
            len(ent) == 1
            and is_acronym(ent.text)
            and e + 1 < len(doc)
            and doc[e].text == "("
            and (inner := by_start.get(e + 1)) is not None
            and inner.end < len(doc)
            and doc[inner.end].text == ")"
            and inner.label_ == ent.label_
        ):
            defined.setdefault(ent.text, inner)
    return defined


def _add_mentions(doc: Doc, ents: list[Span], wanted: dict[str, Span]) -> list[Span]:
    """Add an entity for every free occurrence of a text in ``wanted`` (text → model)."""
    if not wanted:
        return ents
    taken = {i for e in ents for i in range(e.start, e.end)}
    added: list[Span] = []
    for text, model in wanted.items():
        parts = text.split()
        n = len(parts)
        for i in range(len(doc) - n + 1):
            if [t.text for t in doc[i : i + n]] != parts:
                continue
            if any(j in taken for j in range(i, i + n)):
                continue
            span = Span(doc, i, i + n, label=model.label_)
            span._.kind = model._.kind
            span._.source = f"alias-of:{model.text}"
            added.append(span)
            taken.update(range(i, i + n))
    return sorted([*ents, *added], key=lambda s: s.start)


def _person_short_forms(ents: list[Span]) -> dict[str, Span]:
    """``Rogozin`` → the ``Dmitry Rogozin`` span, for every multi-word PERSON."""
    short: dict[str, Span] = {}
    for ent in ents:
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        words = [t.text for t in ent]
        # The family name is the last word, with a particle before it (Al Mansoori).
        tail = words[-2:] if len(words) >= 3 and words[-2] in _NAME_PARTICLES else words[-1:]
        key = " ".join(tail)
        if key != ent.text and key[0].isupper() and len(key) > 2:
            short.setdefault(key, ent)
    return short


def _strip_legal_form(text: str, known: set[str]) -> str:
    words = text.replace(",", " ,").split()
    while words and (words[-1] in _LEGAL_FORMS or words[-1] == ","):
        words.pop()
    stripped = " ".join(words).replace(" ,", ",")
    if words and words[-1] in _SOFT_FORMS:
        shorter = " ".join(words[:-1])
        if shorter in known:
            return shorter
    return stripped or text


def assign_canonical_names(doc: Doc) -> None:
    """Add acronym and short-form mentions to ``doc.ents`` and set every ``_.canonical``."""
    ents = list(doc.ents)
    definitions = _definitions(doc, ents)
    ents = _add_mentions(doc, ents, definitions)
    short = _person_short_forms(ents)
    ents = _add_mentions(doc, ents, short)
    doc.ents = ents
    ents = list(doc.ents)

    def base_name(ent: Span) -> str:
        if ent._.canonical:
            return ent._.canonical
        if ent.label_ == "ORG":
            return _strip_legal_form(ent.text, known_orgs)
        return ent.text

    known_orgs = {e.text for e in ents if e.label_ == "ORG"}
    for ent in ents:
        if ent.label_ == "DATE":
            continue
        name = base_name(ent)
        target = definitions.get(ent.text)
        if target is None and ent.label_ == "PERSON":
            target = short.get(ent.text)
        if target is not None and target.label_ == ent.label_:
            name = base_name(target)
        ent._.canonical = name if name != ent.text else None
