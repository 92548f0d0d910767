"""The ``orbitext`` command line: ``extract`` and ``evaluate``.

Exit codes: 0 done; 1 some input failed (each failure reported on one line, the rest
processed and written); 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from spacy.language import Language

from .corpus import (
    Article,
    ArticleError,
    article_paths,
    decode_article,
    gold_path,
    read_article,
    read_json_document,
    write_atomic,
)
from .datenorm import DateTablesError
from .extract import extract_articles
from .nlp import build_nlp
from .resources import ResourceError
from .schema import Document, SchemaError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Extract organisations, people, dates, vehicles and events from space press releases.",
)


class Failures:
    """Collects per-input failures: each is reported at once, on one line, to stderr."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, error: Exception) -> None:
        self.count += 1
        typer.echo(f"error: {error}", err=True)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    # fromisoformat also takes 20190718 and week dates; the option promises YYYY-MM-DD.
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _build(ablate_names: set[str] | None = None) -> Language:
    """Build the pipeline; a broken pattern file is a one-line error, not a traceback."""
    try:
        return build_nlp(ablate_names=ablate_names or ())
    except (SchemaError, ResourceError, DateTablesError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _read_inputs(paths: list[Path], failures: Failures) -> list[Article]:
    articles: list[Article] = []
    for path in paths:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
            try:
                articles.append(decode_article(data, "<stdin>", "stdin"))
            except ArticleError as exc:
                failures.report(exc)
            continue
        if not path.exists():
            failures.report(ArticleError(str(path), "no such file or folder"))
            continue
        found = article_paths(path)
        if path.is_dir() and not found:
            failures.report(ArticleError(str(path), "folder holds no .txt articles"))
        for file in found:
            try:
                articles.append(read_article(file))
            except ArticleError as exc:
                failures.report(exc)
    return _unique_ids(articles, failures)


def _unique_ids(articles: list[Article], failures: Failures) -> list[Article]:
    """Drop (and report) an article whose NAME another input already has: its output
    NAME.json would silently overwrite the first one's."""
    seen: dict[str, Article] = {}
    kept: list[Article] = []
    for article in articles:
        first = seen.setdefault(article.doc_id, article)
        if first is not article:
            failures.report(
                ArticleError(article.source, f"same name as {first.source}; skipped so "
                             f"{article.doc_id}.json is not overwritten")
            )
            continue
        kept.append(article)
    return kept


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article .txt files, folders of them, or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for NAME.json outputs.")] = Path("outputs"),
    reference_date: Annotated[
        str | None,
        typer.Option("--reference-date", help="Publication date (YYYY-MM-DD) for relative dates."),
    ] = None,
) -> None:
    """Extract entities and events from articles; write one JSON per article."""
    ref = _parse_date(reference_date)
    failures = Failures()
    articles = _read_inputs(paths, failures)
    to_stdout = any(str(p) == "-" for p in paths)
    nlp = _build()
    written = 0
    for article, document in extract_articles(nlp, articles, ref):
        if isinstance(document, SchemaError):
            failures.report(document)
            continue
        payload = document.model_dump_json(indent=2, exclude_none=False) + "\n"
        if to_stdout and article.source == "<stdin>":
            sys.stdout.write(payload)
            continue
        target = out / f"{article.doc_id}.json"
        try:
            write_atomic(target, payload)
        except OSError as exc:
            failures.report(ArticleError(str(target), f"cannot write output: {exc.strerror}"))
            continue
        written += 1
    if not to_stdout:
        typer.echo(f"{written} article(s) written to {out}/, {failures.count} failed", err=True)
    raise typer.Exit(1 if failures.count else 0)


def _gold_names(docs: list[Document]) -> set[str]:
    """Every non-DATE mention text and canonical name of the gold documents."""
    return {n for d in docs for e in d.entities if e.label != "DATE" for n in (e.text, e.name)}


@app.command()
def evaluate(
    corpus_dir: Annotated[Path, typer.Argument(help="Folder of NAME.txt + NAME.gold.json pairs.")],
    pred: Annotated[
        Path | None, typer.Option("--pred", help="Read predictions NAME.json from this folder.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    errors: Annotated[
        bool, typer.Option("--errors", help="List every false positive and false negative.")
    ] = False,
    ablate_gazetteer: Annotated[
        bool,
        typer.Option(
            "--ablate-gazetteer",
            help="Drop every gazetteer entry named in the gold, to measure the rules alone.",
        ),
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as an HTML page.")
    ] = None,
) -> None:
    """Score the extractor (or --pred outputs) against the gold files of a corpus."""
    from .report import format_errors, format_table, to_json
    from .scoring import score_corpus

    if not corpus_dir.is_dir():
        raise typer.BadParameter(f"{corpus_dir} is not a folder", param_hint="CORPUS_DIR")
    failures = Failures()
    golds: list[tuple[Article, Document]] = []
    for path in article_paths(corpus_dir):
        try:
            article = read_article(path)
            golds.append((article, read_json_document(gold_path(path), article)))
        except (ArticleError, SchemaError) as exc:
            failures.report(exc)
    if not golds:
        typer.echo(f"error: {corpus_dir}: no readable article with a gold file", err=True)
        raise typer.Exit(1)

    predictions: dict[str, Document] = {}
    if pred is not None:
        for article, _gold in golds:
            try:
                predictions[article.doc_id] = read_json_document(
                    pred / f"{article.doc_id}.json", article
                )
            except SchemaError as exc:
                failures.report(exc)
    else:
        ablate = _gold_names([g for _a, g in golds]) if ablate_gazetteer else set()
        nlp = _build(ablate)
        for article, document in extract_articles(nlp, [a for a, _g in golds]):
            if isinstance(document, SchemaError):
                failures.report(document)
                continue
            predictions[article.doc_id] = document

    pairs = [(g, predictions[a.doc_id]) for a, g in golds if a.doc_id in predictions]
    score = score_corpus(pairs)
    if as_json:
        typer.echo(to_json(score, errors=errors))
    else:
        typer.echo(format_table(score))
        if errors:
            texts = {a.doc_id: a.text for a, _g in golds}
            typer.echo(format_errors(score.errors, texts))
    if html is not None:
        from .review_cli import write_report_page

        texts = {a.doc_id: a.text for a, _g in golds}
        write_report_page(html, score, texts, str(corpus_dir), failures)
    raise typer.Exit(1 if failures.count else 0)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()


from . import review_cli  # noqa: E402,F401  (registers "show")
