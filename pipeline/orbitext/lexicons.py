"""Word lists and word shapes that token patterns test through ``Token._`` flags.

Every ``patterns/lexicons/NAME.txt`` (one word per line, ``#`` comments) becomes a
boolean token attribute ``Token._.NAME`` (``{"_": {"given_name": true}}`` in a pattern).
Shapes that a list cannot hold are flags too, defined here once so the pattern files
stay readable:

- ``name_shape``: a capitalised name word: ``Rogozin``, ``McClain``, ``DeMauro``,
  ``Saint-Jacques``, ``Auñón-Chancellor``, ``O'Neill``;
- ``initial``: an initial, ``K.`` or ``Yu.``;
- ``pinyin_shape``: a capitalised pinyin given name, ``Kejian``, ``Yanhua``;
- ``title_words``: a word of a title in ``person_titles.txt`` (``director``, ``general``);
- ``vehicle_family``: the first word of a known vehicle name (``Soyuz``, ``Shenzhou``),
  also before a hyphen (``Shenzhou-15``), from the vehicle gazetteers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.tokens import Token
from spacy.vocab import Vocab

from .schema import SchemaError

_NAME_RE = re.compile(
    r"^(?:[A-Z][a-zà-öø-ÿ'’]+|(?:Mc|Mac|De|Di|Le|La|Van|Al|El|O[’'])[A-Z][a-zà-öø-ÿ]+|"
    r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)*$"
)
_INITIAL_RE = re.compile(r"^[A-Z][a-z]?\.$")
# Pinyin syllables joined, capitalised: Kejian, Yanhua, Xiaoming (no English-only clusters).
_PINYIN_RE = re.compile(
    r"^(?:[BCDFGHJKLMNPQRSTWXYZ]?h?[aeiouü]+n?g?r?|[A-Z][aeiouü]+n?g?r?)"
    r"(?:(?:[bcdfghjklmnpqrstwxyz]h?)?[aeiouü]+n?g?r?)?$",
    re.IGNORECASE,
)

_NOT_INITIALS: frozenset[str] = frozenset(
    {"Dr.", "Mr.", "Ms.", "St.", "Mt.", "Lt.", "Co.", "Jr.", "Sr.", "No.", "Va.", "Ga.", "Pa."}
)

# spaCy's free lexeme flags are FLAG19 to FLAG63. Lexicons take 40-52; the rule
# matchers take the others for their most frequent predicates (ENTITY_RULE_FLAGS,
# EVENT_TRIGGER_FLAGS).
_FIRST_FLAG, _LAST_FLAG = 40, 52
ENTITY_RULE_FLAGS: tuple[int, ...] = tuple(range(19, 35))
EVENT_TRIGGER_FLAGS: tuple[int, ...] = (*range(35, 40), *range(53, 64))


def read_word_list(path: Path) -> frozenset[str]:
    """Read a one-entry-per-line list, skipping blank lines and ``#`` comments."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(str(path), f"cannot read word list: {exc}") from None
    return frozenset(s for line in lines if (s := line.strip()) and not s.startswith("#"))


def _set_flag(name: str, test: Callable[[str], bool]) -> None:
    if Token.has_extension(name):
        Token.remove_extension(name)
    Token.set_extension(name, getter=lambda t: test(t.text))


def title_words(titles: Iterable[str]) -> frozenset[str]:
    """Lower-cased words of every title (``Director General`` → director, general)."""
    return frozenset(w.lower() for title in titles for w in title.split())


def register_lexicons(
    root: Path, vehicle_names: Iterable[str] = (), vocab: Vocab | None = None
) -> dict[str, str]:
    """Register one flag per ``patterns/lexicons/*.txt`` file, plus the shape flags.

    Each flag is a ``Token._`` attribute (for code) and, given ``vocab``, a lexeme flag of
    that vocabulary, which spaCy's Matcher tests in C instead of calling Python for every
    token. Returns the Matcher attribute of each flag (``{"given_names": "FLAG40"}``).
    """
    tests: dict[str, Callable[[str], bool]] = {}
    lexicons: dict[str, frozenset[str]] = {}
    folder = root / "lexicons"
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        words = read_word_list(path)
        lexicons[path.stem] = words
        tests[path.stem] = words.__contains__
    # Words of multi-word titles (``Director General``) never belong to a name.
    words_of_titles = title_words(lexicons.get("person_titles", frozenset()))
    tests["title_words"] = lambda s: s.lower() in words_of_titles
    common = lexicons.get("non_name_words", frozenset())
    families = frozenset(
        first
        for name in vehicle_names
        if (first := name.split()[0].split("-")[0]).isalpha()
        and len(first) > 2
        and first not in common
    )
    tests["vehicle_family"] = lambda s: s.split("-")[0] in families
    tests["name_shape"] = lambda s: bool(_NAME_RE.match(s))
    # "Dr." and "St." have an initial's shape but are titles and abbreviations.
    tests["initial"] = lambda s: (
        bool(_INITIAL_RE.match(s))
        and s.lower().rstrip(".") not in words_of_titles
        and s not in _NOT_INITIALS
    )
    tests["pinyin_shape"] = lambda s: s[:1].isupper() and bool(_PINYIN_RE.match(s))
    if len(tests) > _LAST_FLAG - _FIRST_FLAG + 1:
        raise SchemaError(str(folder), f"too many lexicons for spaCy's flags ({len(tests)})")
    attrs: dict[str, str] = {}
    for offset, (name, test) in enumerate(sorted(tests.items())):
        _set_flag(name, test)
        if vocab is not None:
            flag_id = _FIRST_FLAG + offset
            vocab.add_flag(test, flag_id=flag_id)
            attrs[name] = f"FLAG{flag_id}"
    return attrs
