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

from .extensions import token_texts

# Legal forms that never belong to the standard name of a company.
_LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "JSC",
        "PJSC",
        "OJSC",
        "GmbH",
        "AG",
        "Ltd",
        "Ltd.",
        "Inc",
        "Inc.",
        "LLC",
        "plc",
        "PLC",
        "S.A.",
        "SA",
        "SAS",
        "S.p.A.",
        "SpA",
        "B.V.",
        "N.V.",
        "Co.",
        "K.K.",
        "Pvt",
        "Limited",
    }
)
# Words that are part of a name but may be dropped when the short form is used as well.
_SOFT_FORMS: frozenset[str] = frozenset({"Corporation", "Corp.", "Company", "Group"})
_QUOTED_NAME = re.compile(r"[“\"«]([^”\"»]+)[”\"»]$")
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
        if ent.label_ == "DATE":
            continue  # "September 28 (JST)": a time zone, not an acronym of the date
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


class _WordIndex:
    """A document's token texts, and where each text occurs (made once per document)."""

    def __init__(self, doc: Doc) -> None:
        self.words = token_texts(doc)
        self.where: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            self.where.setdefault(word, []).append(i)


def _add_mentions(
    doc: Doc, index: _WordIndex, ents: list[Span], wanted: dict[str, Span], blocked: set[int]
) -> list[Span]:
    """Add an entity for every free occurrence of a text in ``wanted`` (text → model).

    Tokens in ``blocked`` (time zones, mission designators…) stay free of entities.
    """
    if not wanted:
        return ents
    taken = blocked | {i for e in ents for i in range(e.start, e.end)}
    words, where = index.words, index.where
    added: list[Span] = []
    for text, model in wanted.items():
        # A model's own text keeps its tokens (Soyuz-U is three); a short form is words.
        parts = [t.text for t in model] if model.text == text else text.split()
        n = len(parts)
        for i in where.get(parts[0], ()):
            if words[i : i + n] != parts or taken.intersection(range(i, i + n)):
                continue
            span = Span(doc, i, i + n, label=model.label_)
            span._.kind = model._.kind
            if model.text == text:
                span._.canonical = model._.canonical
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


def _repeated_names(ents: list[Span]) -> dict[str, Span]:
    """Every name found once is the same name where it recurs (one sense per discourse)."""
    names: dict[str, Span] = {}
    for ent in ents:
        text = ent.text
        if (
            ent.label_ == "DATE"
            or len(text) < 3
            or not text[:1].isupper()
            or ent.label_ == "PERSON"
        ):
            continue
        names.setdefault(text, ent)
    return names


def _vehicle_short_forms(ents: list[Span]) -> dict[str, Span]:
    """``Dragon`` → ``Crew Dragon``, ``Starliner`` → ``CST-100 Starliner``; ``Soyuz`` →
    ``Soyuz MS-12`` when the text names exactly one vehicle of that family."""
    vehicles = [e for e in ents if e.label_ == "VEHICLE" and len(e) > 1]
    links: dict[str, Span] = {}
    by_head: dict[str, set[str]] = {}
    by_family: dict[str, set[str]] = {}
    for ent in vehicles:
        by_head.setdefault(ent[-1].text, set()).add(ent._.canonical or ent.text)
        by_family.setdefault(ent[0].text, set()).add(ent._.canonical or ent.text)
    for ent in vehicles:
        name = ent._.canonical or ent.text
        if ent[-1].is_alpha and by_head[ent[-1].text] == {name}:
            links.setdefault(ent[-1].text, ent)
        if (
            ent[0].is_alpha
            and by_family[ent[0].text] == {name}
            and any(c.isdigit() for c in ent.text)
        ):
            links.setdefault(ent[0].text, ent)
    return links


def _org_short_forms(ents: list[Span]) -> dict[str, Span]:
    """``Space Cooperation Subcommittee`` → ``Space Cooperation Subcommittee of the …``:
    an ORG that is the head of a longer ORG name in the same text is that organisation."""
    firsts: dict[str, Span] = {}
    for ent in ents:
        if ent.label_ == "ORG":
            firsts.setdefault(ent.text, ent)
    links: dict[str, Span] = {}
    # Each longer name proposes its heads (the text before each " of "/" for "):
    # linear in the names, where comparing every pair was quadratic.
    for text, long in sorted(firsts.items(), key=lambda kv: -len(kv[0])):
        for sep in (" of ", " for "):
            at = text.find(sep)
            while at > 0:
                head = text[:at]
                if head in firsts:
                    links.setdefault(head, long)
                at = text.find(sep, at + 1)
    return links


def _family_use(doc: Doc, ent: Span) -> bool:
    """True when a bare family name is used for the family: ``Proton rockets``, plural."""
    nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return nxt in {"rockets", "launchers", "family", "series", "vehicles", "ships", "boosters"}


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


def assign_canonical_names(doc: Doc, blocked: set[int] | None = None) -> list[Span]:
    """Add acronym and short-form mentions to ``doc.ents`` and set every ``_.canonical``.

    ``blocked`` holds token indices no entity may cover. Returns the new ``doc.ents``.
    """
    blocked = blocked or set()
    ents = list(doc.ents)
    definitions = _definitions(doc, ents)
    index = _WordIndex(doc)
    ents = _add_mentions(doc, index, ents, definitions, blocked)
    short = _person_short_forms(ents)
    ents = _add_mentions(doc, index, ents, short, blocked)
    ents = _add_mentions(doc, index, ents, _repeated_names(ents), blocked)
    doc.ents = ents
    ents = list(doc.ents)
    vehicle_links = _vehicle_short_forms(ents)
    org_links = _org_short_forms(ents)

    def base_name(ent: Span) -> str:
        if ent._.canonical:
            return ent._.canonical
        if ent.label_ == "ORG":
            quoted = _QUOTED_NAME.search(ent.text)
            if quoted:  # State Space Corporation “Roscosmos” is Roscosmos
                return quoted.group(1)
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
        if target is None and ent.label_ == "ORG":
            target = org_links.get(ent.text)
        if target is None and ent.label_ == "VEHICLE" and len(ent) == 1:
            target = vehicle_links.get(ent.text)
            if target is not None and _family_use(doc, ent):
                target = None
        if target is not None and target.label_ == ent.label_:
            name = base_name(target)
        ent._.canonical = name if name != ent.text else None
    return ents
