"""The signing clinician's profile in what the letters, the checklist and the points say."""

from types import SimpleNamespace as NS

from app.domain import points
from app.domain.brief import assemble
from app.domain.followup import appeal, confirmation, external_review
from app.domain.followup import gaps as followup_gaps
from app.domain.letter import Signer, running_head
from app.domain.readiness import gaps
from tests.domain.followup_cases import TODAY, call, case, text


def clinician(**over):
    values = dict(
        name="Priya Natarajan",
        credentials="MD, FACP",
        specialty="Pain medicine",
        npi="1234567893",
        phone="(555) 010-2030",
        fax="(555) 010-2031",
        board_certification="Board certified, American Board of Anesthesiology",
    )
    return NS(**(values | over))


def test_a_signer_carries_the_whole_profile_and_its_block_in_order():
    signer = Signer.of(clinician())
    assert signer.lines() == [
        "Priya Natarajan, MD, FACP",
        "Pain medicine · Board certified, American Board of Anesthesiology",
        "NPI: 1234567893",
        "Phone (555) 010-2030 · Fax (555) 010-2031",
    ]
    bare = Signer.of(NS(name="Lee Park", credentials="", specialty="", npi=""))
    assert bare.lines() == ["Lee Park"]
    assert Signer.of(clinician(phone="", board_certification="")).lines()[1:] == [
        "Pain medicine",
        "NPI: 1234567893",
        "Fax (555) 010-2031",
    ]


def test_every_letter_is_signed_from_the_profile():
    me = clinician()
    letters = [
        assemble(case(), TODAY, {}, [me]),
        confirmation(case(), call(), TODAY, [me]),
        appeal(case(), call(), TODAY, {}, [me]),
        external_review(case(), [call()], TODAY, {}, [me]),
    ]
    for letter in letters:
        assert letter.signers == [Signer.of(me)]
        assert letter.signers[0].fax == "(555) 010-2031"


def test_the_running_head_names_patient_birth_date_and_member_id():
    assert running_head("Dana  Whitfield", "1980-03-03", "X") == (
        "Patient: Dana Whitfield · DOB 3 Mar 1980 · Member ID X"
    )
    assert running_head("Dana Whitfield", None, " ") == "Patient: Dana Whitfield"
    letter = assemble(case(), TODAY, {}, [clinician()])
    assert letter.running_head == "Patient: Pat Doe · DOB 14 Mar 1980 · Member ID M1"
    assert confirmation(case(), call(), TODAY, []).running_head == letter.running_head
    assert appeal(case(), call(), TODAY, {}, []).running_head == letter.running_head


def test_a_pain_physician_argues_their_own_specialty_not_rheumatology():
    # The call was logged when the profile still said rheumatology; the letter reads it now.
    logged = call(reviewer_specialty="Internal medicine", same_specialty=False)
    body = text(confirmation(case(), logged, TODAY, [clinician()]))
    assert "not the same as mine (pain medicine)" in body
    assert "rheumatology" not in body.lower()
    # A reviewer of the clinician's own specialty is not challenged, whatever was logged.
    same = call(reviewer_specialty="Pain medicine", same_specialty=False)
    assert "same or a similar specialty" not in text(
        confirmation(case(), same, TODAY, [clinician()])
    )


def test_without_a_specialty_on_the_profile_the_letters_say_nothing_about_it():
    me = clinician(specialty="")
    logged = call(reviewer_specialty="Internal medicine", same_specialty=False)
    for letter in (
        confirmation(case(), logged, TODAY, [me]),
        appeal(case(), logged, TODAY, {}, [me]),
        external_review(case(), [logged], TODAY, {}, [me]),
    ):
        assert "is not the same as mine" not in text(letter)
    tp = points.assemble(case(), TODAY, (), me)
    assert not any("Mine:" in q for q in tp.questions)
    mine = points.assemble(case(), TODAY, (), clinician())
    assert any("Mine: Pain medicine;" in q for q in mine.questions)


def test_the_checklist_warns_of_a_profile_without_specialty_or_npi_and_links_to_it():
    found = {w.code: w for w in gaps(case(), [clinician(specialty="", npi="")])}
    assert found["profile-no-specialty"].where == "profile"
    assert "no specialty" in found["profile-no-specialty"].message
    assert found["profile-no-npi"].where == "profile"
    assert "Priya" not in found["profile-no-npi"].message  # the list goes into packets too
    assert not {"profile-no-specialty", "profile-no-npi"} & {
        w.code for w in gaps(case(), [clinician()])
    }
    confirming = followup_gaps("confirmation", case(), call(), [clinician(npi="")])
    assert [w.code for w in confirming if w.where == "profile"] == ["profile-no-npi"]
    # Other warnings link to where they are fixed, never to the profile.
    others = gaps(case(member_id=""), [clinician()])
    assert others and all(w.where and w.where != "profile" for w in others)
