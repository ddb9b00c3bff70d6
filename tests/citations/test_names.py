"""Name splitting: split on the raw text first, then decode each part."""

from __future__ import annotations

from citations.names import Name, initials_of, parse_names


def test_last_first_with_initials_and_accents() -> None:
    names, more = parse_names('M{\\"u}ller, J{\\"o}rg and Bathon, Joan M.')
    assert names == [
        Name("Müller", "Jörg", "J"),
        Name("Bathon", "Joan M.", "JM"),
    ]
    assert more is False


def test_braced_corporate_author_stays_whole() -> None:
    names, _ = parse_names(
        "{World Health Organization} and {American College of Rheumatology} and Smith, J"
    )
    assert [(n.surname, n.corporate) for n in names] == [
        ("World Health Organization", True),
        ("American College of Rheumatology", True),
        ("Smith", False),
    ]
    assert names[0].ama == "World Health Organization"


def test_and_inside_braces_does_not_split() -> None:
    names, _ = parse_names("{Johnson and Johnson} and Doe, Jane")
    assert [n.surname for n in names] == ["Johnson and Johnson", "Doe"]


def test_first_last_order_particles_and_suffix() -> None:
    names, _ = parse_names(
        "Ludwig van Beethoven and van der Heijde, D{\\'e}sir{\\'e}e and Hu, Jr., Frank B."
    )
    assert [n.ama for n in names] == ["van Beethoven L", "van der Heijde D", "Hu FB Jr"]
    assert names[1].given == "Désirée"


def test_and_others_marks_more_authors() -> None:
    names, more = parse_names("Fraenkel, Liana and others")
    assert [n.surname for n in names] == ["Fraenkel"]
    assert more is True


def test_accented_initial_when_first_name_is_encoded() -> None:
    names, _ = parse_names("{\\'E}mile Zola")
    assert names[0].ama == "Zola É"


def test_initials() -> None:
    assert initials_of("E. William") == "EW"
    assert initials_of("Jean-Pierre") == "J-P"
    assert initials_of("J.-P.") == "J-P"
    assert initials_of("Mary Ann") == "MA"
    assert initials_of("") == ""
