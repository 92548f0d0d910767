"""Review pages: one article's extraction, and a corpus's score report, as self-contained HTML.

``render_article_page`` shows the article with its entities highlighted by label (spaCy's
displaCy ``ent`` renderer, fed manual data) and event triggers marked as pseudo-labels in
the same layer (ANNOTATION.md keeps triggers and entities apart, so they never overlap),
then the entity records and the events. Given the gold too, the highlight compares the two:
exact matches are plain grey, misses (gold only) and false alarms (predicted only) stand out
in two colours, and the page lists the document's scoring errors.

``render_score_page`` shows a :class:`~orbitext.scoring.CorpusScore`: P/R/F1 bar charts
(inline SVG), the figures' tables and every error with its context, one collapsed
``<details>`` per document so a corpus of hundreds of articles stays readable.

Safety: every string that comes from an article or a JSON file goes through
:func:`html.escape` (displaCy escapes the article text itself); the pages load nothing
(no scripts, external styles, fonts or images) and carry a Content-Security-Policy that
forbids loading anything or running any script, as a second line of defence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from spacy import displacy
from spacy.language import Language

from .records import build_records
from .report import CONTEXT_CHARS, MAX_CONTEXT_LINES
from .schema import LABELS, Document, Event, Record
from .scoring import Breakdown, CorpusScore, Counts, DocumentScore, ScoreError, score_document

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# displaCy's own colours where spaCy has the label (ORG, PERSON, DATE; LOC for LOCATION,
# PRODUCT for VEHICLE), so the page looks like any displaCy page.
ENTITY_COLORS: dict[str, str] = {
    "ORG": "#7aecec",
    "PERSON": "#aa9cfc",
    "DATE": "#bfe1d9",
    "VEHICLE": "#feca74",
    "LOCATION": "#ff9561",
}
# Event triggers: one hue per type, drawn with a dashed outline (CSS class "trigger").
TRIGGER_COLORS: dict[str, str] = {
    "LAUNCH": "#fde047",
    "DOCKING": "#bef264",
    "LANDING": "#f9a8d4",
    "MEETING": "#c4b5fd",
    "AGREEMENT": "#fdba74",
}
MATCH_COLOR = "#e5e7eb"  # exact match with gold: plain
MISS_COLOR = "#f87171"  # gold only
FALSE_COLOR = "#60a5fa"  # predicted only
MIXED_COLOR = f"linear-gradient(135deg, {MISS_COLOR} 50%, {FALSE_COLOR} 50%)"
METRIC_COLORS: dict[str, str] = {"precision": "#4e79a7", "recall": "#f28e2b", "f1": "#59a14f"}
MAX_SENTENCES = 3  # per event in the events table; more are folded in a <details>
KIND_NAMES: dict[str, str] = {"FN": "missed", "FP": "false alarm", "WRONG": "wrong value"}

# displaCy's entity template, on one line (the article is shown with white-space: pre-wrap,
# so the stock template's indentation would show) and with a class, a data-label and a
# tooltip. displaCy inserts {label} and the params unescaped: labels are built only from
# the schema's fixed label and event-type names (checked by _SAFE_LABEL), params are
# escaped here.
_ENT_TEMPLATE = (
    '<mark class="entity {cls}" data-label="{label}" data-start="{start}" data-end="{end}" '
    'title="{tip}" style="background: {bg}; padding: 0.45em 0.6em; margin: 0 0.25em; '
    'line-height: 1; border-radius: 0.35em;">{text}<span class="label" style="font-size: '
    "0.8em; font-weight: bold; line-height: 1; border-radius: 0.35em; vertical-align: middle; "
    'margin-left: 0.5rem">{label}{kb_link}</span></mark>'
)
_SAFE_LABEL = re.compile(r"[A-Z0-9 /]+")

_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  margin: 0 auto; padding: 1.2rem 2rem 3rem; max-width: 78rem; color: #1f2937;
  background: #fff; font-size: 15px; }
h1 { font-size: 1.5rem; margin: 0.2rem 0 0.4rem; word-break: break-word; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 0.6rem; border-bottom: 1px solid #d1d5db;
  padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
.meta { color: #4b5563; margin: 0 0 0.6rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.4rem 0 0.8rem; }
.chip { padding: 0.15rem 0.5rem; border-radius: 0.35em; font-size: 0.8rem;
  font-weight: bold; }
.chip.trigger, mark.trigger { outline: 2px dashed #374151; outline-offset: -2px; }
.article { border: 1px solid #d1d5db; border-radius: 0.4rem; padding: 0.8rem 1.2rem;
  max-width: 60rem; }
.article .entities { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1rem; }
table { border-collapse: collapse; margin: 0.3rem 0 0.8rem; font-size: 0.9rem; }
th, td { border: 1px solid #e5e7eb; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: #f3f4f6; }
tbody tr:nth-child(even) { background: #fafafa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { max-width: 28rem; overflow-wrap: anywhere; }
.sent { margin: 0 0 0.3rem; max-width: 40rem; overflow-wrap: anywhere; }
.sent b { background: #fef08a; }
.ctx { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.8rem;
  white-space: pre-wrap; overflow-wrap: anywhere; display: block; }
.ctx mark { background: #fde68a; }
.kind { font-weight: bold; padding: 0 0.3rem; border-radius: 0.25rem; white-space: nowrap; }
.kind.FN { background: #fecaca; } .kind.FP { background: #bfdbfe; }
.kind.WRONG { background: #fde68a; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
.chart h3 { margin-bottom: 0.1rem; }
details.doc { border: 1px solid #e5e7eb; border-radius: 0.3rem; margin: 0.3rem 0;
  padding: 0.2rem 0.6rem; }
details.doc > summary { cursor: pointer; font-weight: bold; }
details.doc[open] > summary { margin-bottom: 0.4rem; }
.muted { color: #6b7280; font-weight: normal; }
.tables { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
"""


# ---------------------------------------------------------------------------------------
# Page frame and small pieces


def _e(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return escape(str(value), quote=True)


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML page: inline CSS only, and a CSP that loads nothing."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="referrer" content="no-referrer">\n<title>{_e(title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _list(values: Iterable[str]) -> str:
    return ", ".join(_e(v) for v in values)


def _ratio(value: float) -> str:
    return f"{value:.3f}"


def _chip(label: str, color: str, css: str = "") -> str:
    return f'<span class="chip {css}" style="background: {color}">{_e(label)}</span>'


# ---------------------------------------------------------------------------------------
# The highlighted article


@dataclass(frozen=True)
class Mark:
    """One highlighted stretch of the article: a displaCy span with its colour and tooltip."""

    start: int
    end: int
    label: str
    color: str
    css: str
    tip: str


def _entity_tip(doc: Document, index: int) -> str:
    ent = doc.entities[index]
    parts = [f"{ent.label} {ent.text!r} [{ent.start}:{ent.end}]"]
    if ent.canonical:
        parts.append(f"canonical: {ent.canonical}")
    if ent.value:
        parts.append(f"value: {ent.value}")
    if ent.kind:
        parts.append(f"kind: {ent.kind}")
    return "; ".join(parts)


def _event_tip(ev: Event, number: int) -> str:
    parts = [f"{ev.type} event E{number}"]
    if ev.date:
        parts.append(f"date: {ev.date}")
    if ev.vehicles:
        parts.append("vehicles: " + ", ".join(ev.vehicles))
    if ev.participants:
        parts.append("participants: " + ", ".join(ev.participants))
    if ev.location:
        parts.append(f"location: {ev.location}")
    return "; ".join(parts)


def plain_marks(doc: Document) -> list[Mark]:
    """Entities coloured by label, triggers as ``TYPE E<n>`` (n = the event's table row)."""
    marks = [
        Mark(e.start, e.end, e.label, ENTITY_COLORS[e.label], "ent", _entity_tip(doc, i))
        for i, e in enumerate(doc.entities)
    ]
    for number, ev in enumerate(doc.events, start=1):
        tip = _event_tip(ev, number)
        marks += [
            Mark(t.start, t.end, f"{ev.type} E{number}", TRIGGER_COLORS[ev.type], "trigger", tip)
            for t in ev.triggers
        ]
    return sorted(marks, key=lambda m: (m.start, m.end))


@dataclass(frozen=True)
class _Item:
    """An entity or trigger of one side, for the gold comparison."""

    start: int
    end: int
    label: str  # entity label or event type
    text: str
    trigger: bool
    event: int | None  # predicted event number (table row), for predicted triggers


def _items(doc: Document, numbered: bool) -> dict[tuple[int, int, str], _Item]:
    items: dict[tuple[int, int, str], _Item] = {
        (e.start, e.end, e.label): _Item(e.start, e.end, e.label, e.text, False, None)
        for e in doc.entities
    }
    for number, ev in enumerate(doc.events, start=1):
        for t in ev.triggers:
            items[(t.start, t.end, ev.type)] = _Item(
                t.start, t.end, ev.type, t.text, True, number if numbered else None
            )
    return items


def _item_name(item: _Item, status: str) -> str:
    name = f"{status} {item.label}"
    return f"{name} E{item.event}" if item.event is not None else name


def compare_marks(pred: Document, gold: Document) -> list[Mark]:
    """The prediction against the gold: matches plain, misses and false alarms coloured.

    An exact match (same start, end and label or event type) is grey. Spans on one side
    only are ``MISSED …`` (gold only) or ``FALSE …`` (predicted only); where such spans of
    the two sides overlap (a boundary or label error) they share one mark over their union,
    coloured half and half, its tooltip naming each part.
    """
    p_items, g_items = _items(pred, True), _items(gold, False)
    marks = []
    for key in p_items.keys() & g_items.keys():
        item = p_items[key]
        label = _item_name(item, "").strip()
        css = "match trigger" if item.trigger else "match"
        tip = f"match: {label} {item.text!r}"
        marks.append(Mark(item.start, item.end, label, MATCH_COLOR, css, tip))
    # Each side is flat, so only a gold-only and a predicted-only span can overlap.
    lone = sorted(
        [(item, "MISSED") for k, item in g_items.items() if k not in p_items]
        + [(item, "FALSE") for k, item in p_items.items() if k not in g_items],
        key=lambda p: (p[0].start, p[0].end),
    )
    clusters: list[list[tuple[_Item, str]]] = []
    for item, status in lone:
        if clusters and item.start < max(i.end for i, _s in clusters[-1]):
            clusters[-1].append((item, status))
        else:
            clusters.append([(item, status)])
    for cluster in clusters:
        start = min(i.start for i, _s in cluster)
        end = max(i.end for i, _s in cluster)
        label = " / ".join(_item_name(i, s) for i, s in cluster)
        tip = "; ".join(
            f"{'missed (gold only)' if s == 'MISSED' else 'false alarm (predicted only)'}: "
            f"{i.label} {i.text!r} [{i.start}:{i.end}]"
            for i, s in cluster
        )
        statuses = {s for _i, s in cluster}
        if len(statuses) == 2:
            color, css = MIXED_COLOR, "mixed"
        elif statuses == {"MISSED"}:
            color, css = MISS_COLOR, "miss"
        else:
            color, css = FALSE_COLOR, "false"
        if any(i.trigger for i, _s in cluster):
            css += " trigger"
        marks.append(Mark(start, end, label, color, css, tip))
    return sorted(marks, key=lambda m: (m.start, m.end))


def render_article(text: str, marks: Sequence[Mark]) -> str:
    """The article with ``marks`` highlighted, through displaCy's ``ent`` renderer.

    Raises ``ValueError`` on overlapping marks (displaCy would repeat the text) or on a
    label that is not one of the fixed names (displaCy inserts labels unescaped).
    """
    colors: dict[str, str] = {}
    ents = []
    last_end = 0
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if mark.start < last_end:
            raise ValueError(f"overlapping marks at [{mark.start}:{mark.end}]")
        last_end = mark.end
        if not _SAFE_LABEL.fullmatch(mark.label):
            raise ValueError(f"unsafe mark label {mark.label!r}")
        if colors.setdefault(mark.label, mark.color) != mark.color:
            raise ValueError(f"label {mark.label!r} given two colours")
        ents.append(
            {
                "start": mark.start,
                "end": mark.end,
                "label": mark.label,
                "params": {
                    "cls": _e(mark.css),
                    "tip": _e(mark.tip),
                    "start": mark.start,
                    "end": mark.end,
                },
            }
        )
    data = {"text": text, "ents": ents, "title": None}
    options = {"colors": colors, "template": _ENT_TEMPLATE}
    html = displacy.render(
        data, style="ent", manual=True, page=False, options=options, jupyter=False
    )
    # displaCy breaks lines at "\n" only. A browser reads a raw CR as a line feed, which the
    # article's pre-wrap style would show as an extra blank line: a CRLF's CR goes, a lone
    # CR (old Mac line ends) is a line break.
    return html.replace("\r<br>", "<br>").replace("\r", "<br>")


# ---------------------------------------------------------------------------------------
# Records and events


def sentence_spans(nlp: Language, text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as the pipeline draws them: its tokenizer, its sentence splitter."""
    doc = nlp.get_pipe("orbitext_sentences")(nlp.make_doc(text))
    return [(s.start_char, s.end_char) for s in doc.sents]


def _records(doc: Document) -> list[Record]:
    # A gold file carries no records: build them as the extractor does.
    return doc.records or build_records(doc.entities)


def records_table(doc: Document) -> str:
    """The entity records: label, name, aliases, mention count, kind, role, organization."""
    rows = []
    for rec in _records(doc):
        rows.append(
            "<tr>"
            f"<td>{_chip(rec.label, ENTITY_COLORS[rec.label])}</td>"
            f'<td class="text">{_e(rec.name)}</td>'
            f'<td class="text">{_list(rec.aliases)}</td>'
            f'<td class="num">{len(rec.mentions)}</td>'
            f"<td>{_e(rec.kind or '')}</td>"
            f'<td class="text">{_e(rec.role or "")}</td>'
            f'<td class="text">{_e(rec.organization or "")}</td>'
            "</tr>"
        )
    if not rows:
        return '<p class="muted">No entity records.</p>'
    return (
        '<table id="records"><thead><tr><th>Label</th><th>Name</th><th>Aliases</th>'
        '<th class="num">Mentions</th><th>Kind</th><th>Role</th><th>Organization</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _sentence_html(text: str, sent: tuple[int, int], triggers: list[tuple[int, int]]) -> str:
    """One sentence, its triggers in bold, whitespace at its ends trimmed."""
    start, end = sent
    pieces, pos = [], start
    for t_start, t_end in sorted(t for t in triggers if start <= t[0] < end):
        pieces += [_e(text[pos:t_start]), f"<b>{_e(text[t_start:t_end])}</b>"]
        pos = t_end
    pieces.append(_e(text[pos:end]))
    return "".join(pieces).strip()


def events_table(doc: Document, text: str, sentences: Sequence[tuple[int, int]]) -> str:
    """The events: number, type, date, vehicles, participants, location, their sentences."""
    rows = []
    for number, ev in enumerate(doc.events, start=1):
        spans = [(t.start, t.end) for t in ev.triggers]
        # Sentences holding a trigger, in text order, each once.
        sents = sorted({s for s in sentences for t in spans if s[0] <= t[0] < s[1]})
        quoted = [f'<p class="sent">{_sentence_html(text, s, spans)}</p>' for s in sents]
        if len(quoted) > MAX_SENTENCES:
            # An event named all through a long article: keep its row short, the rest folded.
            more = "".join(quoted[MAX_SENTENCES:])
            quoted[MAX_SENTENCES:] = [
                f"<details><summary>{len(quoted) - MAX_SENTENCES} more sentences</summary>"
                f"{more}</details>"
            ]
        rows.append(
            f'<tr id="event-{number}">'
            f'<td class="num">E{number}</td>'
            f"<td>{_chip(ev.type, TRIGGER_COLORS[ev.type], 'trigger')}</td>"
            f"<td>{_e(ev.date or '')}</td>"
            f'<td class="text">{_list(ev.vehicles)}</td>'
            f'<td class="text">{_list(ev.participants)}</td>'
            f'<td class="text">{_e(ev.location or "")}</td>'
            f'<td class="text">{_list(t.text for t in ev.triggers)}</td>'
            f"<td>{''.join(quoted)}</td>"
            "</tr>"
        )
    if not rows:
        return '<p class="muted">No events.</p>'
    return (
        '<table id="events"><thead><tr><th class="num">#</th><th>Type</th><th>Date</th>'
        "<th>Vehicles</th><th>Participants</th><th>Location</th><th>Triggers</th>"
        f"<th>Sentences</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _legend(compare: bool) -> str:
    if compare:
        chips = [
            _chip("exact match", MATCH_COLOR),
            _chip("MISSED (gold only)", MISS_COLOR),
            _chip("FALSE (predicted only)", FALSE_COLOR),
            _chip("overlapping miss and false alarm", MIXED_COLOR),
            _chip("event trigger", "#fff", "trigger"),
        ]
    else:
        chips = [_chip(label, color) for label, color in ENTITY_COLORS.items()]
        chips += [_chip(t, color, "trigger") for t, color in TRIGGER_COLORS.items()]
    return f'<div class="legend">{"".join(chips)}</div>'


def render_article_page(
    text: str,
    doc: Document,
    sentences: Sequence[tuple[int, int]],
    *,
    gold: Document | None = None,
    source: str = "",
) -> str:
    """The review page of one article's extraction ``doc`` (optionally against ``gold``).

    ``sentences`` are the article's sentence spans (:func:`sentence_spans`), used to quote
    each event's sentences. With ``gold`` (same article) the highlight compares the two
    and the page lists the document's scoring errors.
    """
    counts: Counter[str] = Counter(e.label for e in doc.entities)
    summary = ", ".join(f"{counts[label]} {label}" for label in LABELS if counts[label])
    meta = [f"{len(doc.entities)} entities ({summary or 'none'})", f"{len(doc.events)} events"]
    if doc.reference_date:
        meta.append(f"reference date {doc.reference_date}")
    if doc.extractor_version:
        meta.append(f"orbitext {doc.extractor_version}")
    marks = compare_marks(doc, gold) if gold is not None else plain_marks(doc)
    parts = [
        f"<h1>{_e(doc.doc_id)}</h1>",
        f'<p class="meta">{_e(source)}{" — " if source else ""}{_e(" · ".join(meta))}</p>',
    ]
    if gold is not None:
        score = score_document(gold, doc)
        by_kind = Counter(
            (m.css.split()[0]) for m in marks if m.css.split()[0] in {"miss", "false", "mixed"}
        )
        parts.append(
            f'<p class="meta" id="gold-summary">Against the gold: {by_kind["miss"]} missed, '
            f"{by_kind['false']} false alarms, {by_kind['mixed']} overlapping both "
            f"(entities and triggers).</p>"
        )
    side = " (predicted)" if gold is not None else ""
    links = [
        '<a href="#article">Article</a>',
        f'<a href="#records-section">Entity records ({len(_records(doc))})</a>',
        f'<a href="#events-section">Events ({len(doc.events)})</a>',
    ]
    if gold is not None:
        links.append(f'<a href="#errors-section">Errors ({len(score.errors)})</a>')
    parts += [
        f'<nav class="meta">{" · ".join(links)}</nav>',
        _legend(gold is not None),
        f'<div class="article" id="article">{render_article(text, marks)}</div>',
        f'<h2 id="records-section">Entity records{side}</h2>',
        records_table(doc),
        f'<h2 id="events-section">Events{side}</h2>',
        events_table(doc, text, sentences),
    ]
    if gold is not None:
        parts += [
            "<h2>Scores against the gold</h2>",
            figures_tables(score),
            '<h2 id="errors-section">Errors</h2>',
            errors_table(score.errors, text) if score.errors else '<p class="muted">None.</p>',
        ]
    return page(f"{doc.doc_id} — orbitext review", "\n".join(parts))


# ---------------------------------------------------------------------------------------
# Score report


def bar_chart(title: str, rows: Sequence[tuple[str, Counts]], chart_id: str) -> str:
    """Horizontal grouped bars: precision, recall and F1 per key, values written beside them.

    Each bar is a ``<rect>`` with ``data-key``, ``data-metric`` and ``data-value`` and a
    ``<title>`` tooltip with the counts.
    """
    label_w, bar_w, bar_h, gap = 110, 300, 9, 12
    group_h = 3 * bar_h + gap
    top = 24
    width = label_w + bar_w + 50
    height = top + group_h * len(rows) + 4
    out = [
        f'<svg id="{_e(chart_id)}" class="bars" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" font-size="11">'
    ]
    x = label_w
    for metric, color in METRIC_COLORS.items():
        out.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{color}"></rect>'
            f'<text x="{x + 14}" y="13">{metric}</text>'
        )
        x += 80
    for frac in (0.0, 0.5, 1.0):
        gx = label_w + frac * bar_w
        out.append(
            f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 2}" '
            'stroke="#d1d5db" stroke-width="1"></line>'
        )
    for n, (key, c) in enumerate(rows):
        y0 = top + n * group_h
        weight = ' font-weight="bold"' if n == len(rows) - 1 else ""
        out.append(
            f'<text x="{label_w - 6}" y="{y0 + 1.5 * bar_h + 4}" text-anchor="end"{weight}>'
            f"{_e(key)}</text>"
        )
        for m, (metric, color) in enumerate(METRIC_COLORS.items()):
            value = getattr(c, metric)
            y = y0 + m * bar_h
            tip = f"{key} {metric} {value:.3f} (tp {c.tp}, fp {c.fp}, fn {c.fn})"
            out.append(
                f'<rect class="bar" x="{label_w}" y="{y}" width="{value * bar_w:.1f}" '
                f'height="{bar_h - 1}" fill="{color}" data-key="{_e(key)}" '
                f'data-metric="{metric}" data-value="{value:.3f}"><title>{_e(tip)}</title></rect>'
                f'<text x="{label_w + value * bar_w + 3:.1f}" y="{y + bar_h - 1}" '
                f'font-size="9">{value:.3f}</text>'
            )
    out.append("</svg>")
    return f'<div class="chart"><h3>{_e(title)}</h3>{"".join(out)}</div>'


def _rows(b: Breakdown) -> list[tuple[str, Counts]]:
    return [*b.by_key.items(), (b.total_name, b.total)]


def _counts_cells(c: Counts) -> str:
    return "".join(f'<td class="num">{_ratio(v)}</td>' for v in (c.precision, c.recall, c.f1))


def _simple_table(title: str, b: Breakdown, table_id: str) -> str:
    body = "".join(
        f'<tr data-key="{_e(k)}"><th>{_e(k)}</th>{_counts_cells(c)}'
        f'<td class="num">{c.support}</td><td class="num">{c.predicted}</td></tr>'
        for k, c in _rows(b)
    )
    return (
        f'<table id="{table_id}"><thead><tr><th>{_e(title)}</th><th class="num">P</th>'
        '<th class="num">R</th><th class="num">F1</th><th class="num">gold</th>'
        f'<th class="num">pred</th></tr></thead><tbody>{body}</tbody></table>'
    )


def figures_tables(score: DocumentScore) -> str:
    """The figures of ``report.format_table`` as HTML tables (a corpus's or one document's)."""
    strict, partial = score.entities_strict, score.entities_partial
    rows = []
    for key, s in _rows(strict):
        p = partial.total if key == partial.total_name else partial.by_key[key]
        rows.append(
            f'<tr data-key="{_e(key)}"><th>{_e(key)}</th>{_counts_cells(s)}{_counts_cells(p)}'
            f'<td class="num">{s.support}</td><td class="num">{s.predicted}</td></tr>'
        )
    dates = score.dates
    return (
        '<div class="tables"><div>'
        '<table id="entities-table"><thead><tr><th rowspan="2">Entity mentions</th>'
        '<th colspan="3">strict</th><th colspan="3">partial</th><th class="num" rowspan="2">'
        'gold</th><th class="num" rowspan="2">pred</th></tr><tr><th class="num">P</th>'
        '<th class="num">R</th><th class="num">F1</th><th class="num">P</th><th class="num">R'
        f'</th><th class="num">F1</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p id="date-accuracy">DATE values: {dates.correct} of {dates.matched} strictly '
        f"matched DATE spans carry the gold value (accuracy {_ratio(dates.accuracy)})</p>"
        f"{_simple_table('Entity records', score.records, 'records-table')}</div><div>"
        f"{_simple_table('Events', score.events, 'events-table')}"
        f"{_simple_table('Event arguments', score.arguments, 'arguments-table')}</div></div>"
    )


def context_html(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """``text[start:end]`` in a ``<mark>`` with ``width`` characters either side, one line.

    The HTML twin of :func:`orbitext.report.context` (whose ``[[…]]`` markers cannot be told
    from brackets in the article): newlines shown as ⏎, everything escaped.
    """

    def flat(s: str) -> str:
        return _e(s.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " "))

    return (
        '<span class="ctx">'
        + ("…" if start > width else "")
        + flat(text[max(0, start - width) : start])
        + f"<mark>{flat(text[start:end])}</mark>"
        + flat(text[end : end + width])
        + ("…" if end + width < len(text) else "")
        + "</span>"
    )


def errors_table(errors: Iterable[ScoreError], text: str) -> str:
    """One document's errors, each with up to ``MAX_CONTEXT_LINES`` contexts in ``text``."""
    rows = []
    for err in sorted(errors, key=ScoreError.sort_key):
        contexts = "".join(context_html(text, s, e) for s, e in err.spans[:MAX_CONTEXT_LINES])
        if len(err.spans) > MAX_CONTEXT_LINES:
            contexts += f'<span class="muted">… {len(err.spans)} spans in all</span>'
        where = ", ".join(f"{s}-{e}" for s, e in err.spans[:MAX_CONTEXT_LINES])
        rows.append(
            f'<tr class="error" data-kind="{err.kind}" data-category="{err.category}">'
            f'<td><span class="kind {err.kind}" title="{KIND_NAMES[err.kind]}">{err.kind}'
            "</span></td>"
            f"<td>{_e(err.category)}</td><td>{_e(err.label)}</td>"
            f'<td class="text">{_e(err.text)}</td><td class="text">{_e(err.detail)}</td>'
            f'<td class="num">{_e(where)}</td><td>{contexts}</td></tr>'
        )
    return (
        '<table class="errors"><thead><tr><th>Kind</th><th>Category</th><th>Label</th>'
        "<th>Text</th><th>Detail</th><th>Offsets</th><th>Context</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _doc_counts(score: DocumentScore) -> str:
    return "".join(
        f'<td class="num">{_ratio(b.total.f1)}</td>'
        for b in (score.entities_strict, score.records, score.events, score.arguments)
    )


def render_score_page(score: CorpusScore, texts: dict[str, str], *, title: str) -> str:
    """The score report page of a :class:`~orbitext.scoring.CorpusScore`.

    Bar charts of P/R/F1 (entity mentions per label, records, events per type, arguments
    per role), the figures' tables, a per-document table worst first, and every error with
    its context, one collapsed ``<details>`` per document. ``texts`` maps doc_id to the
    article text; a document with errors missing from it raises ``KeyError``.
    """
    documents = score.documents
    by_doc: dict[str, list[ScoreError]] = {}
    for err in score.errors:
        by_doc.setdefault(err.doc_id, []).append(err)
    missing = sorted(d for d in by_doc if d not in texts)
    if missing:
        raise KeyError(f"no article text for document {missing[0]!r}")
    kinds = Counter(e.kind for e in score.errors)
    # Anchors are numbers: a doc_id is a file name and may hold anything.
    order = sorted(documents, key=lambda d: (-len(by_doc.get(d, ())), d))
    anchor = {d: f"doc-{n}" for n, d in enumerate(order, start=1)}

    doc_rows = []
    for d in order:
        errs = by_doc.get(d, [])
        link = f'<a href="#{anchor[d]}">{_e(d)}</a>' if errs else _e(d)
        k = Counter(e.kind for e in errs)
        doc_rows.append(
            f'<tr data-doc="{_e(d)}"><td class="text">{link}</td>{_doc_counts(documents[d])}'
            f'<td class="num">{k["FN"]}</td><td class="num">{k["FP"]}</td>'
            f'<td class="num">{k["WRONG"]}</td></tr>'
        )
    details = []
    for d in order:
        doc_errors = by_doc.get(d)
        if not doc_errors:
            continue
        errs = doc_errors
        cats = Counter(e.category for e in errs)
        cat_text = ", ".join(f"{n} {c}" for c, n in sorted(cats.items()))
        details.append(
            f'<details class="doc" data-doc="{_e(d)}"><summary>{_e(d)} '
            f'<span class="muted">— {len(errs)} errors ({_e(cat_text)})</span></summary>'
            f'<div id="{anchor[d]}">{errors_table(errs, texts[d])}</div></details>'
        )
    charts = [
        bar_chart("Entity mentions (strict)", _rows(score.entities_strict), "chart-entities"),
        bar_chart("Entity records", _rows(score.records), "chart-records"),
        bar_chart("Events", _rows(score.events), "chart-events"),
        bar_chart("Event arguments", _rows(score.arguments), "chart-arguments"),
    ]
    body = [
        f"<h1>Score report: {_e(title)}</h1>",
        f'<p class="meta" id="summary">{len(documents)} documents · {len(score.errors)} errors '
        f"({kinds['FN']} missed, {kinds['FP']} false alarms, {kinds['WRONG']} wrong DATE "
        "values)</p>",
        f'<div class="charts">{"".join(charts)}</div>',
        "<h2>Figures</h2>",
        figures_tables(score),
        "<h2>Documents</h2>",
        '<p class="muted">F1 per document, most errors first; a name links to its errors.</p>',
        '<table id="documents"><thead><tr><th>Document</th><th class="num">mentions F1</th>'
        '<th class="num">records F1</th><th class="num">events F1</th>'
        '<th class="num">arguments F1</th><th class="num">missed</th>'
        '<th class="num">false</th><th class="num">wrong</th></tr></thead>'
        f"<tbody>{''.join(doc_rows)}</tbody></table>",
        "<h2>Errors</h2>",
        '<p class="muted">One section per document; open it to see its errors in context '
        "(FN = missed, FP = false alarm, WRONG = wrong DATE value).</p>",
        "".join(details) or '<p class="muted">None.</p>',
    ]
    return page(f"{title} — orbitext score report", "\n".join(body))
