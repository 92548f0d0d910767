"""Bad input, with nothing lost: every kind of broken input in one ``extract`` batch.

Each fault gives one line naming the file and the problem (or a documented handling: a
byte-order mark is dropped, CRLF is kept so offsets index the text as read), every good
article of the batch is still written, the exit code says that something failed, and no
temporary or partial file is left behind.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from spacy.language import Language
from typer.testing import CliRunner

from orbitext import cli
from orbitext.corpus import read_article, read_json_document
from orbitext.extract import make_doc
from orbitext.schema import Document, sha256_hex

# The conftest fixture one_org_gold: (doc_id, text, org) -> a gold file's data.
GoldMaker = Callable[[str, str, str], dict[str, Any]]

AGREEMENT = "NASA and Roscosmos signed an agreement in Moscow on March 3, 2019.\n"
LAUNCH = "The Soyuz-2.1b rocket lifted off from the Plesetsk Cosmodrome on 12 May 2020.\n"
RUSSIAN = (
    "Госкорпорация «Роскосмос» и NASA подписали соглашение о сотрудничестве в Москве "
    "3 марта 2019 года.\n"
)
HTML_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>NASA news</title></head>\n"
    "<body><p>NASA and Roscosmos signed an agreement in Moscow.</p></body></html>\n"
)
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
# A 5 MB article: a press release with a long stretch of blank layout between its two
# paragraphs (prose that long would take the pipeline minutes: see test_scaling below).
BIG = AGREEMENT + ("\n" + " " * 1023) * 5000 + "\n" + LAUNCH

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def shared_nlp(monkeypatch: pytest.MonkeyPatch, nlp: Language) -> None:
    monkeypatch.setattr(cli, "build_nlp", lambda *a, **k: nlp)


def invoke(*args: object) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args])


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def entity(doc: Document, text: str) -> tuple[int, int]:
    (found,) = [(e.start, e.end) for e in doc.entities if e.text == text]
    return found


@pytest.fixture
def batch(tmp_path: Path) -> dict[str, Path]:
    """A folder with one article of each kind, a JSON Lines shard and a missing path."""
    folder = tmp_path / "in"
    folder.mkdir()
    contents: dict[str, bytes] = {
        "good": AGREEMENT.encode(),
        "empty": b"",
        "blank": b"  \n\t \r\n",
        "binary": PNG_HEAD,
        "latin1": "Le Président de Roscosmos est à Paris.\n".encode("latin-1"),
        "bom": b"\xef\xbb\xbf" + LAUNCH.encode(),
        "crlf": (AGREEMENT + LAUNCH).replace("\n", "\r\n").encode(),
        "page": HTML_PAGE.encode(),
        "big": BIG.encode(),
        "russian": RUSSIAN.encode(),
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_bytes(data)
    shard = tmp_path / "shard.jsonl"
    shard.write_text(
        json.dumps({"id": "from-shard", "text": LAUNCH}) + "\n"
        + json.dumps({"id": "broken", "text": "<html><body>x</body></html>"}) + "\n",
        encoding="utf-8",
    )
    paths["shard"] = shard
    paths["missing"] = tmp_path / "missing.txt"
    return paths


def test_every_bad_input_in_one_batch(batch: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.perf_counter()
    result = invoke("extract", batch["missing"], batch["good"].parent, batch["shard"],
                    "--out", out)
    assert time.perf_counter() - started < 60
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert sorted(error_lines(result)) == sorted([
        f"error: {batch['missing']}: no such file or folder",
        f"error: {batch['empty']}: empty article (no text)",
        f"error: {batch['blank']}: empty article (no text)",
        f"error: {batch['binary']}: binary file (contains NUL bytes), not a text article",
        f"error: {batch['latin1']}: not valid UTF-8 (byte 5: invalid continuation byte)",
        f"error: {batch['page']}: looks like HTML, not plain text (convert it to text first)",
        f"error: {batch['shard']}:2: looks like HTML, not plain text (convert it to text first)",
    ])
    assert f"6 article(s) written to {out}/, 7 failed; " in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "big.json", "bom.json", "crlf.json", "good.json", "russian.json", "shard.jsonl"
    ]

    docs = {name: read_json_document(out / f"{name}.json", read_article(batch[name]))
            for name in ("good", "bom", "crlf", "big", "russian")}
    # The byte-order mark is dropped: offsets index the text after it; the hash is the file's.
    assert entity(docs["bom"], "Soyuz-2.1b") == (4, 14)
    assert docs["bom"].text_sha256 == sha256_hex(batch["bom"].read_bytes())
    # CRLF is kept: "\r\n" counts two characters.
    crlf_text = (AGREEMENT + LAUNCH).replace("\n", "\r\n")
    assert entity(docs["crlf"], "Soyuz-2.1b") == (72, 82)
    assert crlf_text[72:82] == "Soyuz-2.1b"
    # The 5 MB article is extracted whole, past spaCy's default max_length.
    big_start = BIG.index("Soyuz-2.1b")
    assert big_start > 5_000_000
    assert entity(docs["big"], "Soyuz-2.1b") == (big_start, big_start + 10)
    # A Russian article works: it simply has few entities (NASA, written in Latin letters).
    assert [e.text for e in docs["russian"].entities if e.label == "ORG"] == ["NASA"]
    (line,) = (out / "shard.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["doc_id"] == "from-shard"


def test_an_output_folder_that_cannot_be_written(batch: dict[str, Path], tmp_path: Path) -> None:
    """Root ignores file modes, so the folder is made unwritable by a regular file in its path."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    out = blocker / "out"
    result = invoke("extract", batch["good"], batch["bom"], batch["shard"], "--out", out)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert lines[:2] == [
        f"error: {out / 'good.json'}: cannot write output: Not a directory",
        f"error: {out / 'bom.json'}: cannot write output: Not a directory",
    ]
    assert f"error: {out / 'shard.jsonl'}: cannot write output: Not a directory" in lines
    assert "0 article(s) written" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "in", "shard.jsonl"]


def test_evaluate_with_malformed_gold_files(
    tmp_path: Path, scored: list[list[str]], one_org_gold: GoldMaker
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    faults: dict[str, str] = {}
    for name in ("fine", "json", "offsets", "sha", "label", "also-fine"):
        (folder / f"{name}.txt").write_text(AGREEMENT, encoding="utf-8")
        gold = one_org_gold(name, AGREEMENT, "Roscosmos")
        raw = json.dumps(gold)
        if name == "json":
            raw = raw[:-2]
            faults[name] = r"invalid JSON at line 1: "
        elif name == "offsets":
            gold["entities"][0]["start"] += 1
            raw = json.dumps(gold)
            faults[name] = (r"entities\[0\]: text 'Roscosmos' has length 9, "
                            r"but \[10:18\] spans 8")
        elif name == "sha":
            gold["text_sha256"] = sha256_hex(b"another article")
            raw = json.dumps(gold)
            faults[name] = r"text_sha256 [0-9a-f]{12}… does not match the article"
        elif name == "label":
            gold["entities"][0]["label"] = "AGENCY"
            raw = json.dumps(gold)
            faults[name] = r"entities\[0\]\.label: Input should be 'ORG'"
        (folder / f"{name}.gold.json").write_text(raw, encoding="utf-8")

    result = invoke("evaluate", folder)
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert len(lines) == len(faults)
    for name, fault in faults.items():
        (line,) = [ln for ln in lines if ln.startswith(f"error: {folder / name}.gold.json: ")]
        assert re.search(fault, line), line
    assert scored == [["also-fine", "fine"]]


def test_make_doc_has_no_length_limit(nlp: Language) -> None:
    from orbitext.corpus import Article

    text = "x " * 600_000  # 1.2 million characters: spaCy's default limit is 1,000,000
    article = Article(doc_id="long", text=text, sha256=sha256_hex(text.encode()), source="l")
    assert len(make_doc(nlp, article)) == 600_000


def _calls_per_token(nlp: Language, text: str) -> float:
    """Python calls the extraction of ``text`` makes, per token (deterministic, unlike time)."""
    import cProfile
    import pstats

    from orbitext.corpus import Article
    from orbitext.extract import extract_articles

    article = Article(doc_id="long", text=text, sha256=sha256_hex(text.encode()), source="l")
    profile = cProfile.Profile()
    profile.enable()
    ((_a, result),) = list(extract_articles(nlp, [article]))
    profile.disable()
    assert isinstance(result, Document)
    return pstats.Stats(profile).total_calls / len(nlp.tokenizer(text))


def _lines_per_token(nlp: Language, text: str) -> float:
    """Lines of orbitext's own code run to extract ``text``, per token.

    Unlike calls, lines count every turn of a loop or comprehension, such as a scan of
    all the document's entities made once per trigger.
    """
    import sys
    from types import FrameType
    from typing import Any as _Any

    from orbitext.corpus import Article
    from orbitext.extract import extract_articles

    package = str(Path(__file__).resolve().parents[1] / "pipeline" / "orbitext")
    lines = 0

    def local(frame: FrameType, event: str, arg: _Any) -> _Any:
        nonlocal lines
        if event == "line":
            lines += 1
        return local

    def trace(frame: FrameType, event: str, arg: _Any) -> _Any:
        return local if frame.f_code.co_filename.startswith(package) else None

    article = Article(doc_id="long", text=text, sha256=sha256_hex(text.encode()), source="l")
    sys.settrace(trace)
    try:
        ((_a, result),) = list(extract_articles(nlp, [article]))
    finally:
        sys.settrace(None)
    assert isinstance(result, Document)
    return lines / len(nlp.tokenizer(text))


def test_long_prose_runs_linear_lines(nlp: Language, corpus_dir: Path) -> None:
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt")))
    short = _lines_per_token(nlp, prose[:6000])
    long = _lines_per_token(nlp, prose[:24000])
    assert long / short < 1.25, f"{short:.0f} lines a token at 6 kB, {long:.0f} at 24 kB"


def test_long_prose_costs_linear_work(nlp: Language, corpus_dir: Path) -> None:
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt")))
    short = _calls_per_token(nlp, prose[:6000])
    long = _calls_per_token(nlp, prose[:24000])
    assert long / short < 1.25, f"{short:.0f} calls a token at 6 kB, {long:.0f} at 24 kB"
