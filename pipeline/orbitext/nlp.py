"""The one place that builds orbitext's spaCy pipeline.

Order matters: candidates are proposed into span groups by independent components,
then one resolver chooses the flat entity layer, and events read that layer.

    orbitext_sentences     rule-based sentence boundaries (punctuation and line breaks)
    orbitext_dates         DATE candidates with ISO values -> doc.spans["dates"]
    orbitext_gazetteer     known names from patterns/gazetteers -> doc.spans["gazetteer"]
    orbitext_entity_rules  shape and context rules -> doc.spans["rules"]
    orbitext_entities      resolve candidates into doc.ents; canonical names, aliases
    orbitext_events        event triggers and arguments -> doc._.events
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_suffix_regex

from . import dates, entities, entity_rules, events, gazetteer, sentences  # noqa: F401  (factories)
from .extensions import register_extensions
from .resources import patterns_dir

PIPE_NAMES: tuple[str, ...] = (
    "orbitext_sentences",
    "orbitext_dates",
    "orbitext_gazetteer",
    "orbitext_entity_rules",
    "orbitext_entities",
    "orbitext_events",
)


def _split_designator_full_stops(nlp: Language) -> None:
    """Split a sentence's full stop off a designator (``Complex 4E.``, ``Long March 2D.``).

    The default suffixes keep a period after a capital letter (abbreviations such as
    ``U.S.``); after a digit and a capital it ends the sentence.
    """
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[0-9][A-Z])\."]
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def build_nlp(
    patterns: Path | None = None,
    *,
    ablate_names: Iterable[str] = (),
) -> Language:
    """Build the rules-only English pipeline from the pattern files.

    ``patterns`` defaults to :func:`orbitext.resources.patterns_dir`. ``ablate_names``
    removes every gazetteer entry having one of these names or aliases (the
    ``--ablate-gazetteer`` generalisation check).
    """
    register_extensions()
    root = str(patterns or patterns_dir())
    nlp = spacy.blank("en")
    # spaCy's 1,000,000-character guard is for a parser's memory; a rules-only pipeline
    # needs no cap, and a long article is still one article.
    nlp.max_length = sys.maxsize
    _split_designator_full_stops(nlp)
    nlp.add_pipe("orbitext_sentences")
    nlp.add_pipe("orbitext_dates", config={"patterns_dir": root})
    nlp.add_pipe(
        "orbitext_gazetteer",
        config={"patterns_dir": root, "ablate_names": sorted(set(ablate_names))},
    )
    nlp.add_pipe("orbitext_entity_rules", config={"patterns_dir": root})
    nlp.add_pipe("orbitext_entities", config={"patterns_dir": root})
    nlp.add_pipe("orbitext_events", config={"patterns_dir": root})
    return nlp
