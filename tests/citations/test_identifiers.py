"""Recognising pasted DOIs and PMIDs."""

from __future__ import annotations

from citations import parse_identifiers


def test_pasted_list_is_classified_in_order() -> None:
    pasted = """10.1002/acr.24596
doi: 10.7326/M16-2367, https://doi.org/10.1111/head.14153; PMID: 34101376
https://dx.doi.org/10.15585%2Fmmwr.rr7103a1.
28192789 pubmed:35130554 https://pubmed.ncbi.nlm.nih.gov/34101376/
not-an-id 10.1016/S0140-6736(20)30183-5
"""
    found = [(i.kind, i.value) for i in parse_identifiers(pasted)]
    assert found == [
        ("doi", "10.1002/acr.24596"),
        ("doi", "10.7326/M16-2367"),
        ("doi", "10.1111/head.14153"),
        ("pmid", "34101376"),
        ("doi", "10.15585/mmwr.rr7103a1"),
        ("pmid", "28192789"),
        ("pmid", "35130554"),
        ("invalid", "not-an-id"),
        ("doi", "10.1016/S0140-6736(20)30183-5"),
    ]


def test_invalid_token_has_a_message() -> None:
    (ident,) = parse_identifiers("10.12/x")
    assert ident.kind == "invalid"
    assert ident.error == "'10.12/x' is neither a DOI (10.xxxx/...) nor a PubMed ID (digits)."


def test_comma_separated_pmids_and_bracketed_doi() -> None:
    found = [(i.kind, i.value) for i in parse_identifiers("123,456 (doi:10.1000/abc)")]
    assert found == [("pmid", "123"), ("pmid", "456"), ("doi", "10.1000/abc")]
