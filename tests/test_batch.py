"""Batch extraction: JSON Lines in and out, several processes, streaming, the summary line.

Outputs are checked against their article (schema, offsets, hash); exact entity values are
asserted only where the test is about what reaches the components (reference date, year).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from rich.console import Console
from spacy.language import Language
from typer.testing import CliRunner

import orbitext.batch
import orbitext.events
from orbitext import cli
from orbitext.batch import Batch, ProgressDisplay, parse_jsonl_line, read_jsonl
from orbitext.corpus import Article, ArticleError, decode_article
from orbitext.extract import ExtractionError, extract_articles
from orbitext.schema import Document, SchemaError, sha256_hex, validate_document

AGREEMENT = "NASA and Roscosmos signed an agreement in Moscow on March 3, 2019.\n"
LAUNCH = "The Soyuz-2.1b rocket lifted off from the Plesetsk Cosmodrome on 12 May 2020.\n"
MEETING = "ESA Director General Jan Woerner met JAXA officials in Tokyo on Monday.\n"
# A dateline without a year: the year comes from the article's name (doc._.year_hint).
DATELINE = (
    "MOSCOW, March 12 (Roscosmos) — The Progress MS-09 cargo ship docked with the "
    "International Space Station.\n"
)
# A relative date: its value comes from the reference date (doc._.reference_date).
RELATIVE = "Roscosmos head Dmitry Rogozin met NASA Administrator Jim Bridenstine yesterday.\n"

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def shared_nlp(monkeypatch: pytest.MonkeyPatch, nlp: Language) -> None:
    """The commands reuse the session's pipeline instead of building their own."""
    monkeypatch.setattr(cli, "build_nlp", lambda *a, **k: nlp)


def invoke(*args: object, stdin: bytes | None = None) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args], input=stdin)


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def jsonl_file(path: Path, records: list[Any]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl_output(path: Path, texts: dict[str, str]) -> list[Document]:
    """Every line of a JSON Lines output, validated against its article's text and hash."""
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        data = json.loads(line)
        text = texts[data["doc_id"]]
        docs.append(
            validate_document(data, f"{path}:{number}", text=text,
                              sha256=sha256_hex(text.encode("utf-8")))
        )
    return docs


def values(doc: Document, label: str) -> list[tuple[str, str | None]]:
    return [(e.text, e.value) for e in doc.entities if e.label == label]


# --- JSON Lines input -------------------------------------------------------------------


def test_jsonl_line_with_reference_date() -> None:
    raw = json.dumps({"id": "a", "text": AGREEMENT, "reference_date": "2019-03-04",
                      "url": "https://example.org/a"}).encode()
    article = parse_jsonl_line(raw, "in.jsonl:1")
    assert article == Article(
        doc_id="a",
        text=AGREEMENT,
        sha256=sha256_hex(AGREEMENT.encode("utf-8")),
        source="in.jsonl:1",
        reference_date=dt.date(2019, 3, 4),
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"id": "a", "text": "x"', "invalid JSON at column 24: Expecting ',' delimiter"),
        (b'["a", "text"]', 'not a JSON object with "id" and "text"'),
        (b'{"text": "NASA launched."}', '"id" must be a non-empty string'),
        (b'{"id": 7, "text": "NASA launched."}', '"id" must be a non-empty string'),
        (b'{"id": "a", "text": null}', "article 'a': \"text\" must be a string"),
        (b'{"id": "a", "text": " \\n "}', "empty article (no text)"),
        (b'{"id": "a", "text": "NASA\\u0000"}', "text contains NUL characters, not a text article"),
        (b'{"id": "a", "text": "NASA", "reference_date": "12/03/2019"}',
         "\"reference_date\" '12/03/2019' is not a date in YYYY-MM-DD form"),
        (b'{"id": "a", "text": "NASA", "reference_date": "2019-02-30"}',
         "\"reference_date\" '2019-02-30' is not a date in YYYY-MM-DD form"),
        ('{"id": "a", "text": "Pr\u00e9sident"}'.encode("latin-1"),
         "not valid UTF-8 (byte 23: invalid continuation byte)"),
        (b'{"id": "a", "text": "<html><body><p>NASA</p></body></html>"}',
         "looks like HTML, not plain text (convert it to text first)"),
    ],
    ids=["json", "array", "no-id", "int-id", "no-text", "blank", "nul", "date-form",
         "date-day", "utf8", "html"],
)
def test_bad_jsonl_lines(raw: bytes, message: str) -> None:
    with pytest.raises(ArticleError) as caught:
        parse_jsonl_line(raw, "in.jsonl:3")
    assert str(caught.value) == f"in.jsonl:3: {message}"


def test_read_jsonl_skips_blank_lines_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "a", "text": AGREEMENT}), "", "{oops",
             json.dumps({"id": "b", "text": LAUNCH})]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    items = list(read_jsonl(path))
    assert [i.doc_id if isinstance(i, Article) else str(i) for i in items] == [
        "a",
        f"{path}:3: invalid JSON at column 2: Expecting property name enclosed in double quotes",
        "b",
    ]


def test_read_jsonl_empty_or_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert [str(e) for e in read_jsonl(empty)] == [
        f"{empty}: holds no articles (empty JSON Lines file)"
    ]
    missing = tmp_path / "missing.jsonl"
    assert [str(e) for e in read_jsonl(missing)] == [f"{missing}: no such file"]


# --- the extract command with JSON Lines ----------------------------------------------


def test_jsonl_input_gives_jsonl_output_in_input_order(tmp_path: Path) -> None:
    texts = {"b": LAUNCH, "a": AGREEMENT, "c": MEETING}
    shard = jsonl_file(tmp_path / "shard.jsonl",
                       [{"id": k, "text": t, "reference_date": None} for k, t in texts.items()])
    out = tmp_path / "out"
    result = invoke("extract", shard, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["shard.jsonl"]
    docs = read_jsonl_output(out / "shard.jsonl", texts)
    assert [d.doc_id for d in docs] == ["b", "a", "c"]
    assert all(d.extractor_version for d in docs)
    assert error_lines(result) == []
    summary = result.stderr.strip().splitlines()[-1]
    entities = sum(len(d.entities) for d in docs)
    events = sum(len(d.events) for d in docs)
    assert re.fullmatch(
        rf"3 article\(s\) written to {re.escape(str(out))}/, 0 failed; {entities} entities, "
        rf"{events} events in \d+\.\d s \(\d+\.\d articles/s\)",
        summary,
    ), summary


def test_jsonl_reference_dates_per_article_and_from_the_option(tmp_path: Path) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [
        {"id": "own", "text": RELATIVE, "reference_date": "2018-10-11"},
        {"id": "default", "text": RELATIVE},
    ])
    out = tmp_path / "out"
    result = invoke("extract", shard, "--out", out, "--reference-date", "2019-07-19")
    assert result.exit_code == 0, result.output
    own, default = read_jsonl_output(out / "s.jsonl", {"own": RELATIVE, "default": RELATIVE})
    assert (own.reference_date, values(own, "DATE")) == ("2018-10-11",
                                                         [("yesterday", "2018-10-10")])
    assert (default.reference_date, values(default, "DATE")) == ("2019-07-19",
                                                                 [("yesterday", "2019-07-18")])


def test_jsonl_option_collects_every_output_in_one_file(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "t.txt").write_text(MEETING, encoding="utf-8")
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    target = tmp_path / "all" / "everything.jsonl"
    result = invoke("extract", tmp_path / "in", shard, "--jsonl", target)
    assert result.exit_code == 0, result.output
    docs = read_jsonl_output(target, {"t": MEETING, "a": AGREEMENT})
    assert [d.doc_id for d in docs] == ["t", "a"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["everything.jsonl"]
    assert f"2 article(s) written to {target}, 0 failed" in result.stderr


def test_jsonl_to_standard_output(tmp_path: Path) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT},
                                              {"id": "b", "text": LAUNCH}])
    result = invoke("extract", shard, "--jsonl", "-")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["a", "b"]
    assert "2 article(s) written to standard output, 0 failed" in result.stderr


def test_out_and_jsonl_together_is_a_usage_error(tmp_path: Path) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    result = invoke("extract", shard, "--out", tmp_path / "o", "--jsonl", tmp_path / "x.jsonl")
    assert result.exit_code == 2
    assert "give --out or --jsonl, not both" in result.output


def test_jsonl_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    before = shard.read_bytes()
    assert invoke("extract", shard, "--jsonl", shard).exit_code == 2
    result = invoke("extract", shard, "--out", tmp_path)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {shard}: its output {shard} would overwrite it; skipped (choose another --out)"
    ]
    assert shard.read_bytes() == before


def test_repeated_id_within_one_output_is_reported(tmp_path: Path) -> None:
    one = jsonl_file(tmp_path / "one.jsonl", [{"id": "a", "text": AGREEMENT},
                                              {"id": "a", "text": LAUNCH}])
    two = jsonl_file(tmp_path / "two.jsonl", [{"id": "a", "text": MEETING}])
    out = tmp_path / "out"
    result = invoke("extract", one, two, "--out", out)
    assert result.exit_code == 1
    # An id must be unique within its output file: two.jsonl's "a" is fine.
    assert error_lines(result) == [f"error: {one}:2: id 'a' already used by {one}:1; skipped"]
    assert [d.text_sha256 for d in read_jsonl_output(out / "one.jsonl", {"a": AGREEMENT})] == [
        sha256_hex(AGREEMENT.encode())
    ]
    assert len(read_jsonl_output(out / "two.jsonl", {"a": MEETING})) == 1


def test_an_unwritable_jsonl_option_fails_before_extracting(tmp_path: Path) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n", encoding="utf-8")
    target = blocker / "sub" / "all.jsonl"
    result = invoke("extract", shard, "--jsonl", target)
    assert result.exit_code == 1
    assert error_lines(result) == [f"error: {target}: cannot write output: Not a directory"]
    assert "article(s) written" not in result.stderr


def test_an_interrupted_run_leaves_no_partial_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": k, "text": AGREEMENT} for k in "abc"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "s.jsonl").write_text("the previous run's output\n", encoding="utf-8")
    real_done = Batch.done
    calls = iter(range(100))

    def done(self: Batch, article: Article, document: Any) -> None:
        if next(calls) == 2:
            raise KeyboardInterrupt
        real_done(self, article, document)

    monkeypatch.setattr(Batch, "done", done)
    result = invoke("extract", shard, "--out", out)
    assert result.exit_code != 0
    assert sorted(p.name for p in out.iterdir()) == ["s.jsonl"]
    assert (out / "s.jsonl").read_text(encoding="utf-8") == "the previous run's output\n"


# --- processes, streaming, failures ---------------------------------------------------


def _articles() -> list[Article]:
    texts = {"agreement": AGREEMENT, "launch": LAUNCH, "meeting": MEETING,
             "progress-docking-2015": DATELINE, "talks": RELATIVE}
    articles = [decode_article(t.encode(), f"{k}.txt", k) for k, t in texts.items()]
    articles.append(Article(doc_id="talks-2018", text=RELATIVE, sha256=articles[-1].sha256,
                            source="s.jsonl:1", reference_date=dt.date(2018, 10, 11)))
    return articles


def test_two_processes_give_the_same_outputs_and_see_reference_dates(nlp: Language) -> None:
    articles = _articles()
    one = list(extract_articles(nlp, articles, batch_size=2))
    two = list(extract_articles(nlp, articles, batch_size=2, n_process=2))
    assert [a for a, _d in two] == articles
    assert [type(d) for _a, d in two] == [Document] * len(articles), [str(d) for _a, d in two]
    assert [d.model_dump_json() for _a, d in two] == [d.model_dump_json() for _a, d in one]
    docs = {a.doc_id: d for a, d in two}
    # The year of the file name and the reference dates reached the worker's components.
    assert values(docs["progress-docking-2015"], "DATE") == [("March 12", "2015-03-12")]
    assert [(e.type, e.date) for e in docs["progress-docking-2015"].events] == [
        ("DOCKING", "2015-03-12")
    ]
    assert values(docs["talks"], "DATE") == [("yesterday", None)]
    assert values(docs["talks-2018"], "DATE") == [("yesterday", "2018-10-10")]
    assert docs["talks-2018"].reference_date == "2018-10-11"


def test_n_process_option_writes_the_same_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in {"a": AGREEMENT, "b": LAUNCH, "c": MEETING}.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    assert invoke("extract", folder, "--out", tmp_path / "one").exit_code == 0
    result = invoke("extract", folder, "--out", tmp_path / "two", "--n-process", "2",
                    "--batch-size", "1")
    assert result.exit_code == 0, result.output
    for name in "abc":
        assert (tmp_path / "two" / f"{name}.json").read_bytes() == (
            tmp_path / "one" / f"{name}.json"
        ).read_bytes()


def _three_articles(tmp_path: Path) -> Path:
    """A folder of a.txt, b.txt and c.txt; only b.txt (the launch) names Plesetsk."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in {"a": AGREEMENT, "b": LAUNCH, "c": MEETING}.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_component_that_raises_fails_its_article_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_call = orbitext.events.EventFinder.__call__

    def call(self: Any, doc: Any) -> Any:
        if "Plesetsk" in doc.text:
            raise IndexError("list index out of range")
        return real_call(self, doc)

    monkeypatch.setattr(orbitext.events.EventFinder, "__call__", call)
    folder = _three_articles(tmp_path)
    out = tmp_path / "out"
    result = invoke("extract", folder, "--out", out)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {folder / 'b.txt'}: orbitext_events failed: IndexError: list index out of range"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "c.json"]


def test_a_worker_that_dies_stops_the_run_with_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-article (out of memory, say) ends the run with an error, never
    leaves it waiting for a result that will not come."""
    real_call = orbitext.events.EventFinder.__call__
    parent = os.getpid()

    def call(self: Any, doc: Any) -> Any:
        if "Plesetsk" in doc.text and os.getpid() != parent:
            os._exit(3)
        return real_call(self, doc)

    monkeypatch.setattr(orbitext.events.EventFinder, "__call__", call)
    folder = _three_articles(tmp_path)
    result = invoke("extract", folder, "--out", tmp_path / "out", "--n-process", "2",
                    "--batch-size", "1")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith("error: a worker process died (A process in the process pool was ")
    assert line.endswith("); the run stopped, only the outputs written before are kept")


def test_extraction_error_is_a_per_article_schema_error() -> None:
    # evaluate (and any caller) treats it like an invalid output: one article fails.
    assert issubclass(ExtractionError, SchemaError)


def _synthetic(count: int) -> Iterator[Article]:
    """Distinct articles with new words each, as a large archive has."""
    for i in range(count):
        text = (f"Agency{i} signed a contract with Rocketworks{i} on March {i % 28 + 1}, 2019 "
                f"for the launch of the Sat{i}x satellite from site {i * 7919}.\n")
        yield Article(doc_id=f"a{i}", text=text, sha256=sha256_hex(text.encode()),
                      source=f"gen:{i}")


def test_memory_stays_flat_over_a_stream_of_articles(nlp: Language) -> None:
    """Nothing per article is kept: the traced memory after 160 more distinct articles is
    what it was after the first 100 (each zone of 50 articles frees the strings it added;
    without zones it grows by about 1.6 kB an article)."""
    list(extract_articles(nlp, _synthetic(50), zone_size=50))  # warm the caches
    tracemalloc.start()
    try:
        marks = {}
        for number, _result in enumerate(extract_articles(nlp, _synthetic(260), zone_size=50), 1):
            if number in (100, 260):
                marks[number] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    growth = marks[260] - marks[100]
    assert growth < 160 * 200, f"{growth} bytes more after 160 more articles"


def test_an_abandoned_extraction_cannot_end_a_newer_ones_zone(nlp: Language) -> None:
    """A generator left suspended (its memory zone open) may be closed by the garbage
    collector at any moment: that must not drop the strings of the zone now open."""
    abandoned = extract_articles(nlp, _articles())
    next(abandoned)
    results = []
    for number, (_article, result) in enumerate(extract_articles(nlp, _articles())):
        if number == 0:
            nlp.vocab.strings.add("orbitext-zone-probe")
            abandoned.close()
            assert "orbitext-zone-probe" in nlp.vocab.strings
        results.append(result)
    assert [type(r) for r in results] == [Document] * len(_articles())
    assert "orbitext-zone-probe" not in nlp.vocab.strings  # freed when its zone ended


def test_a_forked_process_never_ends_its_parents_zone(nlp: Language) -> None:
    """spaCy's worker processes are forks: closing the parent's suspended extraction there
    (as their garbage collector may) must leave the zone's strings alone."""
    suspended = extract_articles(nlp, _articles())
    next(suspended)
    nlp.vocab.strings.add("orbitext-zone-probe")
    pid = os.fork()
    if pid == 0:  # the child: close the inherited generator, report whether the string stayed
        suspended.close()
        os._exit(0 if "orbitext-zone-probe" in nlp.vocab.strings else 1)
    _pid, status = os.waitpid(pid, 0)
    suspended.close()
    assert os.waitstatus_to_exitcode(status) == 0


def test_progress_is_shown_on_a_terminal_only() -> None:
    quiet = ProgressDisplay()
    assert not quiet.enabled  # pytest's stderr is not a terminal
    buffer = io.StringIO()
    shown = ProgressDisplay(console=Console(file=buffer, force_terminal=True, width=100))
    assert shown.enabled
    with shown:
        shown.advance(3)
        shown.echo("error: x.txt: empty article (no text)")
    assert "error: x.txt: empty article (no text)" in buffer.getvalue()
    assert "articles" in buffer.getvalue()


def test_batch_counts_failures_and_reports_each_once(tmp_path: Path) -> None:
    reported: list[str] = []
    batch = Batch(tmp_path / "out", None, lambda exc: reported.append(str(exc)))
    missing = tmp_path / "missing.txt"
    articles = list(batch.articles([missing]))
    assert articles == []
    assert reported == [f"{missing}: no such file or folder"]
    assert batch.counts.failed == 1
    assert orbitext.batch.is_jsonl(Path("x.jsonl")) and not orbitext.batch.is_jsonl(Path("x.txt"))


def test_scheduler_without_dask_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "orbitext.distributed", raising=False)
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # as if Dask were not installed
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    result = invoke("extract", shard, "--out", tmp_path / "out", "--scheduler", "tcp://x:1")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith("error: --scheduler needs Dask (")
    assert line.endswith("is not installed): pip install 'orbitext[dask]'")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jsonl", "x.jsonl"], "--scheduler writes OUT/NAME.jsonl per shard; drop --jsonl"),
        (["--n-process", "2"], "with --scheduler the cluster's workers are the processes"),
    ],
)
def test_scheduler_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    result = invoke("extract", shard, "--scheduler", "tcp://x:1", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_jsonl_output_that_fails_midway_is_dropped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = jsonl_file(tmp_path / "one.jsonl", [{"id": k, "text": AGREEMENT} for k in "abc"])
    two = jsonl_file(tmp_path / "two.jsonl", [{"id": "d", "text": LAUNCH}])
    real_write = orbitext.batch.JsonlWriter.write
    lines = iter(range(100))

    def write(self: orbitext.batch.JsonlWriter, line: str) -> None:
        if next(lines) == 1:
            raise OSError(28, "No space left on device")
        real_write(self, line)

    monkeypatch.setattr(orbitext.batch.JsonlWriter, "write", write)
    out = tmp_path / "out"
    result = invoke("extract", one, two, "--out", out)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {out / 'one.jsonl'}: cannot write output: No space left on device"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["two.jsonl"]
    assert f"1 article(s) written to {out}/, 1 failed" in result.stderr


def test_several_processes_need_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_start_method", lambda *a, **k: "spawn")
    shard = jsonl_file(tmp_path / "s.jsonl", [{"id": "a", "text": AGREEMENT}])
    result = invoke("extract", shard, "--out", tmp_path / "out", "--n-process", "2")
    assert result.exit_code == 2
    assert "several processes need the 'fork' start method, not 'spawn'" in result.output
    assert invoke("extract", shard, "--out", tmp_path / "out").exit_code == 0
