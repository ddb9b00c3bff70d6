"""DOI and PMID look-ups; only the network boundary is replaced (by `responses`)."""

from __future__ import annotations

import pytest
import requests
import responses
from responses import matchers

from citations import LookupFailed, MemoryCache, MetadataClient, entry_to_bibtex, format_ama
from citations.lookup import ESUMMARY_URL, RateLimiter

EMAIL = "appeals@clinic.example"
FRAENKEL_CSL = {
    "type": "article-journal",
    "title": "2021 American College of Rheumatology Guideline for the Treatment of Rheumatoid "
    "Arthritis",
    "author": [
        {"family": "Fraenkel", "given": "Liana"},
        {"family": "Bathon", "given": "Joan M."},
        {"family": "England", "given": "Bryant R."},
        {"family": "St.Clair", "given": "E. William"},
        {"family": "Arayssi", "given": "Thurayya"},
        {"family": "Carandang", "given": "Kristine"},
        {"family": "Deane", "given": "Kevin D."},
    ],
    "container-title": "Arthritis Care & Research",
    "container-title-short": "Arthritis Care Res",
    "volume": "73",
    "issue": "7",
    "page": "924-939",
    "issued": {"date-parts": [[2021, 6, 7]]},
    "DOI": "10.1002/acr.24596",
    "URL": "http://dx.doi.org/10.1002/acr.24596",
}
DOWELL_SUMMARY = {
    "uid": "36327391",
    "pubdate": "2022 Nov 4",
    "source": "MMWR Recomm Rep",
    "authors": [
        {"name": "Dowell D", "authtype": "Author"},
        {"name": "Ragan KR", "authtype": "Author"},
        {"name": "Jones CM", "authtype": "Author"},
        {"name": "Baldwin GT", "authtype": "Author"},
        {"name": "Chou R", "authtype": "Author"},
    ],
    "title": "CDC Clinical Practice Guideline for Prescribing Opioids for Pain - United States, "
    "2022.",
    "volume": "71",
    "issue": "3",
    "pages": "1-95",
    "fulljournalname": "MMWR. Recommendations and reports : Morbidity and mortality weekly "
    "report. Recommendations and reports",
    "articleids": [
        {"idtype": "pubmed", "value": "36327391"},
        {"idtype": "doi", "value": "10.15585/mmwr.rr7103a1"},
        {"idtype": "pmc", "value": "PMC9639433"},
    ],
}
QASEEM_SUMMARY = {
    "uid": "28192789",
    "pubdate": "2017 Apr 4",
    "source": "Ann Intern Med",
    "authors": [
        {"name": "Qaseem A", "authtype": "Author"},
        {"name": "Wilt TJ", "authtype": "Author"},
        {"name": "McLean RM", "authtype": "Author"},
        {"name": "Forciea MA", "authtype": "Author"},
        {
            "name": "Clinical Guidelines Committee of the American College of Physicians",
            "authtype": "CollectiveName",
        },
    ],
    "title": "Noninvasive Treatments for Acute, Subacute, and Chronic Low Back Pain: A Clinical "
    "Practice Guideline From the American College of Physicians.",
    "volume": "166",
    "issue": "7",
    "pages": "514-530",
    "fulljournalname": "Annals of internal medicine",
    "articleids": [{"idtype": "doi", "value": "10.7326/M16-2367"}],
}


class FakeClock:
    """Time that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> MetadataClient:
    return MetadataClient(EMAIL, sleep=clock.sleep, clock=clock, timeout=5)


def _esummary(pmids: str, api_key: str | None = None) -> list:
    params = {"db": "pubmed", "id": pmids, "retmode": "json", "tool": "peerbrief", "email": EMAIL}
    if api_key:
        params["api_key"] = api_key
    return [matchers.query_param_matcher(params)]


@responses.activate
def test_doi_content_negotiation_builds_an_entry(client: MetadataClient) -> None:
    responses.get(
        "https://doi.org/10.1002/acr.24596",
        json=FRAENKEL_CSL,
        match=[
            matchers.header_matcher(
                {
                    "Accept": "application/vnd.citationstyles.csl+json",
                    "User-Agent": "Peerbrief/0.1.0 (mailto:appeals@clinic.example)",
                }
            )
        ],
    )
    (result,) = client.lookup("https://doi.org/10.1002/acr.24596", existing_keys={"fraenkel2021"})
    assert result.ok and result.error == ""
    entry = result.entry
    assert entry.key == "fraenkel2021a"
    assert format_ama(entry).text == (
        "Fraenkel L, Bathon JM, England BR, et al. 2021 American College of Rheumatology "
        "Guideline for the Treatment of Rheumatoid Arthritis. Arthritis Care Res. "
        "2021;73(7):924-939. doi:10.1002/acr.24596"
    )
    assert "  journal      = {Arthritis Care \\& Research},\n" in entry_to_bibtex(entry)


@responses.activate
def test_results_are_cached(client: MetadataClient) -> None:
    responses.get("https://doi.org/10.1002/acr.24596", json=FRAENKEL_CSL)
    client.lookup("10.1002/acr.24596")
    client.lookup("doi:10.1002/ACR.24596")
    assert len(responses.calls) == 1


@responses.activate
def test_injected_cache_is_used_before_the_network(clock: FakeClock) -> None:
    cache = MemoryCache()
    cache.set("doi:10.1002/acr.24596", FRAENKEL_CSL)
    client = MetadataClient(EMAIL, cache=cache, sleep=clock.sleep, clock=clock)
    (result,) = client.lookup("10.1002/acr.24596")
    assert result.entry.key == "fraenkel2021"
    assert len(responses.calls) == 0


@responses.activate
def test_pmids_are_fetched_in_one_request_with_identification(client: MetadataClient) -> None:
    responses.get(
        ESUMMARY_URL,
        json={
            "result": {
                "uids": ["36327391", "28192789"],
                "36327391": DOWELL_SUMMARY,
                "28192789": QASEEM_SUMMARY,
            }
        },
        match=_esummary("36327391,28192789"),
    )
    dowell, qaseem = client.lookup("PMID: 36327391\n28192789")
    assert len(responses.calls) == 1
    assert dowell.entry.key == "dowell2022"
    assert format_ama(dowell.entry).text == (
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
        "Prescribing Opioids for Pain - United States, 2022. MMWR Recomm Rep. 2022;71(3):1-95. "
        "doi:10.15585/mmwr.rr7103a1"
    )
    assert format_ama(qaseem.entry).text.startswith(
        "Qaseem A, Wilt TJ, McLean RM, Forciea MA; Clinical Guidelines Committee of the "
        "American College of Physicians. Noninvasive Treatments"
    )
    assert qaseem.entry.fields["pmid"] == "28192789"


@responses.activate
def test_unknown_ids_get_their_own_message(client: MetadataClient) -> None:
    responses.get("https://doi.org/10.9999/nope", status=404)
    responses.get(
        ESUMMARY_URL,
        json={
            "result": {
                "uids": ["99999999"],
                "99999999": {"uid": "99999999", "error": "cannot get document summary"},
            }
        },
    )
    results = client.lookup("10.9999/nope 99999999 banana")
    assert [(r.identifier.value, r.entry, r.error) for r in results] == [
        (
            "10.9999/nope",
            None,
            "DOI 10.9999/nope was not found at doi.org; check it for typing errors.",
        ),
        ("99999999", None, "PMID 99999999 was not found in PubMed."),
        ("banana", None, "'banana' is neither a DOI (10.xxxx/...) nor a PubMed ID (digits)."),
    ]


@responses.activate
def test_offline_and_timeout_are_reported_per_id(client: MetadataClient) -> None:
    responses.get("https://doi.org/10.1000/a", body=requests.ConnectionError("no route"))
    responses.get("https://doi.org/10.1000/b", body=requests.ReadTimeout("slow"))
    responses.get(ESUMMARY_URL, body=requests.ConnectionError("no route"))
    results = client.lookup("10.1000/a 10.1000/b 123")
    assert [r.error for r in results] == [
        "Could not reach doi.org: check the internet connection and try again.",
        "doi.org did not answer within 5 seconds; try again later.",
        "Could not reach PubMed: check the internet connection and try again.",
    ]
    assert all(r.entry is None for r in results)
    assert client.cache.get("doi:10.1000/a") is None


@responses.activate
def test_malformed_answers_build_nothing(client: MetadataClient) -> None:
    responses.get(
        "https://doi.org/10.1000/html", body="<html>landing page</html>", content_type="text/html"
    )
    responses.get("https://doi.org/10.1000/notitle", json={"type": "article-journal"})
    responses.get(
        "https://doi.org/10.1000/broken",
        body="{not json",
        content_type="application/vnd.citationstyles.csl+json",
    )
    responses.get(ESUMMARY_URL, json={"result": {"uids": ["5"], "5": {"uid": "5", "title": ""}}})
    results = client.lookup("10.1000/html 10.1000/notitle 10.1000/broken 5")
    assert [r.error for r in results] == [
        "doi.org has no citation data for DOI 10.1000/html.",
        "doi.org sent an unreadable answer for DOI 10.1000/notitle (no title).",
        "doi.org sent an unreadable answer for DOI 10.1000/broken.",
        "PubMed's record for PMID 5 is incomplete: the record has no title.",
    ]
    assert all(r.entry is None for r in results)


@responses.activate
def test_esummary_error_object(client: MetadataClient) -> None:
    responses.get(ESUMMARY_URL, json={"error": "API rate limit exceeded"})
    failure = client.fetch_pmids(["1"])["1"]
    assert isinstance(failure, LookupFailed)
    assert str(failure) == "PubMed could not answer: API rate limit exceeded."


@responses.activate
def test_429_is_retried_after_the_servers_delay_then_reported(
    client: MetadataClient, clock: FakeClock
) -> None:
    responses.get("https://doi.org/10.1000/busy", status=429, headers={"Retry-After": "3"})
    responses.get("https://doi.org/10.1000/busy", status=429, headers={"Retry-After": "3"})
    responses.get("https://doi.org/10.1000/busy", json={**FRAENKEL_CSL, "DOI": "10.1000/busy"})
    assert client.fetch_doi("10.1000/busy")["DOI"] == "10.1000/busy"
    assert clock.sleeps == [3.0, 3.0]

    responses.get("https://doi.org/10.1000/always", status=429)
    with pytest.raises(LookupFailed) as raised:
        client.fetch_doi("10.1000/always")
    assert str(raised.value) == (
        "doi.org is limiting the number of requests (HTTP 429); try again in a minute."
    )
    assert len([c for c in responses.calls if c.request.url.endswith("always")]) == 3


@responses.activate
def test_ncbi_rate_limit_without_and_with_api_key(clock: FakeClock) -> None:
    responses.get(ESUMMARY_URL, json={"result": {"uids": []}})
    client = MetadataClient(EMAIL, sleep=clock.sleep, clock=clock)
    for pmid in ("1", "2", "3"):
        client.fetch_pmids([pmid])
    assert clock.sleeps == [pytest.approx(1 / 3), pytest.approx(1 / 3)]

    clock.sleeps.clear()
    keyed = MetadataClient(EMAIL, api_key="k3y", sleep=clock.sleep, clock=clock)
    responses.get(ESUMMARY_URL, json={"result": {"uids": []}}, match=_esummary("4", "k3y"))
    keyed.fetch_pmids(["4"])
    keyed.fetch_pmids(["5"])
    assert clock.sleeps == [pytest.approx(0.1)]
    assert "api_key=k3y" in responses.calls[-1].request.url
    assert "email=appeals%40clinic.example" in responses.calls[-1].request.url


def test_rate_limiter_does_not_sleep_when_calls_are_spaced(clock: FakeClock) -> None:
    limiter = RateLimiter(3, clock, clock.sleep)
    limiter.wait()
    clock.now += 1
    limiter.wait()
    assert clock.sleeps == []


def test_contact_email_is_required() -> None:
    with pytest.raises(ValueError, match="contact email"):
        MetadataClient("")
