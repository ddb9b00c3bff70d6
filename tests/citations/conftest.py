"""Fixtures for the citations library tests: real-world BibTeX exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from citations import ParseResult, parse_bibtex

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_text() -> Callable[[str], str]:
    """Reads a fixture file by name."""
    return lambda name: (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def parse_fixture() -> Callable[[str], ParseResult]:
    """Parses a fixture file by name."""
    return lambda name: parse_bibtex((FIXTURES / name).read_text(encoding="utf-8"))
