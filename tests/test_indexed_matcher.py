"""The indexed matcher finds exactly what one spaCy Matcher over the whole text finds.

Its order is its own (by end, then start, then pattern number), so the checks compare the
matches as sets, and check that order and that no match comes twice.

Checked for the three matchers the pipeline builds (dates, entity rules, event triggers)
on every corpus article and on generated text made of the words the patterns name, and on
small pattern sets written to reach each kind of window (bounded, unbounded on either
side, optional leading tokens, ``{n,m}`` ranges, no usable anchor).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.matcher import Matcher

from orbitext.indexed_matcher import (
    IndexedMatcher,
    choose_anchor,
    finite_words,
    spec_admission,
    token_range,
)

BUDGET = settings(
    max_examples=80,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _same(indexed: list[tuple[int, int, int]], reference: list[tuple[int, int, int]]) -> bool:
    in_order = [(e, s) for _m, s, e in indexed] == sorted((e, s) for _m, s, e in indexed)
    return in_order and len(set(indexed)) == len(indexed) and set(indexed) == set(reference)


def _matchers(nlp: Language) -> dict[str, IndexedMatcher]:
    return {
        "dates": nlp.get_pipe("orbitext_dates").matcher,
        "rules": nlp.get_pipe("orbitext_entity_rules").matcher.matcher,
        "events": nlp.get_pipe("orbitext_events").triggers.matcher.matcher,
    }


@pytest.fixture(scope="module")
def plain(nlp: Language) -> dict[str, tuple[IndexedMatcher, Matcher]]:
    """Each pipeline matcher beside a plain spaCy Matcher holding the same patterns."""
    return {name: (m, m.plain_matcher()) for name, m in _matchers(nlp).items()}


def _pattern_words(specs: Any) -> Iterator[str]:
    """Every word a pattern names (ORTH/LOWER values and IN lists)."""
    if isinstance(specs, dict):
        for key, value in specs.items():
            if key in ("ORTH", "TEXT", "LOWER") and isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                for op, operand in value.items():
                    if op in ("IN", "NOT_IN") and isinstance(operand, list):
                        yield from (w for w in operand if isinstance(w, str))
    elif isinstance(specs, list):
        for item in specs:
            yield from _pattern_words(item)


@pytest.mark.parametrize("name", ["dates", "rules", "events"])
def test_same_matches_as_spacy_on_the_corpus(
    nlp: Language, corpus_dir: Path, plain: dict[str, tuple[IndexedMatcher, Matcher]], name: str
) -> None:
    indexed, reference = plain[name]
    total = 0
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = nlp.make_doc(path.read_text(encoding="utf-8"))
        expected = reference(doc)
        assert _same(indexed(doc), expected), path.name
        total += len(expected)
    assert total > 100  # the corpus reaches the patterns: the check is not vacuous


@st.composite
def _texts(draw: st.DrawFn, words: list[str]) -> str:
    picked = draw(st.lists(st.sampled_from(words), min_size=1, max_size=60))
    seps = draw(st.lists(st.sampled_from([" ", " ", "", "\n", ", ", "-"]), min_size=len(picked),
                         max_size=len(picked)))
    return "".join(w + s for w, s in zip(picked, seps, strict=True))


_GLUE = ["the", "The", "of", "and", "on", "in", "a", "NASA", "Soyuz", "Agency", "Space", "said",
         "2019", "15", "1", "March", "Monday", "Ivan", "Petrov", "(", ")", ".", ",", "-", "SAT-1"]


@pytest.mark.parametrize("name", ["dates", "rules", "events"])
def test_same_matches_as_spacy_on_generated_text(
    nlp: Language, plain: dict[str, tuple[IndexedMatcher, Matcher]], name: str
) -> None:
    indexed, reference = plain[name]
    words = sorted({*_GLUE, *(w for _k, specs in indexed.patterns for w in _pattern_words(specs))})

    @BUDGET
    @given(_texts(words))
    def check(text: str) -> None:
        doc = nlp.make_doc(text)
        assert _same(indexed(doc), reference(doc))

    check()


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


SMALL_PATTERNS: dict[str, list[dict[str, Any]]] = {
    # bounded, anchor in the middle, an optional leading "the"
    "day-of-month": [{"LOWER": "the", "OP": "?"}, {"IS_DIGIT": True}, {"LOWER": "of"},
                     {"ORTH": {"IN": ["March", "May"]}}],
    # unbounded before the anchor
    "name-agency": [{"IS_TITLE": True, "OP": "+"}, {"ORTH": "Agency"}],
    # unbounded after the anchor
    "mission-run": [{"ORTH": "Mission"}, {"IS_UPPER": True, "OP": "*"}],
    # a {n,m} range before the anchor
    "gap-launch": [{"IS_TITLE": True}, {"IS_LOWER": True, "OP": "{0,3}"}, {"LOWER": "launched"}],
    # no word-level test anywhere: the whole document is its window
    "anything-then-dot": [{"IS_SENT_START": False}, {"ORTH": "."}],
    # a negated spec takes any other word
    "not-the-rocket": [{"LOWER": "the", "OP": "!"}, {"LOWER": "rocket"}],
}
SMALL_TEXTS = [
    "On the 5 of March the European Space Agency said Mission ABC DEF launched.",
    "Roscosmos and the Japan Aerospace Exploration Agency met . a new rocket , the rocket",
    "Soyuz was quickly and finally launched on 12 of May ; Mission X Y Z Z went on.",
    "Agency Agency Space Agency of March 1 of May the 2 of March",
    "",
    "Mission",
]


@pytest.mark.parametrize("text", SMALL_TEXTS)
def test_same_matches_as_spacy_on_each_kind_of_window(blank: Language, text: str) -> None:
    indexed = IndexedMatcher(blank.vocab)
    for key, specs in SMALL_PATTERNS.items():
        indexed.add(key, specs)
    doc = blank.make_doc(text)
    assert _same(indexed(doc), indexed.plain_matcher()(doc))


def test_small_patterns_find_what_they_should(blank: Language) -> None:
    indexed = IndexedMatcher(blank.vocab)
    for key, specs in SMALL_PATTERNS.items():
        indexed.add(key, specs)
    doc = blank.make_doc(SMALL_TEXTS[0])
    found = {(blank.vocab.strings[m], doc[s:e].text) for m, s, e in indexed(doc)}
    assert ("day-of-month", "the 5 of March") in found
    assert ("day-of-month", "5 of March") in found
    assert ("name-agency", "European Space Agency") in found
    assert ("mission-run", "Mission ABC DEF") in found


@pytest.mark.parametrize(
    ("op", "expected"),
    [(None, (1, 1)), ("?", (0, 1)), ("+", (1, None)), ("*", (0, None)), ("!", (1, 1)),
     ("{2}", (2, 2)), ("{0,3}", (0, 3)), ("{2,}", (2, None)), ("{,4}", (0, 4))],
)
def test_token_range(op: str | None, expected: tuple[int, int | None]) -> None:
    spec: dict[str, Any] = {"LOWER": "x"} if op is None else {"LOWER": "x", "OP": op}
    assert token_range(spec) == expected


def test_the_anchor_is_the_spec_admitting_fewest_everyday_words(blank: Language) -> None:
    specs = SMALL_PATTERNS["day-of-month"]
    assert choose_anchor(blank.vocab, specs) == 3  # the month, not "the", a digit or "of"
    assert choose_anchor(blank.vocab, SMALL_PATTERNS["anything-then-dot"]) == 1
    assert choose_anchor(blank.vocab, [{"IS_SENT_START": True, "OP": "?"}]) is None


def test_spec_admission_reads_word_level_tests_only(blank: Language) -> None:
    test = spec_admission({"TEXT": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": ["nasa"]},
                           "IS_SENT_START": False})
    assert test is not None
    v = blank.vocab
    assert test(v["Soyuz"]) and not test(v["NASA"]) and not test(v["soyuz"])
    title = spec_admission({"IS_TITLE": True, "LENGTH": 5})
    assert title is not None and title(v["Soyuz"]) and not title(v["Progress"])
    assert spec_admission({"IS_SENT_START": True}) is None
    assert spec_admission({"LOWER": "the", "OP": "!"}) is None


def test_word_lists_are_looked_up_not_run() -> None:
    assert finite_words({"LOWER": {"IN": ["launch", "launched"]}, "IS_SENT_START": False}) == (
        "LOWER", frozenset({"launch", "launched"}))
    assert finite_words({"TEXT": "Soyuz"}) == ("ORTH", frozenset({"Soyuz"}))
    assert finite_words({"LOWER": {"IN": ["a"]}, "IS_TITLE": True}) is None  # a shape too
    assert finite_words({"ORTH": {"REGEX": "^A"}}) is None


def test_words_first_seen_in_a_memory_zone_are_forgotten_after_it(blank: Language) -> None:
    indexed = IndexedMatcher(blank.vocab)
    for key, specs in SMALL_PATTERNS.items():
        indexed.add(key, specs)
    before = blank.make_doc("the 5 of March")
    indexed(before)
    known = set(indexed._anchors)
    with indexed.memory_zone():
        doc = blank.make_doc("Zorblax Agency said on 7 of May")
        found = indexed(doc)
        assert set(indexed._anchors) > known  # learnt the new words
    assert set(indexed._anchors) == known  # and forgot them: the tables do not grow
    assert _same(found, indexed.plain_matcher()(blank.make_doc("Zorblax Agency said on 7 of May")))
