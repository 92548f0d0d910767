"""Entity records: every mention of one entity in one document, merged by canonical name."""

from __future__ import annotations

from collections.abc import Iterable

from .schema import Entity, Record


def build_records(
    entities: Iterable[Entity], roles: dict[str, tuple[str | None, str | None]] | None = None
) -> list[Record]:
    """Group mentions by (label, canonical name or text) into :class:`Record` objects.

    ``roles`` maps a PERSON's canonical name to its (role, organization) when known.
    DATE mentions are not records of an entity and are left out.
    """
    roles = roles or {}
    grouped: dict[tuple[str, str], Record] = {}
    for ent in entities:
        if ent.label == "DATE":
            continue
        key = (ent.label, ent.name)
        record = grouped.get(key)
        if record is None:
            role, org = roles.get(ent.name, (None, None)) if ent.label == "PERSON" else (None, None)
            record = Record(
                label=ent.label, name=ent.name, kind=ent.kind, role=role, organization=org
            )
            grouped[key] = record
        if ent.text not in record.aliases and ent.text != record.name:
            record.aliases.append(ent.text)
        record.mentions.append((ent.start, ent.end))
    return sorted(grouped.values(), key=lambda r: (r.mentions[0][0], r.label))
