"""Fetch citation metadata by DOI (doi.org content negotiation) and PMID (NCBI E-utilities).

Every request has a timeout and identifies the caller (contact email in the User-Agent and in
NCBI's ``email`` parameter); NCBI's limit of 3 requests a second (10 with an API key) is kept by
a rate limiter; HTTP 429 is retried after ``Retry-After`` a few times, then reported. Successful
records are cached through a small interface, so the app can plug in a database-backed cache.
Each identifier yields either a complete entry or one readable message, never half an entry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import requests

from citations import __version__
from citations.csl import csl_to_entry
from citations.identifiers import Identifier, parse_identifiers
from citations.model import Entry
from citations.pubmed import MalformedRecord, esummary_to_csl

DOI_URL = "https://doi.org/"
ESUMMARY_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi"
CSL_JSON = "application/vnd.citationstyles.csl+json"
PMID_BATCH = 200


class LookupFailed(Exception):
    """A look-up that produced no usable record; ``str()`` is the message to show."""


class LookupCache(Protocol):
    """Where look-up results (CSL-JSON) are kept between requests."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached record for `key` (``doi:10...`` or ``pmid:123``), or None."""
        ...

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store a record."""
        ...


class MemoryCache:
    """The default cache: a dict in this process."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached record, or None."""
        return self._data.get(key)

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store a record."""
        self._data[key] = value


class RateLimiter:
    """Spaces calls at least ``1/per_second`` apart (thread-safe)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next call is allowed."""
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


@dataclass(frozen=True, slots=True)
class LookupResult:
    """Outcome for one pasted identifier: an entry, or an error message."""

    identifier: Identifier
    entry: Entry | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether an entry was built."""
        return self.entry is not None


class MetadataClient:
    """DOI and PMID look-ups; `email` identifies the clinic's contact to doi.org and NCBI."""

    def __init__(
        self,
        email: str,
        *,
        api_key: str | None = None,
        tool: str = "peerbrief",
        cache: LookupCache | None = None,
        session: requests.Session | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if "@" not in email:
            raise ValueError("a contact email is required for NCBI and doi.org look-ups")
        self.email, self.api_key, self.tool = email, api_key, tool
        self.cache: LookupCache = cache if cache is not None else MemoryCache()
        self.session = session or requests.Session()
        self.timeout, self.max_retries, self._sleep = timeout, max_retries, sleep
        self.user_agent = f"Peerbrief/{__version__} (mailto:{email})"
        self.ncbi_limiter = RateLimiter(10 if api_key else 3, clock, sleep)
        self.doi_limiter = RateLimiter(5, clock, sleep)

    def _get(
        self, service: str, url: str, limiter: RateLimiter, **kwargs: Any
    ) -> requests.Response:
        headers = {"User-Agent": self.user_agent, **kwargs.pop("headers", {})}
        for attempt in range(self.max_retries + 1):
            limiter.wait()
            try:
                response = self.session.get(url, headers=headers, timeout=self.timeout, **kwargs)
            except requests.Timeout as exc:
                raise LookupFailed(
                    f"{service} did not answer within {self.timeout:g} seconds; try again later."
                ) from exc
            except requests.ConnectionError as exc:
                raise LookupFailed(
                    f"Could not reach {service}: check the internet connection and try again."
                ) from exc
            except requests.RequestException as exc:
                raise LookupFailed(f"The request to {service} failed: {exc}.") from exc
            if response.status_code != 429:
                return response
            if attempt < self.max_retries:
                self._sleep(_retry_after(response, attempt))
        raise LookupFailed(
            f"{service} is limiting the number of requests (HTTP 429); try again in a minute."
        )

    def fetch_doi(self, doi: str) -> dict[str, Any]:
        """CSL-JSON for a DOI from doi.org (cached); raises :class:`LookupFailed`."""
        key = f"doi:{doi.lower()}"
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        response = self._get(
            "doi.org",
            DOI_URL + quote(doi, safe="/()<>;:-._"),
            self.doi_limiter,
            headers={"Accept": CSL_JSON},
        )
        if response.status_code == 404:
            raise LookupFailed(f"DOI {doi} was not found at doi.org; check it for typing errors.")
        if response.status_code in (204, 406) or (
            response.ok and "json" not in response.headers.get("Content-Type", "json")
        ):
            raise LookupFailed(f"doi.org has no citation data for DOI {doi}.")
        if not response.ok:
            raise LookupFailed(
                f"doi.org answered with an error (HTTP {response.status_code}) for DOI {doi}; "
                "try again later."
            )
        try:
            record = response.json()
        except ValueError as exc:
            raise LookupFailed(f"doi.org sent an unreadable answer for DOI {doi}.") from exc
        if not isinstance(record, dict) or not record.get("title"):
            raise LookupFailed(f"doi.org sent an unreadable answer for DOI {doi} (no title).")
        record.setdefault("DOI", doi)
        self.cache.set(key, record)
        return record

    def fetch_pmids(self, pmids: Iterable[str]) -> dict[str, dict[str, Any] | LookupFailed]:
        """CSL-JSON for each PMID from PubMed esummary (cached, batched), or its failure."""
        out: dict[str, dict[str, Any] | LookupFailed] = {}
        missing = []
        for pmid in dict.fromkeys(pmids):
            cached = self.cache.get(f"pmid:{pmid}")
            if cached is not None:
                out[pmid] = cached
            else:
                missing.append(pmid)
        for start in range(0, len(missing), PMID_BATCH):
            batch = missing[start : start + PMID_BATCH]
            try:
                out.update(self._esummary(batch))
            except LookupFailed as exc:
                out.update({pmid: exc for pmid in batch})
        return out

    def _esummary(self, pmids: list[str]) -> dict[str, dict[str, Any] | LookupFailed]:
        params = {
            "db": "pubmed",
            "id": ",".join(pmids),
            "retmode": "json",
            "tool": self.tool,
            "email": self.email,
        }
        if self.api_key:
            params["api_key"] = self.api_key
        response = self._get("PubMed", ESUMMARY_URL, self.ncbi_limiter, params=params)
        if not response.ok:
            raise LookupFailed(
                f"PubMed answered with an error (HTTP {response.status_code}); try again later."
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise LookupFailed("PubMed sent an unreadable answer.") from exc
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            reason = data.get("error") if isinstance(data, dict) else None
            if reason:
                raise LookupFailed(f"PubMed could not answer: {reason}.")
            raise LookupFailed("PubMed sent an unreadable answer.")
        out: dict[str, dict[str, Any] | LookupFailed] = {}
        for pmid in pmids:
            record = result.get(pmid)
            if not isinstance(record, dict) or record.get("error"):
                out[pmid] = LookupFailed(f"PMID {pmid} was not found in PubMed.")
                continue
            try:
                csl = esummary_to_csl(record)
            except MalformedRecord as exc:
                out[pmid] = LookupFailed(f"PubMed's record for PMID {pmid} is incomplete: {exc}.")
                continue
            self.cache.set(f"pmid:{pmid}", csl)
            out[pmid] = csl
        return out

    def lookup(self, text: str, existing_keys: Collection[str] = ()) -> list[LookupResult]:
        """Look up every DOI and PMID in pasted text, in order.

        Each result holds an :class:`Entry` (key generated and kept distinct from
        `existing_keys` and from the other results) or a message saying what went wrong.
        """
        identifiers = parse_identifiers(text)
        pmids = [i.value for i in identifiers if i.kind == "pmid"]
        pubmed = self.fetch_pmids(pmids) if pmids else {}
        taken = set(existing_keys)
        results = []
        for ident in identifiers:
            if ident.kind == "invalid":
                results.append(LookupResult(ident, error=ident.error))
                continue
            try:
                if ident.kind == "doi":
                    record: dict[str, Any] | LookupFailed = self.fetch_doi(ident.value)
                else:
                    record = pubmed[ident.value]
                if isinstance(record, LookupFailed):
                    raise record
                entry = csl_to_entry(record, taken)
            except LookupFailed as exc:
                results.append(LookupResult(ident, error=str(exc)))
                continue
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                results.append(
                    LookupResult(ident, error=f"The record for {ident.label} is unusable: {exc}.")
                )
                continue
            taken.add(entry.key)
            results.append(LookupResult(ident, entry=entry))
        return results


def _retry_after(response: requests.Response, attempt: int) -> float:
    value = response.headers.get("Retry-After", "")
    if value.isdecimal():
        return min(float(value), 60.0)
    return float(2**attempt)
