"""The events component on hand-written sentences with hand-set (gold-like) entities.

Entities are given as (text, label, attributes); the helper finds each text in order,
so the events component is tested alone, whatever the entity rules currently find.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from orbitext.event_coref import dates_compatible
from orbitext.events import EventFinder
from orbitext.extensions import register_extensions
from orbitext.schema import Event

Ent = tuple[str, str] | tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def blank() -> Language:
    """A blank English pipeline with orbitext's sentence splitter only."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("orbitext_sentences")
    return nlp


@pytest.fixture(scope="module")
def finder(blank: Language, patterns_dir: Path) -> EventFinder:
    """The events component reading the source tree's pattern files."""
    return EventFinder(blank, "orbitext_events", patterns_dir)


def _doc(nlp: Language, text: str, ents: list[Ent]) -> Doc:
    """Tokenise ``text`` and set ``ents`` (found left to right) as its entity layer."""
    doc = nlp(text)
    spans, cursor = [], 0
    for item in ents:
        surface, label = item[0], item[1]
        attrs: dict[str, Any] = item[2] if len(item) > 2 else {}  # type: ignore[misc]
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, cursor, label=label)
        assert span is not None, f"{surface!r} does not align with tokens"
        spans.append((span, attrs))
    doc.ents = [s for s, _ in spans]
    for (_, attrs), ent in zip(spans, doc.ents, strict=True):
        for key, value in attrs.items():
            setattr(ent._, key, value)
    return doc


def run(nlp: Language, finder: EventFinder, text: str, ents: list[Ent]) -> list[Event]:
    """The events found in ``text`` with ``ents`` as its entities."""
    return finder(_doc(nlp, text, ents))._.events


def triggers(event: Event) -> list[str]:
    return [t.text for t in event.triggers]


def lv(value: str | None = None) -> dict[str, Any]:
    return {"kind": "launch_vehicle", **({"canonical": value} if value else {})}


SC = {"kind": "spacecraft"}
SAT = {"kind": "satellite"}
STATION = {"kind": "station"}


def day(value: str) -> dict[str, Any]:
    return {"value": value}


# --- triggers of every type -------------------------------------------------------------


def test_launch_with_all_arguments(blank: Language, finder: EventFinder) -> None:
    text = (
        "A Zenit-3SL rocket carrying the Meridian-9 satellite lifted off from Launch Pad 2 "
        "at the Plesetsk Cosmodrome on 14 March 2021, operated by Orbital Lines."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Zenit-3SL", "VEHICLE", lv()),
            ("Meridian-9", "VEHICLE", SAT),
            ("Launch Pad 2", "LOCATION"),
            ("Plesetsk Cosmodrome", "LOCATION"),
            ("14 March 2021", "DATE", day("2021-03-14")),
            ("Orbital Lines", "ORG"),
        ],
    )
    assert len(events) == 1
    ev = events[0]
    assert (ev.id, ev.type, triggers(ev)) == ("e1", "LAUNCH", ["lifted off"])
    assert ev.triggers[0].start == text.index("lifted off")
    assert ev.date == "2021-03-14"
    assert ev.vehicles == ["Zenit-3SL", "Meridian-9"]
    assert ev.location == "Plesetsk Cosmodrome"  # the spaceport, not the pad
    assert ev.participants == ["Orbital Lines"]


def test_docking_takes_visitor_and_station(blank: Language, finder: EventFinder) -> None:
    text = "The Tianzhou-7 freighter docked with the Tiangong space station on Friday."
    events = run(
        blank,
        finder,
        text,
        [
            ("Tianzhou-7", "VEHICLE", SC),
            ("Tiangong", "VEHICLE", STATION),
            ("Friday", "DATE", day("2024-01-19")),
        ],
    )
    assert [(e.type, triggers(e), e.vehicles, e.date) for e in events] == [
        ("DOCKING", ["docked"], ["Tianzhou-7", "Tiangong"], "2024-01-19")
    ]


def test_docking_adds_the_article_station(blank: Language, finder: EventFinder) -> None:
    text = (
        "The Mir station was busy that year. "
        "Later the Progress M-34 cargo ship docked with the station."
    )
    events = run(
        blank, finder, text, [("Mir", "VEHICLE", STATION), ("Progress M-34", "VEHICLE", SC)]
    )
    assert [(e.type, e.vehicles) for e in events] == [("DOCKING", ["Progress M-34", "Mir"])]


def test_landing_location_and_crew(blank: Language, finder: EventFinder) -> None:
    text = (
        "The Shenzhou-17 capsule touched down at the Dongfeng landing site in Inner Mongolia "
        "with Tang Hongbo on board."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Shenzhou-17", "VEHICLE", SC),
            ("Dongfeng", "LOCATION"),
            ("Inner Mongolia", "LOCATION"),
            ("Tang Hongbo", "PERSON"),
        ],
    )
    ev = events[0]
    assert (ev.type, triggers(ev)) == ("LANDING", ["touched down"])
    assert (ev.vehicles, ev.location, ev.participants) == (
        ["Shenzhou-17"],
        "Dongfeng",
        ["Tang Hongbo"],
    )


def test_meeting_with_counterpart_and_city(blank: Language, finder: EventFinder) -> None:
    text = "On Monday, Maria Lopez met Kenji Sato in Nagoya to discuss lunar rovers."
    events = run(
        blank,
        finder,
        text,
        [
            ("Monday", "DATE", day("2023-05-08")),
            ("Maria Lopez", "PERSON"),
            ("Kenji Sato", "PERSON"),
            ("Nagoya", "LOCATION"),
        ],
    )
    ev = events[0]
    assert (ev.type, triggers(ev), ev.date) == ("MEETING", ["met"], "2023-05-08")
    assert (ev.participants, ev.location) == (["Maria Lopez", "Kenji Sato"], "Nagoya")


def test_named_event_is_a_meeting_trigger(blank: Language, finder: EventFinder) -> None:
    text = "The agency showed its rover at the Farnborough Air Show, held on 22-26 July."
    events = run(blank, finder, text, [("22-26 July", "DATE", day("2024-07-22/2024-07-26"))])
    assert [(e.type, triggers(e), e.date) for e in events] == [
        ("MEETING", ["Farnborough Air Show"], "2024-07-22/2024-07-26")
    ]


def test_space_conference_shape(blank: Language, finder: EventFinder) -> None:
    text = "Ministers met at Space22+ to agree the budget."
    events = run(blank, finder, text, [])
    assert [(e.type, triggers(e)) for e in events] == [("MEETING", ["Space22+"])]


def test_agreement_between_parties(blank: Language, finder: EventFinder) -> None:
    text = "Brazil and Argentina signed a space cooperation agreement in Brasilia on 3 June 2022."
    events = run(
        blank,
        finder,
        text,
        [
            ("Brazil", "LOCATION"),
            ("Argentina", "LOCATION"),
            ("Brasilia", "LOCATION"),
            ("3 June 2022", "DATE", day("2022-06-03")),
        ],
    )
    ev = events[0]
    assert (ev.type, triggers(ev), ev.date, ev.location) == (
        "AGREEMENT",
        ["signed"],
        "2022-06-03",
        "Brasilia",
    )
    assert ev.participants == ["Brazil", "Argentina"]


def test_agreement_keeps_signatories_employers(blank: Language, finder: EventFinder) -> None:
    text = (
        "The contract was signed by Lena Berg, head of Nordic Orbit AB, "
        "and Omar Aziz of Sahara Space."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Lena Berg", "PERSON"),
            ("Nordic Orbit AB", "ORG"),
            ("Omar Aziz", "PERSON"),
            ("Sahara Space", "ORG"),
        ],
    )
    assert events[0].participants == ["Lena Berg", "Nordic Orbit AB", "Omar Aziz", "Sahara Space"]


def test_signing_ceremony_is_one_trigger(blank: Language, finder: EventFinder) -> None:
    events = run(blank, finder, "The signing ceremony was held in Rome.", [("Rome", "LOCATION")])
    assert [(e.type, triggers(e)) for e in events] == [("AGREEMENT", ["signing ceremony"])]


def test_orbit_insertion_is_a_launch(blank: Language, finder: EventFinder) -> None:
    text = "The Fregat upper stage placed the Elektro-L satellite into a geostationary orbit."
    events = run(
        blank,
        finder,
        text,
        [("Fregat", "VEHICLE", {"kind": "upper_stage"}), ("Elektro-L", "VEHICLE", SAT)],
    )
    assert [(e.type, triggers(e), e.vehicles) for e in events] == [
        ("LAUNCH", ["placed"], ["Fregat", "Elektro-L"])
    ]


# --- sense filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The launch vehicle was rolled out to the pad.",
        "Engineers inspected the landing gear and the docking port.",
        "The company sells launch services to operators.",
        "The company carried out 96 commercial launches from 1996 to 2018.",
        "Flight controllers in Houston monitored the burn.",
        "The rocket met all of its test objectives.",
        "The team called off the planned docking with the station.",
        "The satellite will fly under a contract with the operator.",
        "The data show a sharp rise in demand.",
        "The company designs, builds and launches rockets.",
        "The company has launched more than 200 satellites since 2015.",
        "The firm will launch small satellites as rideshare payloads starting in 2026.",
        "This release contains forward-looking statements about the timing of our next launch.",
        "The minister took a flight to Paris on Monday.",
        "For details, visit www.example.org/lunar.",
        "Three CubeSats are to be released from the station later.",
    ],
)
def test_no_event_in_modifier_generic_or_cancelled_uses(
    blank: Language, finder: EventFinder, text: str
) -> None:
    assert run(blank, finder, text, []) == []


def test_negated_event_is_dropped(blank: Language, finder: EventFinder) -> None:
    text = "The Zenit-2 rocket has never flown from the new spaceport."
    assert run(blank, finder, text, [("Zenit-2", "VEHICLE", lv())]) == []


def test_trigger_never_overlaps_an_entity(blank: Language, finder: EventFinder) -> None:
    text = "The Committee for Regular Meetings approved the plan."
    assert run(blank, finder, text, [("Committee for Regular Meetings", "ORG")]) == []


def test_document_noun_alone_is_no_agreement(blank: Language, finder: EventFinder) -> None:
    text = "The satellite was built under an agreement with Nordic Orbit AB."
    assert run(blank, finder, text, [("Nordic Orbit AB", "ORG")]) == []


def test_headline_present_tense_only_in_headline(blank: Language, finder: EventFinder) -> None:
    text = "Vega-C lofts Sentinel-1C into orbit\n\nThe Vega-C rocket lifted off on Tuesday."
    events = run(
        blank,
        finder,
        text,
        [
            ("Vega-C", "VEHICLE", lv()),
            ("Sentinel-1C", "VEHICLE", SAT),
            ("Vega-C", "VEHICLE", lv()),
            ("Tuesday", "DATE", day("2024-12-03")),
        ],
    )
    assert [(e.type, triggers(e), e.date) for e in events] == [
        ("LAUNCH", ["lofts", "lifted off"], "2024-12-03")
    ]
    assert events[0].vehicles == ["Vega-C", "Sentinel-1C"]


# --- arguments -----------------------------------------------------------------------------


def test_since_date_is_not_the_event_date(blank: Language, finder: EventFinder) -> None:
    text = (
        "It was the first launch from Kourou since 9 May, "
        "when a Vega rocket lifted off with the Kompsat-7 satellite."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Kourou", "LOCATION"),
            ("9 May", "DATE", day("2024-05-09")),
            ("Vega", "VEHICLE", lv()),
            ("Kompsat-7", "VEHICLE", SAT),
        ],
    )
    launches = {triggers(e)[0]: e for e in events}
    assert set(launches) == {"launch", "lifted off"}
    assert launches["launch"].date is None
    assert (launches["lifted off"].date, launches["lifted off"].vehicles) == (
        "2024-05-09",
        ["Vega", "Kompsat-7"],
    )


def test_each_coordinated_verb_takes_its_own_date(blank: Language, finder: EventFinder) -> None:
    text = "The capsule flew to the station in June 2021 and flew there again in May 2023."
    events = run(
        blank,
        finder,
        text,
        [("June 2021", "DATE", day("2021-06")), ("May 2023", "DATE", day("2023-05"))],
    )
    assert [(triggers(e), e.date) for e in events] == [(["flew"], "2021-06"), (["flew"], "2023-05")]


def test_employers_speakers_and_builders_are_not_participants(
    blank: Language, finder: EventFinder
) -> None:
    text = (
        "ESA astronaut Anna Holm lifted off aboard the Orel spacecraft, built by Energia, "
        "and Jon Vik of the Nordic Space Agency said the flight went well."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("ESA", "ORG"),
            ("Anna Holm", "PERSON"),
            ("Orel", "VEHICLE", SC),
            ("Energia", "ORG"),
            ("Jon Vik", "PERSON"),
            ("Nordic Space Agency", "ORG"),
        ],
    )
    assert len(events) == 1
    assert events[0].participants == ["Anna Holm"]
    assert events[0].vehicles == ["Orel"]


def test_canonical_names_are_used(blank: Language, finder: EventFinder) -> None:
    text = "CNSA signed a memorandum with Roscosmos."
    events = run(
        blank,
        finder,
        text,
        [
            ("CNSA", "ORG", {"canonical": "China National Space Administration"}),
            ("Roscosmos", "ORG"),
        ],
    )
    assert events[0].participants == ["China National Space Administration", "Roscosmos"]


def test_dateline_place_for_a_meeting_that_day(blank: Language, finder: EventFinder) -> None:
    text = "Kazan, 12 May 2022 — The two agency heads held talks today."
    events = run(
        blank,
        finder,
        text,
        [
            ("Kazan", "LOCATION"),
            ("12 May 2022", "DATE", day("2022-05-12")),
            ("today", "DATE", day("2022-05-12")),
        ],
    )
    assert [(e.type, triggers(e), e.date, e.location) for e in events] == [
        ("MEETING", ["talks"], "2022-05-12", "Kazan")
    ]


def test_pronoun_subject_joins_the_meeting(blank: Language, finder: EventFinder) -> None:
    text = "Maria Lopez arrived in Lima on Sunday. On Monday she met Pedro Ruiz."
    events = run(
        blank,
        finder,
        text,
        [
            ("Maria Lopez", "PERSON"),
            ("Lima", "LOCATION"),
            ("Sunday", "DATE", day("2023-05-07")),
            ("Monday", "DATE", day("2023-05-08")),
            ("Pedro Ruiz", "PERSON"),
        ],
    )
    assert [(e.participants, e.date) for e in events] == [
        (["Maria Lopez", "Pedro Ruiz"], "2023-05-08")
    ]


@pytest.mark.parametrize(
    ("second", "crew"),
    [
        ("The spaceship carries cosmonaut Ivan Petrov and astronaut Ann Lee.",
         ["Ivan Petrov", "Ann Lee"]),
        # A back-up crew stays on the ground.
        ("The spaceship carries the back-up crew: cosmonaut Ivan Petrov and astronaut Ann Lee.",
         []),
    ],
)
def test_crew_sentence_names_the_crew(
    blank: Language, finder: EventFinder, second: str, crew: list[str]
) -> None:
    text = "The Soyuz MS-30 spacecraft lifted off on 8 April 2026. " + second
    events = run(
        blank,
        finder,
        text,
        [
            ("Soyuz MS-30", "VEHICLE", SC),
            ("8 April 2026", "DATE", day("2026-04-08")),
            ("Ivan Petrov", "PERSON"),
            ("Ann Lee", "PERSON"),
        ],
    )
    assert [(e.type, e.participants) for e in events] == [("LAUNCH", crew)]


# --- coreference ---------------------------------------------------------------------------


def test_anaphoric_launch_is_merged(blank: Language, finder: EventFinder) -> None:
    text = (
        "The Angara-A5 became the first rocket launched from Vostochny. "
        "The historic launch took place on 9 April 2024."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Angara-A5", "VEHICLE", lv()),
            ("Vostochny", "LOCATION", {"canonical": "Vostochny Cosmodrome"}),
            ("9 April 2024", "DATE", day("2024-04-09")),
        ],
    )
    assert len(events) == 1
    ev = events[0]
    assert (triggers(ev), ev.date, ev.vehicles, ev.location) == (
        ["launched", "launch"],
        "2024-04-09",
        ["Angara-A5"],
        "Vostochny Cosmodrome",
    )


def test_launches_of_different_vehicles_stay_apart(blank: Language, finder: EventFinder) -> None:
    text = (
        "The Progress MS-28 freighter lifted off on 20 June 2024. "
        "Its predecessor Progress MS-27 was launched in May."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Progress MS-28", "VEHICLE", SC),
            ("20 June 2024", "DATE", day("2024-06-20")),
            ("Progress MS-27", "VEHICLE", SC),
            ("May", "DATE", day("2024-05")),
        ],
    )
    assert [(triggers(e), e.vehicles, e.date) for e in events] == [
        (["lifted off"], ["Progress MS-28"], "2024-06-20"),
        (["launched"], ["Progress MS-27"], "2024-05"),
    ]


def test_docking_and_undocking_are_two_events(blank: Language, finder: EventFinder) -> None:
    text = (
        "The Dream Chaser spaceplane docked with the station in May. "
        "It undocked in July, and the undocking went smoothly."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Dream Chaser", "VEHICLE", SC),
            ("May", "DATE", day("2025-05")),
            ("July", "DATE", day("2025-07")),
        ],
    )
    assert [(e.type, triggers(e), e.date) for e in events] == [
        ("DOCKING", ["docked"], "2025-05"),
        ("DOCKING", ["undocked", "undocking"], "2025-07"),
    ]
    assert events[1].vehicles == ["Dream Chaser"]  # "It" is the spaceplane


def test_separate_meetings_with_different_people(blank: Language, finder: EventFinder) -> None:
    text = "Maria Lopez met Kenji Sato in the morning. Later Maria Lopez met Ana Silva."
    events = run(
        blank,
        finder,
        text,
        [
            ("Maria Lopez", "PERSON"),
            ("Kenji Sato", "PERSON"),
            ("Maria Lopez", "PERSON"),
            ("Ana Silva", "PERSON"),
        ],
    )
    assert [e.participants for e in events] == [
        ["Maria Lopez", "Kenji Sato"],
        ["Maria Lopez", "Ana Silva"],
    ]


def test_indefinite_meeting_is_a_new_one(blank: Language, finder: EventFinder) -> None:
    text = "The ministers held talks on 2 March 2023. The next day they gave a press conference."
    events = run(blank, finder, text, [("2 March 2023", "DATE", day("2023-03-02"))])
    assert [(triggers(e)) for e in events] == [["talks"], ["press conference"]]


def test_ordinals_separate_sessions(blank: Language, finder: EventFinder) -> None:
    text = (
        "The 12th meeting of the commission was held in Paris. "
        "Its 11th meeting had taken place in Rome."
    )
    events = run(blank, finder, text, [("Paris", "LOCATION"), ("Rome", "LOCATION")])
    assert [(triggers(e), e.location) for e in events] == [
        (["meeting"], "Paris"),
        (["meeting"], "Rome"),
    ]


def test_signing_mentions_merge(blank: Language, finder: EventFinder) -> None:
    text = (
        "Nordic Orbit AB has signed a contract with Sahara Space. "
        "The contract was signed on 4 April 2023 in Oslo."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Nordic Orbit AB", "ORG"),
            ("Sahara Space", "ORG"),
            ("4 April 2023", "DATE", day("2023-04-04")),
            ("Oslo", "LOCATION"),
        ],
    )
    assert len(events) == 1
    assert (triggers(events[0]), events[0].date, events[0].location) == (
        ["signed", "signed"],
        "2023-04-04",
        "Oslo",
    )
    assert events[0].participants == ["Nordic Orbit AB", "Sahara Space"]


def test_ids_follow_text_order(blank: Language, finder: EventFinder) -> None:
    text = "The ministers met Omar Aziz on Monday. A Vega rocket lifted off on Tuesday."
    events = run(
        blank,
        finder,
        text,
        [
            ("Omar Aziz", "PERSON"),
            ("Monday", "DATE", day("2023-05-08")),
            ("Vega", "VEHICLE", lv()),
            ("Tuesday", "DATE", day("2023-05-09")),
        ],
    )
    assert [(e.id, e.type) for e in events] == [("e1", "MEETING"), ("e2", "LAUNCH")]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2019", "2019-10-09", True),
        ("2019-11-27/2019-11-28", "2019-11-28", True),
        ("2019-05", "2019-07-25", False),
        ("2016", "2016-12", True),
    ],
)
def test_dates_compatible(a: str, b: str, expected: bool) -> None:
    assert dates_compatible(a, b) is expected
    assert dates_compatible(b, a) is expected


def test_dated_fact_in_another_section_stays_apart(blank: Language, finder: EventFinder) -> None:
    text = (
        "Interesting facts 1/2\n"
        "On 12 April 1961 the Vostok 1 spaceship was launched from Baikonur.\n"
        "Interesting facts 2/2\n"
        "The Angara-A5 rocket was the first launched from Vostochny.\n"
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("12 April 1961", "DATE", day("1961-04-12")),
            ("Vostok 1", "VEHICLE", SC),
            ("Baikonur", "LOCATION"),
            ("Angara-A5", "VEHICLE", lv()),
            ("Vostochny", "LOCATION"),
        ],
    )
    assert [(e.vehicles, e.date, e.location) for e in events] == [
        (["Vostok 1"], "1961-04-12", "Baikonur"),
        (["Angara-A5"], None, "Vostochny"),
    ]


def test_headline_joins_the_main_event(blank: Language, finder: EventFinder) -> None:
    text = (
        "Cargo ship berths at the station\n\n"
        "The HTV-9 freighter was berthed to the station on 25 May 2020. "
        "In 2009 the HTV-1 freighter had been berthed there as well."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("HTV-9", "VEHICLE", SC),
            ("25 May 2020", "DATE", day("2020-05-25")),
            ("2009", "DATE", day("2009")),
            ("HTV-1", "VEHICLE", SC),
        ],
    )
    assert [(triggers(e), e.date) for e in events] == [
        (["berths", "berthed"], "2020-05-25"),
        (["berthed"], "2009"),
    ]


def test_backup_crew_and_docking_owner_are_not_participants(
    blank: Language, finder: EventFinder
) -> None:
    text = (
        "The Soyuz MS-40 spaceship lifted off with Ivan Petrov on board. "
        "The back-up crew for the flight was Oleg Sokolov. "
        "Orbital Lines' Dart-2 docked with the station, captured by Ann Lee."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("Soyuz MS-40", "VEHICLE", SC),
            ("Ivan Petrov", "PERSON"),
            ("Oleg Sokolov", "PERSON"),
            ("Orbital Lines", "ORG"),
            ("Dart-2", "VEHICLE", SC),
            ("Ann Lee", "PERSON"),
        ],
    )
    assert [(e.type, e.participants) for e in events] == [
        ("LAUNCH", ["Ivan Petrov"]),
        ("DOCKING", ["Ann Lee"]),
    ]


def test_news_agency_in_a_dateline_is_no_participant(blank: Language, finder: EventFinder) -> None:
    text = (
        "Capsule lands\n\nHOHHOT, May 4, 2026 (Xinhua) -- The Tianzhou-9 capsule landed at "
        "the Siziwang site with taikonauts Li Wei and Chen Dong."
    )
    events = run(
        blank,
        finder,
        text,
        [
            ("HOHHOT", "LOCATION"),
            ("May 4, 2026", "DATE", day("2026-05-04")),
            ("Xinhua", "ORG"),
            ("Tianzhou-9", "VEHICLE", SC),
            ("Siziwang", "LOCATION"),
            ("Li Wei", "PERSON"),
            ("Chen Dong", "PERSON"),
        ],
    )
    landing = next(e for e in events if e.type == "LANDING")
    assert "Xinhua" not in landing.participants
    assert landing.participants == ["Li Wei", "Chen Dong"]
