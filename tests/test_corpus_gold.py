"""The project's own corpus follows ANNOTATION.md: every article has a gold file that
validates against it (offsets, span texts, the hash of its bytes) and vice versa."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orbitext.corpus import GOLD_SUFFIX, article_id, gold_path, read_article, read_json_document

# Module level, not the corpus_dir fixture: parametrisation needs the list at collection.
CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
ARTICLES = sorted(CORPUS_DIR.glob("*.txt"))
GOLDS = sorted(CORPUS_DIR.glob(f"*{GOLD_SUFFIX}"))


def _gold_id(path: Path) -> str:
    return path.name[: -len(GOLD_SUFFIX)]


def test_corpus_is_not_empty() -> None:
    assert len(ARTICLES) >= 25


def test_every_article_has_a_gold_file_and_vice_versa() -> None:
    article_ids = {article_id(p) for p in ARTICLES}
    gold_ids = {_gold_id(p) for p in GOLDS}
    assert sorted(article_ids - gold_ids) == [], "articles without a gold file"
    assert sorted(gold_ids - article_ids) == [], "gold files without an article"


def test_corpus_holds_only_pairs() -> None:
    stray = [
        p.name
        for p in CORPUS_DIR.iterdir()
        if not (p.name.endswith(".txt") or p.name.endswith(GOLD_SUFFIX))
    ]
    assert stray == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_gold_validates_against_its_article(article: Path) -> None:
    text = read_article(article)
    # read_json_document checks the schema, every span against the text, the hash of the
    # article's bytes and that doc_id equals the file name.
    doc = read_json_document(gold_path(article), text)
    assert doc.doc_id == article_id(article)
    assert doc.text_sha256 == text.sha256
    for span in [*doc.entities, *(t for ev in doc.events for t in ev.triggers)]:
        assert text.text[span.start : span.end] == span.text


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name)
def test_gold_holds_no_output_fields(gold: Path) -> None:
    # A gold file is what a human extracts; records and extractor_version are output-only.
    data = json.loads(gold.read_text(encoding="utf-8"))
    assert set(data) <= {"doc_id", "text_sha256", "reference_date", "entities", "events"}
    assert data["doc_id"] == _gold_id(gold)
