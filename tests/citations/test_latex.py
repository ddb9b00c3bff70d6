"""Display decoding of LaTeX in BibTeX values."""

from __future__ import annotations

import pytest

from citations.latex import decode, encode


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('M{\\"u}ller', "Müller"),
        ('M\\"{u}ller', "Müller"),
        ("{\\O}stergaard", "Østergaard"),
        ("{\\o}", "ø"),
        ("Caf{\\'e}", "Café"),
        ("Caf\\'{e}", "Café"),
        ("Garc{\\'\\i}a", "García"),
        ("Stra{\\ss}e", "Straße"),
        ("Stra\\ss e", "Straße"),
        ('{\\aa}ngstr{\\"o}m', "ångström"),
        ("\\v{S}koda", "Škoda"),
        ("Fran\\c{c}ois", "François"),
        ("\\l{}ukasz", "łukasz"),
        ("pages 924--939", "pages 924–939"),
        ("Pain---United States", "Pain—United States"),
        ("Arthritis Care \\& Research", "Arthritis Care & Research"),
        ("a 50\\% reduction", "a 50% reduction"),
        ("Dr.~Smith", "Dr. Smith"),
        ("{{American College}} of {{Rheumatology}}", "American College of Rheumatology"),
        ("\\textit{in vivo} study", "in vivo study"),
        ("\\emph{Borrelia}", "Borrelia"),
        ("``quoted''", "\u201cquoted\u201d"),
        ("a \\{literal\\} brace", "a {literal} brace"),
        ("two\n   lines", "two lines"),
        ("plain text", "plain text"),
    ],
)
def test_table_decodes_common_macros(source: str, shown: str) -> None:
    assert decode(source) == shown


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("$\\alpha$-blocker", "α-blocker"),
        ("\\textmu{}g and $\\beta$", "µg and β"),
    ],
)
def test_math_and_unknown_macros_fall_back_to_pylatexenc(source: str, shown: str) -> None:
    assert decode(source) == shown


def test_encode_escapes_specials_and_decodes_back() -> None:
    text = "A & B: 50% of $5 #1 a_b {x} c:\\d ~ ^"
    encoded = encode(text)
    assert encoded == (
        "A \\& B: 50\\% of \\$5 \\#1 a\\_b \\{x\\} c:\\textbackslash{}d "
        "\\textasciitilde{} \\textasciicircum{}"
    )
    assert decode(encoded) == text


def test_encode_leaves_unicode_alone() -> None:
    assert encode("Müller – Østergaard") == "Müller – Østergaard"


@pytest.mark.parametrize(
    "source",
    [
        'M{\\"u}ller \\& {\\O}stergaard -- 50\\% of \\{braces\\} c:\\textbackslash{}d',
        "plain words, single spaces",
        "tabs\tand\nnew  lines",
        "odd\x1cseparator and\xa0no-break space",
        "``quoted'' text~here",
    ],
)
def test_long_values_decode_like_short_ones(source: str) -> None:
    # Short values are remembered, long ones (abstracts) are not: both paths must agree.
    long = " ".join([source] * 20)
    assert len(source) < 160 < len(long)
    assert decode(long) == " ".join([decode(source)] * 20)


def test_whitespace_handling_of_plain_and_marked_up_text() -> None:
    assert decode("a\xa0b ") == "a\xa0b"  # plain text keeps a no-break space
    assert decode("a\xa0b \\&") == "a b &"  # as before: marked-up text collapses all spaces
    assert decode("a\x1cb \\&") == "a b &"
