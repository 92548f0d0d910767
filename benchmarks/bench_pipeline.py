"""Throughput and memory of the full extractor beside spaCy's tokenizer alone.

    python benchmarks/bench_pipeline.py [CORPUS_DIR] [--words 200000] [--stream 0] [--long]

Repeats the corpus's articles (as distinct articles) until they hold at least ``--words``
words, then measures on that same text, in one run:

- the pipeline's build time (``build_nlp()``);
- ``spacy.blank("en")`` tokenizing alone: the ceiling of any spaCy pipeline;
- the full extractor (tokenizer, every component, validated output) in one process and
  with ``n_process=2``: words/s, ratio to the tokenizer, speed-up, peak memory;
- the share of time of each component (each pipe timed on its own).

Each measurement runs in a fresh forked process, so its peak resident memory
(``getrusage``; with worker processes, the largest worker's) is its own. ``--stream N``
also streams N distinct synthetic articles through the extractor and prints the resident
memory every N/10 articles (it must stay flat). ``--long`` also extracts one article made
of the whole corpus repeated to about 37,000, 300,000 and 630,000 words: its words/s must
stay level (work linear in an article's length). Prints markdown tables; no assertions:
timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import spacy

from orbitext.corpus import Article, read_article
from orbitext.extract import doc_to_document, extract_articles, make_doc
from orbitext.nlp import build_nlp
from orbitext.schema import sha256_hex

ROOT = Path(__file__).resolve().parents[1]


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kB


def _in_child(fn: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """Run ``fn`` in a forked process: (seconds, its peak RSS MB, workers' peak MB, result)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        send.send((seconds, _peak_mb(resource.RUSAGE_SELF),
                   _peak_mb(resource.RUSAGE_CHILDREN), result))

    child = context.Process(target=run)
    child.start()
    outcome = receive.recv()
    child.join()
    return outcome


def _articles(corpus: Path, words: int) -> list[Article]:
    base = [read_article(p) for p in sorted(corpus.glob("*.txt"))]
    if not base:
        raise SystemExit(f"no *.txt files in {corpus}")
    out: list[Article] = []
    count = 0
    while count < words:
        for article in base:
            out.append(Article(doc_id=f"{article.doc_id}-{len(out)}", text=article.text,
                               sha256=article.sha256, source=article.source))
            count += len(article.text.split())
    return out


def _synthetic(count: int) -> Iterator[Article]:
    """Distinct short articles, each with new words (names, numbers) as an archive has."""
    for i in range(count):
        text = (f"MOSCOW, March {i % 28 + 1} (Agency{i}) — Director General Ivan Petrov{i} "
                f"said the Soyuz-2.1b rocket carrying the Sat{i}x satellite lifted off from "
                f"the Plesetsk Cosmodrome on March {i % 28 + 1}, 2019, for Rocketworks{i}.\n")
        yield Article(doc_id=f"s{i}", text=text, sha256=sha256_hex(text.encode()),
                      source=f"synthetic:{i}")


def _component_times(nlp: Any, articles: list[Article]) -> dict[str, float]:
    times: dict[str, float] = defaultdict(float)
    for article in articles:
        start = time.perf_counter()
        doc = make_doc(nlp, article)
        times["tokenizer"] += time.perf_counter() - start
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            doc = component(doc)
            times[name] += time.perf_counter() - start
        start = time.perf_counter()
        doc_to_document(doc, article)
        times["output (validated Document)"] += time.perf_counter() - start
    return dict(times)


def _long_article(corpus: Path, repeats: int) -> Article:
    text = "\n\n".join(read_article(p).text for p in sorted(corpus.glob("*.txt")))
    text = (text + "\n\n") * repeats
    return Article(doc_id="long", text=text, sha256=sha256_hex(text.encode()), source="long")


def _stream(nlp: Any, count: int) -> list[tuple[int, float]]:
    marks = []
    step = max(count // 10, 1)
    for number, _result in enumerate(extract_articles(nlp, _synthetic(count)), 1):
        if number % step == 0:
            with open("/proc/self/status", encoding="ascii") as status:
                rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            marks.append((number, rss / 1024))
    return marks


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--stream", type=int, default=0, metavar="N")
    parser.add_argument("--long", action="store_true", help="time one long article too")
    args = parser.parse_args()

    start = time.perf_counter()
    nlp = build_nlp()
    build = time.perf_counter() - start
    articles = _articles(args.corpus, args.words)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    print(f"pipeline build: {build:.2f} s (goal < 2 s); {len(articles)} articles, "
          f"{words:,} words\n")

    blank = spacy.blank("en")
    list(blank.pipe(texts[:50]))  # warm the tokenizer's cache as the extractor's will be
    list(extract_articles(nlp, articles[:25]))

    def tokenize() -> int:
        return sum(len(doc) for doc in blank.pipe(texts, batch_size=64))

    def extract(n_process: int) -> Callable[[], int]:
        def run() -> int:
            results = extract_articles(nlp, articles, batch_size=16, n_process=n_process)
            return sum(1 for _a, _d in results)
        return run

    rows = [
        ("spaCy blank('en') tokenizer only", _in_child(tokenize)),
        ("full extractor, 1 process", _in_child(extract(1))),
        ("full extractor, --n-process 2", _in_child(extract(2))),
    ]
    ceiling = words / rows[0][1][0]
    single = rows[1][1][0]
    print("| run | words/s | vs tokenizer | speed-up | peak RSS (MB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (seconds, peak, workers, _result) in rows:
        rate = words / seconds
        memory = f"{peak:.0f}" + (f" + workers {workers:.0f}" if "n-process" in name else "")
        speedup = f"{single / seconds:.2f}×" if "extractor" in name else ""
        print(f"| {name} | {rate:,.0f} | {rate / ceiling:.1%} | {speedup} | {memory} |")

    seconds, _peak, _workers, times = _in_child(lambda: _component_times(nlp, articles))
    total = sum(times.values())
    print("\n| stage | share of time | words/s alone |")
    print("| --- | ---: | ---: |")
    for name, spent in sorted(times.items(), key=lambda item: -item[1]):
        print(f"| {name} | {spent / total:.1%} | {words / spent:,.0f} |")

    if args.long:
        print("\n| one long article | words | seconds | words/s |")
        print("| --- | ---: | ---: | ---: |")
        for repeats in (5, 40, 85):
            article = _long_article(args.corpus, repeats)
            count = len(article.text.split())
            run = lambda a=article: sum(1 for _r in extract_articles(nlp, [a]))  # noqa: E731
            seconds, _p, _w, _r = _in_child(run)
            print(f"| {len(article.text) / 1e6:.2f} MB | {count:,} | {seconds:.1f} | "
                  f"{count / seconds:,.0f} |")

    if args.stream:
        _s, _p, _w, marks = _in_child(lambda: _stream(nlp, args.stream))
        print(f"\n| articles streamed (of {args.stream:,}) | resident memory (MB) |")
        print("| ---: | ---: |")
        for number, rss in marks:
            print(f"| {number:,} | {rss:.0f} |")


if __name__ == "__main__":
    main()
