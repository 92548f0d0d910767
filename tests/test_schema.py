"""The gold/output schema and the corpus file I/O: every fault is one line naming the
file, the item and the fault; articles are read exactly as stored."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from orbitext.corpus import (
    ArticleError,
    article_id,
    article_paths,
    gold_path,
    read_article,
    read_json_document,
    write_atomic,
)
from orbitext.schema import Document, SchemaError, is_iso_value, sha256_hex, validate_document

SOURCE = "x.gold.json"
TEXT = (
    "Glavkosmos and the China National Space Administration (CNSA) met in Beijing "
    "on July 18, 2019. A Soyuz-2.1a rocket launched the Meteor-M satellite from Vostochny.\n"
)
SHA = sha256_hex(TEXT.encode("utf-8"))


def _ent(start: int, end: int, label: str, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end], "label": label, **extra}


def _trig(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


BASE: dict[str, Any] = {
    "doc_id": "x",
    "text_sha256": SHA,
    "reference_date": "2019-07-19",
    "entities": [
        _ent(0, 10, "ORG"),  # 0 Glavkosmos
        _ent(19, 54, "ORG"),  # 1 China National Space Administration
        _ent(56, 60, "ORG", canonical="China National Space Administration"),  # 2 CNSA
        _ent(69, 76, "LOCATION"),  # 3 Beijing
        _ent(80, 93, "DATE", value="2019-07-18"),  # 4 July 18, 2019
        _ent(97, 107, "VEHICLE", kind="launch_vehicle"),  # 5 Soyuz-2.1a
        _ent(128, 136, "VEHICLE", kind="satellite"),  # 6 Meteor-M
        _ent(152, 161, "LOCATION"),  # 7 Vostochny
    ],
    "events": [
        {
            "id": "e1",
            "type": "MEETING",
            "triggers": [_trig(62, 65)],  # met
            "date": "2019-07-18",
            "participants": ["Glavkosmos", "China National Space Administration"],
            "vehicles": [],
            "location": "Beijing",
        },
        {
            "id": "e2",
            "type": "LAUNCH",
            "triggers": [_trig(115, 123)],  # launched
            "date": None,
            "participants": [],
            "vehicles": ["Soyuz-2.1a", "Meteor-M"],
            "location": "Vostochny",
        },
    ],
}


def base() -> dict[str, Any]:
    """A fresh copy of the valid document, to break one thing in."""
    return copy.deepcopy(BASE)


def validate(data: Any, **kw: Any) -> Document:
    kw.setdefault("text", TEXT)
    kw.setdefault("sha256", SHA)
    return validate_document(data, SOURCE, **kw)


def error_of(data: Any, **kw: Any) -> str:
    """The one-line message validation gives for ``data``."""
    with pytest.raises(SchemaError) as info:
        validate(data, **kw)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{SOURCE}: ")
    assert info.value.source == SOURCE
    return message


# --- the valid document -------------------------------------------------------------


def test_base_document_is_valid_and_spans_match_the_text() -> None:
    doc = validate(base())
    assert [e.text for e in doc.entities] == [
        "Glavkosmos",
        "China National Space Administration",
        "CNSA",
        "Beijing",
        "July 18, 2019",
        "Soyuz-2.1a",
        "Meteor-M",
        "Vostochny",
    ]
    assert [t.text for ev in doc.events for t in ev.triggers] == ["met", "launched"]
    for span in [*doc.entities, *(t for ev in doc.events for t in ev.triggers)]:
        assert TEXT[span.start : span.end] == span.text
    assert doc.entities[2].name == "China National Space Administration"
    assert doc.entities[0].name == "Glavkosmos"


def test_base_document_survives_a_json_round_trip() -> None:
    doc = validate(base())
    again = validate(json.loads(doc.model_dump_json()))
    assert again == doc


def test_without_text_offsets_are_not_checked_but_structure_is() -> None:
    data = base()
    data["entities"].append({"start": 500, "end": 504, "text": "Mars", "label": "LOCATION"})
    assert validate_document(data, SOURCE).entities[-1].text == "Mars"
    data = base()
    data["entities"].append(_ent(19, 24, "LOCATION"))  # "China" inside an ORG span
    with pytest.raises(SchemaError, match=r"^x\.gold\.json: entities\[8\] 'China' \[19:24\]"):
        validate_document(data, SOURCE)


# --- offsets and span texts ---------------------------------------------------------


def test_entity_end_past_the_article() -> None:
    data = base()
    data["entities"].append({"start": 160, "end": 170, "text": "0123456789", "label": "ORG"})
    assert error_of(data) == "x.gold.json: entities[8]: end 170 is past the article's end (163)"


def test_trigger_end_past_the_article() -> None:
    data = base()
    data["events"][1]["triggers"] = [{"start": 160, "end": 168, "text": "launched"}]
    assert error_of(data) == (
        "x.gold.json: events[1] (e2) triggers[0]: end 168 is past the article's end (163)"
    )


def test_negative_start() -> None:
    data = base()
    data["entities"][0].update(start=-1, end=9)
    assert error_of(data) == (
        "x.gold.json: entities[0].start: Input should be greater than or equal to 0"
    )


def test_entity_text_differs_from_the_article() -> None:
    data = base()
    data["entities"][0]["text"] = "Glavkosmoz"
    assert error_of(data) == (
        "x.gold.json: entities[0]: text 'Glavkosmoz' differs from the article's [0:10] 'Glavkosmos'"
    )


def test_entity_shifted_by_one_character() -> None:
    data = base()
    data["entities"][3].update(start=70, end=77)  # text still "Beijing"
    assert error_of(data) == (
        "x.gold.json: entities[3]: text 'Beijing' differs from the article's [70:77] 'eijing '"
    )


def test_trigger_text_differs_from_the_article() -> None:
    data = base()
    data["events"][0]["triggers"][0]["text"] = "mat"
    assert error_of(data) == (
        "x.gold.json: events[0] (e1) triggers[0]: text 'mat' differs from the article's "
        "[62:65] 'met'"
    )


def test_text_length_differs_from_offsets() -> None:
    data = base()
    data["entities"][0]["end"] = 9
    assert error_of(data) == (
        "x.gold.json: entities[0]: text 'Glavkosmos' has length 10, but [0:9] spans 9"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (10, 10, "entities[0]: end 10 is not after start 10"),
        (10, 5, "entities[0]: end 5 is not after start 10"),
        (0, 0, "entities[0].end: Input should be greater than 0"),
    ],
)
def test_start_not_before_end(start: int, end: int, expected: str) -> None:
    data = base()
    data["entities"][0].update(start=start, end=end)
    assert error_of(data) == f"x.gold.json: {expected}"


def test_empty_span_text() -> None:
    data = base()
    data["events"][0]["triggers"][0]["text"] = ""
    assert error_of(data).startswith(
        "x.gold.json: events[0].triggers[0].text: String should have at least 1 character"
    )


# --- flatness: overlaps, shared triggers, ids ---------------------------------------


def test_overlapping_entity_spans() -> None:
    data = base()
    data["entities"].append(_ent(19, 24, "LOCATION"))  # "China" inside the ORG
    assert error_of(data) == (
        "x.gold.json: entities[8] 'China' [19:24] overlaps "
        "entities[1] 'China National Space Administration' [19:54]"
    )


def test_partially_overlapping_entity_spans() -> None:
    data = base()
    data["entities"].append(_ent(93, 107, "VEHICLE"))  # ". A Soyuz-2.1a" overlaps Soyuz
    assert error_of(data) == (
        "x.gold.json: entities[8] '. A Soyuz-2.1a' [93:107] overlaps "
        "entities[5] 'Soyuz-2.1a' [97:107]"
    )


def test_duplicate_entity_span() -> None:
    data = base()
    data["entities"].append(_ent(69, 76, "LOCATION"))
    assert error_of(data) == (
        "x.gold.json: entities[3] 'Beijing' [69:76] overlaps entities[8] 'Beijing' [69:76]"
    )


def test_adjacent_entity_spans_do_not_overlap() -> None:
    data = base()
    # "A " right before "Soyuz-2.1a": end 97 == start 97 is touching, not overlapping.
    data["entities"].append(_ent(95, 97, "ORG"))
    assert len(validate(data).entities) == 9


def test_trigger_overlapping_an_entity() -> None:
    data = base()
    data["events"][0]["triggers"] = [_trig(62, 72)]  # "met in Bei"
    assert error_of(data) == (
        "x.gold.json: events[0] (e1) trigger 'met in Bei' overlaps entities[3] 'Beijing'"
    )


def test_two_events_sharing_a_trigger() -> None:
    data = base()
    data["events"].append(
        {"id": "e3", "type": "LAUNCH", "triggers": [_trig(115, 123)], "vehicles": ["Meteor-M"]}
    )
    assert error_of(data) == (
        "x.gold.json: events[1] (e2) trigger 'launched' overlaps events[2] (e3) trigger 'launched'"
    )


def test_duplicate_event_ids() -> None:
    data = base()
    data["events"][1]["id"] = "e1"
    assert error_of(data) == "x.gold.json: event ids are not unique: e1"


def test_event_without_triggers() -> None:
    data = base()
    data["events"][0]["triggers"] = []
    assert error_of(data) == (
        "x.gold.json: events[0].triggers: List should have at least 1 item after validation, not 0"
    )


# --- DATE values --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["2019", "2019-07", "2019-07-18", "2018/2022", "2019-07-15/2019-07-18", None]
)
def test_valid_date_values(value: str | None) -> None:
    data = base()
    data["entities"][4]["value"] = value
    data["events"][0]["date"] = value
    doc = validate(data)
    assert doc.entities[4].value == value
    assert doc.events[0].date == value


@pytest.mark.parametrize(
    "value",
    ["2019-13-01", "July 2019", "2019/07", "2019-7-18", "19-07-18", "2019-07-32", "", "2019/"],
)
def test_invalid_date_values(value: str) -> None:
    data = base()
    data["entities"][4]["value"] = value
    assert error_of(data) == (
        f"x.gold.json: entities[4].value: DATE value {value!r} is not ISO 8601 "
        "(YYYY, YYYY-MM, YYYY-MM-DD or A/B)"
    )


@pytest.mark.parametrize(
    "value",
    [
        "2019-07-18\n",
        "\u0662\u0660\u0661\u0669",  # Arabic-Indic digits "2019"
        "2019-02-30",
        "2022/2018",
    ],
)
def test_date_values_the_regex_lets_through(value: str) -> None:
    assert not is_iso_value(value)
    data = base()
    data["entities"][4]["value"] = value
    assert error_of(data).startswith("x.gold.json: entities[4].value: ")


def test_invalid_event_date() -> None:
    data = base()
    data["events"][0]["date"] = "July 2019"
    assert error_of(data) == "x.gold.json: events[0].date: event date 'July 2019' is not ISO 8601"


@pytest.mark.parametrize("value", ["2019-07", "2019", "18.07.2019", "2019-07-18/2019-07-19"])
def test_reference_date_must_be_a_day(value: str) -> None:
    data = base()
    data["reference_date"] = value
    assert error_of(data) == (
        f"x.gold.json: reference_date: reference_date {value!r} is not an ISO day (YYYY-MM-DD)"
    )


def test_reference_date_with_a_trailing_newline() -> None:
    data = base()
    data["reference_date"] = "2019-07-18\n"
    assert error_of(data).startswith("x.gold.json: reference_date: ")


# --- labels, kinds, types and label-specific fields ---------------------------------


def test_unknown_label() -> None:
    data = base()
    data["entities"][0]["label"] = "ORGANIZATION"
    assert error_of(data) == (
        "x.gold.json: entities[0].label: "
        "Input should be 'ORG', 'PERSON', 'DATE', 'VEHICLE' or 'LOCATION'"
    )


def test_unknown_vehicle_kind() -> None:
    data = base()
    data["entities"][5]["kind"] = "rocket"
    assert error_of(data) == (
        "x.gold.json: entities[5].kind: Input should be 'launch_vehicle', 'spacecraft', "
        "'station', 'satellite' or 'upper_stage'"
    )


def test_unknown_event_type() -> None:
    data = base()
    data["events"][1]["type"] = "LIFTOFF"
    assert error_of(data) == (
        "x.gold.json: events[1].type: "
        "Input should be 'LAUNCH', 'DOCKING', 'LANDING', 'MEETING' or 'AGREEMENT'"
    )


def test_value_on_a_non_date() -> None:
    data = base()
    data["entities"][0]["value"] = "2019"
    assert error_of(data) == "x.gold.json: entities[0]: 'value' is only for DATE, not ORG"


def test_kind_on_a_non_vehicle() -> None:
    data = base()
    data["entities"][7]["kind"] = "station"
    assert error_of(data) == "x.gold.json: entities[7]: 'kind' is only for VEHICLE, not LOCATION"


def test_canonical_on_a_date() -> None:
    data = base()
    data["entities"][4]["canonical"] = "18 July 2019"
    assert error_of(data) == "x.gold.json: entities[4]: 'canonical' is not allowed on DATE"


def test_canonical_allowed_on_every_other_label() -> None:
    data = base()
    data["entities"][3]["canonical"] = "Peking"
    data["entities"][5]["canonical"] = "Soyuz-2"
    data["events"][0]["location"] = "Peking"
    data["events"][1]["vehicles"] = ["Soyuz-2", "Meteor-M"]
    doc = validate(data)
    assert [doc.entities[3].name, doc.entities[5].name] == ["Peking", "Soyuz-2"]


# --- event arguments name entities --------------------------------------------------


def test_participant_naming_no_entity() -> None:
    data = base()
    data["events"][0]["participants"].append("Roscosmos")
    assert error_of(data) == (
        "x.gold.json: events[0] (e1): participant 'Roscosmos' names no ORG, PERSON or LOCATION"
    )


def test_participant_naming_a_vehicle_is_refused() -> None:
    data = base()
    data["events"][1]["participants"] = ["Meteor-M"]
    assert error_of(data) == (
        "x.gold.json: events[1] (e2): participant 'Meteor-M' names no ORG, PERSON or LOCATION"
    )


def test_participant_by_canonical_name_or_mention_text() -> None:
    data = base()
    del data["entities"][1]  # only "CNSA" is left, with the full name as canonical
    data["events"][1]["participants"] = ["CNSA"]
    doc = validate(data)
    assert doc.events[0].participants == ["Glavkosmos", "China National Space Administration"]
    assert doc.events[1].participants == ["CNSA"]


def test_country_location_as_participant() -> None:
    data = base()
    data["events"][0]["participants"].append("Beijing")
    assert validate(data).events[0].participants[-1] == "Beijing"


def test_vehicle_naming_no_entity() -> None:
    data = base()
    data["events"][1]["vehicles"] = ["Soyuz-2"]
    assert error_of(data) == (
        "x.gold.json: events[1] (e2): vehicle 'Soyuz-2' names no VEHICLE entity"
    )


def test_vehicle_naming_an_org_is_refused() -> None:
    data = base()
    data["events"][1]["vehicles"] = ["Glavkosmos"]
    assert error_of(data) == (
        "x.gold.json: events[1] (e2): vehicle 'Glavkosmos' names no VEHICLE entity"
    )


def test_location_naming_no_entity() -> None:
    data = base()
    data["events"][1]["location"] = "Baikonur"
    assert error_of(data) == (
        "x.gold.json: events[1] (e2): location 'Baikonur' names no LOCATION entity"
    )


def test_location_naming_an_org_is_refused() -> None:
    data = base()
    data["events"][0]["location"] = "CNSA"
    assert error_of(data) == (
        "x.gold.json: events[0] (e1): location 'CNSA' names no LOCATION entity"
    )


# --- the document as a whole --------------------------------------------------------


def test_text_sha256_mismatch() -> None:
    other = sha256_hex(b"another article")
    assert error_of(base(), sha256=other) == (
        f"x.gold.json: text_sha256 {SHA[:12]}\u2026 does not match the article "
        f"(sha256 {other[:12]}\u2026)"
    )


def test_text_sha256_malformed() -> None:
    data = base()
    data["text_sha256"] = SHA.upper()
    assert error_of(data) == (
        "x.gold.json: text_sha256: String should match pattern '^[0-9a-f]{64}$'"
    )


@pytest.mark.parametrize(
    ("where", "key", "expected"),
    [
        (None, "evnets", "evnets: Extra inputs are not permitted"),
        ("entity", "canonicl", "entities[0].canonicl: Extra inputs are not permitted"),
        ("event", "participant", "events[0].participant: Extra inputs are not permitted"),
        ("trigger", "label", "events[0].triggers[0].label: Extra inputs are not permitted"),
    ],
)
def test_unknown_keys_are_rejected(where: str | None, key: str, expected: str) -> None:
    data = base()
    target = {
        None: data,
        "entity": data["entities"][0],
        "event": data["events"][0],
        "trigger": data["events"][0]["triggers"][0],
    }[where]
    target[key] = "x"
    assert error_of(data) == f"x.gold.json: {expected}"


def test_misspelt_required_key_is_rejected() -> None:
    data = base()
    data["entities"][0]["lable"] = data["entities"][0].pop("label")
    # Both faults are counted: the missing "label" is named, the typo is the "+1 more".
    assert error_of(data) == "x.gold.json: entities[0].label: Field required (+1 more)"


def test_missing_doc_id() -> None:
    data = base()
    del data["doc_id"]
    assert error_of(data) == "x.gold.json: doc_id: Field required"


@pytest.mark.parametrize("data", [[], "a string", None, 3])
def test_not_an_object(data: Any) -> None:
    assert error_of(data) == (
        "x.gold.json: Input should be a valid dictionary or instance of Document"
    )


def test_several_faults_are_counted_on_one_line() -> None:
    data = base()
    data["entities"][0]["label"] = "ORGANIZATION"
    data["entities"][5]["kind"] = "rocket"
    data["events"][1]["type"] = "LIFTOFF"
    assert error_of(data) == (
        "x.gold.json: entities[0].label: "
        "Input should be 'ORG', 'PERSON', 'DATE', 'VEHICLE' or 'LOCATION' (+2 more)"
    )


def test_output_fields_records_and_version_are_accepted() -> None:
    data = base()
    data["records"] = [
        {
            "label": "ORG",
            "name": "China National Space Administration",
            "aliases": ["CNSA"],
            "mentions": [[19, 54], [56, 60]],
        }
    ]
    data["extractor_version"] = "0.1.0"
    doc = validate(data)
    assert doc.records[0].names == {"China National Space Administration", "CNSA"}
    assert doc.records[0].mentions == [(19, 54), (56, 60)]


@pytest.mark.parametrize("start", ["0", False, 0.0])
def test_offsets_must_be_integers(start: Any) -> None:
    data = base()
    data["entities"][0]["start"] = start
    assert error_of(data).startswith("x.gold.json: entities[0].start: ")


# --- reading articles ---------------------------------------------------------------


def _article_error(path: Path) -> str:
    with pytest.raises(ArticleError) as info:
        read_article(path)
    message = str(info.value)
    assert "\n" not in message
    assert info.value.source == str(path)
    return message


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_read_empty_article(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _article_error(path) == f"{path}: empty article (no text)"


def test_read_bom_only_article_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf\n")
    assert _article_error(path) == f"{path}: empty article (no text)"


def test_read_article_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"NASA\x00launched")
    assert _article_error(path) == f"{path}: binary file (contains NUL bytes), not a text article"


def test_read_utf16_article_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("NASA launched Dragon.".encode("utf-16"))
    assert _article_error(path) == f"{path}: binary file (contains NUL bytes), not a text article"


def test_read_invalid_utf8_article(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Rogozin met the Président in Paris.".encode("latin-1"))
    assert _article_error(path) == f"{path}: not valid UTF-8 (byte 18: invalid continuation byte)"


def test_read_missing_article(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    assert _article_error(path) == f"{path}: no such file"


def test_read_folder_as_article(tmp_path: Path) -> None:
    path = tmp_path / "folder.txt"
    path.mkdir()
    assert _article_error(path) == f"{path}: is a folder, not an article"


def test_read_article_strips_bom_and_hashes_the_bytes(tmp_path: Path) -> None:
    data = "\ufeffNASA launched Dragon.\n".encode()
    path = tmp_path / "bom-article.txt"
    path.write_bytes(data)
    article = read_article(path)
    assert article.text == "NASA launched Dragon.\n"
    assert article.sha256 == sha256_hex(data)
    assert article.sha256 != sha256_hex(article.text.encode("utf-8"))
    assert article.doc_id == "bom-article"
    assert article.source == str(path)


def test_read_article_keeps_crlf(tmp_path: Path) -> None:
    data = b"MOSCOW, July 18.\r\nRoscosmos launched Progress MS-12.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(data)
    article = read_article(path)
    assert article.text == data.decode("utf-8")
    assert article.text.index("Roscosmos") == 18
    assert article.sha256 == sha256_hex(data)


def test_read_article_keeps_non_ascii_offsets_in_code_points(tmp_path: Path) -> None:
    path = tmp_path / "accents.txt"
    path.write_bytes("Le CNES à Kourou: “Ariane 5” décolle.".encode())
    article = read_article(path)
    # Code points, not bytes: "à" is one character (two bytes), so Kourou starts at 10.
    assert article.text.index("Kourou") == 10
    assert article.text[10:16] == "Kourou"


def test_article_ids_and_gold_paths(tmp_path: Path) -> None:
    assert article_id(Path("corpus/soyuz-ms-12-landing.txt")) == "soyuz-ms-12-landing"
    assert article_id(Path("notes.v2.md")) == "notes.v2"
    assert gold_path(Path("corpus/a.b.txt")) == Path("corpus/a.b.gold.json")
    (tmp_path / "b.txt").write_text("B.\n")
    (tmp_path / "a.txt").write_text("A.\n")
    (tmp_path / "a.gold.json").write_text("{}")
    (tmp_path / "sub.txt").mkdir()
    assert article_paths(tmp_path) == [tmp_path / "a.txt", tmp_path / "b.txt"]
    assert article_paths(tmp_path / "a.gold.json") == [tmp_path / "a.gold.json"]


# --- reading gold / output JSON -----------------------------------------------------


def _article(tmp_path: Path, name: str = "x") -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def test_read_json_document_checks_against_the_article(tmp_path: Path) -> None:
    article = read_article(_article(tmp_path))
    gold = tmp_path / "x.gold.json"
    gold.write_text(json.dumps(base()), encoding="utf-8")
    doc = read_json_document(gold, article)
    assert doc.doc_id == "x"
    assert len(doc.entities) == 8


def test_read_json_document_bad_json(tmp_path: Path) -> None:
    gold = tmp_path / "x.gold.json"
    gold.write_text('{"doc_id": "x",\n  "entities": [,]}', encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        read_json_document(gold)
    assert str(info.value) == f"{gold}: invalid JSON at line 2: Expecting value"


def test_read_json_document_missing(tmp_path: Path) -> None:
    gold = tmp_path / "x.gold.json"
    with pytest.raises(SchemaError) as info:
        read_json_document(gold)
    assert str(info.value) == f"{gold}: no such file"


def test_read_json_document_not_utf8(tmp_path: Path) -> None:
    gold = tmp_path / "x.gold.json"
    gold.write_bytes(b'{"doc_id": "\xe9"}')
    with pytest.raises(SchemaError) as info:
        read_json_document(gold)
    expected = rf"{re.escape(str(gold))}: cannot read: .*can't decode byte 0xe9.*"
    assert re.fullmatch(expected, str(info.value))


def test_read_json_document_doc_id_differs(tmp_path: Path) -> None:
    article = read_article(_article(tmp_path, "other-name"))
    gold = tmp_path / "other-name.gold.json"
    gold.write_text(json.dumps(base()), encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        read_json_document(gold, article)
    assert str(info.value) == f"{gold}: doc_id 'x' differs from the article's name"


def test_read_json_document_wrong_hash(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))  # other bytes, same spans
    article = read_article(path)
    gold = tmp_path / "x.gold.json"
    gold.write_text(json.dumps(base()), encoding="utf-8")
    with pytest.raises(SchemaError, match=r": text_sha256 [0-9a-f]{12}… does not match") as info:
        read_json_document(gold, article)
    assert str(info.value).startswith(f"{gold}: ")


# --- writing outputs ----------------------------------------------------------------


def test_write_atomic_creates_folders_and_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deeper" / "a.json"
    write_atomic(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_atomic(target, "second, “quoted” ✓\n")
    assert target.read_text(encoding="utf-8") == "second, “quoted” ✓\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]


def test_write_atomic_failure_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, "old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "lone surrogate \ud800\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_write_atomic_gives_the_usual_file_mode(tmp_path: Path) -> None:
    reference = tmp_path / "reference.json"
    reference.write_text("x", encoding="utf-8")  # created as open() does, honouring the umask
    target = tmp_path / "a.json"
    write_atomic(target, "x")
    assert oct(os.stat(target).st_mode & 0o777) == oct(os.stat(reference).st_mode & 0o777)
