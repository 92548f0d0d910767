"""Custom attributes the orbitext components read and write, registered in one place.

Doc:
- ``reference_date`` (``datetime.date | None``): set by the caller before the pipeline
  runs (``--reference-date``); the dates component fills it from a dateline when unset.
- ``year_hint`` (``int | None``): a year named by the article's file name; the dates
  component uses it only for a dateline without a year in a text without dated context.
- ``events`` (``list[orbitext.schema.Event]``): set by the events component.

Span (the entities in ``doc.ents``, and the DATE candidates' ``value``; spaCy keys span
attributes by offsets alone, so other candidates keep theirs in :mod:`orbitext.candidates`):
- ``value`` (``str | None``): ISO value of a DATE.
- ``kind`` (``str | None``): VEHICLE kind.
- ``canonical`` (``str | None``): the entity's standard name when the span is an alias.
- ``role`` / ``organization`` (``str | None``): a PERSON's role and organisation.
- ``source`` (``str | None``): which rule or gazetteer entry proposed the span.

:func:`full_text` gives ``doc.text`` once per Doc: spaCy joins every token's text anew at
each access, which costs a Python step per token. :func:`token_texts` reads the tokens'
texts without making a ``Token`` object for each.
"""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

_DOC_ATTRS: dict[str, object] = {"reference_date": None, "year_hint": None, "events": None}
_SPAN_ATTRS: dict[str, object] = {
    "value": None,
    "kind": None,
    "canonical": None,
    "role": None,
    "organization": None,
    "source": None,
}


_TEXT_KEY = "orbitext.text"


def full_text(doc: Doc) -> str:
    """``doc.text``, joined once and kept in ``doc.user_data`` (a Doc's text never changes)."""
    text: str | None = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, read off the token array: no ``Token`` object per word."""
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text``, the string ``doc`` was tokenised from, as its :func:`full_text`.

    spaCy's tokenizer keeps every character, so the two are the same string.
    """
    doc.user_data[_TEXT_KEY] = text


def register_extensions() -> None:
    """Register every orbitext extension attribute (idempotent)."""
    for name, default in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
