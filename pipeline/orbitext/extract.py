"""Text to validated output: run the pipeline and turn the Doc into a :class:`Document`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .corpus import Article
from .records import build_records
from pydantic import ValidationError

from .schema import Document, Entity, SchemaError, validate_document


_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)(?!\d)")


def year_in_name(doc_id: str) -> int | None:
    """The year an article's name carries (``soyuz-launch-2015`` → 2015), if exactly one."""
    years = set(_YEAR_IN_NAME.findall(doc_id))
    return int(years.pop()) if len(years) == 1 else None


def make_doc(nlp: Language, article: Article, reference_date: dt.date | None = None) -> Doc:
    """Tokenise an article and attach what the components need to know before they run."""
    doc = nlp.make_doc(article.text)
    doc._.reference_date = reference_date
    doc._.year_hint = year_in_name(article.doc_id)
    return doc


def doc_to_document(doc: Doc, article: Article) -> Document:
    """Convert a processed Doc into a validated output :class:`Document`.

    Raises :class:`SchemaError` naming the article when the output breaks the schema:
    that is a bug in a rule, reported for this article alone.
    """
    try:
        return _to_document(doc, article)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise SchemaError(article.source, f"extractor output invalid at {where}: {err['msg']}") from None


def _to_document(doc: Doc, article: Article) -> Document:
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
) -> Iterator[tuple[Article, Document | SchemaError]]:
    """Run the pipeline over articles in batches, yielding each with its output.

    An article whose output fails validation yields its :class:`SchemaError` instead,
    so one bad article never stops a batch.
    """
    pending: list[Article] = []

    def docs() -> Iterator[Doc]:
        for article in articles:
            pending.append(article)
            yield make_doc(nlp, article, reference_date)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        article = pending.pop(0)
        try:
            yield article, doc_to_document(doc, article)
        except SchemaError as exc:
            yield article, exc


def extract_text(nlp: Language, article: Article, reference_date: dt.date | None = None) -> Document:
    """Extract one article."""
    return doc_to_document(nlp(make_doc(nlp, article, reference_date)), article)
