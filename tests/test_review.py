"""Review pages: ``orbitext show`` and ``orbitext evaluate --html``.

Unit tests read the generated HTML back into a small DOM (``html.parser``) and check the
marks, tables, chart bars and error lists exactly. Browser tests open the pages in headless
Chromium (Debian's ``chromium`` package; skipped, with the reason, where it is missing),
check the rendered DOM and take screenshots. With ``ORBITEXT_WRITE_DOCS=1`` the screenshot
test also writes the README's ``docs/show.png``, ``docs/show-gold.png`` and
``docs/evaluate.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from spacy.language import Language
from typer.testing import CliRunner

from orbitext import cli
from orbitext.corpus import decode_article, read_article
from orbitext.extract import extract_text
from orbitext.review import (
    CSP,
    FALSE_COLOR,
    MATCH_COLOR,
    MISS_COLOR,
    Mark,
    context_html,
    render_article,
    render_article_page,
    render_score_page,
    sentence_spans,
)
from orbitext.schema import Document, sha256_hex
from orbitext.scoring import CorpusScore, score_corpus, score_document

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def shared_nlp(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Let the commands reuse the session's pipeline instead of building their own."""
    monkeypatch.setattr(cli, "build_nlp", lambda *a, **k: request.getfixturevalue("nlp"))


# ---------------------------------------------------------------------------------------
# A small DOM for reading pages back


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Node:
    """An element: tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Elements with this tag whose attributes equal ``attrs`` (``_`` for ``-``)."""
        want = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter(tag) if all(n.attrs.get(k) == v for k, v in want.items())]

    def find(self, tag: str, **attrs: str) -> Node:
        """The one element with this tag and attributes."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag}> with {attrs}"
        return found[0]

    @property
    def text(self) -> str:
        """All text below this element."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def own_text(self) -> str:
        """Text directly inside this element, not inside its child elements."""
        return "".join(c for c in self.children if isinstance(c, str))

    @property
    def classes(self) -> set[str]:
        """The class attribute's words."""
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        tags = [n.tag for n in self.stack]
        assert tag in tags, f"stray </{tag}>"
        while self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The page as a tree of :class:`Node`."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    return builder.root


def marks(root: Node) -> list[tuple[str, str]]:
    """The article's highlighted spans as (text, label), in text order."""
    article = root.find("div", id="article")
    out = []
    for mark in article.iter("mark"):
        label = mark.find("span", **{"class": "label"}).text
        assert label == mark.attrs["data-label"]
        out.append((mark.own_text, label))
    return out


def shown_text(node: Node) -> str:
    """The text a reader sees in the article: mark labels left out, <br> as a newline."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "br":
            out.append("\n")
        elif "label" not in child.classes:
            out.append(shown_text(child))
    return "".join(out)


def table_rows(table: Node) -> list[list[str]]:
    """A table's body rows as lists of cell texts."""
    body = table.find("tbody")
    return [[c.text for c in tr.children if isinstance(c, Node)] for tr in body.find_all("tr")]


# ---------------------------------------------------------------------------------------
# Hand-made documents (fictional names, offsets computed from the text)

TEXT = (
    "NEW DELHI, May 4, 2023 —\n"
    "OrbitCorp launched the Skylark-7 satellite from Sriharikota on Tuesday.\n"
    "Anna Petrova met the OrbitCorp board in Mumbai.\n"
    "The Falcon team cheered.\n"
)
SHA = sha256_hex(TEXT.encode())


def ent(phrase: str, label: str, nth: int = 0, text: str = TEXT, **extra: Any) -> dict[str, Any]:
    """An entity dict for the ``nth`` occurrence of ``phrase``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "text": phrase, "label": label, **extra}


def trig(phrase: str, text: str = TEXT) -> dict[str, Any]:
    """A trigger dict for the first occurrence of ``phrase``."""
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def make_doc(data: dict[str, Any], doc_id: str = "orbit-2023", text: str = TEXT) -> Document:
    """Validate a document against ``text``, as a file would be."""
    body = {"doc_id": doc_id, "text_sha256": sha256_hex(text.encode()), **data}
    return Document.model_validate(body, context={"text": text})


GOLD = {
    "reference_date": "2023-05-04",
    "entities": [
        ent("NEW DELHI", "LOCATION", canonical="New Delhi"),
        ent("May 4, 2023", "DATE", value="2023-05-04"),
        ent("OrbitCorp", "ORG"),
        ent("Skylark-7", "VEHICLE", kind="satellite"),
        ent("Sriharikota", "LOCATION"),
        ent("Tuesday", "DATE", value="2023-05-02"),
        ent("Anna Petrova", "PERSON"),
        ent("OrbitCorp", "ORG", nth=1),
        ent("Mumbai", "LOCATION"),
    ],
    "events": [
        {"id": "e1", "type": "LAUNCH", "triggers": [trig("launched")], "date": "2023-05-02",
         "participants": ["OrbitCorp"], "vehicles": ["Skylark-7"], "location": "Sriharikota"},
        {"id": "e2", "type": "MEETING", "triggers": [trig("met")], "date": None,
         "participants": ["Anna Petrova", "OrbitCorp"], "vehicles": [], "location": "Mumbai"},
    ],
}

def where(phrase: str, nth: int = 0) -> list[int]:
    """[start, end] of the ``nth`` occurrence of ``phrase`` in TEXT."""
    e = ent(phrase, "ORG", nth)
    return [e["start"], e["end"]]


# An output's records (hand-made: a table shows what the file holds, aliases and all).
OUTPUT = {
    **GOLD,
    "records": [
        {"label": "PERSON", "name": "Anna Petrova", "aliases": [],
         "mentions": [where("Anna Petrova")], "role": "chief engineer",
         "organization": "OrbitCorp"},
        {"label": "ORG", "name": "OrbitCorp", "aliases": ["OrbitCorp Ltd"],
         "mentions": [where("OrbitCorp"), where("OrbitCorp", 1)]},
    ],
    "extractor_version": "0.1.0",
}
# A prediction with one error of each kind the overlay shows.
PRED = {
    "entities": [
        ent("NEW DELHI", "LOCATION", canonical="New Delhi"),  # match
        ent("May 4, 2023", "DATE", value="2023-05-04"),  # match
        ent("OrbitCorp", "ORG"),  # match
        ent("Skylark-7", "VEHICLE", kind="satellite"),  # match
        ent("Sriharikota", "ORG"),  # wrong label: gold LOCATION
        ent("Tuesday", "DATE", value="2023-05-09"),  # same span, wrong value
        ent("OrbitCorp board", "ORG"),  # too long: gold "OrbitCorp"
        ent("Mumbai", "LOCATION"),  # match
        ent("Falcon", "VEHICLE"),  # false alarm
    ],  # "Anna Petrova" missed
    "events": [
        {"id": "e1", "type": "LAUNCH", "triggers": [trig("launched")], "date": "2023-05-09",
         "participants": ["OrbitCorp"], "vehicles": ["Skylark-7"], "location": None},
    ],  # the meeting missed
}
PLAIN_MARKS = [
    ("NEW DELHI", "LOCATION"),
    ("May 4, 2023", "DATE"),
    ("OrbitCorp", "ORG"),
    ("launched", "LAUNCH E1"),
    ("Skylark-7", "VEHICLE"),
    ("Sriharikota", "LOCATION"),
    ("Tuesday", "DATE"),
    ("Anna Petrova", "PERSON"),
    ("met", "MEETING E2"),
    ("OrbitCorp", "ORG"),
    ("Mumbai", "LOCATION"),
]


def sentences(text: str = TEXT) -> list[tuple[int, int]]:
    """Line-by-line sentences: enough for hand-made texts of one sentence per line."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line.rstrip("\n"))))
        pos += len(line)
    return out


def show_page(data: dict[str, Any], gold: dict[str, Any] | None = None) -> str:
    return render_article_page(
        TEXT,
        make_doc(data),
        sentences(),
        gold=make_doc(gold) if gold is not None else None,
        source="orbit-2023.txt",
    )


# ---------------------------------------------------------------------------------------
# The article page


def test_show_page_highlights_entities_and_triggers_by_label() -> None:
    root = parse(show_page(OUTPUT))
    assert marks(root) == PLAIN_MARKS
    article = root.find("div", id="article")
    assert shown_text(article) == TEXT  # all of it, in order, line breaks as <br>
    org = article.find_all("mark", data_label="ORG")[0]
    assert "#7aecec" in org.attrs["style"]
    assert org.attrs["data-start"] == "25" and org.attrs["data-end"] == "34"
    launch = article.find("mark", data_label="LAUNCH E1")
    assert "trigger" in launch.classes
    assert launch.attrs["title"] == (
        "LAUNCH event E1; date: 2023-05-02; vehicles: Skylark-7; participants: OrbitCorp; "
        "location: Sriharikota"
    )
    delhi = article.find("mark", data_label="LOCATION", data_start="0")
    assert delhi.attrs["title"] == "LOCATION 'NEW DELHI' [0:9]; canonical: New Delhi"


def test_show_page_tables_of_records_and_events() -> None:
    root = parse(show_page(OUTPUT))
    assert root.find("h1").text == "orbit-2023"
    assert table_rows(root.find("table", id="records")) == [
        ["PERSON", "Anna Petrova", "", "1", "", "chief engineer", "OrbitCorp"],
        ["ORG", "OrbitCorp", "OrbitCorp Ltd", "2", "", "", ""],
    ]
    events = table_rows(root.find("table", id="events"))
    assert events == [
        ["E1", "LAUNCH", "2023-05-02", "Skylark-7", "OrbitCorp", "Sriharikota", "launched",
         "OrbitCorp launched the Skylark-7 satellite from Sriharikota on Tuesday."],
        ["E2", "MEETING", "", "", "Anna Petrova, OrbitCorp", "Mumbai", "met",
         "Anna Petrova met the OrbitCorp board in Mumbai."],
    ]
    # The trigger is bold inside its sentence.
    assert root.find("tr", id="event-2").find("b").text == "met"


def test_show_page_builds_records_for_a_gold_file() -> None:
    # A gold file carries no records: they are grouped from the entities.
    rows = table_rows(parse(show_page(GOLD)).find("table", id="records"))
    assert [r[:4] for r in rows] == [
        ["LOCATION", "New Delhi", "NEW DELHI", "1"],
        ["ORG", "OrbitCorp", "", "2"],
        ["VEHICLE", "Skylark-7", "", "1"],
        ["LOCATION", "Sriharikota", "", "1"],
        ["PERSON", "Anna Petrova", "", "1"],
        ["LOCATION", "Mumbai", "", "1"],
    ]


def test_gold_overlay_marks_misses_and_false_alarms_in_two_colours() -> None:
    root = parse(show_page(PRED, gold=GOLD))
    assert marks(root) == [
        ("NEW DELHI", "LOCATION"),
        ("May 4, 2023", "DATE"),
        ("OrbitCorp", "ORG"),
        ("launched", "LAUNCH E1"),
        ("Skylark-7", "VEHICLE"),
        ("Sriharikota", "MISSED LOCATION / FALSE ORG"),
        ("Tuesday", "DATE"),  # same span: plain (its wrong value is in the error list)
        ("Anna Petrova", "MISSED PERSON"),
        ("met", "MISSED MEETING"),
        ("OrbitCorp board", "MISSED ORG / FALSE ORG"),
        ("Mumbai", "LOCATION"),
        ("Falcon", "FALSE VEHICLE"),
    ]
    article = root.find("div", id="article")
    by_label = {m.attrs["data-label"]: m for m in article.iter("mark")}
    assert MATCH_COLOR in by_label["ORG"].attrs["style"]
    assert MISS_COLOR in by_label["MISSED PERSON"].attrs["style"]
    assert FALSE_COLOR in by_label["FALSE VEHICLE"].attrs["style"]
    assert by_label["MISSED PERSON"].classes == {"entity", "miss"}
    assert by_label["FALSE VEHICLE"].classes == {"entity", "false"}
    assert by_label["MISSED MEETING"].classes == {"entity", "miss", "trigger"}
    assert by_label["MISSED ORG / FALSE ORG"].classes == {"entity", "mixed"}
    assert by_label["MISSED ORG / FALSE ORG"].attrs["title"] == (
        "missed (gold only): ORG 'OrbitCorp' [118:127]; "
        "false alarm (predicted only): ORG 'OrbitCorp board' [118:133]"
    )
    assert root.find("p", id="gold-summary").text == (
        "Against the gold: 2 missed, 1 false alarms, 2 overlapping both (entities and triggers)."
    )


def test_gold_overlay_lists_the_documents_errors() -> None:
    root = parse(show_page(PRED, gold=GOLD))
    expected = score_document(make_doc(GOLD), make_doc(PRED)).errors
    rows = root.find("table", **{"class": "errors"}).find_all("tr", **{"class": "error"})
    assert len(rows) == len(expected)
    wrong = [r for r in rows if r.attrs["data-kind"] == "WRONG"]
    assert len(wrong) == 1
    cells = [c.text for c in wrong[0].children if isinstance(c, Node)]
    assert cells[:4] == ["WRONG", "date_value", "DATE", "Tuesday"]
    assert "2023-05-02" in cells[4] and "2023-05-09" in cells[4]
    assert cells[6] == (
        "…Skylark-7 satellite from Sriharikota on Tuesday.⏎Anna Petrova met the OrbitCorp board i…"
    )
    assert wrong[0].find("mark").text == "Tuesday"


# ---------------------------------------------------------------------------------------
# Safety: nothing from an article is markup; nothing is loaded


PAYLOAD_TEXT = (
    "ACME <script>document.title='PWNED';document.body.setAttribute('data-pwned','1')"
    "</script> launched <img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
    " from AT&amp;T Field with \"Q&A\" on May 4, 2023.\n"
)


def payload_docs() -> tuple[Document, Document]:
    """An output whose text, names and event arguments carry markup, and its gold."""
    text = PAYLOAD_TEXT
    entities = [
        ent("ACME <script>", "ORG", text=text, canonical="<b>ACME</b> & <i>Co</i>"),
        ent("AT&amp;T Field", "LOCATION", text=text),
        ent("May 4, 2023", "DATE", text=text, value="2023-05-04"),
    ]
    event = {"id": "e1", "type": "LAUNCH", "triggers": [trig("launched", text)],
             "participants": ["<b>ACME</b> & <i>Co</i>"], "location": "AT&amp;T Field"}
    pred = make_doc({"entities": entities, "events": [event]}, "payload<i>", text)
    gold = make_doc({"entities": entities[1:], "events": []}, "payload<i>", text)
    return pred, gold


def payload_page(with_gold: bool) -> str:
    pred, gold = payload_docs()
    return render_article_page(
        PAYLOAD_TEXT, pred, sentences(PAYLOAD_TEXT), gold=gold if with_gold else None,
        source="<script>x</script>.txt",
    )


@pytest.mark.parametrize("with_gold", [False, True])
def test_article_markup_is_shown_as_text(with_gold: bool) -> None:
    root = parse(payload_page(with_gold))
    for tag in ("script", "img", "i", "iframe", "object", "link"):
        assert root.find_all(tag) == [], f"<{tag}> element in the page"
    # <b> only where the page bolds triggers in their sentences.
    assert [b.text for b in root.iter("b")] == ["launched"]
    assert shown_text(root.find("div", id="article")) == PAYLOAD_TEXT
    assert root.find("title").text.startswith("payload<i> — ")
    assert root.find("h1").text == "payload<i>"
    if not with_gold:
        assert table_rows(root.find("table", id="records"))[0][:3] == [
            "ORG", "<b>ACME</b> & <i>Co</i>", "ACME <script>"
        ]
        assert table_rows(root.find("table", id="events"))[0][4:6] == [
            "<b>ACME</b> & <i>Co</i>", "AT&amp;T Field"
        ]


def assert_self_contained(html: str) -> None:
    """The page's CSP forbids every load; nothing in it names anything outside the page."""
    root = parse(html)
    csp = root.find("meta", http_equiv="Content-Security-Policy")
    assert csp.attrs["content"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ) == CSP
    # The policy comes right after the charset, before anything that could load.
    head = [c for c in root.find("head").children if isinstance(c, Node)]
    assert head[:2] == [root.find("meta", charset="utf-8"), csp]
    for node in root.iter():
        assert "src" not in node.attrs and "srcset" not in node.attrs
        assert node.attrs.get("href", "#").startswith("#"), node.attrs
        assert not any(k.startswith("on") for k in node.attrs), node.attrs
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base"):
        assert root.find_all(tag) == []
    styles = "".join(s.text for s in root.iter("style")) + "".join(
        n.attrs.get("style", "") for n in root.iter()
    )
    assert "url(" not in styles and "@import" not in styles and "@font-face" not in styles


def test_pages_load_nothing() -> None:
    pred, gold = payload_docs()
    assert_self_contained(show_page(OUTPUT))
    assert_self_contained(show_page(PRED, gold=GOLD))
    assert_self_contained(payload_page(True))
    score = score_corpus([(make_doc(GOLD), make_doc(PRED)), (gold, pred)])
    assert_self_contained(
        render_score_page(score, {"orbit-2023": TEXT, "payload<i>": PAYLOAD_TEXT}, title="<c>")
    )


def test_line_ends_show_as_line_breaks() -> None:
    text = "KOUROU —\r\nVega lifted off.\rIt flew.\n"
    html = render_article(text, [Mark(10, 14, "VEHICLE", "#fff", "ent", "")])  # "Vega"
    assert "\r" not in html
    assert shown_text(parse(html)) == "KOUROU —\nVega lifted off.\nIt flew.\n"


def test_render_article_refuses_overlaps_and_unknown_labels() -> None:
    with pytest.raises(ValueError, match="overlapping marks at \\[3:9\\]"):
        render_article(TEXT, [Mark(0, 5, "ORG", "#fff", "ent", ""),
                              Mark(3, 9, "ORG", "#fff", "ent", "")])
    with pytest.raises(ValueError, match="unsafe mark label"):
        render_article(TEXT, [Mark(0, 5, "<b>", "#fff", "ent", "")])


def test_context_html_marks_the_span_and_escapes() -> None:
    text = "Line one <b>.\r\nAT&T\tlaunched it."
    start = text.index("AT&T")
    assert context_html(text, start, start + 4, width=6) == (
        '<span class="ctx">…&lt;b&gt;.⏎<mark>AT&amp;T</mark> launc…</span>'
    )
    assert context_html(text, 0, 4, width=40) == (
        '<span class="ctx"><mark>Line</mark> one &lt;b&gt;.⏎AT&amp;T launched it.</span>'
    )


# ---------------------------------------------------------------------------------------
# The score report page


def report_score() -> CorpusScore:
    """Two documents: the error-laden prediction, and a perfect copy under another name."""
    return score_corpus(
        [
            (make_doc(GOLD), make_doc(PRED)),
            (make_doc(GOLD, "perfect-2023"), make_doc(GOLD, "perfect-2023")),
        ]
    )


def test_score_page_tables_and_chart_values() -> None:
    score = report_score()
    root = parse(render_score_page(score, {"orbit-2023": TEXT, "perfect-2023": TEXT}, title="c/"))
    assert root.find("h1").text == "Score report: c/"
    # ORG: gold 4 (2 per document); the prediction finds 1 of its 2, adds "OrbitCorp board"
    # and "Sriharikota"; the perfect copy finds both: tp 3, fp 2, fn 1.
    org = root.find("table", id="entities-table").find("tr", data_key="ORG")
    assert [c.text for c in org.children if isinstance(c, Node)] == [
        "ORG", "0.600", "0.750", "0.667", "0.800", "1.000", "0.889", "4", "5"
    ]
    bars = {
        (r.attrs["data-key"], r.attrs["data-metric"]): r
        for r in root.find("svg", id="chart-entities").find_all("rect", **{"class": "bar"})
    }
    assert len(bars) == 6 * 3  # five labels and micro, three metrics each
    assert bars[("ORG", "f1")].attrs["data-value"] == "0.667"
    assert bars[("ORG", "f1")].attrs["width"] == "200.0"  # 0.667 of 300 px
    assert bars[("ORG", "precision")].find("title").text == "ORG precision 0.600 (tp 3, fp 2, fn 1)"
    assert bars[("PERSON", "recall")].attrs["data-value"] == "0.500"
    events = root.find("table", id="events-table")
    assert [c.text for c in events.find("tr", data_key="MEETING").children] == [
        "MEETING", "1.000", "0.500", "0.667", "2", "1"
    ]
    assert root.find("p", id="date-accuracy").text == (
        "DATE values: 3 of 4 strictly matched DATE spans carry the gold value (accuracy 0.750)"
    )
    assert {s.attrs["id"] for s in root.iter("svg")} == {
        "chart-entities", "chart-records", "chart-events", "chart-arguments"
    }


def test_score_page_lists_every_error_in_context_per_document() -> None:
    score = report_score()
    root = parse(render_score_page(score, {"orbit-2023": TEXT, "perfect-2023": TEXT}, title="c"))
    docs = table_rows(root.find("table", id="documents"))
    assert [r[0] for r in docs] == ["orbit-2023", "perfect-2023"]  # most errors first
    assert docs[1][1:] == ["1.000", "1.000", "1.000", "1.000", "0", "0", "0"]
    link = root.find("table", id="documents").find("a")
    details = root.find_all("details", **{"class": "doc"})
    assert [d.attrs["data-doc"] for d in details] == ["orbit-2023"]  # no section when none
    assert "open" not in details[0].attrs  # collapsed: a long list stays a short page
    target = details[0].find("div", id=link.attrs["href"][1:])
    rows = target.find_all("tr", **{"class": "error"})
    assert len(rows) == len(score.errors)
    fn = [r for r in rows if r.attrs["data-kind"] == "FN" and r.attrs["data-category"] == "entity"]
    assert [(r.find("mark").text) for r in fn] == ["Sriharikota", "Anna Petrova", "OrbitCorp"]
    summary = details[0].find("summary").text
    assert summary.startswith(f"orbit-2023 — {len(score.errors)} errors (")


def test_score_page_needs_the_texts_of_documents_with_errors() -> None:
    with pytest.raises(KeyError, match="orbit-2023"):
        render_score_page(report_score(), {"perfect-2023": TEXT}, title="c")


# ---------------------------------------------------------------------------------------
# Size: a 5,000-word article, a 200-article corpus

PARAGRAPH = (
    "The Kestrel-2 rocket lifted off from the Wenchang launch site on 3 March 2024, carrying "
    "the Heron-5 probe for the Lunar Exploration Agency. Chief Designer Mei Lin met officials "
    "of Nordic Orbital in Oslo on Friday and signed a memorandum on tracking stations.\n"
)


def test_long_article_page_stays_readable(nlp: Language) -> None:
    text = "OSLO, March 4, 2024 —\n" + PARAGRAPH * (5000 // len(PARAGRAPH.split()) + 1)
    assert len(text.split()) >= 5000
    article = decode_article(text.encode(), "long-2024.txt", "long-2024")
    doc = extract_text(nlp, article)
    html = render_article_page(text, doc, sentence_spans(nlp, text), source=article.source)
    root = parse(html)
    triggers = sum(len(ev.triggers) for ev in doc.events)
    expected = sorted(
        [(e.start, e.text) for e in doc.entities]
        + [(t.start, t.text) for ev in doc.events for t in ev.triggers]
    )
    assert len(expected) == len(doc.entities) + triggers > 1000
    assert [t for t, _label in marks(root)] == [t for _s, t in expected]
    assert len(html) < 300 * len(text.split())  # about 150 bytes a word in practice
    # An event named in every paragraph quotes three sentences and folds the rest away.
    for row in root.find("table", id="events").find("tbody").find_all("tr"):
        quoted = row.children[-1]
        assert isinstance(quoted, Node)
        shown = [p for p in quoted.children if isinstance(p, Node) and p.tag == "p"]
        assert 1 <= len(shown) <= 3


def test_report_of_200_articles_pages_its_errors() -> None:
    pairs, texts = [], {}
    for i in range(200):
        text = f"Report {i}: OrbitCorp launched Skylark-{i} from Sriharikota on May 4, 2023.\n"
        doc_id = f"article-{i:03d}"
        gold = make_doc({"entities": [ent("OrbitCorp", "ORG", text=text),
                                      ent(f"Skylark-{i}", "VEHICLE", text=text),
                                      ent("Sriharikota", "LOCATION", text=text)]}, doc_id, text)
        pred = make_doc({"entities": [ent("OrbitCorp", "ORG", text=text),
                                      ent(f"Report {i}", "ORG", text=text)]}, doc_id, text)
        pairs.append((gold, pred))
        texts[doc_id] = text
    score = score_corpus(pairs)
    html = render_score_page(score, texts, title="big")
    root = parse(html)
    details = root.find_all("details", **{"class": "doc"})
    assert len(details) == 200 and not any("open" in d.attrs for d in details)
    anchors = [a.attrs["href"][1:] for a in root.find("table", id="documents").iter("a")]
    assert len(set(anchors)) == 200
    assert {d.children[1].attrs["id"] for d in details} == set(anchors)
    assert len(root.find_all("tr", **{"class": "error"})) == len(score.errors) == 200 * 6
    assert len(html) < 3_000_000


# ---------------------------------------------------------------------------------------
# The commands


def invoke(*args: object) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args])


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


@pytest.fixture()
def mini_corpus(tmp_path: Path) -> Path:
    """One article with its gold file, in a folder of its own."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "orbit-2023.txt").write_text(TEXT, encoding="utf-8", newline="")
    gold = {"doc_id": "orbit-2023", "text_sha256": SHA, **GOLD}
    (folder / "orbit-2023.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def test_show_extracts_and_writes_outputs_name_html(
    mini_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp: Language
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("show", mini_corpus / "orbit-2023.txt")
    assert result.exit_code == 0, result.output
    page = tmp_path / "outputs" / "orbit-2023.html"
    assert result.stderr.strip() == f"review page written to {Path('outputs/orbit-2023.html')}"
    doc = extract_text(nlp, read_article(mini_corpus / "orbit-2023.txt"))
    expected = sorted(
        [(e.start, e.text) for e in doc.entities]
        + [(t.start, t.text) for ev in doc.events for t in ev.triggers]
    )
    assert [t for t, _label in marks(parse(page.read_text(encoding="utf-8")))] == [
        t for _s, t in expected
    ]


def test_show_renders_an_output_json_with_its_gold(mini_corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "orbit-2023.json"
    output.write_text(json.dumps({"doc_id": "orbit-2023", "text_sha256": SHA, **PRED}))
    target = tmp_path / "pages" / "review.html"
    result = invoke(
        "show", output, "--article", mini_corpus / "orbit-2023.txt",
        "--gold", mini_corpus / "orbit-2023.gold.json", "--html", target,
    )
    assert result.exit_code == 0, result.output
    root = parse(target.read_text(encoding="utf-8"))
    assert ("Anna Petrova", "MISSED PERSON") in marks(root)
    assert root.find("h2", id="errors-section").text == "Errors"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x.json"], "an output .json needs its article: --article ARTICLE.txt"),
        (["x.txt", "--article", "y.txt"], "only for an output .json input"),
        (["x.json", "--article", "y.txt", "--reference-date", "2020-01-01"],
         "only for an article .txt input"),
    ],
)
def test_show_usage_errors(args: list[str], message: str) -> None:
    result = invoke("show", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_show_refuses_a_gold_file_of_another_article(mini_corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.gold.json"
    other.write_text(json.dumps({"doc_id": "orbit-2023", "text_sha256": "0" * 64}))
    result = invoke("show", mini_corpus / "orbit-2023.txt", "--gold", other, "--html",
                    tmp_path / "x.html")
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    assert error_lines(result)[0].startswith(f"error: {other}: text_sha256 000000000000")
    assert not (tmp_path / "x.html").exists()


def test_evaluate_html_writes_the_report_page(mini_corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    as_json = invoke("evaluate", mini_corpus, "--json")
    result = invoke("evaluate", mini_corpus, "--html", target)
    assert result.exit_code == 0 == as_json.exit_code, result.output
    assert result.stderr.strip() == f"score report page written to {target}"
    micro = json.loads(as_json.stdout)["entities"]["strict"]["micro"]
    root = parse(target.read_text(encoding="utf-8"))
    row = root.find("table", id="entities-table").find("tr", data_key="micro")
    cells = [c.text for c in row.children if isinstance(c, Node)]
    assert cells[1:4] == [f"{micro[k]:.3f}" for k in ("precision", "recall", "f1")]
    assert root.find("h1").text == f"Score report: {mini_corpus}"


# ---------------------------------------------------------------------------------------
# Headless Chromium

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no `chromium` on PATH: install Debian's chromium package "
    "(apt-get install -y chromium) to run the browser tests",
)
WINDOW = (1280, 2000)


def chromium(tmp: Path, *args: str) -> str:
    """Run headless Chromium with no network services and a fresh profile; its stdout."""
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
        f"--user-data-dir={tmp / 'chromium-profile'}", *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(tmp: Path, page: Path, fragment: str = "") -> Node:
    """The DOM after the page loaded (and any script ran), parsed."""
    return parse(chromium(tmp, "--dump-dom", page.resolve().as_uri() + fragment))


def screenshot(tmp: Path, page: Path, png: Path, size: tuple[int, int] = WINDOW) -> None:
    """A PNG of the page's top ``size`` pixels; checks it is a real, non-blank image."""
    chromium(tmp, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}",
             page.resolve().as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == size
    # A blank page compresses to a few kB; a page of text and tables does not.
    assert 40_000 < len(data) < 500_000, len(data)


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


@needs_chromium
def test_browser_renders_the_article_page(tmp_path: Path) -> None:
    page = write(tmp_path / "show.html", show_page(PRED, gold=GOLD))
    root = dump_dom(tmp_path, page)
    assert marks(root)[5:10] == [
        ("Sriharikota", "MISSED LOCATION / FALSE ORG"),
        ("Tuesday", "DATE"),
        ("Anna Petrova", "MISSED PERSON"),
        ("met", "MISSED MEETING"),
        ("OrbitCorp board", "MISSED ORG / FALSE ORG"),
    ]
    assert table_rows(root.find("table", id="events"))[0][:3] == ["E1", "LAUNCH", "2023-05-09"]
    assert root.find("table", id="entities-table").find("tr", data_key="micro")
    screenshot(tmp_path, page, tmp_path / "show.png")


@needs_chromium
def test_browser_renders_the_report_and_opens_a_linked_document(tmp_path: Path) -> None:
    html = render_score_page(report_score(), {"orbit-2023": TEXT, "perfect-2023": TEXT}, title="c")
    page = write(tmp_path / "report.html", html)
    # Following a document's link opens its collapsed error section.
    root = dump_dom(tmp_path, page, "#doc-1")
    details = root.find("details", data_doc="orbit-2023")
    assert "open" in details.attrs
    bar = root.find("svg", id="chart-entities").find("rect", data_key="ORG", data_metric="f1")
    assert bar.attrs["data-value"] == "0.667"
    row = root.find("table", id="events-table").find("tr", data_key="micro")
    assert [c.text for c in row.children] == ["micro", "1.000", "0.750", "0.857", "4", "3"]
    screenshot(tmp_path, page, tmp_path / "report.png")


@needs_chromium
def test_browser_runs_no_script_from_the_article(tmp_path: Path) -> None:
    html = payload_page(True)
    title = parse(html).find("title").text
    # The page as written, and with its CSP removed: escaping alone must stop the payload.
    bare = html.replace(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n', "")
    assert bare != html
    # A control page whose payload is not escaped shows that the check would see it run.
    control = f"<!DOCTYPE html><title>{title}</title><body>{PAYLOAD_TEXT}</body>"
    results = {}
    for name, content in [("page", html), ("bare", bare), ("control", control)]:
        results[name] = dump_dom(tmp_path, write(tmp_path / f"{name}.html", content))
    assert results["control"].find("title").text == "PWNED"
    for name in ("page", "bare"):
        root = results[name]
        assert root.find("title").text == title, name
        assert "data-pwned" not in root.find("body").attrs, name
        assert root.find_all("script") == [] and root.find_all("img") == [], name
        assert shown_text(root.find("div", id="article")) == PAYLOAD_TEXT, name


@needs_chromium
def test_readme_screenshots(
    tmp_path: Path, repo_root: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's pictures, from the bundled corpus; written to docs/ on request."""
    monkeypatch.chdir(repo_root)  # so the pages name corpus/…, not this machine's folders
    corpus = Path("corpus")
    name = "glavkosmos-exolaunch-soyuz-rideshare-contract-2019"
    article = read_article(corpus / f"{name}.txt")
    doc = extract_text(nlp, article)
    gold_result = invoke("show", corpus / f"{name}.txt", "--gold", corpus / f"{name}.gold.json",
                         "--html", tmp_path / "show-gold.html")
    assert gold_result.exit_code == 0, gold_result.output
    pages = {
        "show": write(
            tmp_path / "show.html",
            render_article_page(article.text, doc, sentence_spans(nlp, article.text),
                                source=f"corpus/{name}.txt"),
        ),
        "show-gold": tmp_path / "show-gold.html",
    }
    result = invoke("evaluate", corpus, "--html", tmp_path / "evaluate.html")
    assert result.exit_code == 0, result.output
    pages["evaluate"] = tmp_path / "evaluate.html"
    size = (1280, 1600)
    for key, page in pages.items():
        screenshot(tmp_path, page, tmp_path / f"{key}.png", size)
    if os.environ.get("ORBITEXT_WRITE_DOCS") == "1":
        docs = repo_root / "docs"
        docs.mkdir(exist_ok=True)
        for key in pages:
            shutil.copyfile(tmp_path / f"{key}.png", docs / f"{key}.png")

