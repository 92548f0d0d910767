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
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Token

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

_REGISTERED: dict[str, frozenset[str]] = {}


def read_word_list(path: Path) -> frozenset[str]:
    """Read a one-entry-per-line list, skipping blank lines and ``#`` comments."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(str(path), f"cannot read word list: {exc}") from None
    return frozenset(s for line in lines if (s := line.strip()) and not s.startswith("#"))


def _set_flag(name: str, getter: object) -> None:
    if Token.has_extension(name):
        Token.remove_extension(name)
    Token.set_extension(name, getter=getter)


def register_lexicons(root: Path, vehicle_names: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    """Register one token flag per ``patterns/lexicons/*.txt`` file, plus the shape flags."""
    lexicons: dict[str, frozenset[str]] = {}
    folder = root / "lexicons"
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        words = read_word_list(path)
        lexicons[path.stem] = words
        _set_flag(path.stem, lambda t, w=words: t.text in w)
    # Words of multi-word titles (``Director General``) never belong to a name.
    title_words = frozenset(w.lower() for t in lexicons.get("person_titles", ()) for w in t.split())
    lexicons["title_words"] = title_words
    _set_flag("title_words", lambda t: t.lower_ in title_words)
    common = lexicons.get("non_name_words", frozenset())
    families = frozenset(
        first
        for name in vehicle_names
        if (first := name.split()[0].split("-")[0]).isalpha()
        and len(first) > 2
        and first not in common
    )
    lexicons["vehicle_family"] = families
    _set_flag("vehicle_family", lambda t: t.text.split("-")[0] in families)
    _set_flag("name_shape", lambda t: bool(_NAME_RE.match(t.text)))
    # "Dr." and "St." have an initial's shape but are titles and abbreviations.
    _set_flag(
        "initial",
        lambda t: (
            bool(_INITIAL_RE.match(t.text))
            and t.lower_.rstrip(".") not in title_words
            and t.text not in _NOT_INITIALS
        ),
    )
    _set_flag("pinyin_shape", lambda t: t.text[:1].isupper() and bool(_PINYIN_RE.match(t.text)))
    _REGISTERED.update(lexicons)
    return lexicons
