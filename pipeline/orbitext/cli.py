"""The ``orbitext`` command line: ``extract`` and ``evaluate``.

Exit codes: 0 done; 1 some input failed (each failure reported on one line, the rest
processed and written); 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from spacy.language import Language

from .batch import Batch, Counts, ProgressDisplay
from .corpus import (
    Article,
    ArticleError,
    article_paths,
    gold_path,
    read_article,
    read_json_document,
)
from .datenorm import DateTablesError
from .extract import check_n_process, extract_articles
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


DEFAULT_OUT = Path("outputs")


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Article .txt files, folders of them, .jsonl files (one article per line: "
            'id, text, reference_date), or - for stdin.'
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", show_default="outputs", help="Folder for the outputs: NAME.json "
                     "per .txt article, NAME.jsonl per .jsonl input."),
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="Write every output to this JSON Lines file instead "
                     "(- for standard output)."),
    ] = None,
    reference_date: Annotated[
        str | None,
        typer.Option("--reference-date", help="Publication date (YYYY-MM-DD) for relative dates."),
    ] = None,
    n_process: Annotated[
        int, typer.Option("--n-process", min=1, help="Worker processes for the extraction.")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per batch given to a worker.")
    ] = 16,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address: extract .jsonl shards on "
                     "that cluster into OUT/NAME.jsonl (needs Dask: the 'dask' extra)."),
    ] = None,
) -> None:
    """Extract entities and events from articles; write one JSON per article."""
    ref = _parse_date(reference_date)
    if jsonl is not None and out is not None:
        raise typer.BadParameter("give --out or --jsonl, not both", param_hint="--jsonl")
    if scheduler is not None:
        _extract_on_dask(paths, out or DEFAULT_OUT, ref, scheduler, jsonl, n_process, batch_size)
        return
    if jsonl is not None and str(jsonl) != "-":
        if jsonl.is_dir():
            raise typer.BadParameter(f"{jsonl} is a folder, not a file", param_hint="--jsonl")
        for path in paths:
            if str(path) != "-" and path.exists() and path.resolve() == jsonl.resolve():
                raise typer.BadParameter(f"{jsonl} is also an input", param_hint="--jsonl")
    try:
        check_n_process(n_process)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--n-process") from None
    progress = ProgressDisplay()
    nlp = _build()
    batch = Batch(out or DEFAULT_OUT, jsonl, lambda exc: progress.echo(f"error: {exc}"))
    if not batch.usable:
        raise typer.Exit(1)
    try:
        results = extract_articles(
            nlp, batch.articles(paths), ref, batch_size, n_process=n_process
        )
        with progress, closing(results):  # closed now, even if interrupted: not by the GC
            for article, document in results:
                batch.done(article, document)
                progress.advance()
        batch.close()
    except BrokenProcessPool as exc:
        batch.abandon()
        progress.echo(
            f"error: a worker process died ({exc}); the run stopped, only the outputs "
            "written before are kept"
        )
        raise typer.Exit(1) from None
    except BaseException:
        batch.abandon()  # an interrupted run leaves no partial output file
        raise
    typer.echo(batch.counts.summary(batch.destination), err=True)
    raise typer.Exit(1 if batch.counts.failed else 0)


def _extract_on_dask(
    paths: list[Path],
    out: Path,
    ref: dt.date | None,
    scheduler: str,
    jsonl: Path | None,
    n_process: int,
    batch_size: int,
) -> None:
    """``extract --scheduler``: every .jsonl shard on a Dask cluster, OUT/NAME.jsonl each."""
    if jsonl is not None:
        raise typer.BadParameter("--scheduler writes OUT/NAME.jsonl per shard; drop --jsonl",
                                 param_hint="--jsonl")
    if n_process != 1:
        raise typer.BadParameter("with --scheduler the cluster's workers are the processes",
                                 param_hint="--n-process")
    try:
        from .distributed import connect, extract_shards, shard_plan
    except ImportError as exc:
        typer.echo(f"error: --scheduler needs Dask ({exc.name} is not installed): "
                   "pip install 'orbitext[dask]'", err=True)
        raise typer.Exit(1) from None
    progress = ProgressDisplay()
    counts = Counts()

    def fail(message: str) -> None:
        counts.failed += 1
        progress.echo(f"error: {message}")

    shards = shard_plan(paths, out, fail)
    try:
        client = connect(scheduler)
    except ConnectionError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    with client, progress:
        for report in extract_shards(client, shards, out, ref, batch_size):
            for message in report.errors:
                fail(message)
            counts.written += report.written
            counts.entities += report.entities
            counts.events += report.events
            progress.advance(report.written)
    typer.echo(counts.summary(f"{out}/"), err=True)
    raise typer.Exit(1 if counts.failed else 0)


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
    # Run as a script this file is __main__, a second copy of the module: commands
    # registered on orbitext.cli's app (show) live on the imported one.
    from orbitext.cli import main as _main

    _main()


from . import review_cli  # noqa: E402,F401  (registers "show")
