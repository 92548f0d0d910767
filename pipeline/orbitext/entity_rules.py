"""Shape and context rules for names no list holds, from ``patterns/rules/*.jsonl``.

Each group is a set of spaCy ``Matcher`` token patterns (see :mod:`orbitext.rule_matcher`
for context tokens) with a label, a ``kind`` for vehicles and a ``priority`` for the
resolver. A group with ``"require_distinctive": true`` drops a match made only of generic
words (``patterns/lexicons/generic_org_words.txt``): ``State Space Corporation`` alone is
a reference, not a name.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from .candidates import Info, info_of, propose
from .gazetteer import load_entries
from .lexicons import ENTITY_RULE_FLAGS, register_lexicons
from .patterns_io import rule_files
from .rule_matcher import RuleMatcher

SPAN_KEY = "rules"


@Language.factory("orbitext_entity_rules", default_config={"patterns_dir": ""})
def make_entity_rules(nlp: Language, name: str, patterns_dir: str) -> EntityRules:
    """Factory for :class:`EntityRules`."""
    return EntityRules(nlp, name, Path(patterns_dir))


class EntityRules:
    """Propose entities found by shape and context into ``doc.spans["rules"]``."""

    def __init__(self, nlp: Language, name: str, root: Path) -> None:
        self.name = name
        entries, forms = load_entries(root)
        vehicle_kinds = {
            n: e.kind
            for e, names in zip(entries, forms, strict=True)
            if e.label == "VEHICLE"
            for n in names
        }
        flags = register_lexicons(root, vehicle_kinds, nlp.vocab)
        # Kind of a vehicle family word (``Progress`` -> spacecraft), for serial designators.
        self.family_kinds = {n.split()[0].split("-")[0]: k for n, k in vehicle_kinds.items()}
        self.matcher = RuleMatcher(nlp, rule_files(root, "rules"), flags, ENTITY_RULE_FLAGS)
        # Each group's optional fields, read once (they are extras of a pydantic model).
        self._settings: dict[str, tuple[bool, int, str | None]] = {
            g.group: (
                bool(getattr(g, "require_distinctive", False)),
                int(getattr(g, "priority", 0) or 0),
                getattr(g, "kind", None),
            )
            for g in self.matcher.groups
        }

    def memory_zone(self, mem: object = None) -> AbstractContextManager[None]:
        """Called by spaCy's ``nlp.memory_zone()``: forget the words first seen inside it."""
        return self.matcher.memory_zone()

    def __call__(self, doc: Doc) -> Doc:
        found: dict[tuple[int, int, str], Span] = {}
        for group, s, e in self.matcher(doc):
            distinctive, priority, kind = self._settings[group.group]
            if distinctive and all(t._.generic_org_words or not t.is_alpha for t in doc[s:e]):
                continue  # "the State Space Corporation said": a generic reference
            key = (s, e, group.label)
            if key in found and info_of(found[key]).priority >= priority:
                continue
            if group.label == "VEHICLE" and kind is None:
                kind = self.family_kinds.get(doc[s].text.split("-")[0])
            info = Info(source=f"rule:{group.group}", priority=priority, kind=kind)
            found[key] = propose(doc, s, e, group.label, info)
        doc.spans[SPAN_KEY] = sorted(found.values(), key=lambda sp: (sp.start, -sp.end))
        return doc
