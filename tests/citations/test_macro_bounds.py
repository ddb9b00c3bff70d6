"""`@string` macros cannot make an import grow past fixed bounds, whatever the file holds.

Memory is measured with tracemalloc in this process: the peak of what Python allocated while
the file was read, never a time.
"""

import string
import tracemalloc

from citations import parse_bibtex
from citations.macros import EXPANSION_LIMIT, MACRO_DEPTH, VALUE_LIMIT

MB = 1024 * 1024


def doubling_bomb(levels: int = 30) -> str:
    """A few hundred bytes whose macros double at every level: 8 * 2**30 characters."""
    names = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase][: levels + 1]
    lines = [f'@string{{{names[0]}="xxxxxxxx"}}']
    lines += [f"@string{{{b}={a}#{a}}}" for a, b in zip(names, names[1:], strict=False)]
    lines.append(f"@misc{{k,title={names[-1]}}}")
    return "\n".join(lines) + "\n"


def peak_of(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_doubling_bomb_is_a_small_file():
    bomb = doubling_bomb()
    assert len(bomb) < 600
    assert bomb.count("@string") == 31


def test_nested_macros_stop_at_the_depth_bound_with_the_line_named():
    result, peak = peak_of(lambda: parse_bibtex(doubling_bomb()))
    assert peak < 20 * MB
    first = result.failed[0]
    # Line 1 is the plain macro; the one built from it `MACRO_DEPTH` times over is refused.
    assert first.line == MACRO_DEPTH + 2
    assert f"at most {MACRO_DEPTH} levels of macros" in first.reason
    assert first.reason.startswith("`@string` `aj` could not be read: it uses `ai`")
    # The macros built on the refused one are undefined names now: text, not expansions.
    assert result.entries[0].key == "k" and len(result.entries[0].fields["title"]) < 100


def test_a_wide_macro_stops_at_the_value_bound_before_it_is_made():
    words = " # ".join(["a"] * 2000)
    text = f'@string{{a = "{"y" * 1000}"}}\n@string{{wide = {words}}}\n@misc{{k, title = wide}}\n'
    result, peak = peak_of(lambda: parse_bibtex(text))
    assert peak < 20 * MB
    assert [f.line for f in result.failed] == [2]
    assert f"past {VALUE_LIMIT:,} characters" in result.failed[0].reason
    assert result.entries[0].fields["title"] == "wide"


def test_one_large_macro_used_by_every_entry_spends_the_files_budget():
    big = "z" * (VALUE_LIMIT - 10)
    uses = EXPANSION_LIMIT // len(big) + 5
    entries = "\n".join(f"@misc{{k{i}, title = big, year = {{2020}}}}" for i in range(uses))
    result, peak = peak_of(lambda: parse_bibtex(f"@string{{big = {{{big}}}}}\n{entries}\n"))
    assert peak < 60 * MB
    read = len(result.entries)
    assert read == EXPANSION_LIMIT // len(big)
    assert len(result.failed) == uses - read
    assert result.failed[0].line == read + 2
    assert "expand past 10,000,000 characters in all" in result.failed[0].reason
    assert result.failed[0].reason.startswith(f"Entry `k{read}` could not be read: its `title`")


def test_ordinary_nesting_and_month_macros_still_resolve():
    text = (
        '@string{acr = "American College of Rheumatology"}\n'
        '@string{acrj = acr # " Journal"}\n'
        "@misc{k, journal = acrj, month = jan}\n"
    )
    entry = parse_bibtex(text).entries[0]
    assert entry.fields == {
        "journal": "American College of Rheumatology Journal",
        "month": "January",
    }
