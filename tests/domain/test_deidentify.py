"""De-identification: every planted identifier goes, and is reported; clinical content stays;
dates move together."""

import re
import string
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.deidentify import Deidentifier, Identifiers, random_offset
from app.domain.packet import case_packet
from tests.domain import planted

TODAY = date(2026, 11, 23)
OFFSET = -91  # 13 weeks earlier
IDS = Identifiers(
    planted.CASE["patient_name"],
    planted.DOB,
    (("MRN", planted.MRN), ("member ID", planted.MEMBER), ("group number", planted.GROUP)),
    keep=("Avery Demo",),
)


def deid(**options) -> Deidentifier:
    return Deidentifier(IDS, TODAY, **{"offset_days": OFFSET, **options})


def deidentified(**options):
    return case_packet(
        planted.case(), TODAY, planted.deadlines(), deidentify=True, offset_days=OFFSET, **options
    )


# --- the packet of the planted case -------------------------------------------------------


def test_no_planted_identifier_is_left_anywhere_in_the_packet():
    packet, _ = deidentified()
    text = "\n".join(planted.strings(packet))
    left = [p for p in planted.ABSENT if p in text]
    assert left == []
    assert "[Patient]" in text and "[Phone]" in text and "[Address]" in text


def test_every_planted_identifier_is_in_the_report_with_where_and_replacement():
    _, report = deidentified()
    for identifier in planted.PLANTED:
        assert any(identifier in e.original for e in report), identifier
    wheres = {e.where for e in report}
    for field in (
        "Denial reason",
        "Framing",
        "Risks",
        "Ask",
        "Fallback asks",
        "Criterion 1: note",
        "Comment 1: text",
        "Source document 1: text",
        "Source document 1: title",
        "Fact 2 (Prior treatment): text",
        "Fact 8 (History): text",
    ):
        assert field in wheres, field
    kinds = {e.kind for e in report}
    assert {"patient name", "date of birth", "MRN", "member ID", "group number"} <= kinds
    assert {"phone", "fax", "email", "URL", "street address", "SSN", "date"} <= kinds
    fax = next(e for e in report if e.original == planted.FAX)
    assert (fax.kind, fax.where, fax.replacement) == ("fax", "Fallback asks", "[Fax]")
    assert report[0].kind == "date policy" and "13 weeks earlier" in report[0].replacement


def test_clinical_content_survives():
    packet, _ = deidentified()
    text = "\n".join(planted.strings(packet))
    assert [c for c in planted.CLINICAL if c not in text] == []


def test_the_team_is_named_and_the_patient_is_not():
    packet, _ = deidentified()
    assert packet.comments[0].author == "Avery Demo, MD"
    assert packet.patient == [("Patient", "[Patient]"), ("Age", "46")]
    assert packet.story[0].startswith("[Patient], 46, has seropositive rheumatoid arthritis")
    assert packet.denial.reference == "[Reference]"
    assert packet.notice.startswith("De-identified: patient name, date of birth, MRN")
    assert packet.notice.endswith("For discussion outside the treating team.")
    assert packet.prepared == ""


def test_dates_move_together_so_intervals_hold():
    packet, report = deidentified()
    moved = [
        (date.fromisoformat(e.original), date.fromisoformat(e.replacement))
        for e in report
        if e.kind == "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", e.original)
    ]
    assert len(moved) >= 5
    assert {after - before for before, after in moved} == {timedelta(days=OFFSET)}
    blocks = [f for f in packet.facts if "relief" in f.text]
    assert [b.when for b in blocks] == ["14 Apr 2026", "12 May 2026"]  # still 4 weeks apart
    assert "Medial branch block on 2026-04-14" in blocks[0].text  # typed date, same shift
    assert packet.denial.received == "3 Jul 2026"
    assert "Letter dated 07/03/2026" in packet.denial.reason  # the typed copy agrees
    assert packet.treatments[0].dates == "Oct 2023 – Jun 2024"  # months move by their middle
    assert packet.facts[0].when == "2023"  # a bare year is allowed, and kept
    # Next to shifted dates, days left would give the shift away.
    assert packet.deadlines[0].due == "30 Dec 2026" and packet.deadlines[0].left == ""


def test_month_policy_cuts_every_date_to_month_and_year():
    packet, report = deidentified(date_policy="month")
    text = "\n".join(planted.strings(packet))
    assert packet.denial.received == "Oct 2026"
    assert "Letter dated 10/2026" in packet.denial.reason
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", text)
    assert not re.search(r"\d{4}-\d\d-\d\d|\d+/\d+/\d+", text)
    assert any(e.replacement == "cut to month and year" for e in report)


def test_identified_packet_keeps_everything_and_reports_nothing():
    packet, report = case_packet(planted.case(), TODAY, planted.deadlines())
    text = "\n".join(planted.strings(packet))
    assert report == []
    assert planted.NAME in text and planted.MRN in text and planted.PHONE in text
    assert packet.deadlines[0].left == "128 days left"
    assert packet.prepared == "23 Nov 2026"


def test_ages_over_89_are_one_category():
    old = planted.case(patient_dob=date(1931, 5, 2))
    packet, report = case_packet(old, TODAY, [], deidentify=True, offset_days=OFFSET)
    assert packet.patient[1] == ("Age", "90 or older")
    assert packet.story[0].startswith("[Patient], 90 or older,")
    assert any(e.replacement == "age 90 or older" for e in report)


# --- the detectors, one by one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shifted"),
    [
        ("2026-10-02", "2026-07-03"),
        ("2026-10-02T12:30", "2026-07-03T12:30"),
        ("10/02/2026", "07/03/2026"),
        ("10/2/26", "7/3/26"),
        ("10-02-2026", "07-03-2026"),
        ("Oct 2, 2026", "Jul 3, 2026"),
        ("October 2nd, 2026", "July 3rd, 2026"),
        ("Sept. 30 2026", "Jul. 1 2026"),
        ("2 October 2026", "3 July 2026"),
        ("12 Sep 2026", "13 Jun 2026"),
        ("October 2026", "July 2026"),
        ("2026-10", "2026-07"),
        ("10/2026", "7/2026"),
        ("seen Oct 2 in clinic", "seen Jul 3 in clinic"),
        ("worse since March", "worse since December"),
    ],
)
def test_date_formats_are_found_and_shifted_in_their_own_form(typed, shifted):
    assert deid().text(typed, "x") == shifted


@pytest.mark.parametrize(
    ("typed", "cut"),
    [("2026-10-02", "2026-10"), ("10/2/26", "10/2026"), ("Oct 2, 2026", "Oct 2026")],
)
def test_month_policy_in_text(typed, cut):
    assert deid(dates="month").text(typed, "x") == cut


@pytest.mark.parametrize(
    "typed",
    [
        "Marisol Quintero",
        "Marisol J. Quintero",
        "M. Quintero",
        "M Quintero",
        "Quintero, Marisol",
        "MARISOL QUINTERO",
        "Ms. Quintero",
        "M.Q.",
        "Marisol Q.",
        "quintero",
    ],
)
def test_the_patients_name_in_its_common_spellings(typed):
    assert deid().text(f"Seen {typed} today", "x") == "Seen [Patient] today"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Quintero's pharmacy", "[Patient]'s pharmacy"),
        ("her daughter Ana Lucia drove", "her daughter [Name] drove"),
        ("Mrs. Alvarez, a neighbour, called", "[Name], a neighbour, called"),
        ("works at Northwind Freight since", "works at [Employer] since"),
        ("DOB: March 14, 1980", "DOB: [DOB]"),
        ("born in 1934", "born in [DOB]"),
        ("a 92-year-old woman", "a 90-or-older woman"),
        ("age 95 now", "age 90 or older now"),
        ("SSN 123-45-6789", "SSN [SSN]"),
        ("MRN: 4471923", "MRN: [MRN]"),
        ("claim # 77120-A", "claim # [ID]"),
        ("Member ID ZXK99012", "Member ID [Member ID]"),
        ("tel 555-0142", "tel [Phone]"),
        ("+1 800.555.0199 ext 12", "[Phone]"),
        ("fax: (555) 201-4478", "fax: [Fax]"),
        ("mail m.q@example.com.", "mail [Email]."),
        ("see www.example.org/chart", "see [URL]"),
        ("logged in from 192.168.10.4", "logged in from [IP address]"),
        ("12 N. Elm Street, Apt 4, Dayton, OH 45402", "[Address]"),
        ("lives in Dayton, OH 45402", "lives in [City], OH [ZIP]"),
        ("ZIP 45402", "ZIP [ZIP]"),
        ("from Franklin County", "from [County]"),
        ("P.O. Box 118", "[Address]"),
    ],
)
def test_identifier_shapes(typed, expected):
    assert deid().text(typed, "x") == expected


@pytest.mark.parametrize(
    "clinical",
    [
        "Adalimumab 40 mg subcutaneous every 2 weeks (J0135), ICD-10 M05.79.",
        "CDAI 31, HAQ-DI 1.6, pain NRS 7/10; dorsiflexion 4/5, down from 5/5 two weeks earlier.",
        "MRI lumbar spine (CPT 72148); RFA L3-L5 (64635 64636); M54.17 M21.372.",
        "ALT 3.4× ULN; eGFR 52; ≥80% relief; FEV1 68% predicted; BP 120/80; HR 72.",
        "Methotrexate 15 → 25 mg weekly, 2024 to 2025; PHQ-9 11; HIT-6 68; MIDAS 46.",
        "Pharmacy policy RX-417; Medical policy PAIN-112; Tex. Ins. Code 4201.356.",
        "6 sessions of PT; 12 weeks; 2 pens per 28 days; 300 mg three times daily.",
        "Dr. Avery Demo and Dr. Glen Harlow discussed the case with Avery Demo.",
        "Stage 3a CKD; T2DM since 2019; 10:00-12:00 Eastern; 1:1000 dilution.",
        "The gray matter was normal; she may need 2 doses.",
    ],
)
def test_clinical_text_is_left_alone(clinical):
    d = deid()
    assert d.text(clinical, "x") == clinical
    assert d.report == []


# Identifiers as people type them in notes: no "#", no colon, at the end of a sentence.
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("The portal login came from 10.2.3.44.", "The portal login came from [IP address]."),
        ("Seen from 10.2.3.44, then 172.16.0.9.", "Seen from [IP address], then [IP address]."),
        ("(IP 10.0.0.12)", "(IP [IP address])"),
        ("Old records under chart 4471923 here.", "Old records under chart [MRN] here."),
        ("Per MRN 00123 the prior MRI was read.", "Per MRN [MRN] the prior MRI was read."),
        ("mrn 00123-7 reviewed", "mrn [MRN] reviewed"),
        ("Chart no 55812 had the labs.", "Chart no [MRN] had the labs."),
        ("record 0012345, reviewed", "record [MRN], reviewed"),
        ("Drove; plate 7KXL392 noted by parking.", "Drove; plate [ID] noted by parking."),
        ("her license plate 7KXL392", "her license plate [ID]"),
        ("Pump serial number AB12345 was replaced.", "Pump serial number [ID] was replaced."),
        ("stimulator (serial AB12345) checked", "stimulator (serial [ID]) checked"),
        ("Implant device ID 12345678 registered.", "Implant device ID [ID] registered."),
        ("Device identifier 00643169007222 on the card.", "Device identifier [ID] on the card."),
        ("UDI (01)00643169007222(17)141120 on the box", "UDI [Device ID] on the box"),
        ("Account 88120331 was billed.", "Account [ID] was billed."),
        ("generator SN AB12345 explanted", "generator SN [ID] explanted"),
        ("claim 2025-00417 denied", "claim [ID] denied"),
    ],
)  # fmt: skip
def test_numbers_written_without_a_hash_or_colon(typed, expected):
    d = deid()
    assert d.text(typed, "x") == expected
    assert d.report


# What the wider detectors must not take: numbers of clinical sense next to the same words.
@pytest.mark.parametrize(
    "clinical",
    [
        "Chart review shows 3 ER visits in 2024; the chart notes 40 mg daily since 2019.",
        "Serial imaging in 2024 showed progression; serial MRIs at 3 and 6 months.",
        "Plate 2 of the panel was negative; per the plate reader, 3.4 ng/mL.",
        "Record 12 weeks of PT; chart 2 of 3; MRN pending; case 2024 reviewed.",
        "Device was set to 2.5 mA at 60 Hz, 90 µs; the device is an SCS with 16 contacts.",
        "Guideline version 2.1.3.4; see section 4.2.1.3. Criteria 1.5.2 met.",
        "Insulin pump 10000 units per month; implant 10-15 mm; patient 65-70 years.",
        "Claim received 2026-10-02; reference 2019 guidelines; CPT 64635 and 64636.",
        "Score went from 31 to 12; HbA1c 7.2%; BP 120/80; eGFR 52; 1:1000 dilution.",
    ],
)
def test_clinical_text_near_identifier_words_is_left_alone(clinical):
    d = deid()
    out = d.text(clinical, "x")
    assert out == clinical or out == clinical.replace("2026-10-02", "2026-07-03")
    assert all(e.kind == "date" for e in d.report)


def test_a_known_number_is_found_with_or_without_its_separators():
    d = deid()
    assert d.text("MRN syn100231, chart 100231", "x") == "MRN [MRN], chart [MRN]"


def test_structured_dates_follow_the_policy():
    d = deid()
    assert [d.partial(v, "x") for v in ("2026-10-02", "2026-10", "2026", None)] == [
        "2026-07-03",
        "2026-07",
        "2026",
        None,
    ]
    assert deid(dates="year").partial("2026-10-02", "x") == "2026"


def test_random_offsets_are_whole_weeks_back_between_4_and_52():
    offsets = {random_offset() for _ in range(200)}
    assert all(o % 7 == 0 and -364 <= o <= -28 for o in offsets)
    assert len(offsets) > 10


def test_a_zero_shift_or_an_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        Deidentifier(IDS, TODAY, offset_days=0)
    with pytest.raises(ValueError):
        Deidentifier(IDS, TODAY, dates="week")


# --- properties ---------------------------------------------------------------------------

TYPED = (
    planted.NAME, "M. Quintero", "Quintero's", planted.MRN, planted.MEMBER, planted.GROUP,
    planted.PHONE, planted.FAX, planted.EMAIL, planted.URL, planted.STREET, planted.SSN,
    "03/14/1980", "MRN: 7781234", "member ID QX8812", "(312) 555-0188", "312.555.0188",
    "a.b-c@clinic.example.net", "http://x.example.com/p?q=1", "1200 W. Lake Shore Dr",
    "Dayton, OH 45402", *planted.DATES, "Sept 9, 2025", "2025-12-31", "12/31/2025",
    "10.2.3.44", "chart 4471923", "plate 7KXL392", "serial number AB12345", "device ID 12345678",
)  # fmt: skip
CLINICAL_WORDS = (
    "pain", "CDAI 31", "40 mg", "weekly", "the", "and", "2 weeks", "RF+", "M05.79", "72148",
    "stopped", "ALT 3.4× ULN", "(", ")", ",", ";", "—", "seen", "on", "at", "Dr.", "note:",
    "4/5", "J0135", "every", "daily", "NRS 7/10", "64635", "L3-L5",
)  # fmt: skip
FILLER = st.lists(
    st.one_of(
        st.sampled_from(CLINICAL_WORDS),
        st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8),
    ),
    max_size=5,
).map(" ".join)
SEPARATORS = st.sampled_from([" ", "\n", ", ", "; ", ". ", " (", ") "])


@given(
    st.lists(st.tuples(FILLER, SEPARATORS, st.sampled_from(TYPED), SEPARATORS), min_size=1),
    FILLER,
)
def test_no_planted_identifier_survives_in_any_surrounding_text(pieces, tail):
    text = "".join(f"{before}{a}{identifier}{b}" for before, a, identifier, b in pieces) + tail
    d = deid()
    out = d.text(text, "x")
    for _, _, identifier, _ in pieces:
        assert identifier not in out
        assert any(identifier in e.original or e.original in identifier for e in d.report)


@given(st.lists(st.sampled_from(CLINICAL_WORDS), min_size=1, max_size=30), SEPARATORS)
def test_clinical_words_in_any_order_are_left_alone(words, separator):
    text = separator.join(words)
    assert deid().text(text, "x") == text
