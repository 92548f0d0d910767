"""Text to validated output: run the pipeline and turn the Doc into a :class:`Document`.

:func:`extract_articles` streams any number of articles through the pipeline in one or
several processes. Each article travels as an *envelope*: an empty ``Doc`` whose
``user_data`` holds the article (id, hash, source, text, reference date) as plain values,
because spaCy serialises the Docs it sends to worker processes with msgpack, which cannot
carry ``datetime.date`` values or the ``Event`` objects of ``doc._.events``. A one-component
runner pipeline (sharing the extractor's vocab) opens the envelope in the worker:
it tokenises the text, sets ``doc._.reference_date`` and ``doc._.year_hint``, runs every
component of the extractor, validates the output and sends back an envelope holding only
the result. The same path runs with one process and with several, so their outputs are
identical.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import pickle
import re
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import spacy
from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .corpus import Article
from .extensions import remember_text
from .records import build_records
from .schema import Document, Entity, SchemaError, validate_document

_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)(?!\d)")

# user_data keys of the envelopes (plain strings: spaCy's extension keys are tuples).
_ARTICLE_KEY = "orbitext:article"
_RESULT_KEY = "orbitext:result"
_RUNNER_NAME = "orbitext_article_runner"

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
            label=ent.label_,
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


class _ArticleRunner:
    """The runner pipeline's one component: opens an envelope and extracts its article.

    Never raises on an article: an invalid output or a component's exception becomes that
    article's result, so one bad article never stops a batch.
    """

    def __init__(self) -> None:
        self._nlp: weakref.ref[Language] | None = None

    def bind(self, nlp: Language) -> None:
        """Run the components of ``nlp`` (set once, when the runner is made for it).

        A weak reference: the runner lives in a cache keyed weakly by ``nlp``.
        """
        self._nlp = weakref.ref(nlp)

    def __call__(self, envelope: Doc) -> Doc:
        nlp = self._nlp() if self._nlp is not None else None
        assert nlp is not None, "runner used without its pipeline"
        seq, doc_id, sha256, source, text, ref, year, crossing = envelope.user_data[_ARTICLE_KEY]
        article = Article(doc_id=doc_id, text=text, sha256=sha256, source=source)
        result = _extract_one(nlp, article, dt.date.fromisoformat(ref) if ref else None,
                              year)
        # A fresh, empty envelope: nothing of the processed Doc needs to travel back.
        reply = Doc(envelope.vocab, words=[])
        reply.user_data[_RESULT_KEY] = (
            # A result going back to another process is pickled: msgpack cannot carry it.
            [seq, pickle.dumps(result)] if crossing else [seq, result]
        )
        return reply


def _extract_one(
    nlp: Language, article: Article, reference_date: dt.date | None, year_hint: int | None
) -> tuple[str, Any]:
    """One article's result: ``("ok", Document)`` or ``(error kind, source, message)``."""
    stage = "tokenizer"
    try:
        doc = nlp.tokenizer(article.text)
        remember_text(doc, article.text)
        doc._.reference_date = reference_date
        doc._.year_hint = year_hint
        for stage, component in nlp.pipeline:  # noqa: B007  (stage names the failing one)
            doc = component(doc)
        stage = "output"
        return ("ok", doc_to_document(doc, article))
    except SchemaError as exc:
        return ("schema", exc.source, exc.message)
    except Exception as exc:  # noqa: BLE001  (a rule's bug must fail this article alone)
        message = f"{stage} failed: {type(exc).__name__}: {exc}".splitlines()[0]
        return ("failed", article.source, message)


_RUNNERS: weakref.WeakKeyDictionary[Language, Language] = weakref.WeakKeyDictionary()


@Language.factory(_RUNNER_NAME)
def _make_runner(nlp: Language, name: str) -> _ArticleRunner:
    return _ArticleRunner()


def _runner_for(nlp: Language) -> Language:
    """The runner pipeline of ``nlp`` (made once per pipeline; it shares ``nlp``'s vocab)."""
    runner = _RUNNERS.get(nlp)
    if runner is None:
        runner = spacy.blank("en", vocab=nlp.vocab)
        component = runner.add_pipe(_RUNNER_NAME)
        assert isinstance(component, _ArticleRunner)
        component.bind(nlp)
        _RUNNERS[nlp] = runner
    return runner


def _envelope(
    nlp: Language, seq: int, article: Article, reference_date: dt.date | None, crossing: bool
) -> Doc:
    ref = article.reference_date or reference_date
    envelope = Doc(nlp.vocab, words=[])
    envelope.user_data[_ARTICLE_KEY] = [
        seq,
        article.doc_id,
        article.sha256,
        article.source,
        article.text,
        ref.isoformat() if ref else None,
        year_in_name(article.doc_id),
        crossing,
    ]
    return envelope


def _decode(envelope: Doc, seq: int, article: Article) -> Document | SchemaError:
    got, payload = envelope.user_data[_RESULT_KEY]
    if got != seq:  # the pipeline must keep the order; anything else is a bug here
        raise RuntimeError(f"result {got} came back in place of article {seq} ({article.source})")
    result = pickle.loads(payload) if isinstance(payload, bytes) else payload
    if result[0] == "ok":
        return result[1]
    _kind, source, message = result
    return SchemaError(source, message) if _kind == "schema" else ExtractionError(source, message)


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
) -> Iterator[tuple[Article, Document | SchemaError]]:
    """Run the pipeline over articles in batches, yielding each with its output, in order.

    ``articles`` is consumed lazily and nothing is kept once yielded, so memory stays flat
    however many articles there are. ``reference_date`` applies to the articles that carry
    none of their own. With ``n_process`` > 1, spaCy's ``nlp.pipe`` spreads the batches
    over that many worker processes.

    An article whose output fails validation yields its :class:`SchemaError`, and one on
    which a component raised yields an :class:`ExtractionError`, so one bad article never
    stops a batch.
    """
    check_n_process(n_process)
    runner = _runner_for(nlp)
    remaining = iter(articles)
    seq = itertools.count()
    pending: deque[tuple[int, Article]] = deque()
    while (first := next(remaining, None)) is not None:
        zone = itertools.chain([first], itertools.islice(remaining, zone_size - 1))
        envelopes = _envelopes(nlp, zone, reference_date, seq, pending, n_process > 1)
        with _memory_zone(nlp):
            for envelope in runner.pipe(envelopes, batch_size=batch_size, n_process=n_process):
                number, article = pending.popleft()
                yield article, _decode(envelope, number, article)


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


def _envelopes(
    nlp: Language,
    articles: Iterable[Article],
    reference_date: dt.date | None,
    seq: Iterator[int],
    pending: deque[tuple[int, Article]],
    crossing: bool,
) -> Iterator[Doc]:
    """Envelopes for the runner, noting each article in ``pending`` until its result is in."""
    for article in articles:
        number = next(seq)
        pending.append((number, article))
        yield _envelope(nlp, number, article, reference_date, crossing)


def extract_text(
    nlp: Language, article: Article, reference_date: dt.date | None = None
) -> Document:
    """Extract one article (raises :class:`SchemaError` when its output is invalid)."""
    return doc_to_document(nlp(make_doc(nlp, article, reference_date)), article)
