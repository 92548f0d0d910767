"""Text to validated output: run the pipeline and turn the Doc into a :class:`Document`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .corpus import Article
from .records import build_records
from .schema import Document, Entity, Trigger, validate_document


def make_doc(nlp: Language, article: Article, reference_date: dt.date | None = None) -> Doc:
    """Tokenise an article and attach what the components need to know before they run."""
    doc = nlp.make_doc(article.text)
    doc._.reference_date = reference_date
    return doc


def doc_to_document(doc: Doc, article: Article) -> Document:
    """Convert a processed Doc into a validated output :class:`Document`."""
    entities = [
        Entity(
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
            value=ent._.value if ent.label_ == "DATE" else None,
            kind=ent._.kind if ent.label_ == "VEHICLE" else None,
            canonical=ent._.canonical if ent.label_ != "DATE" else None,
        )
        for ent in doc.ents
    ]
    roles = {
        (ent._.canonical or ent.text): (ent._.role, ent._.organization)
        for ent in doc.ents
        if ent.label_ == "PERSON" and (ent._.role or ent._.organization)
    }
    events = list(doc._.events or [])
    ref = doc._.reference_date
    data = {
        "doc_id": article.doc_id,
        "text_sha256": article.sha256,
        "reference_date": ref.isoformat() if isinstance(ref, dt.date) else None,
        "entities": [e.model_dump(exclude_none=True) for e in entities],
        "events": [ev.model_dump() for ev in events],
        "records": [r.model_dump(exclude_none=True) for r in build_records(entities, roles)],
        "extractor_version": __version__,
    }
    # Validate the output exactly as a gold file is validated: one schema for both.
    return validate_document(data, f"<output for {article.source}>", text=article.text,
                             sha256=article.sha256)


def extract_articles(
    nlp: Language,
    articles: Iterable[Article],
    reference_date: dt.date | None = None,
    batch_size: int = 16,
) -> Iterator[tuple[Article, Document]]:
    """Run the pipeline over articles in batches, yielding each with its output."""
    pending: list[Article] = []

    def docs() -> Iterator[Doc]:
        for article in articles:
            pending.append(article)
            yield make_doc(nlp, article, reference_date)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        article = pending.pop(0)
        yield article, doc_to_document(doc, article)


def extract_text(nlp: Language, article: Article, reference_date: dt.date | None = None) -> Document:
    """Extract one article."""
    return doc_to_document(nlp(make_doc(nlp, article, reference_date)), article)
