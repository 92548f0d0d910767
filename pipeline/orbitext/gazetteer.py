"""Known names from ``patterns/gazetteers``: a PhraseMatcher over every name and alias.

Each entry has an id, a standard ``name`` and ``aliases``; a match becomes a candidate in
``doc.spans["gazetteer"]`` with the entry's label, ``kb_id`` = entry id, ``_.canonical`` =
the standard name and, for vehicles, ``_.kind``. Names match case-sensitively on exact
tokens; an all-caps form of a mixed-case name also matches (datelines: ``MOSCOW``,
``WHITE SANDS SPACE HARBOR``). Entries whose ``note`` starts with ``ambiguous`` are
ordinary words or other things too (``Hope``, ``Progress``, ``Intelsat``): beside a
descriptor (``Progress spacecraft``, ``Intelsat satellites``) they outrank other
readings; capitalised mid-sentence they are the weakest candidate; first in a sentence
they are not proposed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from .candidates import Info, propose
from .patterns_io import load_gazetteer, rule_files

SPAN_KEY = "gazetteer"

# Words after (or before) an ambiguous name that show it is used as a vehicle or place.
_DESCRIPTORS: frozenset[str] = frozenset(
    {
        "rocket",
        "rockets",
        "launcher",
        "launch",
        "booster",
        "vehicle",
        "carrier",
        "spacecraft",
        "spaceship",
        "ship",
        "capsule",
        "probe",
        "lander",
        "rover",
        "orbiter",
        "freighter",
        "cargo",
        "module",
        "modules",
        "node",
        "lab",
        "laboratory",
        "station",
        "satellite",
        "satellites",
        "constellation",
        "stage",
        "telescope",
        "observatory",
        "mission",
        "cosmodrome",
        "spaceport",
    }
)


# Words after an ambiguous name that show it names something else (``Copernicus programme``).
_OTHER_SENSE_AFTER: frozenset[str] = frozenset(
    {
        "programme",
        "programmes",
        "program",
        "programs",
        "project",
        "initiative",
        "strategy",
        "plan",
        "crater",
        "prize",
        "award",
        "university",
        "institute",
        "foundation",
        "company",
    }
)


@dataclass(frozen=True)
class Entry:
    """A gazetteer entry as the matcher uses it."""

    id: str
    name: str
    label: str
    kind: str | None
    ambiguous: bool


def load_entries(
    root: Path, ablate_names: Iterable[str] = ()
) -> tuple[list[Entry], list[list[str]]]:
    """All gazetteer entries and, per entry, the surface forms to match.

    Entries having any name in ``ablate_names`` are dropped whole.
    """
    ablate = set(ablate_names)
    entries: list[Entry] = []
    forms: list[list[str]] = []
    for path in rule_files(root, "gazetteers"):
        gaz = load_gazetteer(path)
        header_kind = getattr(gaz.header, "kind", None)
        for item in gaz.entries:
            names = [item.name, *item.aliases]
            if ablate.intersection(names):
                continue
            entries.append(
                Entry(
                    id=item.id,
                    name=item.name,
                    label=item.label or gaz.header.label,
                    kind=item.kind or header_kind,
                    ambiguous=(item.note or "").lower().startswith("ambiguous"),
                )
            )
            forms.append(list(dict.fromkeys(names)))
    return entries, forms


@Language.factory(
    "orbitext_gazetteer",
    default_config={"patterns_dir": "", "ablate_names": []},
)
def make_gazetteer(
    nlp: Language, name: str, patterns_dir: str, ablate_names: list[str]
) -> GazetteerMatcher:
    """Factory for :class:`GazetteerMatcher`."""
    return GazetteerMatcher(nlp, name, Path(patterns_dir), ablate_names)


class GazetteerMatcher:
    """Propose every gazetteer name found in the text as a candidate entity."""

    def __init__(
        self, nlp: Language, name: str, root: Path, ablate_names: Iterable[str] = ()
    ) -> None:
        self.name = name
        self.entries, forms = load_entries(root, ablate_names)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
        for index, names in enumerate(forms):
            key = str(index)
            docs = list(cast(Tokenizer, nlp.tokenizer).pipe(names))
            self.exact.add(key, docs)
            # Only mixed-case names get an all-caps variant; acronyms already are caps.
            mixed = [d for d in docs if not d.text.isupper()]
            if mixed:
                self.caseless.add(key, mixed)

    def __call__(self, doc: Doc) -> Doc:
        found: dict[tuple[int, int, str], Span] = {}
        for matcher, caps_only in ((self.exact, False), (self.caseless, True)):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                if caps_only and not (span.text.isupper() and len(span.text) > 3):
                    continue
                entry = self.entries[int(doc.vocab.strings[match_id])]
                priority = 0
                if entry.ambiguous:
                    # An ordinary word too: a descriptor beside it confirms the sense and
                    # outranks other readings; mid-sentence and capitalised it is a weak
                    # reading that any other candidate beats; first in a sentence, nothing.
                    if end < len(doc) and doc[end].lower_ in _OTHER_SENSE_AFTER:
                        continue
                    if _has_descriptor(doc, start, end):
                        priority = 1
                    elif doc[start].is_sent_start or not doc[start].text[:1].isupper():
                        continue
                    else:
                        priority = -1
                key = (start, end, entry.label)
                if key in found:
                    continue
                info = Info(
                    source=f"gazetteer:{entry.id}",
                    priority=priority,
                    # Only a vehicle's kind is a schema field; others' kinds are notes.
                    kind=entry.kind if entry.label == "VEHICLE" else None,
                    canonical=entry.name,
                )
                found[key] = propose(doc, start, end, entry.label, info, kb_id=entry.id)
        doc.spans[SPAN_KEY] = sorted(found.values(), key=lambda s: (s.start, -s.end))
        return doc


def _has_descriptor(doc: Doc, start: int, end: int) -> bool:
    after = doc[end].lower_ if end < len(doc) else ""
    before = doc[start - 1].lower_ if start > 0 else ""
    return after in _DESCRIPTORS or before in _DESCRIPTORS
