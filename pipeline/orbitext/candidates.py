"""Candidate entities and what each proposer knows about them.

spaCy keys custom span attributes by character offsets alone, so two candidates over the
same text (``Eutelsat`` the company and ``Eutelsat`` the satellite family) would share
one ``span._.kind``. Each proposer therefore tags its span with an id naming itself and
files a :class:`Info` under (start, end, label, id) in ``doc.user_data``; the resolver
reads it back for the candidate it chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from spacy.tokens import Doc, Span

_KEY = "orbitext.candidate"


@dataclass(frozen=True)
class Info:
    """What a proposer knows about one candidate span."""

    source: str
    priority: int = 0
    kind: str | None = None
    canonical: str | None = None


def propose(doc: Doc, start: int, end: int, label: str, info: Info, kb_id: str = "") -> Span:
    """Make a candidate span over tokens [start, end) and file its :class:`Info`."""
    span = Span(doc, start, end, label=label, kb_id=kb_id, span_id=info.source)
    _table(doc)[(_KEY, span.start_char, span.end_char, label, info.source)] = info
    return span


def info_of(span: Span) -> Info:
    """The :class:`Info` filed for a candidate (a bare ``Info`` for a plain span)."""
    key = (_KEY, span.start_char, span.end_char, span.label_, span.id_)
    info: Info | None = _table(span.doc).get(key)
    return info or Info(source=span.id_ or "")


def _table(doc: Doc) -> dict[Any, Any]:
    # spaCy types user_data with string keys; it holds any key (its own are tuples too).
    return cast(dict[Any, Any], doc.user_data)
