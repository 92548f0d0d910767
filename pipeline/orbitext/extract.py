"""Text to validated output: run the pipeline and turn the Doc into a :class:`Document`.

:func:`extract_articles` streams any number of articles through the pipeline in one or
several processes. Either way each article goes through :func:`_extract_one`: tokenise,
set ``doc._.reference_date`` and ``doc._.year_hint``, run every component, validate the
output. With several processes the articles and their results travel pickled between
this process and a pool of forked workers (not as spaCy ``Doc`` bytes: srsly's msgpack
looks up plugins among the installed packages' entry points at every call, which cost
more than the extraction itself). Their outputs are identical.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, cast

from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .corpus import Article
from .extensions import remember_text
from .records import build_records
from .schema import Document, Entity, Label, SchemaError, validate_document

_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)(?!\d)")

# Articles per memory zone: strings and tokenizer cache entries that the zone's articles
# added to the vocab are freed when it ends, so memory stays flat over any number of
# articles. With several processes, each zone also gets fresh worker processes.
ZONE_SIZE = 1000


class ExtractionError(SchemaError):
    """A component raised on one article: a bug in a rule, reported for that article alone.

    A :class:`SchemaError` subclass so that callers treating an invalid output as a
    per-article failure treat this one the same way.
    """


def year_in_name(doc_id: str) -> int | None:
    """The year an article's name carries (``soyuz-launch-2015`` → 2015), if exactly one."""
    years = set(_YEAR_IN_NAME.findall(doc_id))
    return int(years.pop()) if len(years) == 1 else None


def make_doc(nlp: Language, article: Article, reference_date: dt.date | None = None) -> Doc:
    """Tokenise an article and attach what the components need to know before they run.

    The article's own ``reference_date`` wins over the ``reference_date`` argument.
    ``build_nlp`` lifts spaCy's length limit, so an article of any length is tokenised.
    """
    doc = nlp.make_doc(article.text)
    remember_text(doc, article.text)
    doc._.reference_date = article.reference_date or reference_date
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
        raise SchemaError(
            article.source, f"extractor output invalid at {where}: {err['msg']}"
        ) from None


def _to_document(doc: Doc, article: Article) -> Document:
    ents = doc.ents  # built anew at every access: once
    entities = [
        Entity(
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=cast(Label, ent.label_),  # checked when the Document is validated
            value=ent._.value if ent.label_ == "DATE" else None,
            kind=ent._.kind if ent.label_ == "VEHICLE" else None,
            canonical=ent._.canonical if ent.label_ != "DATE" else None,
        )
        for ent in ents
    ]
    roles = {
        (ent._.canonical or ent.text): (ent._.role, ent._.organization)
        for ent in ents
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


def _extract_one(
    nlp: Language, article: Article, reference_date: dt.date | None
) -> tuple[Any, ...]:
    """One article's result: ``("ok", Document)`` or ``(error kind, source, message)``."""
    stage = "tokenizer"
    try:
        doc = make_doc(nlp, article, reference_date)
        for stage, component in nlp.pipeline:  # noqa: B007  (stage names the failing one)
            doc = component(doc)
        stage = "output"
        return ("ok", doc_to_document(doc, article))
    except SchemaError as exc:
        return ("schema", exc.source, exc.message)
    except Exception as exc:  # noqa: BLE001  (a rule's bug must fail this article alone)
        message = f"{stage} failed: {type(exc).__name__}: {exc}".splitlines()[0]
        return ("failed", article.source, message)


def check_n_process(n_process: int) -> None:
    """Raise :class:`ValueError` (one line) when ``n_process`` processes cannot be used.

    spaCy's worker processes get the pipeline by inheritance, which needs the ``fork``
    start method (Linux's default up to Python 3.13); with ``spawn`` or ``forkserver``
    the pipeline would have to be pickled, and its components cannot be.
    """
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    method = multiprocessing.get_start_method()
    if n_process > 1 and method != "fork":
        raise ValueError(f"several processes need the 'fork' start method, not {method!r}: "
                         "run one process per shard, or on a Dask cluster (--scheduler)")


def extract_articles(
    nlp: Language,
    articles: Iterable[Article],
    reference_date: dt.date | None = None,
    batch_size: int = 16,
    *,
    n_process: int = 1,
    zone_size: int = ZONE_SIZE,
) -> Generator[tuple[Article, Document | SchemaError], None, None]:
    """Run the pipeline over articles, yielding each with its output, in order.

    ``articles`` is consumed lazily and nothing is kept once yielded, so memory stays flat
    however many articles there are. ``reference_date`` applies to the articles that carry
    none of their own. With ``n_process`` > 1, a pool of that many forked worker processes
    (each with the pipeline it inherits) extracts the articles, ``batch_size`` at a time.

    An article whose output fails validation yields its :class:`SchemaError`, and one on
    which a component raised yields an :class:`ExtractionError`, so one bad article never
    stops a batch.
    """
    check_n_process(n_process)
    remaining = iter(articles)
    while (first := next(remaining, None)) is not None:
        zone = itertools.chain([first], itertools.islice(remaining, zone_size - 1))
        with _memory_zone(nlp):
            if n_process == 1:
                for article in zone:
                    yield article, _result(_extract_one(nlp, article, reference_date))
            else:
                yield from _extract_in_pool(nlp, zone, reference_date, batch_size, n_process)


def _result(outcome: tuple[Any, ...]) -> Document | SchemaError:
    if outcome[0] == "ok":
        document: Document = outcome[1]
        return document
    kind, source, message = outcome
    return SchemaError(source, message) if kind == "schema" else ExtractionError(source, message)


_WORKER_NLP: list[Language] = []  # the pipeline a pool worker inherited (see _start_worker)


def _start_worker(nlp: Language) -> None:
    # Under fork the pipeline reaches the worker as it is in memory, never pickled.
    _WORKER_NLP[:] = [nlp]


def _work(job: tuple[Article, dt.date | None]) -> tuple[Any, ...]:
    article, reference_date = job
    return _extract_one(_WORKER_NLP[0], article, reference_date)


def _extract_in_pool(
    nlp: Language,
    articles: Iterable[Article],
    reference_date: dt.date | None,
    batch_size: int,
    n_process: int,
) -> Iterator[tuple[Article, Document | SchemaError]]:
    """Extract ``articles`` on ``n_process`` forked workers, in order.

    The articles are read here, in this process, a window at a time: while the workers
    extract one window the next is already queued, and no more than two windows of
    articles are held at once. Articles and results travel pickled; the workers end with
    the pool, taking whatever their articles added to the vocab with them. A worker that
    dies (killed, out of memory) raises ``BrokenProcessPool`` here rather than leaving
    the run waiting for it.
    """
    window = max(batch_size * n_process * 2, 1)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        n_process, mp_context=context, initializer=_start_worker, initargs=(nlp,)
    ) as pool:
        in_flight: deque[tuple[list[Article], Iterator[tuple[Any, ...]]]] = deque()
        remaining = iter(articles)
        while chunk := list(itertools.islice(remaining, window)):
            jobs = [(article, reference_date) for article in chunk]
            in_flight.append((chunk, pool.map(_work, jobs, chunksize=batch_size)))
            if len(in_flight) > 1:
                yield from _collect(*in_flight.popleft())
        while in_flight:
            yield from _collect(*in_flight.popleft())


def _collect(
    chunk: list[Article], outcomes: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[Article, Document | SchemaError]]:
    for article, outcome in zip(chunk, outcomes, strict=True):
        yield article, _result(outcome)


_OPEN_ZONES: dict[int, object] = {}  # id(vocab) -> the zone open on it in this process
_ORPHAN_ZONES: list[object] = []  # zones that must never be ended (see _memory_zone)


@contextmanager
def _memory_zone(nlp: Language) -> Iterator[None]:
    """``nlp.memory_zone()``, ended only by the process that opened it, and only while no
    newer zone is open.

    A consumer that abandons :func:`extract_articles` leaves its zone open until the
    garbage collector closes the generator, which may happen in a forked worker process
    or while a newer zone is open: ending the zone then would drop the strings that the
    open zone's documents use (spaCy's zones share one set of transient strings). Such a
    zone is kept, never ended; the open zone's end frees the strings of both.
    """
    key, token, owner = id(nlp.vocab), object(), os.getpid()
    zone = nlp.memory_zone()
    zone.__enter__()
    _OPEN_ZONES[key] = token
    try:
        yield
    finally:
        if os.getpid() == owner and _OPEN_ZONES.get(key) is token:
            del _OPEN_ZONES[key]
            zone.__exit__(None, None, None)
        else:
            _ORPHAN_ZONES.append(zone)


def extract_text(
    nlp: Language, article: Article, reference_date: dt.date | None = None
) -> Document:
    """Extract one article (raises :class:`SchemaError` when its output is invalid)."""
    return doc_to_document(nlp(make_doc(nlp, article, reference_date)), article)
