"""Token patterns matched only around the words they cannot do without.

spaCy's ``Matcher`` tries every pattern at every token: its cost grows with tokens ×
patterns (about 60 ns each on this machine for patterns of plain C-level tests), and every
set or regex test of a pattern's first token is a Python call at every token. Yet most
tokens can be in few matches: "the" and "said" start no launch trigger.

:class:`IndexedMatcher` gives each pattern an *anchor*: the mandatory token spec that
admits the fewest everyday words (a month name rather than "the"; a trigger verb rather
than any word). Patterns with the same anchor spec form a group with its own spaCy
``Matcher``. Which groups each word of the vocabulary anchors is learnt once per word (as
spaCy's lexeme flags are). A document is then matched group by group, over windows
around the tokens that anchor the group: from as many tokens before the anchor as the
group's patterns can hold before it, to as many after. An unbounded side (``+``, ``*``)
runs to the end of the stretch of tokens some spec of the group admits. Every match
holds its anchor, so it lies in a window of its group; the windows of a group are joined
where they overlap or touch, so each match is found once. The matches are those of one
``Matcher`` over the whole document. Their order is by end, then start, then the number of
the pattern (spaCy's order differs among matches that end together but begin apart), so
of two patterns matching the same tokens the one added first comes first.

Only a spec's word-level tests (``ORTH``, ``TEXT``, ``LOWER``, ``SHAPE``, ``PREFIX``,
``SUFFIX``, ``LENGTH``, ``IS_*``, ``LIKE_*``, ``FLAGnn``) narrow the words it admits;
token-level ones (``IS_SENT_START``, ``SPACY``, ``_`` extensions) and operators not
known here are taken as "may accept", which keeps every window a superset of its
matches. Greedy filters are not supported (no pattern of this project uses one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from spacy.attrs import IDS, ORTH
from spacy.lexeme import Lexeme
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

_WordTest = Callable[[Lexeme], bool]
# Attributes of the token in its context, not of the word: they cannot narrow a word test.
_TOKEN_LEVEL = frozenset({"IS_SENT_START", "SENT_START", "SPACY", "_", "OP", "NORM"})
_RANGE_OP = re.compile(r"^\{(\d*)(,?)(\d*)\}$")  # spaCy's {n}, {n,m}, {n,}, {,m}
# Everyday words of news prose: the fewer of them a spec admits, the better an anchor.
_EVERYDAY_WORDS = (
    "The", "A", "In", "Soyuz", "Agency", "Space", "NASA", "ISS", "Moscow", "the", "a", "of",
    "and", "to", "in", "on", "is", "was", "will", "launch", "rocket", "said", "first",
    "2019", "15", "1", ",", ".", "-", "(", ")", "'s", "\n",
)


def token_range(spec: Mapping[str, Any]) -> tuple[int, int | None]:
    """How many tokens a spec takes: (least, most), most None for no limit."""
    op = spec.get("OP")
    if op in (None, "!", "1"):
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "+":
        return 1, None
    if op == "*":
        return 0, None
    found = _RANGE_OP.match(str(op))
    if found is None:
        return 0, None  # an operator not known here: assume anything
    low, comma, high = found.groups()
    least = int(low or 0)
    if not comma:
        return least, least
    return least, int(high) if high else None


def predicate_test(op: str, value: Any) -> Callable[[str], bool] | None:
    """A test on an attribute's string value for one ``IN``, ``NOT_IN`` or ``REGEX``
    predicate of a token spec; None for any other."""
    if op == "IN" and isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(value).__contains__
    if op == "NOT_IN" and isinstance(value, (list, tuple, set, frozenset)):
        excluded = frozenset(value)
        return lambda s: s not in excluded
    if op == "REGEX" and isinstance(value, str):
        rx = re.compile(value)
        return lambda s: rx.search(s) is not None
    return None


def _string_test(getter: Callable[[Lexeme], str], check: Callable[[str], bool]) -> _WordTest:
    return lambda w: check(getter(w))


def _length_test(length: int) -> Callable[[str], bool]:
    return lambda s: len(s) == length


def _flag_test(flag: int, value: bool) -> _WordTest:
    return lambda w: w.check_flag(flag) is value


_STRING_GETTERS: dict[str, Callable[[Lexeme], str]] = {
    "ORTH": attrgetter("orth_"),
    "TEXT": attrgetter("orth_"),
    "LOWER": attrgetter("lower_"),
    "SHAPE": attrgetter("shape_"),
    "PREFIX": attrgetter("prefix_"),
    "SUFFIX": attrgetter("suffix_"),
}


def _flag_id(attr: str) -> int | None:
    """The lexeme flag behind a boolean word attribute (IS_*, LIKE_*, FLAGnn)."""
    attr_id = IDS.get(attr)
    return attr_id if attr_id is not None and 0 < attr_id < 64 else None


def spec_admission(spec: Mapping[str, Any]) -> _WordTest | None:
    """A test true for every word (``Lexeme``) ``spec`` can accept, and perhaps for more.

    The tests read what spaCy has already computed for the word (its lower-case form, its
    flags), as spaCy's Matcher does. None: the spec may accept any word, for it has no
    word-level test known here or it is negated (``"OP": "!"`` takes one token the spec
    does not match).
    """
    if spec.get("OP") == "!":
        return None
    tests: list[_WordTest] = []
    for attr, value in spec.items():
        if attr in _TOKEN_LEVEL:
            continue
        getter = _STRING_GETTERS.get(attr)
        if getter is not None:
            if isinstance(value, dict):
                for op, operand in value.items():
                    check = predicate_test(op, operand)
                    if check is not None:
                        tests.append(_string_test(getter, check))
            elif isinstance(value, str):
                tests.append(_string_test(getter, value.__eq__))
        elif attr == "LENGTH" and isinstance(value, int) and not isinstance(value, bool):
            tests.append(_string_test(attrgetter("orth_"), _length_test(value)))
        elif (flag := _flag_id(attr)) is not None and isinstance(value, bool):
            tests.append(_flag_test(flag, value))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda w: all(test(w) for test in tests)


def finite_words(spec: Mapping[str, Any]) -> tuple[str, frozenset[str]] | None:
    """("ORTH" or "LOWER", the words) when ``spec`` admits exactly a list of words.

    That is: its only word-level test is an equality or ``IN`` on ``ORTH``/``TEXT`` or
    ``LOWER`` (token-level tests may stand beside it). Such specs are looked up, not run.
    """
    if spec.get("OP") == "!":
        return None
    found: tuple[str, frozenset[str]] | None = None
    for attr, value in spec.items():
        if attr in _TOKEN_LEVEL:
            continue
        if attr not in ("ORTH", "TEXT", "LOWER") or found is not None:
            return None
        key = "LOWER" if attr == "LOWER" else "ORTH"
        if isinstance(value, str):
            found = (key, frozenset([value]))
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            found = (key, frozenset(w for w in value["IN"] if isinstance(w, str)))
        else:
            return None
    return found


def _any_of(tests: list[_WordTest | None]) -> _WordTest | None:
    if any(test is None for test in tests):
        return None
    known = [t for t in tests if t is not None]
    return lambda s: any(test(s) for test in known)


def _reach(specs: list[dict[str, Any]]) -> int | None:
    """The most tokens ``specs`` can take, None for no limit."""
    total = 0
    for spec in specs:
        most = token_range(spec)[1]
        if most is None:
            return None
        total += most
    return total


def _widest(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else max(a, b)


def choose_anchor(vocab: Vocab, specs: list[dict[str, Any]]) -> int | None:
    """Index of the mandatory spec that admits the fewest everyday words; None if none."""
    best: tuple[tuple[int, int], int] | None = None
    for i, spec in enumerate(specs):
        if token_range(spec)[0] < 1:
            continue
        test = spec_admission(spec)
        if test is None:
            continue
        everyday = sum(1 for word in _EVERYDAY_WORDS if test(vocab[word]))
        # A spec naming its words (ORTH or LOWER values) beats a shape on a tie.
        named = 0 if any(k in ("ORTH", "TEXT", "LOWER") for k in spec) else 1
        score = (everyday, named)
        if best is None or score < best[0]:
            best = (score, i)
    return None if best is None else best[1]


@dataclass
class _Group:
    """Patterns that share an anchor spec, with how far a match reaches around it."""

    matcher: Matcher
    anchor: _WordTest | None  # None: any word (the group has no anchor)
    words: tuple[str, frozenset[str]] | None  # the anchor as a list of words, if it is one
    before: int | None = 0  # tokens a match can hold before its anchor (None: no limit)
    after: int | None = 0
    admits: list[_WordTest | None] = field(default_factory=list)

    @property
    def unbounded(self) -> bool:
        return self.before is None or self.after is None


class IndexedMatcher:
    """Patterns added with :meth:`add`, matched around the words that anchor them."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._groups: list[_Group] = []
        self._by_anchor: dict[str, int] = {}
        self._patterns = 0
        self._order: dict[int, int] = {}  # match id -> number of its first pattern
        # Per word (orth id): the groups it anchors, and a bit per unbounded group that
        # admits it. Learnt from the word's lexeme, once per word.
        self._anchors: dict[int, tuple[int, ...]] = {}
        self._admitted: dict[int, int] = {}
        # How the anchors are found: word lists are looked up, other tests are run.
        self._by_orth: dict[str, list[int]] = {}
        self._by_lower: dict[str, list[int]] = {}
        self._tested: list[tuple[int, _WordTest | None]] = []
        self._stretch_tests: list[tuple[int, _WordTest | None]] | None = None
        self._zone_words: list[int] | None = None  # words first seen in the open memory zone
        self.patterns: list[tuple[str, list[dict[str, Any]]]] = []

    def __len__(self) -> int:
        return self._patterns

    def plain_matcher(self) -> Matcher:
        """A spaCy ``Matcher`` with the same patterns, to check this one against."""
        matcher = Matcher(self.vocab, validate=False)
        for key, specs in self.patterns:
            matcher.add(key, [specs])
        return matcher

    def add(self, key: str, specs: list[dict[str, Any]]) -> None:
        """Add one pattern under ``key``; spaCy's ``Matcher.add`` checks it."""
        k = choose_anchor(self.vocab, specs)
        anchor_key = "*" if k is None else json.dumps(specs[k], sort_keys=True)
        index = self._by_anchor.get(anchor_key)
        if index is None:
            test = None if k is None else spec_admission(specs[k])
            words = None if k is None else finite_words(specs[k])
            index = self._by_anchor[anchor_key] = len(self._groups)
            self._groups.append(_Group(Matcher(self.vocab, validate=False), test, words))
            if words is None:
                self._tested.append((index, test))
            else:
                table = self._by_lower if words[0] == "LOWER" else self._by_orth
                for word in words[1]:
                    table.setdefault(word, []).append(index)
        group = self._groups[index]
        group.matcher.add(key, [specs])
        self.patterns.append((key, specs))
        if k is None:  # no anchor: a window is the whole document
            group.before = group.after = None
        else:
            group.before = _widest(group.before, _reach(specs[:k]))
            group.after = _widest(group.after, _reach(specs[k + 1 :]))
        group.admits.extend(spec_admission(s) for s in specs)
        self._order.setdefault(self.vocab.strings.add(key), self._patterns)
        self._patterns += 1
        # What words anchor or admit has changed: learn it again, the stretches at first use.
        self._stretch_tests = None
        self._anchors.clear()
        self._admitted.clear()

    def _stretches(self) -> list[tuple[int, _WordTest | None]]:
        """Each unbounded group with the test of the words its specs admit."""
        if self._stretch_tests is None:
            self._stretch_tests = [
                (i, _any_of(g.admits)) for i, g in enumerate(self._groups) if g.unbounded
            ]
        return self._stretch_tests

    @contextmanager
    def memory_zone(self) -> Iterator[None]:
        """Forget, when the block ends, what was learnt about words first seen inside it.

        Used with spaCy's ``nlp.memory_zone()``, which frees the strings a zone added: the
        per-word tables would otherwise grow with every new name of an archive.
        """
        words: list[int] = []
        self._zone_words = words
        try:
            yield
        finally:
            self._zone_words = None
            for orth in words:
                self._anchors.pop(orth, None)
                self._admitted.pop(orth, None)

    def _groups_anchored_by(self, orth: int) -> tuple[int, ...]:
        word = self.vocab[orth]
        found = {i for i, test in self._tested if test is None or test(word)}
        found.update(self._by_orth.get(word.orth_, ()))
        found.update(self._by_lower.get(word.lower_, ()))
        groups = tuple(sorted(found))
        self._anchors[orth] = groups
        if self._zone_words is not None:
            self._zone_words.append(orth)
        return groups

    def _admitted_by(self, orth: int) -> int:
        bits = self._admitted.get(orth)
        if bits is None:
            word = self.vocab[orth]
            bits = sum(1 << i for i, t in self._stretches() if t is None or t(word))
            self._admitted[orth] = bits
            if self._zone_words is not None:
                self._zone_words.append(orth)
        return bits

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` of every match in ``doc``."""
        orths: list[int] = doc.to_array(ORTH).tolist() if len(doc) else []
        anchors_of: dict[int, list[int]] = {}
        known = self._anchors
        for i, orth in enumerate(orths):
            groups = known.get(orth)
            if groups is None:
                groups = self._groups_anchored_by(orth)
            for g in groups:
                anchors_of.setdefault(g, []).append(i)
        found: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        for g, anchors in anchors_of.items():
            matcher = self._groups[g].matcher
            for window_start, window_end in self._windows(g, anchors, orths):
                for match_id, s, e in matcher(doc[window_start:window_end]):
                    start, end = s + window_start, e + window_start
                    found.setdefault((match_id, start, end), (end, start, self._order[match_id]))
        return sorted(found, key=found.__getitem__)

    def _windows(self, g: int, anchors: list[int], orths: list[int]) -> Iterator[tuple[int, int]]:
        """The group's windows around ``anchors``, overlapping or touching ones joined."""
        group = self._groups[g]
        bit = 1 << g
        n = len(orths)
        window: tuple[int, int] | None = None
        for a in anchors:
            if window is not None and a < window[1] and group.after is None:
                continue  # inside an unbounded window: it already reaches the stretch's end
            if group.before is None:
                # Walking back past the previous window's end is not needed: the two join.
                floor = 0 if window is None else window[1]
                start = a
                while start > floor and self._admitted_by(orths[start - 1]) & bit:
                    start -= 1
            else:
                start = max(a - group.before, 0)
            if group.after is None:
                end = a + 1
                while end < n and self._admitted_by(orths[end]) & bit:
                    end += 1
            else:
                end = min(a + 1 + group.after, n)
            if window is not None and start <= window[1]:
                window = (window[0], max(window[1], end))
            else:
                if window is not None:
                    yield window
                window = (start, end)
        if window is not None:
            yield window
