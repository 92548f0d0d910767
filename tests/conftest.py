"""Shared fixtures: where the project's files are, and one pipeline for the whole session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from orbitext.nlp import build_nlp

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
