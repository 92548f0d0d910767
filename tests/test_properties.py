"""Properties of the whole extractor on generated text (hypothesis, fixed budget).

For any text the extractor returns an output (never an exception), every span indexes the
text (``text[start:end] == span.text``), entities never overlap each other, triggers never
overlap entities or each other, and the output validates against the schema. Two kinds
of text: arbitrary Unicode, and press-release-like text assembled from the fragments the
rules look for (names, dates, designators, hyphens, quotes, line breaks), which reaches far
more of the rules.

The examples are derandomized when ``CI`` is set, so a CI run is reproducible; locally
each run explores new examples (and hypothesis replays any failure it found first).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from orbitext.corpus import Article
from orbitext.extract import extract_articles
from orbitext.schema import Document, sha256_hex, validate_document

settings.register_profile(
    "orbitext",
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
BUDGET = settings.get_profile("orbitext")

FRAGMENTS = [
    # organisations, people, titles
    "NASA", "Roscosmos", "ESA", "JAXA", "CNSA", "Glavkosmos JSC", "SpaceX", "ISRO",
    "China National Space Administration (CNSA)", "State Space Corporation “Roscosmos”",
    "Space Cooperation Subcommittee", "Director General", "Administrator", "head of",
    "Dmitry Rogozin", "Jim Bridenstine", "Jan Woerner", "Hazzaa Al Mansoori", "Zhang Kejian",
    # vehicles and places
    "Soyuz-2.1a", "Soyuz-U", "Soyuz MS-12", "Progress MS-09", "Falcon 9", "Crew Dragon",
    "International Space Station", "ISS", "S.S. Katherine Johnson", "Angara-A5",
    "Baikonur Cosmodrome", "Launch Pad No. 1", "Vostochny", "Moscow", "U.S.", "Kazakhstan",
    "Moscow time", "Site 31",
    # dates
    "March 3, 2019", "12 May 2020", "2018-2022", "1975", "July 15–18, 1975", "yesterday",
    "on Monday", "last year", "in the 1990s", "18:41", "MOSCOW, March 12 (Roscosmos) —",
    "DULLES, Va. – April 19, 2019 –",
    # event words
    "launched", "lifted off", "docked", "berthed", "landed", "signed an agreement", "met",
    "held talks", "said", "will launch", "was launched", "launch", "docking",
    # glue and punctuation
    "the", "and", "of", "with", "from", "to", "on", "in", "a", "its", "(", ")", "“", "”",
    '"', "'", "-", "—", "–", ",", ".", ":", ";", "No.",
]
SEPARATORS = [" ", " ", " ", "", "\n", "\r\n", "\n\n", " - ", ", ", "\u00a0", "\t"]


@st.composite
def press_text(draw: st.DrawFn) -> str:
    """Fragments joined by separators, now and then with a few random characters."""
    parts = draw(st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), min_size=1, max_size=30
    ))
    out = []
    for part in parts:
        out.append(part)
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


def check(nlp: Language, text: str) -> Document:
    """Extract ``text`` and check every property; return the output."""
    article = Article(doc_id="generated", text=text, sha256=sha256_hex(text.encode("utf-8")),
                      source="<generated>")
    ((_article, result),) = list(extract_articles(nlp, [article]))
    assert isinstance(result, Document), f"{type(result).__name__}: {result}"
    spans = [*result.entities, *(t for ev in result.events for t in ev.triggers)]
    for span in spans:
        assert text[span.start : span.end] == span.text, span
    ents = sorted(result.entities, key=lambda e: e.start)
    for a, b in zip(ents, ents[1:], strict=False):
        assert a.end <= b.start, (a, b)
    triggers = sorted((t for ev in result.events for t in ev.triggers), key=lambda t: t.start)
    for a, b in zip(triggers, triggers[1:], strict=False):
        assert a.end <= b.start, (a, b)
    for trig in triggers:
        assert not any(trig.start < e.end and e.start < trig.end for e in ents), trig
    # The JSON written to disk validates against the schema and the article again.
    validate_document(result.model_dump(mode="json"), "<generated>", text=text,
                      sha256=article.sha256)
    return result


SUBJECTS = [
    "NASA", "Roscosmos Director General Dmitry Rogozin", "ESA", "Glavkosmos JSC",
    "the Chinese National Space Administration (CNSA)", "NASA Administrator Jim Bridenstine",
    "Roscosmos head Dmitry Rogozin and NASA chief Jim Bridenstine", "ISRO Chairman K. Sivan",
]
VERBS = ["launched", "will launch", "lifted off", "docked", "signed an agreement with", "met",
         "held talks with", "landed", "said the", "announced"]
OBJECTS = ["the Soyuz-2.1a rocket", "Progress MS-09", "the Soyuz MS-12 spacecraft", "Falcon 9",
           "the International Space Station", "Angara-A5 heavy launcher", "Kounotori 8 (HTV8)"]
PLACES = ["from the Baikonur Cosmodrome", "at the Plesetsk Cosmodrome", "from Launch Pad No. 1",
          "in Moscow", "to the ISS", "from Site 31 in Baikonur", ""]
WHEN = ["on March 3, 2019", "on 12 May 2020", "yesterday", "on Monday", "in 2018-2022",
        "on July 15, 1975 at 18:41 Moscow time", "last year", ""]
OPENINGS = ["MOSCOW, March 12 (Roscosmos) —", "BEIJING, Jan. 3 (Xinhua) --", "“", "- ", "1."]


@st.composite
def press_sentences(draw: st.DrawFn) -> str:
    """Whole sentences (who, did what, to what, where, when), some with a part swapped
    for a stray fragment, a dateline or quote before them, or odd separators."""
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        parts = [draw(st.sampled_from(x)) for x in (SUBJECTS, VERBS, OBJECTS, PLACES, WHEN)]
        if draw(st.booleans()):
            parts[draw(st.integers(0, 4))] = draw(st.sampled_from(FRAGMENTS))
        if draw(st.booleans()):
            parts.insert(0, draw(st.sampled_from(OPENINGS)))
        glue = draw(st.sampled_from([" ", " ", "\n", " - ", "\u00a0"]))
        end = draw(st.sampled_from([".", ".”", "", "\n", ";"]))
        sentences.append(glue.join(p for p in parts if p) + end)
    return draw(st.sampled_from([" ", "\n", "\r\n", "\n\n"])).join(sentences)


@BUDGET
@given(text=st.text(max_size=400))
def test_arbitrary_unicode(nlp: Language, text: str) -> None:
    check(nlp, text)


@BUDGET
@given(text=press_text())
def test_press_release_like_text(nlp: Language, text: str) -> None:
    check(nlp, text)


@BUDGET
@given(text=press_sentences())
def test_press_release_sentences(nlp: Language, text: str) -> None:
    check(nlp, text)


def test_a_generated_text_reaches_the_rules(nlp: Language) -> None:
    """The fragments do reach the rules: one such text has entities of every kind."""
    text = ("MOSCOW, March 12 (Roscosmos) — Director General Dmitry Rogozin said the "
            "Soyuz-2.1a rocket lifted off from the Baikonur Cosmodrome.\n")
    labels = {e.label for e in check(nlp, text).entities}
    assert labels == {"LOCATION", "DATE", "ORG", "PERSON", "VEHICLE"}
