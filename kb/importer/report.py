"""What an import did: an outcome per file, and a report that counts them all but keeps only the
outcomes worth naming (so a 100k-file import does not hold 100k outcome objects)."""

from __future__ import annotations

from kb.record import field, record

# What happened to a file.
IMPORTED, UNCHANGED, MOVED, SKIPPED = "imported", "unchanged", "moved", "skipped"
# What happened to posts (counted over every file), in the order the report shows them.
POST_COUNTS = ("added", "updated", "unchanged", "duplicate", "removed")
ROW_COUNTS = ("sections", "passages", "facts", "photos")


@record(slots=True)
class FileOutcome:
    """What happened to one input file and its posts."""

    path: str
    status: str  # IMPORTED | UNCHANGED | MOVED | SKIPPED
    added: int = 0  # posts new to the database
    updated: int = 0  # posts edited in the file: stored again under the same number
    unchanged: int = 0  # posts the file held already
    duplicate: int = 0  # posts stored already from another file: now held by this one too
    removed: int = 0  # posts the file no longer holds that no other file holds
    sections: int = 0  # of the posts added or updated
    passages: int = 0
    facts: int = 0
    photos: int = 0
    format: str = ""
    encoding: str = ""
    reason: str = ""  # why a file was skipped
    moved_from: str = ""
    warnings: list[str] = field(default_factory=list)


@record(slots=True)
class ImportReport:
    """The summary of a `kb import` run: counters over every file, and the notable outcomes (files
    skipped, moved or with warnings). Plain imported files leave only their counts."""

    db: str
    files: list[FileOutcome] = field(default_factory=list)  # the notable outcomes only
    file_count: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*POST_COUNTS, *ROW_COUNTS), 0))
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.file_count += 1
        for attr in self.totals:
            self.totals[attr] += int(getattr(outcome, attr))
        if outcome.status in (SKIPPED, MOVED) or outcome.warnings:
            self.files.append(outcome)

    def total(self, attr: str) -> int:
        return self.totals[attr]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == SKIPPED]

    @property
    def moved(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == MOVED]
