"""One schema for gold annotations and extractor output (ANNOTATION.md).

Gold files and output files validate against the same :class:`Document` model; an
output file is a superset of a gold file (it adds ``records`` and
``extractor_version``).  Checks that need the article text (offsets, span texts,
the text's hash) run when the text is passed as validation context::

    Document.model_validate(data, context={"text": text})

or, more conveniently, through :func:`validate_document`, which turns every
problem into one :class:`SchemaError` line naming the file, the item and the fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

Label = Literal["ORG", "PERSON", "DATE", "VEHICLE", "LOCATION"]
VehicleKind = Literal["launch_vehicle", "spacecraft", "station", "satellite", "upper_stage"]
EventType = Literal["LAUNCH", "DOCKING", "LANDING", "MEETING", "AGREEMENT"]

LABELS: tuple[str, ...] = ("ORG", "PERSON", "DATE", "VEHICLE", "LOCATION")
VEHICLE_KINDS: tuple[str, ...] = (
    "launch_vehicle",
    "spacecraft",
    "station",
    "satellite",
    "upper_stage",
)
EVENT_TYPES: tuple[str, ...] = ("LAUNCH", "DOCKING", "LANDING", "MEETING", "AGREEMENT")
ROLES: tuple[str, ...] = ("date", "participants", "vehicles", "location")

# ISO 8601 as ANNOTATION.md allows: a year, a month or a day, or a range of two.
_ISO_POINT = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
ISO_VALUE_RE = re.compile(rf"{_ISO_POINT}(?:/{_ISO_POINT})?")
ISO_DAY_RE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])")


class SchemaError(ValueError):
    """A gold or output file that breaks the schema; ``str()`` is one line."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data``, as ``text_sha256`` records it."""
    return hashlib.sha256(data).hexdigest()


def _point_bounds(point: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a year, month or day stands for; None for an impossible day."""
    parts = [int(p) for p in point.split("-")]
    try:
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return dt.date(parts[0], parts[1], 1), nxt - dt.timedelta(days=1)
        day = dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None
    return day, day


def is_iso_value(value: str) -> bool:
    """True when ``value`` is a DATE value ANNOTATION.md allows: a real year, month or
    day, or a range of two whose start is not after its end."""
    if not ISO_VALUE_RE.fullmatch(value):
        return False
    bounds = [_point_bounds(p) for p in value.split("/")]
    if any(b is None for b in bounds):
        return False
    return len(bounds) == 1 or bounds[0][0] <= bounds[1][1]  # type: ignore[index]


class _Model(BaseModel):
    # Unknown keys are errors: a typo in a gold file must not vanish silently.
    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(_Model):
    """A stretch of the article: ``text == article[start:end]``."""

    # Strict: "0", 0.0 or false as an offset is a broken file, not an offset.
    start: StrictInt = Field(ge=0)
    end: StrictInt = Field(gt=0)
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"text {self.text!r} has length {len(self.text)}, "
                f"but [{self.start}:{self.end}] spans {self.end - self.start}"
            )
        return self

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


class Entity(Span):
    """An entity mention: a labelled span, with a DATE value or a VEHICLE kind."""

    label: Label
    value: str | None = None
    kind: VehicleKind | None = None
    canonical: str | None = None

    @field_validator("value")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None and not is_iso_value(value):
            raise ValueError(
                f"DATE value {value!r} is not ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or A/B)"
            )
        return value

    @model_validator(mode="after")
    def _label_fields(self) -> Entity:
        if self.value is not None and self.label != "DATE":
            raise ValueError(f"'value' is only for DATE, not {self.label}")
        if self.kind is not None and self.label != "VEHICLE":
            raise ValueError(f"'kind' is only for VEHICLE, not {self.label}")
        if self.canonical is not None and self.label == "DATE":
            raise ValueError("'canonical' is not allowed on DATE")
        return self

    @property
    def name(self) -> str:
        """The entity's standard name: its canonical name, else its text."""
        return self.canonical or self.text


class Trigger(Span):
    """A word or short phrase naming an event."""


class Event(_Model):
    """One real-world happening with all the triggers that name it."""

    id: str = Field(min_length=1)
    type: EventType
    triggers: list[Trigger] = Field(min_length=1)
    date: str | None = None
    participants: list[str] = Field(default_factory=list)
    vehicles: list[str] = Field(default_factory=list)
    location: str | None = None

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None and not is_iso_value(value):
            raise ValueError(f"event date {value!r} is not ISO 8601")
        return value


class Record(_Model):
    """All mentions of one entity in one document, merged by canonical name."""

    label: Label
    name: str
    aliases: list[str] = Field(default_factory=list)
    mentions: list[tuple[StrictInt, StrictInt]] = Field(default_factory=list)
    kind: VehicleKind | None = None
    role: str | None = None
    organization: str | None = None

    @property
    def names(self) -> set[str]:
        """The record's names: its canonical name and every mention text."""
        return {self.name, *self.aliases}


class Document(_Model):
    """A document's annotation: the gold file's content, or the extractor's output."""

    doc_id: str = Field(min_length=1)
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    reference_date: str | None = None
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    records: list[Record] = Field(default_factory=list)
    extractor_version: str | None = None

    @field_validator("reference_date")
    @classmethod
    def _day(cls, value: str | None) -> str | None:
        if value is not None and not (ISO_DAY_RE.fullmatch(value) and is_iso_value(value)):
            raise ValueError(f"reference_date {value!r} is not an ISO day (YYYY-MM-DD)")
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Document:
        text = (info.context or {}).get("text") if info is not None else None
        if text is not None:
            _check_against_text(self, text, (info.context or {}).get("sha256"))
        _check_flat(self)
        _check_arguments(self)
        return self

    def record_names(self, label: str | None = None) -> set[str]:
        """Every name (canonical or mention text) of the document's entities."""
        return {
            name
            for e in self.entities
            if label is None or e.label == label
            for name in (e.text, e.name)
        }


def _check_against_text(doc: Document, text: str, sha256: str | None) -> None:
    if sha256 is not None and sha256 != doc.text_sha256:
        raise ValueError(
            f"text_sha256 {doc.text_sha256[:12]}… does not match the article "
            f"(sha256 {sha256[:12]}…)"
        )
    spans: Iterable[tuple[str, Span]] = [
        *((f"entities[{i}]", e) for i, e in enumerate(doc.entities)),
        *(
            (f"events[{i}] ({ev.id}) triggers[{j}]", t)
            for i, ev in enumerate(doc.events)
            for j, t in enumerate(ev.triggers)
        ),
    ]
    for where, span in spans:
        if span.end > len(text):
            raise ValueError(f"{where}: end {span.end} is past the article's end ({len(text)})")
        if text[span.start : span.end] != span.text:
            raise ValueError(
                f"{where}: text {span.text!r} differs from the article's "
                f"[{span.start}:{span.end}] {text[span.start : span.end]!r}"
            )


def _check_flat(doc: Document) -> None:
    ents = sorted(enumerate(doc.entities), key=lambda p: (p[1].start, p[1].end))
    for (i, a), (j, b) in zip(ents, ents[1:], strict=False):
        if a.overlaps(b):
            raise ValueError(
                f"entities[{i}] {a.text!r} [{a.start}:{a.end}] overlaps "
                f"entities[{j}] {b.text!r} [{b.start}:{b.end}]"
            )
    triggers = sorted(
        ((f"events[{i}] ({ev.id})", t) for i, ev in enumerate(doc.events) for t in ev.triggers),
        key=lambda p: (p[1].start, p[1].end),
    )
    for (wa, ta), (wb, tb) in zip(triggers, triggers[1:], strict=False):
        if ta.overlaps(tb):
            raise ValueError(f"{wa} trigger {ta.text!r} overlaps {wb} trigger {tb.text!r}")
    # The entities are flat (checked above), so only those starting between the one
    # before the trigger and the trigger's end can overlap it: a bisect, not a scan.
    starts = [e.start for _i, e in ents]
    for where, trig in triggers:
        lo = max(bisect_left(starts, trig.start) - 1, 0)
        for i, ent in ents[lo : bisect_left(starts, trig.end)]:
            if trig.overlaps(ent):
                raise ValueError(
                    f"{where} trigger {trig.text!r} overlaps entities[{i}] {ent.text!r}"
                )
    counts = Counter(ev.id for ev in doc.events)
    dupes = sorted(i for i, n in counts.items() if n > 1)
    if dupes:
        raise ValueError(f"event ids are not unique: {', '.join(dupes)}")


def _check_arguments(doc: Document) -> None:
    actors = doc.record_names("ORG") | doc.record_names("PERSON") | doc.record_names("LOCATION")
    vehicles = doc.record_names("VEHICLE")
    places = doc.record_names("LOCATION")
    for i, ev in enumerate(doc.events):
        where = f"events[{i}] ({ev.id})"
        for name in ev.participants:
            if name not in actors:
                raise ValueError(f"{where}: participant {name!r} names no ORG, PERSON or LOCATION")
        for name in ev.vehicles:
            if name not in vehicles:
                raise ValueError(f"{where}: vehicle {name!r} names no VEHICLE entity")
        if ev.location is not None and ev.location not in places:
            raise ValueError(f"{where}: location {ev.location!r} names no LOCATION entity")


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{loc}: {msg}{more}" if loc else f"{msg}{more}"


def validate_document(
    data: Any,
    source: str,
    *,
    text: str | None = None,
    sha256: str | None = None,
) -> Document:
    """Validate ``data`` as a :class:`Document`, raising a one-line :class:`SchemaError`.

    ``source`` names the file in the message. With ``text`` the spans are checked
    against the article; with ``sha256`` (hex hash of the article bytes) the hash is checked too.
    """
    try:
        return Document.model_validate(data, context={"text": text, "sha256": sha256})
    except ValidationError as exc:
        raise SchemaError(source, _first_error(exc)) from None
