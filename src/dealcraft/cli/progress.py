"""Feedback on long work when stderr is not a terminal (logs, CI, pipes), and `--quiet`.

A terminal gets Rich's progress bar (:func:`dealcraft.cli.common.progress_bar`); anything
else gets a start line with the estimated work and plain-text lines at most every
``INTERVAL`` seconds. Very large enumerations also get, after the first timed block, how long
they are expected to take and how to cut them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import typer

INTERVAL = 5.0  # seconds between plain-text progress lines
BIG_WORK = 10**8  # package evaluations: above this, say how long it will take and how to cut it
CUT_HINT = (
    "to cut it, fix some issues or merge options (fewer packages), use fewer samples, or lower "
    "--max-packages so spaces this large are refused"
)


class _State:
    quiet = False


def set_quiet(value: bool | None) -> bool | None:
    """Typer callback of every ``--quiet``: silences progress and time estimates."""
    if value:
        _State.quiet = True
    return value


def reset() -> None:
    """Forget a previous ``--quiet`` (one process may run several commands, e.g. in tests)."""
    _State.quiet = False


def is_quiet() -> bool:
    """Whether --quiet silenced progress for this command."""
    return _State.quiet


QUIET_OPT = typer.Option(
    False, "--quiet", "-q", callback=set_quiet, help="No progress lines or time estimates on stderr."
)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Reporter:
    """Counts progress; writes plain lines (``plain=True``) and the large-work estimate once."""

    def __init__(
        self,
        label: str,
        total: int,
        work: int,
        *,
        plain: bool,
        say: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.label, self.total, self.work, self.plain = label, max(total, 1), work, plain
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self.clock = clock
        self.start = self.last = clock()
        self.done = 0
        self.estimated = False
        if plain:
            self.say(f"dealcraft: {label}: {work:,} package evaluations (progress every {INTERVAL:g} s)")

    def advance(self, n: int) -> None:
        """Count ``n`` more units of work; print a line when it is time."""
        self.done += n
        now = self.clock()
        elapsed = now - self.start
        fraction = min(self.done / self.total, 1.0)
        if not self.estimated and self.work >= BIG_WORK and 0 < fraction < 1:
            self.estimated = True
            expected = elapsed / fraction
            self.say(
                f"dealcraft: warning: {self.work:,} package evaluations; from the first "
                f"{fraction:.1%} this is expected to take about {_duration(expected)} in all: {CUT_HINT}"
            )
        if self.plain and now - self.last >= INTERVAL and fraction < 1:
            self.last = now
            left = elapsed / fraction - elapsed if fraction > 0 else float("nan")
            eta = f", about {_duration(left)} left" if fraction > 0 else ""
            self.say(
                f"dealcraft: {self.label}: {fraction:.0%} ({self.done:,} of {self.total:,}), "
                f"{_duration(elapsed)} elapsed{eta}"
            )

    def finish(self) -> None:
        """Say that the stage is done and how long it took (plain-text mode)."""
        if self.plain:
            self.say(f"dealcraft: {self.label}: done in {_duration(self.clock() - self.start)}")
