"""How a job reports progress without knowing who listens (a terminal, a log, a web job row)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

Advance = Callable[[int], None]


class Tracker(Protocol):
    """Receives the stages of a job: ``stage(label, total, work)`` is entered around a stage
    and yields ``advance(n)`` (or None when nobody wants the detail). ``total`` None marks a
    stage whose length is unknown (a solver run); ``work`` is the effort behind ``total`` when
    the two differ (packages × samples), so a listener can decide whether it is worth showing."""

    def stage(
        self, label: str, total: int | None, work: int | None = None
    ) -> AbstractContextManager[Advance | None]:
        """Enter a stage of the job."""
        ...


class Silent:
    """The tracker for callers who want no progress (tests, the library by default)."""

    @contextlib.contextmanager
    def stage(self, label: str, total: int | None, work: int | None = None) -> Iterator[Advance | None]:
        """Yield no ``advance``: the stage runs without reporting."""
        yield None


#: The shared no-progress tracker: every job's default.
SILENT = Silent()
