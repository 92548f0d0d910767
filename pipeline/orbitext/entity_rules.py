"""Shape and context rules for names no list holds, from ``patterns/rules/*.jsonl``.

Each group is a set of spaCy ``Matcher`` token patterns with a label (and a ``kind`` for
vehicles, a ``priority`` for the resolver). A token spec may carry ``"CTX": true``: such
tokens must match but are context, not part of the entity (``Director General`` before a
name, ``launch vehicle`` after one). Context tokens stand at the start or the end of a
pattern and take no operator, so the entity is the match minus a fixed number of tokens
at each end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from .candidates import Info, info_of, propose
from .gazetteer import load_entries
from .lexicons import register_lexicons
from .patterns_io import PatternGroup, load_groups, rule_files
from .schema import SchemaError

SPAN_KEY = "rules"
CTX = "CTX"


@dataclass(frozen=True)
class CompiledRule:
    """One token pattern of a group, with how many context tokens to trim at each end."""

    group: PatternGroup
    trim_start: int
    trim_end: int


def compile_pattern(raw: Any, group: PatternGroup) -> tuple[list[dict[str, Any]], int, int]:
    """Split a pattern into Matcher token specs and its leading/trailing context counts."""
    where = f"{group.source_file}:{group.line} group {group.group!r}"
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise SchemaError(where, "a pattern must be a non-empty list of token objects")
    flags = [bool(t.get(CTX)) for t in raw]
    lead = next((i for i, f in enumerate(flags) if not f), len(flags))
    trail = next((i for i, f in enumerate(reversed(flags)) if not f), len(flags))
    if lead == len(flags):
        raise SchemaError(where, "a pattern needs at least one non-context token")
    if any(flags[lead : len(flags) - trail]):
        raise SchemaError(where, "context tokens must stand at the start or the end")
    if any("OP" in t for t, f in zip(raw, flags, strict=True) if f):
        raise SchemaError(where, "context tokens cannot take an OP")
    tokens = [{k: v for k, v in t.items() if k != CTX} for t in raw]
    for token in tokens:
        for flag in token.get("_", {}):
            if not Token.has_extension(flag):
                raise SchemaError(
                    where, f"token flag {flag!r} is unknown (no patterns/lexicons/{flag}.txt)"
                )
    return tokens, lead, trail


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
        register_lexicons(root, vehicle_kinds)
        # Kind of a vehicle family word (``Progress`` -> spacecraft), for serial designators.
        self.family_kinds = {n.split()[0].split("-")[0]: k for n, k in vehicle_kinds.items()}
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.rules: dict[str, CompiledRule] = {}
        for path in rule_files(root, "rules"):
            for group in load_groups(path):
                for number, raw in enumerate(group.patterns):
                    tokens, lead, trail = compile_pattern(raw, group)
                    key = f"{group.group}#{number}"
                    if key in self.rules:
                        raise SchemaError(str(path), f"group name {group.group!r} repeats")
                    self.rules[key] = CompiledRule(group, lead, trail)
                    try:
                        self.matcher.add(key, [tokens])
                    except ValueError as exc:  # spaCy's pattern validation
                        first = str(exc).strip().splitlines()[-1]
                        raise SchemaError(
                            f"{path}:{group.line}", f"pattern {number}: {first}"
                        ) from None

    def __call__(self, doc: Doc) -> Doc:
        found: dict[tuple[int, int, str], Span] = {}
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[doc.vocab.strings[match_id]]
            s, e = start + rule.trim_start, end - rule.trim_end
            if s >= e:
                continue
            group = rule.group
            if getattr(group, "require_distinctive", False) and all(
                t._.generic_org_words or not t.is_alpha for t in doc[s:e]
            ):
                continue  # "the State Space Corporation said": a generic reference
            key = (s, e, group.label)
            priority = int(getattr(group, "priority", 0) or 0)
            if key in found and info_of(found[key]).priority >= priority:
                continue
            kind = getattr(group, "kind", None)
            if group.label == "VEHICLE" and kind is None:
                kind = self.family_kinds.get(doc[s].text.split("-")[0])
            info = Info(source=f"rule:{group.group}", priority=priority, kind=kind)
            found[key] = propose(doc, s, e, group.label, info)
        doc.spans[SPAN_KEY] = sorted(found.values(), key=lambda sp: (sp.start, -sp.end))
        return doc
