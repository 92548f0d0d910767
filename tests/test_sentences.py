"""Sentence boundaries: spaCy's punctuation rule, plus line breaks, minus "No. 8".

The component reads token arrays rather than tokens; these tests hold it to spaCy's own
``Sentencizer`` and to the token-by-token rule it replaced, on the corpus and on
generated text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from orbitext.sentences import _NUMBER_ABBREVIATIONS, punctuation_starts

BUDGET = settings(
    max_examples=150,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
PIECES = ["Soyuz", "launched", "No", "no", ".", "8", "!", "?", "”", '"', ")", "(", "…", "\n",
          "\n\n", " ", "MOSCOW", ",", "Mr", "3.5", "a", "ISS", ";", ":", "—", "。"]


@pytest.fixture(scope="module")
def sentencer() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("orbitext_sentences")
    return nlp


def token_by_token(doc: Doc) -> list[bool]:
    """The rule as it was first written, one Token at a time."""
    (starts,) = Sentencizer().predict([doc])
    starts = list(starts)
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws:
            starts[i + 1] = True
        if (
            token.text == "."
            and i > 0
            and doc[i - 1].text in _NUMBER_ABBREVIATIONS
            and not doc[i - 1].whitespace_
            and doc[i + 1].like_num
        ):
            starts[i + 1] = False
    return starts


def boundaries(doc: Doc) -> list[bool]:
    return [bool(t.is_sent_start) for t in doc]


def texts(corpus_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]


def test_same_boundaries_as_the_token_rule_on_the_corpus(
    sentencer: Language, corpus_dir: Path
) -> None:
    for text in texts(corpus_dir):
        doc = sentencer(text)
        assert boundaries(doc) == token_by_token(sentencer.make_doc(text))


def test_punctuation_rule_is_spacys_on_the_corpus(sentencer: Language, corpus_dir: Path) -> None:
    sentencizer = Sentencizer()
    for text in texts(corpus_dir):
        doc = sentencer.make_doc(text)
        (expected,) = sentencizer.predict([doc])
        words = [t.text for t in doc]
        assert punctuation_starts(words, [t.is_punct for t in doc], sentencizer) == expected


@BUDGET
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_same_boundaries_as_the_token_rule_on_generated_text(
    sentencer: Language, pieces: list[str]
) -> None:
    text = " ".join(pieces)
    assert boundaries(sentencer(text)) == token_by_token(sentencer.make_doc(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soyuz MS-12 launched. It docked.", ["Soyuz MS-12 launched.", "It docked."]),
        ("HEADLINE\nMOSCOW, March 12 — text", ["HEADLINE\n", "MOSCOW, March 12 — text"]),
        ("Launch Vehicle No. 8 lifted off.", ["Launch Vehicle No. 8 lifted off."]),
        ('He said "go." Then it flew.', ['He said "go."', "Then it flew."]),
        ("", []),
    ],
)
def test_sentences(sentencer: Language, text: str, expected: list[str]) -> None:
    assert [s.text_with_ws.rstrip(" ") for s in sentencer(text).sents] == expected
