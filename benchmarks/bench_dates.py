"""Cost of DATE normalisation, per document and per date, cached and uncached.

    PYTHONPATH=pipeline python benchmarks/bench_dates.py [CORPUS_DIR] [--repeat N]

Runs the dates component over every ``*.txt`` of the corpus folder (default
``corpus/``) and prints one table: the whole component per document (matching,
dateline, tense, normalisation), normalisation alone per document and per date, each
with cold caches (cleared before every document or call) and warm caches, plus the raw
``dateparser`` call with and without explicit ``date_formats`` for scale. No assertions:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from dateparser.date import DateDataParser

from orbitext import dates, sentences  # noqa: F401  (registers the factories)
from orbitext.dates import DateFinder

ROOT = Path(__file__).resolve().parents[1]


def _timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    nlp = spacy.blank("en")
    nlp.add_pipe("orbitext_sentences")
    finder: DateFinder = nlp.add_pipe("orbitext_dates")  # type: ignore[assignment]
    norm = finder.norm
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no *.txt files in {args.corpus}")
    docs = [nlp.make_doc(t) for t in texts]
    for doc in docs:
        nlp.get_pipe("orbitext_sentences")(doc)

    # Every normalisation call the component makes, replayed below on its own.
    calls = []
    for doc in docs:
        doc._.reference_date = None
        finder(doc)
        ref = doc._.reference_date
        calls.append([(s.text, ref) for s in doc.spans["dates"]])
    n_dates = sum(len(c) for c in calls)

    def component(cold: bool) -> None:
        for doc in docs:
            if cold:
                norm.cache_clear()
            doc._.reference_date = None
            finder(doc)

    def normalise_docs(cold: bool) -> None:
        for doc_calls in calls:
            if cold:
                norm.cache_clear()
            for text, ref in doc_calls:
                norm.normalise(text, ref)

    def normalise_each_cold() -> None:
        for doc_calls in calls:
            for text, ref in doc_calls:
                norm.cache_clear()
                norm.normalise(text, ref)

    rows = []
    for label, fn in [
        ("component, cold caches", lambda: component(True)),
        ("component, warm caches", lambda: component(False)),
        ("normalisation, cold per document", lambda: normalise_docs(True)),
        ("normalisation, cold per call", normalise_each_cold),
        ("normalisation, warm", lambda: normalise_docs(False)),
    ]:
        fn()  # warm the interpreter and, for warm rows, the caches
        total = _timed(fn, args.repeat)
        rows.append((label, total / len(docs) * 1e3, total / n_dates * 1e6))

    dp = DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    sample = ["18 July 2019", "25 September 2019", "1 December 2020", "July 2019"]
    formats = ["%d %B %Y", "%B %Y"]
    n_raw = len(sample) * 20

    def raw(fmts: list[str] | None) -> None:
        for _ in range(20):
            for s in sample:
                dp.get_date_data(s, date_formats=fmts)

    raw_rows = [
        ("dateparser, explicit date_formats", _timed(lambda: raw(formats), args.repeat)),
        ("dateparser, no date_formats", _timed(lambda: raw(None), args.repeat)),
    ]

    print(f"{len(docs)} documents, {n_dates} DATE spans, median of {args.repeat} runs\n")
    print(f"{'measure':38} {'ms/doc':>9} {'µs/date':>9}")
    print("-" * 58)
    for label, per_doc, per_date in rows:
        print(f"{label:38} {per_doc:9.3f} {per_date:9.1f}")
    for label, total in raw_rows:
        print(f"{label:38} {'':>9} {total / n_raw * 1e6:9.1f}")


if __name__ == "__main__":
    main()
