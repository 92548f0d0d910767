"""Token-pattern groups from pattern files, compiled into one ``IndexedMatcher``.

Shared by the entity rules and the event triggers. A token spec may carry
``"CTX": true``: such tokens must match but are context, not part of the result
(``Director General`` before a name, ``launch vehicle`` after one). Context tokens stand
at the start or the end of a pattern and take no operator, so the result is the match
minus a fixed number of tokens at each end. A pattern given as a string is a phrase,
matched word by word without case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Token

from .indexed_matcher import IndexedMatcher, predicate_test
from .patterns_io import PatternGroup, load_groups
from .schema import SchemaError

CTX = "CTX"


@dataclass(frozen=True)
class CompiledRule:
    """One token pattern of a group, with how many context tokens to trim at each end."""

    group: PatternGroup
    trim_start: int
    trim_end: int


def compile_pattern(
    raw: Any, group: PatternGroup, lexeme_flags: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], int, int]:
    """Split a pattern into Matcher token specs and its leading/trailing context counts.

    ``lexeme_flags`` maps lexicon flags (``{"_": {"given_names": true}}``) to the lexeme flags
    they were compiled into (``FLAG40``), which the Matcher tests without calling Python.
    """
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
    problems = validate_token_pattern(tokens)
    if problems:
        raise SchemaError(where, problems[0])
    return [_with_lexeme_flags(t, lexeme_flags or {}) for t in tokens], lead, trail


def _with_lexeme_flags(token: dict[str, Any], flags: dict[str, str]) -> dict[str, Any]:
    ext = token.get("_")
    if not ext:
        return token
    out = {k: v for k, v in token.items() if k != "_"}
    rest = {name: value for name, value in ext.items() if name not in flags}
    for name, value in ext.items():
        if name in flags:
            out[flags[name]] = value
    if rest:
        out["_"] = rest
    return out


_PredicateKey = tuple[str, str, Any]
_STRING_ATTRS = ("ORTH", "TEXT", "LOWER")


def _predicate_keys(token: dict[str, Any]) -> list[_PredicateKey]:
    keys: list[_PredicateKey] = []
    for attr in _STRING_ATTRS:
        spec = token.get(attr)
        if isinstance(spec, dict) and len(spec) == 1:
            ((op, value),) = spec.items()
            if op in ("IN", "NOT_IN") and isinstance(value, list):
                keys.append((attr, op, frozenset(value)))
            elif op == "REGEX" and isinstance(value, str):
                keys.append((attr, op, value))
    return keys


def _first_token_predicates(
    patterns: list[list[dict[str, Any]]], flag_ids: Sequence[int]
) -> dict[_PredicateKey, int]:
    """The set and regex tests of patterns' first tokens, most used first, one flag each.

    spaCy evaluates such a test in Python at every token (a pattern may start anywhere);
    as a lexeme flag it is computed once per word of the vocabulary and tested in C.
    """
    counts: Counter[_PredicateKey] = Counter()
    for tokens in patterns:
        if tokens:
            counts.update(_predicate_keys(tokens[0]))
    chosen = counts.most_common(len(flag_ids))
    return {key: fid for (key, _n), fid in zip(chosen, flag_ids[: len(chosen)], strict=True)}


def _predicate_test(attr: str, op: str, value: Any) -> Callable[[str], bool]:
    check = predicate_test(op, value)
    if check is None:  # _predicate_keys keeps only IN, NOT_IN and REGEX
        raise ValueError(f"no word test for {op!r} predicates")
    if attr == "LOWER":
        return lambda s: check(s.lower())
    return check


def _with_predicate_flags(token: dict[str, Any], tests: dict[_PredicateKey, int]) -> dict[str, Any]:
    if not tests:
        return token
    out = dict(token)
    for key in _predicate_keys(token):
        if key in tests:
            del out[key[0]]
            out[f"FLAG{tests[key]}"] = True
    return out


class RuleMatcher:
    """Every pattern of the groups in ``paths``, matched at once."""

    def __init__(
        self,
        nlp: Language,
        paths: Iterable[Path],
        flags: dict[str, str] | None = None,
        predicate_flag_ids: Sequence[int] = (),
    ) -> None:
        """``flags``: lexicon flags compiled into lexeme flags (see :mod:`orbitext.lexicons`).
        ``predicate_flag_ids``: spaCy lexeme flag ids (19-63) this matcher may use for its
        most frequent first-token ``IN``/``NOT_IN``/``REGEX`` predicates."""
        # Patterns are validated one by one in compile_pattern, before their lexicon flags
        # become FLAGnn attributes that spaCy's validator does not know.
        self.matcher = IndexedMatcher(nlp.vocab)
        self.rules: dict[str, CompiledRule] = {}
        self.groups: list[PatternGroup] = []
        compiled: list[tuple[str, list[dict[str, Any]], Path, PatternGroup, int]] = []
        for path in paths:
            for group in load_groups(path):
                self.groups.append(group)
                for number, raw in enumerate(group.patterns):
                    if isinstance(raw, str):  # a phrase: its words, case-insensitively
                        raw = [{"LOWER": t.lower_} for t in nlp.make_doc(raw)]
                    tokens, lead, trail = compile_pattern(raw, group, flags)
                    key = f"{group.group}#{number}"
                    if key in self.rules:
                        raise SchemaError(str(path), f"group name {group.group!r} repeats")
                    self.rules[key] = CompiledRule(group, lead, trail)
                    compiled.append((key, tokens, path, group, number))
        lexeme_tests = _first_token_predicates([t for _k, t, *_ in compiled], predicate_flag_ids)
        for (attr, op, frozen), flag_id in lexeme_tests.items():
            nlp.vocab.add_flag(_predicate_test(attr, op, frozen), flag_id=flag_id)
        for key, tokens, path, group, number in compiled:
            tokens = [_with_predicate_flags(t, lexeme_tests) for t in tokens]
            try:
                self.matcher.add(key, tokens)
            except ValueError as exc:  # spaCy's pattern validation
                first = str(exc).strip().splitlines()[-1]
                raise SchemaError(f"{path}:{group.line}", f"pattern {number}: {first}") from None

    def memory_zone(self) -> AbstractContextManager[None]:
        """See :meth:`IndexedMatcher.memory_zone`."""
        return self.matcher.memory_zone()

    def __call__(self, doc: Doc) -> Iterator[tuple[PatternGroup, int, int]]:
        """(group, start, end) of every match, context tokens trimmed off."""
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[doc.vocab.strings[match_id]]
            s, e = start + rule.trim_start, end - rule.trim_end
            if s < e:
                yield rule.group, s, e
