"""``orbitext show``: an article's extraction as a review page; the HTML side of ``evaluate``.

Registered on the ``orbitext`` app by the import at the end of :mod:`orbitext.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli import Failures, _build, _parse_date, app
from .corpus import Article, ArticleError, read_article, read_json_document, write_atomic
from .extract import extract_text
from .review import render_article_page, render_score_page, sentence_spans
from .schema import Document, SchemaError
from .scoring import CorpusScore

DEFAULT_DIR = Path("outputs")


def _write_page(path: Path, html: str, failures: Failures) -> bool:
    """Write a page atomically; a write failure is reported on one line naming the file."""
    try:
        write_atomic(path, html)
    except OSError as exc:
        failures.report(ArticleError(str(path), f"cannot write page: {exc.strerror}"))
        return False
    return True


def write_report_page(
    path: Path, score: CorpusScore, texts: dict[str, str], title: str, failures: Failures
) -> None:
    """``evaluate --html``: write the score report page to ``path``."""
    if _write_page(path, render_score_page(score, texts, title=title), failures):
        typer.echo(f"score report page written to {path}", err=True)


def _load(
    input_path: Path, article_path: Path | None, reference_date: str | None
) -> tuple[Article, Document | None]:
    """The article and, for an output .json input, its document (None: extract it)."""
    if input_path.suffix == ".json":
        if article_path is None:
            raise typer.BadParameter(
                "an output .json needs its article: --article ARTICLE.txt", param_hint="INPUT"
            )
        if reference_date is not None:
            raise typer.BadParameter(
                "only for an article .txt input (a .json is shown as it is)",
                param_hint="--reference-date",
            )
        article = read_article(article_path)
        return article, read_json_document(input_path, article)
    if article_path is not None:
        raise typer.BadParameter(
            "only for an output .json input (a .txt input is the article)", param_hint="--article"
        )
    return read_article(input_path), None


@app.command("show")
def show(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="An article .txt to extract, or an output .json to show as is (with --article).",
        ),
    ],
    article_path: Annotated[
        Path | None,
        typer.Option("--article", help="The article .txt an output .json was made from."),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold .json of the article: mark misses and false alarms."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Page to write [default: outputs/NAME.html]."),
    ] = None,
    reference_date: Annotated[
        str | None,
        typer.Option("--reference-date", help="Publication date (YYYY-MM-DD) for relative dates."),
    ] = None,
) -> None:
    """Write a review page: the article highlighted, its entity records and its events."""
    ref = _parse_date(reference_date)
    failures = Failures()
    try:
        article, document = _load(input_path, article_path, reference_date)
        gold_doc = read_json_document(gold, article) if gold is not None else None
    except (ArticleError, SchemaError) as exc:
        failures.report(exc)
        raise typer.Exit(1) from None
    # The pipeline is needed even for a .json input: its tokenizer and sentence splitter
    # find the sentences each event is quoted from.
    nlp = _build()
    if document is None:
        try:
            document = extract_text(nlp, article, ref)
        except SchemaError as exc:
            failures.report(exc)
            raise typer.Exit(1) from None
    sentences = sentence_spans(nlp, article.text)
    page = render_article_page(
        article.text, document, sentences, gold=gold_doc, source=article.source
    )
    target = html if html is not None else DEFAULT_DIR / f"{article.doc_id}.html"
    if not _write_page(target, page, failures):
        raise typer.Exit(1)
    typer.echo(f"review page written to {target}", err=True)
