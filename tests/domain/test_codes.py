import pytest

from app.domain.codes import CodeError, diagnosis_codes, procedure_codes


def test_procedure_codes_accept_cpt_hcpcs_and_modifiers():
    assert procedure_codes("72148, j0135 64635-lt 0275T") == ["72148", "J0135", "64635-LT", "0275T"]


@pytest.mark.parametrize("bad", ["7214", "721488", "ZZ123", "W1234", "64635-LEFT"])
def test_procedure_code_of_wrong_shape_is_named(bad):
    with pytest.raises(CodeError) as error:
        procedure_codes(f"72148 {bad}")
    assert bad.upper() in str(error.value)


def test_diagnosis_codes_get_their_dot_back():
    assert diagnosis_codes("m0579; M54.17 G43709 M21.372") == [
        "M05.79",
        "M54.17",
        "G43.709",
        "M21.372",
    ]


@pytest.mark.parametrize("bad", ["M5", "5M4.17", "M54.12345", "MM4.1"])
def test_diagnosis_code_of_wrong_shape_is_refused(bad):
    with pytest.raises(CodeError, match="ICD-10-CM"):
        diagnosis_codes(bad)


def test_no_codes_is_an_empty_list():
    assert procedure_codes("  ") == [] and diagnosis_codes("") == []
