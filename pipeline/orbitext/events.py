"""Events (stub: the events issue replaces this)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("orbitext_events", default_config={"patterns_dir": ""})
def make_events(nlp: Language, name: str, patterns_dir: str) -> EventFinder:
    """Factory for :class:`EventFinder`."""
    return EventFinder(name)


class EventFinder:
    """Sets ``doc._.events`` to a list of :class:`orbitext.schema.Event`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = []
        return doc
