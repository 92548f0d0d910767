"""Entity rules on sentences written for these tests: exact spans, labels, kinds, names.

One test table per rule family (gazetteer, serial designators, descriptor context,
people, organisations, places, acronyms, coordination), each with its negative cases,
then aliases, records and roles.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from orbitext.corpus import decode_article
from orbitext.extract import extract_text

Ent = tuple[str, str]  # (text, label)


def ents(nlp: Language, text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(text, label, kind, canonical) of every entity the pipeline finds."""
    doc = nlp(text)
    return [(e.text, e.label_, e._.kind, e._.canonical) for e in doc.ents]


def labelled(nlp: Language, text: str) -> set[Ent]:
    return {(t, lab) for t, lab, _k, _c in ents(nlp, text)}


def check(nlp: Language, text: str, present: list[Ent], absent: list[Ent]) -> None:
    found = labelled(nlp, text)
    for item in present:
        assert item in found, f"{item} not found in {text!r}: {sorted(found)}"
    for item in absent:
        assert item not in found, f"{item} wrongly found in {text!r}"


CASES: list[tuple[str, str, list[Ent], list[Ent]]] = [
    # --- gazetteer: real-world names, aliases, dateline capitals
    (
        "gazetteer-org",
        "Officials of the Indian Space Research Organisation met JAXA staff.",
        [("Indian Space Research Organisation", "ORG"), ("JAXA", "ORG")],
        [],
    ),
    (
        "gazetteer-spaceport",
        "The rocket flew from the Plesetsk Cosmodrome in the north.",
        [("Plesetsk Cosmodrome", "LOCATION")],
        [],
    ),
    (
        "gazetteer-dateline-caps",
        "BAIKONUR, June 5 — A rocket was rolled out.",
        [("BAIKONUR", "LOCATION")],
        [],
    ),
    (
        "gazetteer-ambiguous-word-needs-sense",
        "Progress was slow, but the team kept working.",
        [],
        [("Progress", "VEHICLE")],
    ),
    (
        "gazetteer-ambiguous-with-descriptor",
        "The Progress cargo ship undocked on Friday.",
        [("Progress", "VEHICLE")],
        [],
    ),
    # --- serial designators
    ("serial-soyuz-ms", "Soyuz MS-24 carried the crew to orbit.", [("Soyuz MS-24", "VEHICLE")], []),
    (
        "serial-hyphen-number",
        "Tianzhou-6 docked with the station.",
        [("Tianzhou-6", "VEHICLE")],
        [],
    ),
    (
        "serial-long-march",
        "A Long March 2D rocket placed the satellites in orbit.",
        [("Long March 2D", "VEHICLE")],
        [],
    ),
    (
        "serial-hyphen-letters",
        "The Angara-A5M rocket is being prepared.",
        [("Angara-A5M", "VEHICLE")],
        [],
    ),
    (
        "mission-designators-are-not-vehicles",
        "The NG-20 mission followed CRS-29, Demo-2 and flight VA261.",
        [],
        [("NG-20", "VEHICLE"), ("CRS-29", "VEHICLE"), ("Demo-2", "VEHICLE"), ("VA261", "VEHICLE")],
    ),
    (
        "expedition-is-not-an-entity",
        "She served on Expedition 70 aboard the station.",
        [],
        [("Expedition 70", "ORG"), ("Expedition 70", "VEHICLE")],
    ),
    # --- descriptor context
    (
        "descriptor-rocket",
        "The Zhuque-3 rocket is built of stainless steel.",
        [("Zhuque-3", "VEHICLE")],
        [],
    ),
    (
        "descriptor-satellite",
        "The Yaogan-41 satellite was placed in orbit.",
        [("Yaogan-41", "VEHICLE")],
        [],
    ),
    ("descriptor-probe", "Engineers tested the Tianwen-2 probe.", [("Tianwen-2", "VEHICLE")], []),
    ("descriptor-upper-stage", "The Volga upper stage fired twice.", [("Volga", "VEHICLE")], []),
    (
        "descriptor-alone-is-not-a-vehicle",
        "The launch vehicle and the upper stage were stacked.",
        [],
        [("launch vehicle", "VEHICLE"), ("upper stage", "VEHICLE")],
    ),
    (
        "descriptor-excluded-from-span",
        "The Soyuz-2.1b launch vehicle lifted off.",
        [("Soyuz-2.1b", "VEHICLE")],
        [("Soyuz-2.1b launch vehicle", "VEHICLE")],
    ),
    (
        "maker-and-ship-stay-two-names",
        "The SpaceX Dragon spacecraft Endeavour undocked.",
        [("SpaceX", "ORG"), ("Dragon", "VEHICLE"), ("Endeavour", "VEHICLE")],
        [("SpaceX Dragon", "VEHICLE")],
    ),
    (
        "ship-prefix-is-a-type-phrase",
        "The freighter is named S.S. Ellison Onizuka.",
        [("Ellison Onizuka", "VEHICLE")],
        [("Ellison Onizuka", "PERSON")],
    ),
    # --- people
    (
        "person-title-not-in-span",
        "Roscosmos Director General Yuri Borisov opened the session.",
        [("Yuri Borisov", "PERSON")],
        [("Director General Yuri Borisov", "PERSON")],
    ),
    (
        "person-astronaut",
        "ESA astronaut Andreas Mogensen took the controls.",
        [("Andreas Mogensen", "PERSON")],
        [],
    ),
    (
        "person-initials",
        "ISRO Chairman S. Somanath addressed the press.",
        [("S. Somanath", "PERSON")],
        [],
    ),
    (
        "person-family-name-first",
        "CNSA Administrator Zhang Kejian signed the document.",
        [("Zhang Kejian", "PERSON")],
        [],
    ),
    (
        "person-particle",
        "Sultan Al Neyadi spent six months in orbit.",
        [("Sultan Al Neyadi", "PERSON")],
        [],
    ),
    (
        "person-hyphenated",
        "Jean-Pierre Haigneré trained in Star City.",
        [("Jean-Pierre Haigneré", "PERSON")],
        [],
    ),
    (
        "person-apposition",
        "The deal was welcomed by Tuomas Rask, the first Finnish astronaut.",
        [("Tuomas Rask", "PERSON")],
        [],
    ),
    (
        "long-march-is-not-a-person",
        "A Long March rocket lifted off.",
        [],
        [("Long March", "PERSON")],
    ),
    # --- organisations
    (
        "org-head",
        "The Bolivian Space Agency joined the programme.",
        [("Bolivian Space Agency", "ORG")],
        [],
    ),
    (
        "org-of-tail",
        "The Ministry of Science and Higher Education funded it.",
        [("Ministry of Science and Higher Education", "ORG")],
        [],
    ),
    ("org-legal-form", "The parts came from Orbex Ltd. this spring.", [("Orbex Ltd.", "ORG")], []),
    (
        "org-quoted-after-generic-head",
        "Joint Stock Company “Avionika” won the tender.",
        [("Joint Stock Company “Avionika”", "ORG")],
        [],
    ),
    (
        "heads-of-government-is-not-an-org",
        "Heads of Government met in Minsk.",
        [],
        [("Heads of Government", "ORG")],
    ),
    (
        "generic-head-alone-is-not-an-org",
        "The Agency and the Council agreed.",
        [],
        [("Agency", "ORG"), ("Council", "ORG")],
    ),
    # --- places
    (
        "launch-pad-is-a-location",
        "The rocket stood on Launch Pad No.31 at dawn.",
        [("Launch Pad No.31", "LOCATION")],
        [("Launch Pad No.31", "VEHICLE")],
    ),
    (
        "lowercase-cosmodrome-head-left-out",
        "It flew from the Yasny cosmodrome.",
        [("Yasny", "LOCATION")],
        [("Yasny cosmodrome", "LOCATION")],
    ),
    ("time-zone-is-not-a-place", "Liftoff was at 18:41 Moscow time.", [], [("Moscow", "LOCATION")]),
    (
        "country-as-modifier",
        "A US spacecraft met a Russian one.",
        [("US", "LOCATION")],
        [("Russian", "LOCATION")],
    ),
    (
        "place-after-preposition",
        "The delegation flew back to Tashkent on Monday.",
        [("Tashkent", "LOCATION")],
        [],
    ),
    (
        "named-event-hides-its-place",
        "The capsule was shown at the Zhuhai Airshow.",
        [],
        [("Zhuhai", "LOCATION")],
    ),
    # --- acronym definitions
    (
        "acronym-defines-vehicle",
        "The Lunar Polar Exploration Lander (LUPEX) will carry a rover.",
        [("Lunar Polar Exploration Lander", "VEHICLE"), ("LUPEX", "VEHICLE")],
        [],
    ),
    # --- coordination
    (
        "coordinated-satellites",
        "The cubesats TAU-1, QALAM-2 and BIRDS-5 were released.",
        [("TAU-1", "VEHICLE"), ("QALAM-2", "VEHICLE"), ("BIRDS-5", "VEHICLE")],
        [],
    ),
    (
        "coordinated-people",
        "Cosmonaut Anna Kikina and Koichi Wakata waved.",
        [("Anna Kikina", "PERSON"), ("Koichi Wakata", "PERSON")],
        [],
    ),
]


@pytest.mark.parametrize(("name", "text", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_entity_rule(
    nlp: Language, name: str, text: str, present: list[Ent], absent: list[Ent]
) -> None:
    check(nlp, text, present, absent)


def test_vehicle_kinds_come_from_descriptors_and_families(nlp: Language) -> None:
    found = {t: k for t, lab, k, _c in ents(nlp, "The Zhuque-3 rocket and the Wentian module.")}
    assert found == {"Zhuque-3": "launch_vehicle", "Wentian": "station"}


def test_gazetteer_alias_takes_standard_name(nlp: Language) -> None:
    found = ents(nlp, "CNCA and Glavkosmos JSC signed it.")
    assert ("CNCA", "ORG", None, "China National Space Administration") in found
    assert ("Glavkosmos JSC", "ORG", None, "Glavkosmos") in found


def test_dateline_capitals_take_normal_spelling(nlp: Language) -> None:
    assert ("MOSCOW", "LOCATION", None, "Moscow") in ents(nlp, "MOSCOW, May 3 — It flew.")


def test_acronym_defined_in_text_links_later_mentions(nlp: Language) -> None:
    text = "The Zambian Space Research Agency (ZSRA) opened. Later ZSRA hired staff."
    found = ents(nlp, text)
    assert ("Zambian Space Research Agency", "ORG", None, None) in found
    assert found.count(("ZSRA", "ORG", None, "Zambian Space Research Agency")) == 2


def test_person_short_form_takes_full_name(nlp: Language) -> None:
    found = ents(nlp, "Astronaut Jasmin Moghbeli waved. Later Moghbeli spoke.")
    assert ("Moghbeli", "PERSON", None, "Jasmin Moghbeli") in found


def test_series_name_takes_the_one_vehicle_of_its_family(nlp: Language) -> None:
    text = "Crew Dragon Endurance docked. The Dragon spacecraft stayed for a week."
    assert ("Dragon", "VEHICLE", "spacecraft", "Crew Dragon") in ents(nlp, text)


def test_legal_form_dropped_from_standard_name(nlp: Language) -> None:
    assert ("Orbex Ltd.", "ORG", None, "Orbex") in ents(nlp, "Orbex Ltd. will build it.")


def test_records_merge_aliases_and_carry_roles(nlp: Language) -> None:
    text = (
        "Roscosmos Director General Yuri Borisov met CNSA Administrator Zhang Kejian. "
        "The China National Space Administration (CNSA) hosted the talks. Borisov thanked "
        "the CNSA team."
    )
    doc = extract_text(nlp, decode_article(text.encode(), "t.txt", "t"))
    records = {r.name: r for r in doc.records}
    cnsa = records["China National Space Administration"]
    assert cnsa.label == "ORG"
    assert set(cnsa.aliases) == {"CNSA"}
    assert len(cnsa.mentions) == 4
    borisov = records["Yuri Borisov"]
    assert borisov.aliases == ["Borisov"]
    assert (borisov.role, borisov.organization) == ("Director General", "Roscosmos")
    zhang = records["Zhang Kejian"]
    assert (zhang.role, zhang.organization) == (
        "Administrator",
        "China National Space Administration",
    )


def test_apposition_gives_role_and_organization(nlp: Language) -> None:
    text = "Maria Olsen, vice president of Orbex Ltd., spoke."
    doc = extract_text(nlp, decode_article(text.encode(), "t.txt", "t"))
    olsen = next(r for r in doc.records if r.label == "PERSON")
    assert (olsen.name, olsen.role, olsen.organization) == (
        "Maria Olsen",
        "vice president",
        "Orbex",
    )


def test_descriptor_decides_the_kind_over_the_family(nlp: Language) -> None:
    text = "It flies on Soyuz-2 launch vehicles. The Soyuz spacecraft docked. A Soyuz rocket flew."
    found = [(t, k) for t, lab, k, _c in ents(nlp, text) if lab == "VEHICLE"]
    assert found == [
        ("Soyuz-2", "launch_vehicle"),
        ("Soyuz", "spacecraft"),
        ("Soyuz", "launch_vehicle"),
    ]
