"""Every example in every pattern file, run through the full pipeline.

Pattern files carry their own proof (``examples.match`` / ``examples.no_match`` beside each
group, see :mod:`orbitext.patterns_io`); this one test reads them all, so a rule and its
examples cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from orbitext.patterns_io import Example, PatternGroup, load_gazetteer, load_groups, rule_files
from orbitext.resources import patterns_dir
from orbitext.schema import EVENT_TYPES

ROOT = patterns_dir()


def _groups() -> list[PatternGroup]:
    groups: list[PatternGroup] = []
    for folder in ("rules", "dates", "events"):
        for path in rule_files(ROOT, folder):
            groups.extend(load_groups(path))
    groups.extend(load_gazetteer(p).header for p in rule_files(ROOT, "gazetteers"))
    return groups


def _cases() -> list[tuple[str, PatternGroup, bool, Example]]:
    cases = []
    for group in _groups():
        where = (
            f"{Path(group.source_file).parent.name}/{Path(group.source_file).name}:{group.group}"
        )
        for i, ex in enumerate(group.examples.match):
            cases.append(pytest.param(group, True, ex, id=f"{where}:match{i}"))
        for i, ex in enumerate(group.examples.no_match):
            cases.append(pytest.param(group, False, ex, id=f"{where}:no_match{i}"))
    return cases


def _found(nlp: Language, ex: Example, label: str) -> list[tuple[int, int, str, object, object]]:
    """(start, end, text, value-or-kind, canonical) of every output item with ``label``."""
    doc = nlp.make_doc(ex.text)
    doc._.reference_date = dt.date.fromisoformat(ex.reference_date) if ex.reference_date else None
    doc = nlp(doc)
    if label in EVENT_TYPES:
        return [
            (t.start, t.end, t.text, None, None)
            for ev in doc._.events or []
            if ev.type == label
            for t in ev.triggers
        ]
    return [
        (
            e.start_char,
            e.end_char,
            e.text,
            e._.value if label == "DATE" else e._.kind,
            e._.canonical,
        )
        for e in doc.ents
        if e.label_ == label
    ]


@pytest.mark.parametrize(("group", "positive", "example"), _cases())
def test_pattern_example(
    nlp: Language, group: PatternGroup, positive: bool, example: Example
) -> None:
    label = example.label or group.label
    found = _found(nlp, example, label)
    if positive:
        assert example.span is not None, "a match example needs a span"
        hits = [f for f in found if f[2] == example.span]
        assert hits, f"{example.span!r} not found as {label} in {example.text!r}; found {found}"
        if example.value is not None:
            assert hits[0][3] == example.value
        if example.kind is not None:
            assert hits[0][3] == example.kind
        if example.canonical is not None:
            assert hits[0][4] == example.canonical
        return
    if example.span is None:
        assert not found, f"expected no {label} in {example.text!r}; found {found}"
        return
    assert example.span in example.text, f"span {example.span!r} is not in the example text"
    clashes = [f for f in found if f[2] == example.span]
    assert not clashes, f"{example.span!r} must not be {label} in {example.text!r}; found {clashes}"


def test_every_group_has_examples() -> None:
    """A rule group without any example has no proof: every group must carry one."""
    bare = [
        f"{g.source_file}:{g.group}"
        for g in _groups()
        if not (g.examples.match or g.examples.no_match)
    ]
    assert not bare, f"groups without examples: {bare}"
