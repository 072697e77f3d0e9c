"""User-facing errors: every one names where the problem is and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


class DealcraftError(Exception):
    """A mistake in the user's input (never a bug): the CLI prints it without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, pinned to a location inside it."""

    location: str
    message: str

    def render(self, source: str) -> str:
        """The problem as one line: ``file: location: message``."""
        where = f"{source}: {self.location}" if self.location else source
        return f"{where}: {self.message}"


class ScenarioError(DealcraftError):
    """A scenario file has one or more problems; all of them are reported at once."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = [p.render(source) for p in problems]
        head = f"{len(problems)} problem(s) in {source}:" if len(problems) > 1 else ""
        super().__init__("\n".join([head, *lines]) if head else lines[0])


def format_location(parts: tuple | list) -> str:
    """Render a path such as ('preferences', 'us.hawks', 'values') as
    ``preferences["us.hawks"].values``."""
    out = ""
    for part in parts:
        if isinstance(part, bool):
            out += f"[{str(part).lower()}]"
        elif isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f'["{part}"]'
    return out


class InternalError(Exception):
    """A bug in dealcraft, not in the input (e.g. a non-finite result): the CLI says
    'please report' and exits with code 3."""
