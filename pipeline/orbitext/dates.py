"""DATE candidates (stub: the dates issue replaces this)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("orbitext_dates", default_config={"patterns_dir": ""})
def make_dates(nlp: Language, name: str, patterns_dir: str) -> DateFinder:
    """Factory for :class:`DateFinder`."""
    return DateFinder(name)


class DateFinder:
    """Writes DATE spans with ``span._.value`` into ``doc.spans["dates"]``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["dates"] = []
        return doc
