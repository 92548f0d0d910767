"""Reading pattern files: rules and gazetteers kept as data, each with its own examples.

Every pattern file is JSON Lines. Two shapes exist:

*Rule files* (``patterns/rules``, ``patterns/dates``, ``patterns/events``): every line is
one **group** of patterns with the sentences that prove it::

    {"group": "vehicle-before-descriptor", "label": "VEHICLE",
     "patterns": [...spaCy token patterns or phrase strings...],
     "examples": {"match":    [{"text": "The Zorro-3 rocket flew.", "span": "Zorro-3"}],
                  "no_match": [{"text": "The launch vehicle was ready.",
                                "span": "launch vehicle"}]}}

*Gazetteer files* (``patterns/gazetteers``): the first line is the file's header group
(``group``, ``label``, ``examples``, no ``patterns``); every further line is one entry::

    {"id": "roscosmos", "name": "Roscosmos", "aliases": ["State Space Corporation Roscosmos"],
     "kind": null, "source": "https://www.roscosmos.ru"}

An example's ``span`` must be found (``match``) or must not be found (``no_match``) as
the exact text of an output item for ``text`` with the group's ``label`` (or the
example's own ``label``); a ``value``, ``kind`` or ``canonical`` is checked too when
given. A ``no_match`` without
``span`` means no output of that label at all. ``tests/test_pattern_examples.py`` runs
every example of every file, so a rule and its proof cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .schema import SchemaError


class Example(BaseModel):
    """One sentence a group must (or must not) produce ``span`` for."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    span: str | None = None
    label: str | None = None
    value: str | None = None
    reference_date: str | None = None
    kind: str | None = None
    canonical: str | None = None


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match: list[Example] = Field(default_factory=list)
    no_match: list[Example] = Field(default_factory=list)


class PatternGroup(BaseModel):
    """A named group of patterns sharing a label, with its examples."""

    model_config = ConfigDict(extra="allow")
    group: str = Field(min_length=1)
    label: str = Field(min_length=1)
    patterns: list[Any] = Field(default_factory=list)
    examples: Examples = Field(default_factory=Examples)
    source_file: str = ""
    line: int = 0


class GazetteerEntry(BaseModel):
    """One real-world entity: its standard name, its aliases and where the fact is from."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    label: str | None = None
    kind: str | None = None
    source: str | None = None
    note: str | None = None


class Gazetteer(BaseModel):
    """A gazetteer file: its header group (label, examples) and its entries."""

    header: PatternGroup
    entries: list[GazetteerEntry]


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(str(path), f"cannot read pattern file: {exc}") from None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{path}:{number}", f"invalid JSON: {exc.msg}") from None
        if not isinstance(item, dict):
            raise SchemaError(f"{path}:{number}", "each line must be a JSON object")
        yield number, item


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def load_groups(path: Path) -> list[PatternGroup]:
    """Read a rule file: one :class:`PatternGroup` per line."""
    groups = []
    for number, item in _json_lines(path):
        try:
            group = PatternGroup.model_validate(item)
        except ValidationError as exc:
            raise SchemaError(f"{path}:{number}", _validation_message(exc)) from None
        if not group.patterns:
            raise SchemaError(f"{path}:{number}", f"group {group.group!r} has no patterns")
        group.source_file, group.line = str(path), number
        groups.append(group)
    return groups


def load_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer file: a header group line, then one entry per line."""
    items = list(_json_lines(path))
    if not items:
        raise SchemaError(str(path), "empty gazetteer file")
    (first_line, first), rest = items[0], items[1:]
    try:
        header = PatternGroup.model_validate(first)
    except ValidationError as exc:
        raise SchemaError(f"{path}:{first_line}", f"header: {_validation_message(exc)}") from None
    header.source_file, header.line = str(path), first_line
    entries = []
    seen: dict[str, int] = {}
    for number, item in rest:
        try:
            entry = GazetteerEntry.model_validate(item)
        except ValidationError as exc:
            raise SchemaError(f"{path}:{number}", _validation_message(exc)) from None
        if entry.id in seen:
            raise SchemaError(f"{path}:{number}", f"id {entry.id!r} repeats line {seen[entry.id]}")
        seen[entry.id] = number
        entries.append(entry)
    return Gazetteer(header=header, entries=entries)


def rule_files(root: Path, folder: str) -> list[Path]:
    """The ``*.jsonl`` files of ``root/folder``, sorted so loading order is stable."""
    return sorted((root / folder).glob("*.jsonl"))
