"""The scorer against hand-counted gold/prediction pairs (ANNOTATION.md, *Scoring*)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitext.corpus import article_paths, gold_path, read_article, read_json_document
from orbitext.schema import Document, Entity
from orbitext.scoring import (
    Counts,
    maximum_matching,
    overlap_pairs,
    score_corpus,
    score_document,
)

TEXT = (
    "MOSCOW, July 18, 2019. Roscosmos and the China National Space Administration (CNCA) "
    "signed an agreement at Baikonur Cosmodrome.\n"
    "A Soyuz-2.1a rocket launched the Meteor-M satellite on July 5. The launch went well.\n"
    "Dmitry Rogozin met Zhang Kejian in Moscow the next day. Glavkosmos lifted off nothing."
)
SHA = "0" * 64
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def at(phrase: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``phrase`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def ent(phrase: str, label: str, nth: int = 0, **extra: Any) -> dict[str, Any]:
    start, end = at(phrase, nth)
    return {"start": start, "end": end, "text": phrase, "label": label, **extra}


def trig(phrase: str, nth: int = 0) -> dict[str, Any]:
    start, end = at(phrase, nth)
    return {"start": start, "end": end, "text": phrase}


def event(
    eid: str, etype: str, triggers: list[str | tuple[str, int]], **args: Any
) -> dict[str, Any]:
    """An event; a trigger is a phrase, or (phrase, nth) for a later occurrence."""
    spans = [trig(*t) if isinstance(t, tuple) else trig(t) for t in triggers]
    return {"id": eid, "type": etype, "triggers": spans, **args}


def doc(
    entities: list[dict[str, Any]], events: Sequence[dict[str, Any]] = (), doc_id: str = "d1"
) -> Document:
    return Document.model_validate(
        {"doc_id": doc_id, "text_sha256": SHA, "entities": entities, "events": list(events)}
    )


def counts(c: Counts) -> tuple[int, int, int]:
    return (c.tp, c.fp, c.fn)


# --- Counts ------------------------------------------------------------------------------


def test_counts_ratios_and_zero_division() -> None:
    c = Counts(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall) == (0.75, 0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert (c.support, c.predicted) == (5, 4)
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)
    assert Counts(fp=2).precision == 0.0 and Counts(fn=2).recall == 0.0


# --- Matching ----------------------------------------------------------------------------


def test_matching_prefers_cardinality_then_weight() -> None:
    # Greedy on the heavy edge (0,0) would leave one pair; the maximum matching has two.
    assert maximum_matching({(0, 0): 9, (0, 1): 1, (1, 0): 1}) == [(0, 1), (1, 0)]
    # Equal size: the heavier of the two one-edge matchings wins.
    assert maximum_matching({(0, 0): 1, (0, 1): 5}) == [(0, 1)]
    assert maximum_matching({}) == []


def _brute_force(edges: dict[tuple[int, int], int]) -> tuple[int, int]:
    best = (0, 0)
    items = list(edges)
    for r in range(len(items) + 1):
        for subset in itertools.combinations(items, r):
            lefts = [a for a, _ in subset]
            rights = [b for _, b in subset]
            if len(set(lefts)) == r and len(set(rights)) == r:
                best = max(best, (r, sum(edges[e] for e in subset)))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.tuples(st.integers(0, 4), st.integers(0, 4)), st.integers(0, 5), max_size=9)
)
def test_matching_is_maximum_then_heaviest(edges: dict[tuple[int, int], int]) -> None:
    pairs = maximum_matching(edges)
    assert all(p in edges for p in pairs)
    assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
    assert (len(pairs), sum(edges[p] for p in pairs)) == _brute_force(edges)


def test_overlap_pairs_reports_overlap_lengths() -> None:
    left = [(0, 10), (20, 25)]
    right = [(5, 12), (9, 21), (25, 30)]  # (25, 30) only touches (20, 25): no overlap
    assert overlap_pairs(left, right) == {(0, 0): 5, (0, 1): 1, (1, 1): 1}


# --- Entity mentions ---------------------------------------------------------------------


def test_overlap_counts_in_partial_only() -> None:
    gold = doc([ent("Baikonur Cosmodrome", "LOCATION"), ent("Roscosmos", "ORG")])
    pred = doc([ent("Baikonur", "LOCATION", nth=0), ent("Roscosmos", "ORG")])
    s = score_document(gold, pred)
    # LOCATION: strict 0 TP, 1 FP ('Baikonur'), 1 FN; partial 1 TP. ORG exact: 1 TP both.
    assert counts(s.entities_strict.by_key["LOCATION"]) == (0, 1, 1)
    assert counts(s.entities_partial.by_key["LOCATION"]) == (1, 0, 0)
    assert counts(s.entities_strict.total) == (1, 1, 1)
    assert counts(s.entities_partial.total) == (2, 0, 0)
    fp = [e for e in s.errors if e.category == "entity" and e.kind == "FP"]
    start, end = at("Baikonur Cosmodrome")
    assert [(e.text, e.spans, e.detail) for e in fp] == [
        ("Baikonur", ((start, start + 8),), f"overlaps gold 'Baikonur Cosmodrome' [{start}:{end}]")
    ]


def test_partial_is_one_to_one() -> None:
    # Two predictions inside one gold span: partial 1 TP + 1 FP, no miss; strict 0/2/1.
    gold = doc([ent("Baikonur Cosmodrome", "LOCATION")])
    pred = doc([ent("Baikonur", "LOCATION"), ent("Cosmodrome", "LOCATION")])
    s = score_document(gold, pred)
    assert counts(s.entities_partial.by_key["LOCATION"]) == (1, 1, 0)
    assert counts(s.entities_strict.by_key["LOCATION"]) == (0, 2, 1)


def test_duplicate_prediction_is_a_false_positive() -> None:
    # Document validation refuses overlapping spans, so the duplicate is built unvalidated,
    # as a faulty extractor's output could be. Strict and partial: 1 TP, 1 FP, 0 FN.
    gold = doc([ent("Roscosmos", "ORG")])
    one = Entity.model_validate(ent("Roscosmos", "ORG"))
    pred = Document.model_construct(doc_id="d1", text_sha256=SHA, entities=[one, one], events=[])
    s = score_document(gold, pred)
    assert counts(s.entities_strict.by_key["ORG"]) == (1, 1, 0)
    assert counts(s.entities_partial.by_key["ORG"]) == (1, 1, 0)


def test_wrong_label_is_a_miss_and_a_false_alarm() -> None:
    # ORG: 0 TP, 0 FP, 1 FN; PERSON: 0 TP, 1 FP, 0 FN (strict and partial alike).
    gold = doc([ent("Glavkosmos", "ORG")])
    pred = doc([ent("Glavkosmos", "PERSON")])
    s = score_document(gold, pred)
    for table in (s.entities_strict, s.entities_partial):
        assert counts(table.by_key["ORG"]) == (0, 0, 1)
        assert counts(table.by_key["PERSON"]) == (0, 1, 0)
    fp = next(e for e in s.errors if e.category == "entity" and e.kind == "FP")
    assert (fp.label, fp.detail) == ("PERSON", "gold label ORG")


def test_date_value_accuracy_counts_strict_matches_only() -> None:
    gold = doc(
        [
            ent("July 18, 2019", "DATE", value="2019-07-18"),
            ent("July 5", "DATE", value="2019-07-05"),
            ent("the next day", "DATE", value="2019-07-19"),
        ]
    )
    pred = doc(
        [
            ent("July 18, 2019", "DATE", value="2019-07-18"),  # matched, right value
            ent("July 5", "DATE", value="2019-07"),  # matched, wrong value
            ent("next day", "DATE", value="2019-07-19"),  # partial only: not counted
        ]
    )
    s = score_document(gold, pred)
    # matched = 2 strict DATE matches, correct = 1 -> accuracy 0.5
    assert (s.dates.matched, s.dates.correct, s.dates.accuracy) == (2, 1, 0.5)
    wrong = [e for e in s.errors if e.category == "date_value"]
    assert [(e.text, e.detail) for e in wrong] == [
        ("July 5", "gold 2019-07-05 vs predicted 2019-07")
    ]


# --- Records -----------------------------------------------------------------------------

CNSA = "China National Space Administration"


def test_alias_with_canonical_merges_into_one_record() -> None:
    gold = doc([ent(CNSA, "ORG"), ent("CNCA", "ORG", canonical=CNSA)])
    # Same grouping by another route: the prediction names the canonical differently but
    # still merges both mentions, so its one record shares names with gold's one: 1 TP.
    pred = doc([ent(CNSA, "ORG", canonical="CNCA"), ent("CNCA", "ORG")])
    s = score_document(gold, pred)
    assert counts(s.records.by_key["ORG"]) == (1, 0, 0)


def test_unmerged_alias_costs_a_false_positive() -> None:
    gold = doc([ent(CNSA, "ORG"), ent("CNCA", "ORG", canonical=CNSA)])
    pred = doc([ent(CNSA, "ORG"), ent("CNCA", "ORG")])
    s = score_document(gold, pred)
    # Gold: one record {CNSA, CNCA}. Predicted: {CNSA} and {CNCA}, both share a name with
    # it, but one-to-one only one matches: 1 TP, 1 FP, 0 FN.
    assert counts(s.records.by_key["ORG"]) == (1, 1, 0)
    fp = next(e for e in s.errors if e.category == "record")
    assert fp.kind == "FP" and "shares a name with gold" in fp.detail


def test_two_entities_merged_cost_a_miss() -> None:
    gold = doc([ent("Roscosmos", "ORG"), ent("Glavkosmos", "ORG")])
    pred = doc([ent("Roscosmos", "ORG"), ent("Glavkosmos", "ORG", canonical="Roscosmos")])
    s = score_document(gold, pred)
    # Gold: {Roscosmos}, {Glavkosmos}. Predicted: one record {Roscosmos, Glavkosmos}
    # sharing a name with both: 1 TP, 0 FP, 1 FN.
    assert counts(s.records.by_key["ORG"]) == (1, 0, 1)


def test_records_ignore_the_predicted_records_field() -> None:
    gold = doc([ent("Roscosmos", "ORG")])
    pred = doc([ent("Roscosmos", "ORG")])
    pred.records = []  # an extractor that leaves the field empty loses nothing
    assert counts(score_document(gold, pred).records.total) == (1, 0, 0)


def test_date_mentions_are_records_by_text() -> None:
    gold = doc([ent("July 18, 2019", "DATE", value="2019-07-18"), ent("July 5", "DATE")])
    pred = doc([ent("July 18, 2019", "DATE", value="2019-07-18")])
    # DATE records {July 18, 2019} and {July 5}; predicted only the first: 1 TP, 1 FN.
    assert counts(score_document(gold, pred).records.by_key["DATE"]) == (1, 0, 1)


# --- Events and arguments ----------------------------------------------------------------

LAUNCH_ENTS = [ent("Soyuz-2.1a", "VEHICLE"), ent("Meteor-M", "VEHICLE"), ent("Roscosmos", "ORG")]


def test_event_reported_twice_costs_a_false_positive() -> None:
    gold = doc(LAUNCH_ENTS, [event("e1", "LAUNCH", ["launched", ("launch", 1)])])
    pred = doc(
        LAUNCH_ENTS,
        [event("p1", "LAUNCH", ["launched"]), event("p2", "LAUNCH", [("launch", 1)])],
    )
    s = score_document(gold, pred)
    # Both predictions overlap e1's triggers; one-to-one: 1 TP, 1 FP, 0 FN.
    assert counts(s.events.by_key["LAUNCH"]) == (1, 1, 0)


def test_events_match_on_any_trigger_overlap_of_the_same_type() -> None:
    gold = doc([], [event("e1", "LAUNCH", ["lifted off"])])
    partial = doc([], [event("p1", "LAUNCH", ["lifted"])])
    assert counts(score_document(gold, partial).events.by_key["LAUNCH"]) == (1, 0, 0)
    other_type = doc([], [event("p1", "LANDING", ["lifted off"])])
    s = score_document(gold, other_type)
    # Same trigger, other type: a missed LAUNCH and a false LANDING.
    assert counts(s.events.by_key["LAUNCH"]) == (0, 0, 1)
    assert counts(s.events.by_key["LANDING"]) == (0, 1, 0)
    assert [(e.kind, e.label, e.text) for e in s.errors if e.category == "event"] == [
        ("FN", "LAUNCH", "lifted off"),
        ("FP", "LANDING", "lifted off"),
    ]


def test_arguments_match_any_name_of_the_gold_record() -> None:
    gold_ents = [
        ent("Roscosmos", "ORG"),
        ent(CNSA, "ORG"),
        ent("CNCA", "ORG", canonical=CNSA),
        ent("Baikonur Cosmodrome", "LOCATION"),
    ]
    gold = doc(
        gold_ents,
        [
            event(
                "e1",
                "AGREEMENT",
                ["signed"],
                date="2019-07-18",
                participants=["Roscosmos", CNSA],
                location="Baikonur Cosmodrome",
            )
        ],
    )
    pred_ents = [
        ent("Roscosmos", "ORG"),
        ent("CNCA", "ORG"),
        ent("Glavkosmos", "ORG"),
        ent("Baikonur", "LOCATION"),
    ]
    pred = doc(
        pred_ents,
        [
            event(
                "p1",
                "AGREEMENT",
                ["signed"],
                date="2019-07",
                participants=["CNCA", "Roscosmos", "Glavkosmos"],
                location="Baikonur",
            )
        ],
    )
    s = score_document(gold, pred)
    # participants: Roscosmos = gold name; CNCA is a mention text of gold's CNSA record
    #   -> 2 TP; Glavkosmos names no gold participant -> 1 FP; 0 FN.
    # date: 2019-07 != 2019-07-18 -> 0 TP, 1 FP, 1 FN.
    # location: 'Baikonur' is not a name of gold's record {Baikonur Cosmodrome} -> 0/1/1.
    # vehicles: none on either side. Overall: 2 TP, 3 FP, 2 FN.
    args = s.arguments.by_key
    assert counts(args["participants"]) == (2, 1, 0)
    assert counts(args["date"]) == (0, 1, 1)
    assert counts(args["location"]) == (0, 1, 1)
    assert counts(args["vehicles"]) == (0, 0, 0)
    assert counts(s.arguments.total) == (2, 3, 2)
    fp = {(e.label, e.text) for e in s.errors if e.category == "argument" and e.kind == "FP"}
    assert fp == {("participants", "Glavkosmos"), ("date", "2019-07"), ("location", "Baikonur")}


def test_a_predicted_alias_of_one_gold_record_counts_once() -> None:
    gold_ents = [ent(CNSA, "ORG"), ent("CNCA", "ORG", canonical=CNSA)]
    gold = doc(gold_ents, [event("e1", "AGREEMENT", ["signed"], participants=[CNSA])])
    pred = doc(
        [ent(CNSA, "ORG"), ent("CNCA", "ORG")],
        [event("p1", "AGREEMENT", ["signed"], participants=[CNSA, "CNCA"])],
    )
    # Both predicted values name the one gold record; one-to-one: 1 TP, 1 FP.
    assert counts(score_document(gold, pred).arguments.by_key["participants"]) == (1, 1, 0)


def test_unmatched_events_arguments_are_misses_and_false_alarms() -> None:
    gold = doc(
        LAUNCH_ENTS + [ent("Baikonur Cosmodrome", "LOCATION")],
        [
            event(
                "e1",
                "LAUNCH",
                ["launched"],
                date="2019-07-05",
                participants=["Roscosmos"],
                vehicles=["Soyuz-2.1a", "Meteor-M"],
                location="Baikonur Cosmodrome",
            )
        ],
    )
    pred = doc(
        LAUNCH_ENTS,
        [event("p1", "MEETING", ["met"], date="2019-07-19", participants=["Roscosmos"])],
    )
    s = score_document(gold, pred)
    # No match (other type, other trigger): gold's 5 arguments are misses (date 1,
    # participants 1, vehicles 2, location 1); the meeting's 2 are false alarms.
    args = s.arguments.by_key
    assert counts(args["date"]) == (0, 1, 1)
    assert counts(args["participants"]) == (0, 1, 1)
    assert counts(args["vehicles"]) == (0, 0, 2)
    assert counts(args["location"]) == (0, 0, 1)
    assert counts(s.arguments.total) == (0, 2, 5)
    fn = [e for e in s.errors if e.category == "argument" and e.kind == "FN"]
    assert all(e.spans == (at("launched"),) and e.detail.endswith("unmatched") for e in fn)


def test_event_pairing_prefers_agreeing_arguments() -> None:
    # One prediction overlaps two gold launches; it is paired with the one whose vehicle
    # it gives (e2), so its argument scores: events 1 TP, 1 FN; vehicles 1 TP, 0 FP, 1 FN.
    gold = doc(
        LAUNCH_ENTS,
        [
            event("e1", "LAUNCH", ["launched"], vehicles=["Soyuz-2.1a"]),
            event("e2", "LAUNCH", [("launch", 1)], vehicles=["Meteor-M"]),
        ],
    )
    pred = doc(
        LAUNCH_ENTS, [event("p1", "LAUNCH", ["launched", ("launch", 1)], vehicles=["Meteor-M"])]
    )
    s = score_document(gold, pred)
    assert counts(s.events.total) == (1, 0, 1)
    assert counts(s.arguments.by_key["vehicles"]) == (1, 0, 1)


# --- Corpus ------------------------------------------------------------------------------


def test_empty_documents_score_zero_without_errors() -> None:
    s = score_corpus([(doc([]), doc([]))])
    assert s.entities_strict.total.f1 == 0.0 and s.dates.accuracy == 0.0
    assert s.errors == ()
    d = s.to_dict()
    assert d["documents"] == 1
    assert d["entities"]["strict"]["micro"] == {
        "tp": 0,
        "fp": 0,
        "fn": 0,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert set(d) == {"documents", "entities", "dates", "records", "events", "arguments"}
    assert list(d["arguments"]) == ["date", "participants", "vehicles", "location", "overall"]


def test_corpus_sums_documents() -> None:
    g1, p1 = doc([ent("Roscosmos", "ORG")], doc_id="a"), doc([], doc_id="a")
    g2, p2 = doc([], doc_id="b"), doc([ent("Roscosmos", "ORG")], doc_id="b")
    s = score_corpus([(g1, p1), (g2, p2)])
    assert counts(s.entities_strict.by_key["ORG"]) == (0, 1, 1)
    assert list(s.documents) == ["a", "b"]
    assert counts(s.documents["a"].entities_strict.total) == (0, 0, 1)
    assert [e.doc_id for e in s.errors if e.category == "entity"] == ["a", "b"]
    d = s.to_dict(include_errors=True, include_documents=True)
    assert set(d["per_document"]) == {"a", "b"}
    assert d["errors"][0] == {
        "doc_id": "a",
        "category": "entity",
        "kind": "FN",
        "label": "ORG",
        "text": "Roscosmos",
        "spans": [list(at("Roscosmos"))],
        "detail": "",
    }


def test_mismatched_pairs_are_refused() -> None:
    with pytest.raises(ValueError, match="doc_id mismatch"):
        score_corpus([(doc([], doc_id="a"), doc([], doc_id="b"))])
    with pytest.raises(ValueError, match="appears twice"):
        score_corpus([(doc([]), doc([])), (doc([]), doc([]))])
    other = Document(doc_id="d1", text_sha256="1" * 64)
    with pytest.raises(ValueError, match="text_sha256"):
        score_corpus([(doc([]), other)])


def test_every_gold_file_against_itself_scores_one() -> None:
    pairs = []
    for path in article_paths(CORPUS):
        gold = read_json_document(gold_path(path), read_article(path))
        pairs.append((gold, gold))
    assert pairs
    s = score_corpus(pairs)
    assert s.errors == ()
    assert s.dates.accuracy == 1.0
    for table in (s.entities_strict, s.entities_partial, s.records, s.events, s.arguments):
        assert table.total.fp == table.total.fn == 0
        assert table.total.f1 == 1.0
        for key, c in table.by_key.items():
            assert c.fp == c.fn == 0, key
            assert c.f1 == (1.0 if c.support else 0.0), key
