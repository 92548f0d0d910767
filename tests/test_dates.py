"""DATE finding and normalisation: exact spans, offsets and ISO values on written sentences.

Each case lists *every* DATE the component must produce for its text, in order, so a
case with an empty list (or without some number in it) is a negative case: times of
day, serials, ordinals, quantities and bare numbers must not come out as dates.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from orbitext import dates, sentences  # noqa: F401  (registers the factories)
from orbitext.dateline import Dateline, find_dateline, infer_year
from orbitext.datenorm import DateNormaliser, Point, Value, normalise, parse_value
from orbitext.resources import patterns_dir

Expected = list[tuple[str, str | None]]


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("orbitext_sentences")
    pipeline.add_pipe("orbitext_dates")
    return pipeline


def run(nlp: Language, text: str, ref: str | None = None) -> Doc:
    doc = nlp.make_doc(text)
    if ref is not None:
        doc._.reference_date = dt.date.fromisoformat(ref)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def offsets(text: str, expected: Expected) -> list[tuple[int, int, str, str | None]]:
    """Char offsets of each expected span: the next occurrence after the previous one."""
    out, pos = [], 0
    for span, value in expected:
        start = text.index(span, pos)
        out.append((start, start + len(span), span, value))
        pos = start + len(span)
    return out


# (text, reference date, every expected (span, value) in order)
CASES: list[tuple[str, str | None, Expected]] = [
    # --- full dates: month-day-year, day-month-year, weekday joined, numeric
    (
        "The satellite was launched on March 3, 2021 from Baikonur.",
        None,
        [("March 3, 2021", "2021-03-03")],
    ),
    (
        "The crew returned on 14 October 2020, officials said.",
        None,
        [("14 October 2020", "2020-10-14")],
    ),
    (
        "The memorandum was signed on Jan. 5, 2018, in Paris.",
        None,
        [("Jan. 5, 2018", "2018-01-05")],
    ),
    ("The engine test took place on Sept. 9, 2022.", None, [("Sept. 9, 2022", "2022-09-09")]),
    ("The deadline is Aug. 31, 2023 for all bids.", None, [("Aug. 31, 2023", "2023-08-31")]),
    ("On 1st of June 2021 the site reopened.", None, [("1st of June 2021", "2021-06-01")]),
    (
        "The capsule splashed down on the 2nd of August 2020.",
        None,
        [("2nd of August 2020", "2020-08-02")],
    ),
    (
        "Launch occurred on Saturday, May 30, 2020, at 3:22 p.m. EDT.",
        None,
        [("Saturday, May 30, 2020", "2020-05-30")],
    ),
    (
        "The treaty took effect on Monday, 10 October 1967.",
        None,
        [("Monday, 10 October 1967", "1967-10-10")],
    ),
    (
        "The review is set for Tues., Jan. 12 at noon.",
        "2021-01-04",
        [("Tues., Jan. 12", "2021-01-12")],
    ),
    ("MAY 4, 2021 — The company announced a new engine.", None, [("MAY 4, 2021", "2021-05-04")]),
    ("The probe reached orbit on December 31, 1999.", None, [("December 31, 1999", "1999-12-31")]),
    ("The next window opens on 29 February 2024.", None, [("29 February 2024", "2024-02-29")]),
    (
        "The probe was launched on 22.07.2019 from Sriharikota.",
        None,
        [("22.07.2019", "2019-07-22")],
    ),
    ("Date: 2021-06-17\nThe board approved the plan.", None, [("2021-06-17", "2021-06-17")]),
    ("The order dated 2019/11/05 was cancelled.", None, [("2019/11/05", "2019-11-05")]),
    (
        "The satellite was launched on 07/22/2019, the agency said.",
        None,
        [("07/22/2019", "2019-07-22")],
    ),
    ("Liftoff is set for 10:15 UTC on 3 March 2022.", None, [("3 March 2022", "2022-03-03")]),
    (
        "The arm captured the capsule at 5:28 a.m. EDT on April 19, 2021.",
        None,
        [("April 19, 2021", "2021-04-19")],
    ),
    # --- year-less days take the year nearest the reference, steered by tense
    (
        "Two spacewalks are planned for May 6 and May 13.",
        "2021-04-30",
        [("May 6", "2021-05-06"), ("May 13", "2021-05-13")],
    ),
    ("The probe left Earth on Oct. 2 from Wenchang.", "2020-10-20", [("Oct. 2", "2020-10-02")]),
    (
        "The tanker will remain docked until Feb. 14, when it will depart.",
        "2022-01-10",
        [("Feb. 14", "2022-02-14")],
    ),
    (
        "The two agencies signed a memorandum on 3 September.",
        "2021-10-01",
        [("3 September", "2021-09-03")],
    ),
    ("The 9 June test firing lasted 200 seconds.", "2021-06-20", [("9 June", "2021-06-09")]),
    (
        "Celebrations are planned for the 12th of April.",
        "2021-03-01",
        [("12th of April", "2021-04-12")],
    ),
    (
        "They launched on March 14 with a third crewmate.",
        "2019-10-03",
        [("March 14", "2019-03-14")],
    ),
    ("The next crew will launch on March 20.", "2019-11-20", [("March 20", "2020-03-20")]),
    ("The capsule launched Friday, Dec. 27.", "2020-01-05", [("Friday, Dec. 27", "2019-12-27")]),
    ("It was the first launch since January 24.", "2019-04-01", [("January 24", "2019-01-24")]),
    # --- months and years
    ("The satellite was ordered in February 2017.", None, [("February 2017", "2017-02")]),
    ("Construction began in Sept. 2016 at the site.", None, [("Sept. 2016", "2016-09")]),
    ("The report, published in October, 2020, was revised.", None, [("October, 2020", "2020-10")]),
    ("Integration is due to finish in mid-June 2022.", None, [("mid-June 2022", "2022-06")]),
    ("The spacecraft flew in late-March 2019.", None, [("late-March 2019", "2019-03")]),
    ("In early May 2021 the firm hired 200 engineers.", None, [("early May 2021", "2021-05")]),
    ("In January, the agency opened a new lab.", "2021-08-01", [("January", "2021-01")]),
    ("The launch will take place in November.", "2021-02-10", [("November", "2021-11")]),
    ("The contract was signed in November.", "2021-02-10", [("November", "2020-11")]),
    ("Since February, engineers have tested the valve.", "2021-03-15", [("February", "2021-02")]),
    ("The test is planned for mid-October.", "2021-09-01", [("mid-October", "2021-10")]),
    ("The flight is scheduled for August.", "2020-12-10", [("August", "2021-08")]),
    ("By June, all parts had arrived.", "2021-07-01", [("June", "2021-06")]),
    ("The March anomaly delayed the next flight by weeks.", "2021-06-01", [("March", "2021-03")]),
    ("The year 1998 marked the start of assembly.", None, [("1998", "1998")]),
    ("The agency was founded in 1958.", None, [("1958", "1958")]),
    ("The company expects profits by 2026.", None, [("2026", "2026")]),
    ("The probe has operated since 2004.", None, [("2004", "2004")]),
    ("Funding runs through 2030.", None, [("2030", "2030")]),
    ("The 2024 budget was approved.", None, [("2024", "2024")]),
    ("Global Space Summit 2021 opened in Abu Dhabi.", None, [("2021", "2021")]),
    ("No later than 2025, the station will be deorbited.", None, [("2025", "2025")]),
    ("It was the operator's third mission of 2020.", None, [("2020", "2020")]),
    ("The firm reported 2019's results.", None, [("2019", "2019")]),
    # --- ranges
    ("The programme covers 2021-2025.", None, [("2021-2025", "2021/2025")]),
    ("The programme covers 2021–2025.", None, [("2021–2025", "2021/2025")]),
    ("The 2019–20 season saw six launches.", None, [("2019–20", "2019/2020")]),
    ("From 2010 to 2015 the pad was idle.", None, [("2010 to 2015", "2010/2015")]),
    ("Between 1998 and 2011 the station was assembled.", None, [("1998 and 2011", "1998/2011")]),
    (
        "The conference runs from 15 to 18 July 2019.",
        None,
        [("15 to 18 July 2019", "2019-07-15/2019-07-18")],
    ),
    ("The tests ran July 15-18.", "2019-07-20", [("July 15-18", "2019-07-15/2019-07-18")]),
    (
        "The forum took place on 17-21 November.",
        "2019-11-25",
        [("17-21 November", "2019-11-17/2019-11-21")],
    ),
    (
        "Delegates met on 18 and 19 May in Vienna.",
        "2021-05-20",
        [("18 and 19 May", "2021-05-18/2021-05-19")],
    ),
    (
        "The campaign lasted from July 28 to August 3, 2019.",
        None,
        [("July 28 to August 3, 2019", "2019-07-28/2019-08-03")],
    ),
    (
        "Launches paused from December 2018 to February 2019.",
        None,
        [("December 2018 to February 2019", "2018-12/2019-02")],
    ),
    (
        "Flights are planned for July to September 2020.",
        None,
        [("July to September 2020", "2020-07/2020-09")],
    ),
    (
        "Winter trials ran from Dec. 20 to Jan. 5.",
        "2020-01-10",
        [("Dec. 20 to Jan. 5", "2019-12-20/2020-01-05")],
    ),
    (
        "The module was tested from July to September.",
        "2019-10-01",
        [("July to September", "2019-07/2019-09")],
    ),
    # --- decades, parts of periods, seasons, edges, modifiers
    ("Soviet probes landed on Venus in the 1970s.", None, [("the 1970s", "1970/1979")]),
    ("The design dates from the early 1960s.", None, [("the early 1960s", "1960/1969")]),
    ("Commercial launches boomed in the 2010s.", None, [("the 2010s", "2010/2019")]),
    ("Interest revived in the mid-2000s.", None, [("the mid-2000s", "2000/2009")]),
    (
        "The rover should land in the first half of 2026.",
        None,
        [("the first half of 2026", "2026-01/2026-06")],
    ),
    (
        "Revenue doubled in the second half of 2022.",
        None,
        [("the second half of 2022", "2022-07/2022-12")],
    ),
    (
        "Deliveries begin in the third quarter of 2023.",
        None,
        [("the third quarter of 2023", "2023-07/2023-09")],
    ),
    ("Orders grew in Q4 2021.", None, [("Q4 2021", "2021-10/2021-12")]),
    ("The company expects a profit in H2 2024.", None, [("H2 2024", "2024-07/2024-12")]),
    (
        "Tests resume in the second half of next year.",
        "2021-03-01",
        [("the second half of next year", "2022-07/2022-12")],
    ),
    (
        "Work ends in the first quarter of the year.",
        "2021-03-01",
        [("the first quarter of the year", "2021-01/2021-03")],
    ),
    ("The lander will fly in summer 2023.", None, [("summer 2023", "2023-06/2023-08")]),
    ("The crew trained in the winter of 2019.", None, [("the winter of 2019", "2019-12/2020-02")]),
    ("The engine was tested last spring.", "2021-10-01", [("last spring", "2021-03/2021-05")]),
    ("A second test follows next summer.", "2021-10-01", [("next summer", "2022-06/2022-08")]),
    ("The station should be finished by the end of 2024.", None, [("the end of 2024", "2024")]),
    ("The review ends at the end of the year.", "2021-05-05", [("the end of the year", "2021")]),
    (
        "Work started at the beginning of March 2020.",
        None,
        [("the beginning of March 2020", "2020-03")],
    ),
    ("A decision is due in mid-2027.", None, [("mid-2027", "2027")]),
    ("Flights resume in early 2025.", None, [("early 2025", "2025")]),
    ("The probe arrives in late 2030.", None, [("late 2030", "2030")]),
    # --- relative to the reference date
    ("The operator said today that the orbit is nominal.", "2021-05-05", [("today", "2021-05-05")]),
    ("Today the crew rests after the docking.", "2021-05-05", [("Today", "2021-05-05")]),
    ("TODAY, the agency announced its budget.", "2021-05-05", [("TODAY", "2021-05-05")]),
    ("Yesterday's launch went well.", "2021-05-05", [("Yesterday", "2021-05-04")]),
    ("Today’s test lasted 500 seconds.", "2021-05-05", [("Today", "2021-05-05")]),
    ("The hatch will open tomorrow.", "2021-05-05", [("tomorrow", "2021-05-06")]),
    ("The crew will dock tonight.", "2021-05-05", [("tonight", "2021-05-05")]),
    ("The rocket was rolled out this morning.", "2021-05-05", [("this morning", "2021-05-05")]),
    (
        "The results came the day before yesterday.",
        "2021-05-05",
        [("the day before yesterday", "2021-05-03")],
    ),
    ("The company launched 30 satellites last year.", "2021-05-05", [("last year", "2020")]),
    ("This year the agency plans 12 launches.", "2021-05-05", [("This year", "2021")]),
    ("The firm will announce the crew next month.", "2021-05-05", [("next month", "2021-06")]),
    ("The vehicle rolled out last month.", "2021-05-05", [("last month", "2021-04")]),
    (
        "Engineers will run the test this week.",
        "2021-05-05",
        [("this week", "2021-05-03/2021-05-09")],
    ),
    ("The board met last week.", "2021-05-05", [("last week", "2021-04-26/2021-05-02")]),
    (
        "Earlier this year, the agency hired 50 engineers.",
        "2021-05-05",
        [("Earlier this year", "2021")],
    ),
    ("The launch slipped to later this month.", "2021-05-05", [("later this month", "2021-05")]),
    ("Three years ago, the company had one customer.", "2021-05-05", [("Three years ago", "2018")]),
    ("The probe was launched two days ago.", "2021-05-05", [("two days ago", "2021-05-03")]),
    ("The firm was founded 15 years ago.", "2021-05-05", [("15 years ago", "2006")]),
    ("A decade ago, the pad was abandoned.", "2021-05-05", [("A decade ago", "2011")]),
    ("Six months ago the factory opened.", "2021-05-05", [("Six months ago", "2020-11")]),
    (
        "The budget was cut in December last year.",
        "2021-05-05",
        [("December last year", "2020-12")],
    ),
    ("The tests started last October.", "2021-05-05", [("last October", "2020-10")]),
    ("The station module arrives next March.", "2021-05-05", [("next March", "2022-03")]),
    ("The antenna was installed last May.", "2021-05-05", [("last May", "2020-05")]),
    ("The probe will fly this July.", "2021-05-05", [("this July", "2021-07")]),
    # --- weekdays (2021-05-05 is a Wednesday)
    ("The crew arrived on Monday.", "2021-05-05", [("Monday", "2021-05-03")]),
    ("The rocket will launch on Friday.", "2021-05-05", [("Friday", "2021-05-07")]),
    (
        "The agency announced Wednesday that it chose two crews.",
        "2021-05-05",
        [("Wednesday", "2021-05-05")],
    ),
    ("Officials met last Thursday.", "2021-05-05", [("last Thursday", "2021-04-29")]),
    ("The hatch opens next Tuesday.", "2021-05-05", [("next Tuesday", "2021-05-11")]),
    ("The capsule landed early Sunday.", "2021-05-05", [("early Sunday", "2021-05-02")]),
    (
        "The crew will board on Thursday morning.",
        "2021-05-05",
        [("Thursday morning", "2021-05-06")],
    ),
    ("Docking is scheduled for Saturday.", "2021-05-05", [("Saturday", "2021-05-08")]),
    ("The crew arrived on Monday.", None, [("Monday", None)]),
    ("The probe landed yesterday.", None, [("yesterday", None)]),
    # --- anchored in the text
    (
        "The summit opened on 10 June 2021. On the eve, delegates met.",
        None,
        [("10 June 2021", "2021-06-10"), ("the eve", "2021-06-09")],
    ),
    (
        "The launch was scrubbed on 3 May 2022. The next day, it flew.",
        None,
        [("3 May 2022", "2022-05-03"), ("The next day", "2022-05-04")],
    ),
    (
        "The capsule undocked on 6 May 2021. The same day, it landed.",
        None,
        [("6 May 2021", "2021-05-06"), ("The same day", "2021-05-06")],
    ),
    (
        "The module launched on 21 July 2021 and docked eight days later.",
        None,
        [("21 July 2021", "2021-07-21"), ("eight days later", "2021-07-29")],
    ),
    (
        "The probe entered orbit on 10 February 2021. A week later, the lander separated.",
        None,
        [("10 February 2021", "2021-02-10"), ("A week later", "2021-02-17")],
    ),
    (
        "The firm was founded in June 2002. Four years later, it flew its first rocket.",
        None,
        [("June 2002", "2002-06"), ("Four years later", "2006")],
    ),
    (
        "The crew landed on 3 October 2019; the day after, they flew home.",
        None,
        [("3 October 2019", "2019-10-03"), ("the day after", "2019-10-04")],
    ),
    (
        "The stage was fired on 2 June 2021; the previous day, engineers checked it.",
        None,
        [("2 June 2021", "2021-06-02"), ("the previous day", "2021-06-01")],
    ),
    (
        "The accord was signed in June 2018. The following year, the first astronaut flew.",
        None,
        [("June 2018", "2018-06"), ("The following year", "2019")],
    ),
    (
        "Talks were held on 9 September 2020. Three days earlier, the delegation arrived.",
        None,
        [("9 September 2020", "2020-09-09"), ("Three days earlier", "2020-09-06")],
    ),
    (
        "The crew slept. The next morning, they rose early.",
        "2021-05-05",
        [("The next morning", "2021-05-06")],
    ),
    (
        "The ferry left on 11 April 2021. The next morning, it berthed.",
        "2021-06-01",
        [("11 April 2021", "2021-04-11"), ("The next morning", "2021-04-12")],
    ),
    # --- year-less dates in a dated context
    (
        "Soyuz 19 lifted off on July 15, 1975. On July 17, it docked with Apollo.",
        "2021-07-20",
        [("July 15, 1975", "1975-07-15"), ("July 17", "1975-07-17")],
    ),
    (
        "The satellite was launched on 5 July 2019. The 9 July manoeuvre raised its orbit.",
        None,
        [("5 July 2019", "2019-07-05"), ("9 July", "2019-07-09")],
    ),
    # --- negatives: quantities, serials, ordinals, times, names, bare numbers
    ("The stage weighs 2018 kg.", None, []),
    ("The company employs 2019 people.", None, []),
    ("The payload has a mass of 1995 kilograms.", None, []),
    ("The orbit is about 2000 km high.", None, []),
    ("The team counted 2020 images.", None, []),
    ("Room 2019 hosts the control desk.", None, []),
    ("The vehicle lifted off from Launch Pad No. 1999 at dawn.", None, []),
    ("The satellite lifted off from Launch Pad No.1 at Baikonur.", None, []),
    ("NG-11 and Soyuz MS-05 carried cargo for the ISS-52/53 crew.", None, []),
    ("Only 1/3 of the tests were complete.", None, []),
    ("The 20th meeting of the commission opened in Harbin.", None, []),
    ("Cygnus carried 3,436 kilograms and 7,600 pounds of cargo.", None, []),
    ("The rocket lifted off at 18:41 Moscow time.", None, []),
    ("The capsule splashed down at 8:45 a.m. EST.", None, []),
    ("May Jemison spoke at the event.", None, []),
    ("The rover may reach the crater soon.", None, []),
    ("March Aerospace won a contract.", None, []),
    ("The crew spent 5 to 6 hours outside.", None, []),
    ("Ariane 1, Ariane 2 and Ariane 3 rockets flew from the pad.", None, []),
    ("The spring mechanism failed during the test.", None, []),
    ("At the end of the meeting, the parties signed a protocol.", None, []),
    ("Briefings take place every Monday.", "2021-05-05", []),
    ("The team meets on Mondays.", "2021-05-05", []),
    ("Checks ran the day before launch.", "2021-05-05", []),
    ("The burn came two days later than planned.", "2021-05-05", []),
    ("The pad handled 1360-2000 kg payloads.", None, []),
    ("The firm has grown for years and will grow for months.", None, []),
    ("The ExoMars-2020 rover and Space19+ were discussed.", None, []),
    ("The 737s were grounded.", None, []),
    ("Voting ended 45.13.2019 according to the misprint.", None, []),
    ("The Long March 5 rocket lifted off from Wenchang.", None, []),
    ("The burn is planned for 2030 UTC.", None, []),
    ("The Mars 2020 rover and the Vision 2030 plan were discussed.", None, []),
    ("The stage separated at 1915 hrs IST.", None, []),
    # --- more shapes
    (
        "Figures for 2019-05 were revised; the 2010-11 season was short.",
        None,
        [("2019-05", "2019-05"), ("2010-11", "2010/2011")],
    ),
    (
        "The satellite was placed in orbit on 22-07-2019 at 14:43 IST.",
        None,
        [("22-07-2019", "2019-07-22")],
    ),
    ("The survey ended in July of 2019.", None, [("July of 2019", "2019-07")]),
    ("The window is April-May 2019.", None, [("April-May 2019", "2019-04/2019-05")]),
    (
        "Talks were held on the 24th and 25th of September 2020.",
        None,
        [("24th and 25th of September 2020", "2020-09-24/2020-09-25")],
    ),
    (
        "The crew trained from Sept. 24 through Oct. 2, 2020.",
        None,
        [("Sept. 24 through Oct. 2, 2020", "2020-09-24/2020-10-02")],
    ),
    (
        "Long March rockets flew in 2019, 2020 and 2021.",
        None,
        [("2019", "2019"), ("2020", "2020"), ("2021", "2021")],
    ),
]


@pytest.mark.parametrize(("text", "ref", "expected"), CASES)
def test_dates_in_sentences(nlp: Language, text: str, ref: str | None, expected: Expected) -> None:
    doc = run(nlp, text, ref)
    got = [(s.start_char, s.end_char, s.text, s._.value) for s in doc.spans["dates"]]
    assert got == offsets(text, expected)
    assert all(s.label_ == "DATE" for s in doc.spans["dates"])


def test_enough_cases() -> None:
    positives = sum(len(expected) for _, _, expected in CASES)
    negatives = sum(1 for _, _, expected in CASES if not expected)
    assert positives + negatives >= 130


def test_spans_do_not_overlap(nlp: Language) -> None:
    text = (
        "On Friday, Dec. 20, 2019, from 15 to 18 July 2019 and in the first half of 2023, "
        "the crew met; the next day, in 2018-2022 and the 1990s, today."
    )
    doc = run(nlp, text, "2019-12-22")
    spans = sorted(doc.spans["dates"], key=lambda s: s.start)
    assert len(spans) == 7
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_caller_reference_date_is_kept(nlp: Language) -> None:
    doc = run(nlp, "Title\n\nMoscow, 12 March 2021 — The crew landed today.", "2021-03-14")
    assert doc._.reference_date == dt.date(2021, 3, 14)
    assert [s._.value for s in doc.spans["dates"]] == ["2021-03-12", "2021-03-14"]


# ----------------------------------------------------------------------------- datelines

DATELINES: list[tuple[str, str | None]] = [
    (
        "Rover reaches crater\n\nPASADENA, Calif., Feb. 18, 2021 — The rover landed today.",
        "2021-02-18",
    ),
    ("Probe launched\n\nBeijing, 3 December 2020 — The probe lifted off.", "2020-12-03"),
    ("Title\n\nBAIKONUR – April 9, 2021 – The Soyuz lifted off.", "2021-04-09"),
    ("Title\n\nMOSCOW, June 4 (TASS) — The crew returned in 2021 after a year aboard.", None),
    ("Council meets\n\n14.05.2021\n\nThe council approved the programme.", "2021-05-14"),
    ("Capsule lands\n\nNov. 9, 2021\n\nThe capsule landed.", "2021-11-09"),
    ("Capsule berthed\n\nOctober 2, 2021 (JST)\nThe capsule was berthed.", "2021-10-02"),
    ("Headline\nPublished: 2021-06-17\nThe company signed a deal.", "2021-06-17"),
    ("Headline\nMarch 3, 2022 | Press release\nThe company signed a deal.", "2022-03-03"),
    ("Title\n\nBengaluru, Thursday, 18 July 2019 — ISRO said today.", "2019-07-18"),
    ("Title\n\nSRIHARIKOTA, Jul 22, 2019: The rocket flew.", "2019-07-22"),
    ("ISRO\n\nSriharikota, 14th February 2019\n\nThe rocket flew.", "2019-02-14"),
    ("ISRO\n\n14-02-2019\n\nThe rocket flew.", "2019-02-14"),
    ("Launch\n\nOn 21 March 2021, at 20:44, a rocket lifted off.", None),
    ("Two firms agree on 2023 cargo flights\n\nThe companies said the flights start soon.", None),
    ("WASHINGTON — The agency announced on Monday that it would fly in 2024.", None),
    ("Title\n\n31 September 2021\n\nThe text.", None),
    ("Deal\n\nMOSCOW, July 15, 2022. State Space Corporation Roscosmos signed it.", "2022-07-15"),
    ("Launch\n\nCAPE CANAVERAL, Fla. (Dec. 2, 2023) — The rocket flew.", "2023-12-02"),
    ("Flight\n\nMOSCOW, March 5, 2024. /TASS/. Roscosmos will sign it.", "2024-03-05"),
    ("\n".join(["Line"] * 9 + ["Moscow, 12 March 2021 — Too far down."]), None),
]


@pytest.mark.parametrize(("text", "expected"), DATELINES)
def test_find_dateline(text: str, expected: str | None) -> None:
    line = find_dateline(text)
    found = line.date() if line is not None else None
    assert (found.isoformat() if found else None) == expected
    if line is not None:
        assert text[line.start : line.end] == line.text


def test_yearless_dateline_is_found_without_year() -> None:
    text = "Title\n\nMOSCOW, June 4 (TASS) — The crew returned."
    assert find_dateline(text) == Dateline(15, 21, "June 4", None, 6, 4)


def _v(iso: str) -> Value:
    value = parse_value(iso)
    assert value is not None
    return value


@pytest.mark.parametrize(
    ("month", "day", "evidence", "year"),
    [
        (10, 3, [(_v("2018-06"), "past"), (_v("2020-04-15"), "future")], 2019),
        (11, 20, [(_v("2019"), None), (_v("2019"), "past")], 2019),
        (11, 4, [(_v("2021"), "future")], 2021),
        (11, 4, [(_v("2021-03-01"), "future")], 2020),
        (3, 12, [(_v("2016"), None), (_v("2016-05"), None), (_v("2014"), None)], 2016),
        (6, 4, [], None),
    ],
)
def test_infer_year(month: int, day: int, evidence: list, year: int | None) -> None:
    assert infer_year(month, day, evidence) == year


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        (
            "Title\n\nKOROLYOV, October 3 — The capsule landed today. The deal was signed in "
            "June 2018. The next crew is scheduled to launch on April 15, 2020.",
            "2019-10-03",
        ),
        (
            "Expo opens\n\nMOSCOW, November 20 — The firm presented food sets at the Expo "
            "2019, held on 17-21 November.",
            "2019-11-20",
        ),
        ("Title\n\nMOSCOW, December 23 — The freighter docked today.", None),
        ("Title\n\nDULLES, Va. – April 19, 2021 – The ship arrived today.", "2021-04-19"),
        (
            "Tianzhou docks\n\nWENCHANG, May 30 (Xinhua) -- The craft launched on Saturday. "
            "China plans to finish the station by the end of 2022; 11 missions are planned in "
            "2021 and 2022.",
            "2021-05-30",
        ),
        ("Soyuz flies\n\nOn 21 March 2018, a Soyuz lifted off from Baikonur.", None),
    ],
)
def test_pipeline_sets_reference_date(nlp: Language, text: str, reference: str | None) -> None:
    doc = run(nlp, text)
    found = doc._.reference_date
    assert (found.isoformat() if found else None) == reference


def test_yearless_dateline_values(nlp: Language) -> None:
    text = (
        "Title\n\nKOROLYOV, October 3 — The capsule landed today. It launched on March 14. "
        "The next crew is scheduled to launch on April 15, 2020."
    )
    doc = run(nlp, text)
    assert [(s.text, s._.value) for s in doc.spans["dates"]] == [
        ("October 3", "2019-10-03"),
        ("today", "2019-10-03"),
        ("March 14", "2019-03-14"),
        ("April 15, 2020", "2020-04-15"),
    ]


# ----------------------------------------------------------------------------- normaliser


@pytest.mark.parametrize(
    ("text", "ref", "kwargs", "value"),
    [
        ("July 18, 2019", None, {}, "2019-07-18"),
        ("Sept. 25", "2019-07-18", {}, "2019-09-25"),
        ("March 14", "2019-10-03", {}, "2020-03-14"),
        ("March 14", "2019-10-03", {"tense": "past"}, "2019-03-14"),
        ("December", "2013-01-16", {}, "2012-12"),
        ("December", "2013-01-16", {"tense": "future"}, "2013-12"),
        ("Monday", "2019-07-18", {}, "2019-07-15"),
        ("Monday", "2019-07-18", {"tense": "future"}, "2019-07-22"),
        ("03/04/2019", None, {}, "2019-04-03"),
        ("03/04/2019", None, {"day_first": False}, "2019-03-04"),
        ("the eve", None, {"anchor": Value.point(Point(2019, 7, 18))}, "2019-07-17"),
        ("the next day", None, {"anchor": Value.point(Point(2019, 7))}, None),
        ("yesterday", None, {}, None),
        ("31 September 2019", None, {}, None),
        ("the first half of 2023", None, {}, "2023-01/2023-06"),
        ("Dec. 20 - Jan. 5", "2020-01-10", {}, "2019-12-20/2020-01-05"),
        ("a few years ago", "2020-01-10", {}, None),
    ],
)
def test_normalise(text: str, ref: str | None, kwargs: dict, value: str | None) -> None:
    day = dt.date.fromisoformat(ref) if ref else None
    assert normalise(text, day, **kwargs) == value


def test_reference_kinds() -> None:
    n = DateNormaliser()
    assert [
        n.reference_kind(t)
        for t in (
            "July 18, 2019",
            "July 18",
            "yesterday",
            "the next day",
            "a year later",
            "Soyuz",
        )
    ] == ["none", "calendar", "ref", "anchor-day", "anchor-any", None]


# ----------------------------------------------------------------------------- pattern files


def _groups() -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((patterns_dir() / "dates").glob("*.jsonl"))
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _examples() -> list[tuple[str, str, dict]]:
    return [
        (g["group"], kind, ex)
        for g in _groups()
        for kind in ("match", "no_match")
        for ex in g["examples"][kind]
    ]


@pytest.mark.parametrize("group", _groups(), ids=lambda g: g["group"])
def test_every_group_has_examples(group: dict) -> None:
    assert group["label"] == "DATE"
    assert len(group["examples"]["match"]) >= 2
    assert len(group["examples"]["no_match"]) >= 1


@pytest.mark.parametrize(
    ("group", "kind", "example"), _examples(), ids=lambda x: x if isinstance(x, str) else None
)
def test_pattern_examples(nlp: Language, group: str, kind: str, example: dict) -> None:
    doc = run(nlp, example["text"], example.get("reference_date"))
    found = {s.text: s._.value for s in doc.spans["dates"]}
    span = example.get("span")
    if kind == "match":
        assert span in found
        if "value" in example:
            assert found[span] == example["value"]
    elif span is not None:
        # As the shared example test: no DATE may even overlap a no_match span.
        start = example["text"].index(span)
        end = start + len(span)
        assert not [s for s in doc.spans["dates"] if s.start_char < end and start < s.end_char]
    else:
        assert not found
