"""What an import would change in a library that already holds entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from citations.model import DuplicateKey, Entry, FailedBlock, ParseResult


def normalised_fields(entry: Entry) -> dict[str, str]:
    """The fields to store and compare: source values with whitespace runs collapsed.

    Re-wrapping a long title in an editor is then not reported as a change.
    """
    return {name: " ".join(value.split()) for name, value in entry.fields.items()}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs; ``old``/``new`` are None when the field was absent."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class EntryUpdate:
    """An entry already in the library whose fields differ in the new file."""

    key: str
    changes: tuple[FieldChange, ...]

    @property
    def changed_fields(self) -> list[str]:
        """Names of the changed fields, in order."""
        return [c.name for c in self.changes]


@dataclass(slots=True)
class ImportReport:
    """Outcome of comparing a parsed file with the library, ready for the import page."""

    added: list[str] = field(default_factory=list)
    updated: list[EntryUpdate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[DuplicateKey] = field(default_factory=list)
    failed: list[FailedBlock] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The summary stored with the import job (counts, duplicates and failures by line)."""
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "duplicates": [d.to_dict() for d in self.duplicates],
            "failed": [f.to_dict() for f in self.failed],
        }


def diff_fields(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[FieldChange, ...]:
    """Fields added, removed or changed between two normalised field maps (new order first)."""
    changes = []
    for name in [*new, *(n for n in old if n not in new)]:
        before, after = old.get(name), new.get(name)
        if before is not None:
            before = " ".join(before.split())
        if before != after:
            changes.append(FieldChange(name, before, after))
    return tuple(changes)


def compare(existing: Mapping[str, Mapping[str, str]], parsed: ParseResult) -> ImportReport:
    """Classify each parsed entry against the library's entries (key -> normalised fields).

    An entry is *added* when its key is new, *updated* when its key exists with different
    fields (each change listed with old and new value) and *unchanged* otherwise. Duplicate keys
    and unreadable blocks from the parse are carried into the report.
    """
    report = ImportReport(duplicates=list(parsed.duplicates), failed=list(parsed.failed))
    for entry in parsed.entries:
        old = existing.get(entry.key)
        if old is None:
            report.added.append(entry.key)
            continue
        changes = diff_fields(old, normalised_fields(entry))
        if changes:
            report.updated.append(EntryUpdate(entry.key, changes))
        else:
            report.unchanged.append(entry.key)
    return report
