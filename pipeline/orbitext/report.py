"""Present a :class:`~orbitext.scoring.CorpusScore`: a plain-text table, JSON, error lists.

Plain text only, so the output reads the same in a terminal, a pipe or a CI log. The
strings carry no final newline: the caller prints them (``typer.echo`` adds one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from orbitext.scoring import NAME_LABELS, Breakdown, CorpusScore, Counts, ScoreError

CONTEXT_CHARS = 40
MAX_CONTEXT_LINES = 3  # per error: an event's or record's further spans are only counted
_NEWLINE = "⏎"


def _ratios(c: Counts) -> list[str]:
    return [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]


def _grid(rows: list[list[str]]) -> list[str]:
    """Left-align the first column, right-align the others, two spaces apart."""
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(widths[k]) if k == 0 else cell.rjust(widths[k]) for k, cell in enumerate(r)
        ).rstrip()
        for r in rows
    ]


def _breakdown_rows(b: Breakdown) -> list[tuple[str, Counts]]:
    return [*b.by_key.items(), (b.total_name, b.total)]


def _simple_table(title: str, b: Breakdown) -> list[str]:
    rows = [[title, "P", "R", "F1", "gold", "pred"]]
    rows += [[k, *_ratios(c), str(c.support), str(c.predicted)] for k, c in _breakdown_rows(b)]
    return _grid(rows)


def format_table(score: CorpusScore) -> str:
    """The score as plain-text tables, ratios to 3 decimals.

    Entity mentions (strict and partial P/R/F1 per label, micro, gold and predicted
    counts), the DATE value accuracy, then records, events and arguments.
    """
    strict, partial = score.entities_strict, score.entities_partial
    rows = [["Entity mentions", "strict P", "R", "F1", "partial P", "R", "F1", "gold", "pred"]]
    for key, s in _breakdown_rows(strict):
        p = partial.total if key == partial.total_name else partial.by_key[key]
        rows.append([key, *_ratios(s), *_ratios(p), str(s.support), str(s.predicted)])
    # The names alone (no DATE): the figure --ablate-gazetteer is judged on.
    s, p = strict.subtotal(NAME_LABELS), partial.subtotal(NAME_LABELS)
    rows.append(["micro names", *_ratios(s), *_ratios(p), str(s.support), str(s.predicted)])
    dates = score.dates
    lines = [
        f"Documents: {len(score.documents)}",
        "",
        *_grid(rows),
        "",
        f"DATE values: {dates.correct} of {dates.matched} strictly matched DATE spans "
        f"carry the gold value (accuracy {dates.accuracy:.3f})",
        "",
        *_simple_table("Entity records", score.records),
        "",
        *_simple_table("Events", score.events),
        "",
        *_simple_table("Event arguments", score.arguments),
    ]
    return "\n".join(lines)


def to_json(score: CorpusScore, *, errors: bool = False, documents: bool = False) -> str:
    """The figures of :func:`format_table` as JSON (``CorpusScore.to_dict``).

    ``errors`` adds the error list, ``documents`` each document's own figures.
    """
    data = score.to_dict(include_errors=errors, include_documents=documents)
    for scheme, breakdown in (
        ("strict", score.entities_strict),
        ("partial", score.entities_partial),
    ):
        data["entities"][scheme]["micro names"] = breakdown.subtotal(NAME_LABELS).to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False)


def _flat(text: str) -> str:
    """One line: newlines shown as ⏎, tabs as spaces."""
    return (
        text.replace("\r\n", _NEWLINE)
        .replace("\n", _NEWLINE)
        .replace("\r", _NEWLINE)
        .replace("\t", " ")
    )


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """``text[start:end]`` marked ``[[...]]`` with ``width`` characters either side, one line."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return (
        ("…" if start > width else "")
        + _flat(left)
        + "[["
        + _flat(text[start:end])
        + "]]"
        + _flat(right)
        + ("…" if end + width < len(text) else "")
    )


def _error_line(err: ScoreError) -> str:
    where = ", ".join(f"{s}-{e}" for s, e in err.spans[:MAX_CONTEXT_LINES])
    if len(err.spans) > MAX_CONTEXT_LINES:
        where += f", … ({len(err.spans)} spans)"
    head = f"{err.category} {err.kind} {err.label} {err.text!r}"
    head += f" @ {where}" if where else ""
    return head + (f" ({err.detail})" if err.detail else "")


def format_errors(errors: Iterable[ScoreError], texts: dict[str, str]) -> str:
    """List each error under its document with its offsets and its context in the text.

    ``texts`` maps doc_id to the article text; an error whose document is missing from
    it raises ``KeyError`` (offsets without their text would be unreadable).
    """
    lines: list[str] = []
    current: str | None = None
    for err in sorted(errors, key=ScoreError.sort_key):
        if err.doc_id not in texts:
            raise KeyError(f"no article text for document {err.doc_id!r}")
        if err.doc_id != current:
            if current is not None:
                lines.append("")
            lines.append(f"== {err.doc_id}")
            current = err.doc_id
        lines.append(_error_line(err))
        text = texts[err.doc_id]
        lines += [f"    {context(text, s, e)}" for s, e in err.spans[:MAX_CONTEXT_LINES]]
    return "\n".join(lines)
