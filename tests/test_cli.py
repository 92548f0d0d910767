"""The ``orbitext`` command line: exit codes, files written, one-line errors naming the file.

Nothing here depends on how many entities the extractor finds: the assertions are about
behaviour (what is written, what is reported, with which exit code) and about every output
validating against the schema and its article.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from spacy.language import Language
from typer.testing import CliRunner

import orbitext.extract
import orbitext.nlp
from orbitext import cli
from orbitext.corpus import article_paths, read_article, read_json_document
from orbitext.schema import Document, SchemaError, sha256_hex, validate_document

# The conftest fixture one_org_gold: (doc_id, text, org) -> a gold file's data.
GoldMaker = Callable[[str, str, str], dict[str, Any]]

ARTICLE_A = "NASA and Roscosmos signed an agreement in Moscow on March 3, 2019.\n"
ARTICLE_B = "The Soyuz-2.1b rocket lifted off from the Plesetsk Cosmodrome on 12 May 2020.\n"
ARTICLE_C = "ESA Director General Jan Woerner met JAXA officials in Tokyo on Monday.\n"
BAD_UTF8 = "Rogozin met the Président in Paris.\n".encode("latin-1")

# A wide terminal, so usage errors in rich boxes stay on one line each.
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def shared_nlp(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Let the commands reuse the session's pipeline instead of building one per call.

    The ``nlp`` fixture is fetched only when a command builds the pipeline, so tests that
    never get that far do not depend on the pattern files.
    """
    real_build = cli.build_nlp

    def build(patterns: Path | None = None, *, ablate_names: Any = ()) -> Language:
        if patterns is None and not list(ablate_names):
            return request.getfixturevalue("nlp")
        return real_build(patterns, ablate_names=ablate_names)

    monkeypatch.setattr(cli, "build_nlp", build)


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    """Run the app as the console script would; exceptions are kept on the result."""
    return runner.invoke(cli.app, [str(a) for a in args], input=stdin)


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_clean_exit(result: Result, code: int) -> None:
    """The exit code is ``code`` and the command ended by its own exit, not a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def write_articles(folder: Path, articles: dict[str, bytes | str]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, content in articles.items():
        path = folder / f"{name}.txt"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        paths[name] = path
    return paths


def check_output(out: Path, article_path: Path) -> Document:
    """The output for an article exists and validates against it: schema, spans, hash."""
    article = read_article(article_path)
    doc = read_json_document(out / f"{article.doc_id}.json", article)
    for span in [*doc.entities, *(t for ev in doc.events for t in ev.triggers)]:
        assert article.text[span.start : span.end] == span.text
    assert doc.extractor_version
    return doc


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


# --- extract ------------------------------------------------------------------------


def test_extract_folder_with_one_bad_article(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", {"a": ARTICLE_A, "b": ARTICLE_B, "c": BAD_UTF8})
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "in", "--out", out)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [
        f"error: {paths['c']}: not valid UTF-8 (byte 18: invalid continuation byte)"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    check_output(out, paths["a"])
    check_output(out, paths["b"])
    assert f"2 article(s) written to {out}/, 1 failed" in result.stderr
    assert result.stdout == ""


def test_extract_all_good_files_and_folders(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", {"a": ARTICLE_A, "b": ARTICLE_B})
    single = write_articles(tmp_path / "more", {"c": ARTICLE_C})["c"]
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "in", single, "--out", out)
    assert_clean_exit(result, 0)
    assert error_lines(result) == []
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json", "c.json"]
    for path in [*paths.values(), single]:
        doc = check_output(out, path)
        assert doc.reference_date is None


def test_extract_output_is_plain_json_of_the_document(tmp_path: Path) -> None:
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    out = tmp_path / "out"
    assert_clean_exit(invoke("extract", path, "--out", out), 0)
    raw = (out / "a.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n")
    data = json.loads(raw)
    assert data["doc_id"] == "a"
    assert data["text_sha256"] == sha256_hex(ARTICLE_A.encode("utf-8"))
    assert {"entities", "events", "records", "extractor_version"} <= set(data)


def test_extract_rerun_replaces_outputs_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = write_articles(tmp_path / "in", {"a": ARTICLE_A})["a"]
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("stale, not JSON", encoding="utf-8")
    assert_clean_exit(invoke("extract", path, "--out", out), 0)
    assert_clean_exit(invoke("extract", path, "--out", out), 0)
    check_output(out, path)
    assert no_temp_files(out)


def test_extract_reference_date_is_recorded(tmp_path: Path) -> None:
    path = write_articles(tmp_path, {"c": ARTICLE_C})["c"]
    out = tmp_path / "out"
    result = invoke("extract", path, "--out", out, "--reference-date", "2019-07-19")
    assert_clean_exit(result, 0)
    assert check_output(out, path).reference_date == "2019-07-19"


@pytest.mark.parametrize("value", ["2019-13-45", "July 19, 2019", "2019-07", "yesterday"])
def test_extract_bad_reference_date_is_a_usage_error(tmp_path: Path, value: str) -> None:
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    out = tmp_path / "out"
    result = invoke("extract", path, "--out", out, "--reference-date", value)
    assert_clean_exit(result, 2)
    assert f"{value!r} is not a date in YYYY-MM-DD form" in result.output
    assert not out.exists()


@pytest.mark.parametrize("value", ["20190719", "2019-W29-5"])
def test_extract_reference_date_other_iso_forms_are_refused(tmp_path: Path, value: str) -> None:
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    result = invoke("extract", path, "--out", tmp_path / "out", "--reference-date", value)
    assert result.exit_code == 2


def test_extract_missing_path_is_reported(tmp_path: Path) -> None:
    good = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    missing = tmp_path / "nope.txt"
    out = tmp_path / "out"
    result = invoke("extract", missing, good, "--out", out)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {missing}: no such file or folder"]
    check_output(out, good)


def test_extract_empty_folder_is_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("not an article", encoding="utf-8")
    result = invoke("extract", empty, "--out", tmp_path / "out")
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {empty}: folder holds no .txt articles"]


@pytest.mark.parametrize(
    ("content", "fault"),
    [
        (b"", "empty article (no text)"),
        (b" \n\n\t", "empty article (no text)"),
        (b"NASA\x00Dragon", "binary file (contains NUL bytes), not a text article"),
    ],
)
def test_extract_unreadable_articles_are_reported(
    tmp_path: Path, content: bytes, fault: str
) -> None:
    paths = write_articles(tmp_path / "in", {"a": ARTICLE_A, "bad": content})
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "in", "--out", out)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {paths['bad']}: {fault}"]
    assert sorted(p.name for p in out.iterdir()) == ["a.json"]


def test_extract_out_is_a_file(tmp_path: Path) -> None:
    path = write_articles(tmp_path / "in", {"a": ARTICLE_A})["a"]
    out = tmp_path / "out"
    out.write_text("I am a file\n", encoding="utf-8")
    result = invoke("extract", path, "--out", out)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {out / 'a.json'}: cannot write output: File exists"]
    assert out.read_text(encoding="utf-8") == "I am a file\n"


def test_extract_out_below_a_file(tmp_path: Path) -> None:
    path = write_articles(tmp_path / "in", {"a": ARTICLE_A})["a"]
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "out"
    result = invoke("extract", path, "--out", out)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {out / 'a.json'}: cannot write output: Not a directory"]


def test_extract_crlf_and_bom_articles_validate(tmp_path: Path) -> None:
    crlf = ARTICLE_A.replace("\n", "\r\n") + "Roscosmos said so.\r\n"
    paths = write_articles(
        tmp_path / "in", {"crlf": crlf, "bom": b"\xef\xbb\xbf" + ARTICLE_B.encode("utf-8")}
    )
    out = tmp_path / "out"
    assert_clean_exit(invoke("extract", tmp_path / "in", "--out", out), 0)
    check_output(out, paths["crlf"])
    doc = check_output(out, paths["bom"])
    assert doc.text_sha256 == sha256_hex(paths["bom"].read_bytes())


def test_extract_stdin_prints_json_that_validates() -> None:
    data = ARTICLE_B.encode("utf-8")
    result = invoke("extract", "-", stdin=data)
    assert_clean_exit(result, 0)
    doc = validate_document(
        json.loads(result.stdout), "<stdout>", text=ARTICLE_B, sha256=sha256_hex(data)
    )
    assert doc.doc_id == "stdin"
    assert error_lines(result) == []


def test_extract_stdin_with_a_reference_date() -> None:
    result = invoke("extract", "-", "--reference-date", "2020-05-13", stdin=ARTICLE_C.encode())
    assert_clean_exit(result, 0)
    assert json.loads(result.stdout)["reference_date"] == "2020-05-13"


def test_extract_stdin_invalid_utf8() -> None:
    result = invoke("extract", "-", stdin=BAD_UTF8)
    assert_clean_exit(result, 1)
    assert result.stdout == ""
    assert error_lines(result) == [
        "error: <stdin>: not valid UTF-8 (byte 18: invalid continuation byte)"
    ]


def test_extract_same_name_in_two_folders_is_not_silently_overwritten(tmp_path: Path) -> None:
    first = write_articles(tmp_path / "one", {"x": ARTICLE_A})["x"]
    second = write_articles(tmp_path / "two", {"x": ARTICLE_B})["x"]
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "one", tmp_path / "two", "--out", out)
    assert_clean_exit(result, 1)
    assert len(error_lines(result)) == 1
    assert str(second) in error_lines(result)[0]
    check_output(out, first)


@pytest.fixture
def failing_article(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Make the output of the article named ``b`` fail validation, as a component bug would."""
    real: Callable[..., Document] = orbitext.extract.doc_to_document

    def convert(doc: Any, article: Any) -> Document:
        if article.doc_id == "b":
            raise SchemaError(
                f"<output for {article.source}>",
                "events[0] (e1) trigger 'lifted off' overlaps entities[1] 'Soyuz-2.1b'",
            )
        return real(doc, article)

    monkeypatch.setattr(orbitext.extract, "doc_to_document", convert)
    yield "b"


def test_extract_invalid_output_for_one_article_is_reported(
    tmp_path: Path, failing_article: str
) -> None:
    paths = write_articles(tmp_path / "in", {"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C})
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "in", "--out", out)
    assert_clean_exit(result, 1)
    assert len(error_lines(result)) == 1
    assert str(paths[failing_article]) in error_lines(result)[0]
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "c.json"]


def test_extract_whole_corpus(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "out"
    result = invoke("extract", corpus_dir, "--out", out)
    assert_clean_exit(result, 0)
    articles = article_paths(corpus_dir)
    assert len(articles) == 25
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.stem}.json" for p in articles)
    for path in articles:
        check_output(out, path)


def test_console_script_runs(tmp_path: Path) -> None:
    script = shutil.which("orbitext") or shutil.which(
        "orbitext", path=str(Path(sys.executable).parent)
    )
    assert script, "the orbitext console script is not installed (pip install -e .)"
    paths = write_articles(tmp_path / "in", {"a": ARTICLE_A})
    missing = tmp_path / "in" / "missing.txt"
    out = tmp_path / "out"
    proc = subprocess.run(
        [script, "extract", str(paths["a"]), str(missing), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")] == [
        f"error: {missing}: no such file or folder"
    ]
    assert "Traceback" not in proc.stderr
    check_output(out, paths["a"])


def test_extract_broken_pattern_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(patterns: Path | None = None, *, ablate_names: Any = ()) -> Language:
        raise SchemaError("patterns/rules/x.jsonl:3", "group 'g': unknown token flag 'zz'")

    monkeypatch.setattr(cli, "build_nlp", broken)
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    result = invoke("extract", path, "--out", tmp_path / "out")
    assert_clean_exit(result, 1)
    assert error_lines(result) == [
        "error: patterns/rules/x.jsonl:3: group 'g': unknown token flag 'zz'"
    ]
    assert not (tmp_path / "out").exists()


def test_extract_missing_lexicon_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexicon = "patterns/lexicons/person_titles.txt"

    def broken(patterns: Path | None = None, *, ablate_names: Any = ()) -> Language:
        # What lexicons.read_word_list raises for a missing file.
        raise SchemaError(lexicon, "cannot read word list: [Errno 2] No such file or directory")

    monkeypatch.setattr(cli, "build_nlp", broken)
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    result = invoke("extract", path, "--out", tmp_path / "out")
    assert_clean_exit(result, 1)
    assert len(error_lines(result)) == 1
    assert lexicon in error_lines(result)[0]


@pytest.mark.parametrize(
    "setup",
    [
        "empty",
        "missing",
    ],
)
def test_extract_unusable_patterns_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str
) -> None:
    patterns = tmp_path / "patterns"
    if setup == "empty":
        patterns.mkdir()
    monkeypatch.setenv("ORBITEXT_PATTERNS", str(patterns))
    monkeypatch.setattr(cli, "build_nlp", orbitext.nlp.build_nlp)  # the real one, uncached
    path = write_articles(tmp_path, {"a": ARTICLE_A})["a"]
    result = invoke("extract", path, "--out", tmp_path / "out")
    assert_clean_exit(result, 1)
    lines = error_lines(result)
    assert len(lines) == 1
    assert str(patterns) in lines[0]
    assert not (tmp_path / "out").exists()


def test_no_arguments_shows_help() -> None:
    result = invoke()
    assert result.exit_code in (0, 2)
    assert "extract" in result.output and "evaluate" in result.output


# --- evaluate -----------------------------------------------------------------------


@pytest.fixture
def small_corpus(tmp_path: Path, one_org_gold: GoldMaker) -> Path:
    """Three articles with small, valid gold files."""
    folder = tmp_path / "corpus"
    texts = {"a": (ARTICLE_A, "Roscosmos"), "b": (ARTICLE_B, "Soyuz-2.1b"), "c": (ARTICLE_C, "ESA")}
    write_articles(folder, {name: text for name, (text, _org) in texts.items()})
    for name, (text, org) in texts.items():
        gold = one_org_gold(name, text, org)
        if name == "b":
            gold["entities"][0]["label"] = "VEHICLE"
        (folder / f"{name}.gold.json").write_text(json.dumps(gold, indent=2), encoding="utf-8")
    return folder


def test_evaluate_valid_corpus(small_corpus: Path, scored: list[list[str]]) -> None:
    result = invoke("evaluate", small_corpus)
    assert_clean_exit(result, 0)
    assert error_lines(result) == []
    assert scored == [["a", "b", "c"]]
    assert result.stdout.strip()


def test_evaluate_json_output_is_json(small_corpus: Path, scored: list[list[str]]) -> None:
    result = invoke("evaluate", small_corpus, "--json")
    assert_clean_exit(result, 0)
    json.loads(result.stdout)


def _corrupt_offset(data: dict[str, Any]) -> None:
    data["entities"][0]["start"] += 1
    data["entities"][0]["end"] += 1


def _corrupt_sha(data: dict[str, Any]) -> None:
    data["text_sha256"] = sha256_hex(b"some other article")


def _corrupt_label(data: dict[str, Any]) -> None:
    data["entities"][0]["label"] = "SPACECRAFT"


def _corrupt_key(data: dict[str, Any]) -> None:
    data["entites"] = data.pop("entities")


@pytest.mark.parametrize(
    ("corrupt", "fault"),
    [
        (_corrupt_offset, r"entities\[0\]: text 'Soyuz-2\.1b' differs from the article's"),
        (_corrupt_sha, r"text_sha256 [0-9a-f]{12}… does not match the article"),
        (_corrupt_label, r"entities\[0\]\.label: Input should be 'ORG'"),
        (_corrupt_key, r"entites: Extra inputs are not permitted"),
        (None, r"invalid JSON at line 1: "),
    ],
    ids=["offset", "sha", "label", "typo", "json"],
)
def test_evaluate_corrupt_gold_is_reported_and_the_rest_scored(
    small_corpus: Path, scored: list[list[str]], corrupt: Any, fault: str
) -> None:
    gold = small_corpus / "b.gold.json"
    if corrupt is None:
        gold.write_text('{"doc_id": "b", ', encoding="utf-8")
    else:
        data = json.loads(gold.read_text(encoding="utf-8"))
        corrupt(data)
        gold.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("evaluate", small_corpus)
    assert_clean_exit(result, 1)
    lines = error_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {gold}: ")
    assert re.search(fault, lines[0]), lines[0]
    assert scored == [["a", "c"]]


def test_evaluate_invalid_output_for_one_article_is_reported(
    small_corpus: Path, scored: list[list[str]], failing_article: str
) -> None:
    result = invoke("evaluate", small_corpus)
    assert_clean_exit(result, 1)
    lines = error_lines(result)
    assert len(lines) == 1
    assert str(small_corpus / f"{failing_article}.txt") in lines[0]
    assert scored == [["a", "c"]]


def test_evaluate_article_without_gold(small_corpus: Path, scored: list[list[str]]) -> None:
    (small_corpus / "c.gold.json").unlink()
    result = invoke("evaluate", small_corpus)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {small_corpus / 'c.gold.json'}: no such file"]
    assert scored == [["a", "b"]]


def test_evaluate_with_predictions_missing_one(
    small_corpus: Path, tmp_path: Path, scored: list[list[str]]
) -> None:
    pred = tmp_path / "pred"
    assert_clean_exit(invoke("extract", small_corpus, "--out", pred), 0)
    (pred / "a.json").unlink()
    result = invoke("evaluate", small_corpus, "--pred", pred)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [f"error: {pred / 'a.json'}: no such file"]
    assert scored == [["b", "c"]]


def test_evaluate_with_a_prediction_for_another_text(
    small_corpus: Path, tmp_path: Path, scored: list[list[str]], one_org_gold: GoldMaker
) -> None:
    pred = tmp_path / "pred"
    assert_clean_exit(invoke("extract", small_corpus, "--out", pred), 0)
    (small_corpus / "c.txt").write_text(ARTICLE_C.replace("Monday", "Tuesday"), encoding="utf-8")
    gold = one_org_gold("c", ARTICLE_C.replace("Monday", "Tuesday"), "ESA")
    (small_corpus / "c.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = invoke("evaluate", small_corpus, "--pred", pred)
    assert_clean_exit(result, 1)
    lines = error_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {pred / 'c.json'}: text_sha256 ")
    assert scored == [["a", "b"]]


def test_evaluate_nothing_readable(tmp_path: Path, scored: list[list[str]]) -> None:
    folder = tmp_path / "corpus"
    write_articles(folder, {"a": BAD_UTF8})
    result = invoke("evaluate", folder)
    assert_clean_exit(result, 1)
    assert error_lines(result) == [
        f"error: {folder / 'a.txt'}: not valid UTF-8 (byte 18: invalid continuation byte)",
        f"error: {folder}: no readable article with a gold file",
    ]
    assert scored == []


def test_evaluate_not_a_folder(tmp_path: Path, scored: list[list[str]]) -> None:
    result = invoke("evaluate", tmp_path / "nope")
    assert_clean_exit(result, 2)
    assert "is not a folder" in result.output
