"""Shared fixtures: where the project's files are, one pipeline for the whole session, and
small builders the test modules share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from orbitext.nlp import build_nlp
from orbitext.schema import sha256_hex

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
PATTERNS_DIR = REPO_ROOT / "patterns"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The project's annotated corpus: ``NAME.txt`` + ``NAME.gold.json`` pairs."""
    return CORPUS_DIR


@pytest.fixture(scope="session")
def patterns_dir() -> Path:
    """The pattern and gazetteer files in the source tree."""
    return PATTERNS_DIR


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full pipeline, built once: building it loads every pattern file."""
    return build_nlp()


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the doc_ids of every call to score_corpus (the scorer itself still runs)."""
    pytest.importorskip("orbitext.scoring")
    pytest.importorskip("orbitext.report")
    import orbitext.scoring

    calls: list[list[str]] = []
    real = orbitext.scoring.score_corpus

    def spy(pairs: Any) -> Any:
        calls.append([gold.doc_id for gold, _pred in pairs])
        return real(pairs)

    monkeypatch.setattr(orbitext.scoring, "score_corpus", spy)
    return calls


def _one_org_gold(doc_id: str, text: str, org: str) -> dict[str, Any]:
    start = text.index(org)
    return {
        "doc_id": doc_id,
        "text_sha256": sha256_hex(text.encode("utf-8")),
        "entities": [{"start": start, "end": start + len(org), "text": org, "label": "ORG"}],
        "events": [],
    }


@pytest.fixture(scope="session")
def one_org_gold() -> Callable[[str, str, str], dict[str, Any]]:
    """Builds a gold file's data for ``text`` whose one entity is ``org`` (an ORG), no events."""
    return _one_org_gold
