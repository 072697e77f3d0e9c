"""Hard limits on what a scenario file may contain, so no input can exhaust time, memory or stack.

Each limit is far above what a real negotiation needs; a file beyond one is rejected with a
located error that names the limit. The file-size limit can be raised with the environment
variable ``DEALCRAFT_MAX_FILE_MB`` (or ``max_bytes=`` in the library).
"""

from __future__ import annotations

import os

from dealcraft.errors import DealcraftError, Problem

MAX_FILE_MB_ENV = "DEALCRAFT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 10.0
MAX_DEPTH = 64  # nesting of mappings/lists in a document (the format itself needs about 8)
MAX_NODES = 2_000_000  # values in a document once YAML aliases are expanded
MAX_PARTIES = 50
MAX_STAKEHOLDERS = 500  # over all parties
MAX_ISSUES = 200
MAX_OPTIONS = 1_000  # per issue
MAX_CONSTRAINTS = 1_000  # per list of constraints
MAX_EXPR_CHARS = 20_000  # one constraint expression (a flat "or" of 1,000 comparisons fits)
MAX_EXPR_DEPTH = 50  # nested parentheses, 'not' and '->' in one constraint


def max_file_bytes() -> int:
    """The file-size limit in bytes: DEALCRAFT_MAX_FILE_MB if set, else 10 MB."""
    raw = os.environ.get(MAX_FILE_MB_ENV)
    if raw is None or raw.strip() == "":
        return int(DEFAULT_MAX_FILE_MB * 1_000_000)
    try:
        mb = float(raw)
    except ValueError:
        mb = float("nan")
    if not mb > 0 or mb == float("inf"):
        raise DealcraftError(f"{MAX_FILE_MB_ENV}={raw!r}: give the limit in megabytes, a number > 0")
    return int(mb * 1_000_000)


def size_problem(size: int, limit: int) -> Problem | None:
    """A problem when a document of ``size`` bytes exceeds ``limit``."""
    if size <= limit:
        return None
    return Problem(
        "",
        f"the file is {size / 1e6:.1f} MB, more than the limit of {limit / 1e6:g} MB: "
        f"split it or, if it is really meant to be this large, set {MAX_FILE_MB_ENV} to a higher value",
    )


def count_problems(data: object) -> list[Problem]:
    """Problems for parties, stakeholders, issues, options or constraint lists beyond the limits
    (checked on the parsed document, before the slower schema validation)."""
    if not isinstance(data, dict):
        return []
    out: list[Problem] = []
    _party_problems(data.get("parties"), out)
    _issue_problems(data.get("issues"), out)
    _over(data.get("constraints"), MAX_CONSTRAINTS, "constraints", "constraints", out)
    _preference_problems(data.get("preferences"), out)
    return out


def _over(items: object, limit: int, where: str, what: str, out: list[Problem]) -> None:
    """Append a problem when ``items`` is a list longer than ``limit``."""
    if isinstance(items, list) and len(items) > limit:
        out.append(Problem(where, f"{len(items):,} {what}, more than the limit of {limit:,}: {_CUT}"))


def _party_problems(parties: object, out: list[Problem]) -> None:
    """Check the number of parties and of stakeholders across all of them."""
    _over(parties, MAX_PARTIES, "parties", "parties", out)
    if isinstance(parties, list):
        members = [p.get("stakeholders") for p in parties if isinstance(p, dict)]
        total = sum(len(m) for m in members if isinstance(m, list))
        if total > MAX_STAKEHOLDERS:
            out.append(
                Problem(
                    "parties",
                    f"{total:,} stakeholders in all, more than the limit of {MAX_STAKEHOLDERS:,}: {_CUT}",
                )
            )


def _issue_problems(issues: object, out: list[Problem]) -> None:
    """Check the number of issues and the options of each (only up to one past the limit)."""
    _over(issues, MAX_ISSUES, "issues", "issues", out)
    if isinstance(issues, list):
        for i, issue in enumerate(issues[: MAX_ISSUES + 1]):
            if isinstance(issue, dict):
                _over(issue.get("options"), MAX_OPTIONS, f"issues[{i}].options", "options", out)


def _preference_problems(preferences: object, out: list[Problem]) -> None:
    """Check the constraint list of each preference."""
    if isinstance(preferences, dict):
        for key, pref in preferences.items():
            if isinstance(pref, dict):
                where = f'preferences["{key}"].constraints'
                _over(pref.get("constraints"), MAX_CONSTRAINTS, where, "constraints", out)


_CUT = "merge or drop some, or split the negotiation into smaller scenarios"
