"""The score report: plain-text tables, JSON and the error listing."""

from __future__ import annotations

import json

import pytest

from orbitext.report import context, format_errors, format_table, to_json
from orbitext.schema import Document
from orbitext.scoring import CorpusScore, ScoreError, score_corpus

TEXT = "KOUROU, Aug. 6.\nArianespace launched Intelsat 39 from the Guiana Space Centre today."
SHA = "0" * 64


def span(phrase: str, label: str, **extra: object) -> dict[str, object]:
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase, "label": label, **extra}


def doc(entities: list[dict[str, object]]) -> Document:
    return Document.model_validate({"doc_id": "a1", "text_sha256": SHA, "entities": entities})


def scored() -> CorpusScore:
    gold = doc(
        [
            span("Arianespace", "ORG"),
            span("Guiana Space Centre", "LOCATION"),
            span("Aug. 6", "DATE", value="2019-08-06"),
        ]
    )
    pred = doc(
        [
            span("Arianespace", "ORG"),
            span("Guiana Space", "LOCATION"),
            span("Aug. 6", "DATE", value="2019-08"),
        ]
    )
    return score_corpus([(gold, pred)])


def test_table_rows_and_figures() -> None:
    lines = format_table(scored()).splitlines()
    # Strict: ORG 1/0/0, DATE 1/0/0, LOCATION 0/1/1 -> micro P = R = F1 = 2/3.
    # Partial: every span overlaps its gold one -> 1.000 throughout.
    assert lines[0] == "Documents: 1"
    assert lines[2].split() == [
        "Entity",
        "mentions",
        "strict",
        "P",
        "R",
        "F1",
        "partial",
        "P",
        "R",
        "F1",
        "gold",
        "pred",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:9]}
    assert rows["LOCATION"] == ["0.000", "0.000", "0.000", "1.000", "1.000", "1.000", "1", "1"]
    assert rows["PERSON"] == ["0.000"] * 6 + ["0", "0"]
    assert rows["micro"] == ["0.667", "0.667", "0.667", "1.000", "1.000", "1.000", "3", "3"]
    assert (
        "DATE values: 0 of 1 strictly matched DATE spans carry the gold value (accuracy 0.000)"
        in lines
    )
    # Records: ORG and DATE match by name, LOCATION {Guiana Space} does not -> 2/1/1.
    start = lines.index(next(x for x in lines if x.startswith("Entity records")))
    assert lines[start + 6].split() == ["micro", "0.667", "0.667", "0.667", "3", "3"]
    assert any(x.startswith("Events") for x in lines)
    assert lines[-1].split() == ["overall", "0.000", "0.000", "0.000", "0", "0"]


def test_json_carries_the_table_figures() -> None:
    data = json.loads(to_json(scored()))
    assert data["entities"]["strict"]["micro"]["tp"] == 2
    assert data["entities"]["partial"]["LOCATION"]["f1"] == 1.0
    assert data["dates"] == {"matched": 1, "correct": 0, "accuracy": 0.0}
    assert "errors" not in data
    with_errors = json.loads(to_json(scored(), errors=True, documents=True))
    assert {e["category"] for e in with_errors["errors"]} == {"entity", "date_value", "record"}
    assert list(with_errors["per_document"]) == ["a1"]


def test_context_marks_the_span_and_shows_newlines() -> None:
    start = TEXT.index("Arianespace")
    assert context(TEXT, start, start + 11, width=10) == "…, Aug. 6.⏎[[Arianespace]] launched …"
    # At the text's edges there is nothing to elide.
    assert context(TEXT, 0, 6, width=5) == "[[KOUROU]], Aug…"
    end = len(TEXT)
    assert context(TEXT, end - 6, end, width=100) == TEXT[:-6].replace("\n", "⏎") + "[[today.]]"


def test_error_listing() -> None:
    out = format_errors(scored().errors, {"a1": TEXT})
    start = TEXT.index("Guiana")
    assert out.splitlines()[0] == "== a1"
    assert (
        f"entity FP LOCATION 'Guiana Space' @ {start}-{start + 12} "
        f"(overlaps gold 'Guiana Space Centre' [{start}:{start + 19}])"
    ) in out
    assert "    …ianespace launched Intelsat 39 from the [[Guiana Space]] Centre today." in out
    assert "date_value WRONG DATE 'Aug. 6' @ 8-14 (gold 2019-08-06 vs predicted 2019-08)" in out
    assert not out.endswith("\n")  # the caller's echo ends the line


def test_error_listing_caps_context_lines_and_needs_the_text() -> None:
    err = ScoreError("a1", "record", "FN", "ORG", "X", ((0, 1), (2, 3), (4, 5), (6, 7)))
    lines = format_errors([err], {"a1": TEXT}).splitlines()
    assert lines[1] == "record FN ORG 'X' @ 0-1, 2-3, 4-5, … (4 spans)"
    assert len(lines) == 5  # header, error line, three contexts
    with pytest.raises(KeyError, match="a1"):
        format_errors([err], {})
    assert format_errors([], {}) == ""
