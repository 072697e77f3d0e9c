"""The compiled scenario: ids and numpy arrays, what the engine and analyses work on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dealcraft.errors import DealcraftError
from dealcraft.model.expr import Expression
from dealcraft.model.numbers import Uncertain
from dealcraft.model.numeric import ValueShape, find_point, json_number
from dealcraft.model.schema import ScenarioFile
from dealcraft.model.steps import StepInfo


@dataclass(frozen=True)
class IssueInfo:
    """One issue: its options in order, the party that gives along it, and its status-quo option."""

    id: str
    name: str
    giver: int | None  # None: the issue has no giver
    status_quo: int
    options: tuple[str, ...]
    option_names: tuple[str, ...]
    grid: tuple[float, ...] | None = None  # numeric issue: the number of each option (ascending)
    step: float | None = None  # numeric issue: the grid step

    @property
    def radix(self) -> int:
        """Number of options: the issue's digit base in a package number."""
        return len(self.options)

    @property
    def numeric(self) -> bool:
        """Whether the options are the points of a numeric grid."""
        return self.grid is not None

    @property
    def integral(self) -> bool:
        """Whether every grid point is a whole number (JSON then prints ints)."""
        return self.grid is not None and all(float(x).is_integer() for x in self.grid)

    def value(self, option: int) -> str | int | float:
        """What a package shows for this option: its id, or its number on a numeric issue."""
        if self.grid is None:
            return self.options[int(option)]
        return json_number(self.grid[int(option)], self.integral)

    def find(self, choice: Any) -> int | None:
        """The option index named by an id, or on a numeric issue by a number or its text
        (``30``, ``30.0``, ``"30"``); None when there is no such option."""
        if isinstance(choice, str) and choice in self.options:
            return self.options.index(choice)
        if self.grid is None or isinstance(choice, bool):
            return None
        try:
            x = float(choice)
        except (TypeError, ValueError):
            return None
        return find_point(self.grid, x, self.step or 1.0) if np.isfinite(x) else None


@dataclass(frozen=True)
class PartyInfo:
    """One party: its stakeholders and how it ratifies (a weighted threshold, or a veto for each)."""

    id: str
    name: str
    threshold: float | None  # None: every stakeholder is a veto player
    stakeholders: tuple[int, ...]
    power: float = 1.0  # bargaining power at its point value (parties[].power)
    discount: float = 1.0  # utility left at the deadline of simulated talks (parties[].discount)


@dataclass(frozen=True)
class StakeholderInfo:
    """One stakeholder: its ``party.stakeholder`` key, its party and its influence there."""

    key: str  # "party.stakeholder"
    name: str
    party: int
    influence: float


@dataclass(frozen=True)
class ObservationInfo:
    """A documented verdict on a package, by a whole party or by one stakeholder: what the model is
    checked and calibrated against."""

    id: str
    package: tuple[int, ...]
    expected_accept: bool
    party: int | None  # observed verdict of a whole party ...
    stakeholder: int | None  # ... or of one stakeholder
    description: str = ""  # what happened, in the analyst's words


@dataclass(frozen=True)
class Parameters:
    """The judgment numbers as arrays: weights (S, I) normalised per row, one (S, radix)
    value table per issue, reservations (S,), and the parties' bargaining power (P,) when it
    differs from the scenario's point values (None: those)."""

    weights: np.ndarray
    values: tuple[np.ndarray, ...]
    reservations: np.ndarray
    power: np.ndarray | None = None


@dataclass(frozen=True)
class UncertainParameters:
    """Where each parameter came from in the file, so it can be sampled or swung."""

    weights: Mapping[tuple[int, int], Uncertain]
    values: Mapping[tuple[int, int, int], Uncertain]
    reservations: Mapping[int, Uncertain]
    shapes: Mapping[tuple[int, int], ValueShape] = field(default_factory=dict)  # (s, i): value form
    power: Mapping[int, Uncertain] = field(default_factory=dict)  # party -> parties[].power as given


@dataclass(frozen=True)
class Scenario:
    """A compiled scenario: ids, numpy arrays, and the resolved steps, trust and talks. Everything
    above the model layer reads this, never the file."""

    id: str
    title: str
    source: str
    description: str  # the file's description ('' when it has none)
    issues: tuple[IssueInfo, ...]
    parties: tuple[PartyInfo, ...]
    stakeholders: tuple[StakeholderInfo, ...]
    params: Parameters
    uncertain: UncertainParameters
    constraints: tuple[Expression, ...]
    stakeholder_constraints: tuple[tuple[Expression, ...], ...]
    observations: tuple[ObservationInfo, ...]
    steps: Mapping[tuple[int, int], tuple[StepInfo, ...]]  # (issue, option) -> steps carrying it out
    trust: Mapping[str, float]  # party id -> exposure it tolerates (roadmap.trust; absent: 0)
    openings: Mapping[str, tuple[int, ...]]  # party id -> scripted opening package (talks.openings)
    rounds: int | None  # talks.rounds: the deadline of simulated talks (None: not given)
    file: ScenarioFile = field(repr=False)  # the parsed file, kept only to write it back out

    # --- sizes and lookups -------------------------------------------------
    @property
    def radices(self) -> np.ndarray:
        """(I,) number of options per issue: the digit bases of package numbers."""
        return np.array([i.radix for i in self.issues], dtype=np.int64)

    @property
    def size(self) -> int:
        """Number of packages, as an exact Python int (the product can exceed int64)."""
        return int(np.prod([i.radix for i in self.issues], dtype=object))

    @property
    def status_quo(self) -> tuple[int, ...]:
        """Each issue's status-quo option: the package if nothing is agreed."""
        return tuple(i.status_quo for i in self.issues)

    @property
    def party_of(self) -> np.ndarray:
        """(S,) the party index of each stakeholder."""
        return np.array([s.party for s in self.stakeholders], dtype=np.int64)

    @property
    def influence(self) -> np.ndarray:
        """(S,) each stakeholder's influence within its party, as given."""
        return np.array([s.influence for s in self.stakeholders], dtype=float)

    @property
    def party_matrix(self) -> np.ndarray:
        """(P, S): row P holds P's stakeholders' influence shares (sums to 1)."""
        m = np.zeros((len(self.parties), len(self.stakeholders)))
        m[self.party_of, np.arange(len(self.stakeholders))] = self.influence
        return m / m.sum(axis=1, keepdims=True)

    @property
    def disagreement(self) -> np.ndarray:
        """d_P: influence-weighted mean of each party's stakeholders' reservations."""
        return self.disagreement_of(self.params)

    def disagreement_of(self, params: Parameters) -> np.ndarray:
        """d_P under other judgment numbers (a sample, a what-if)."""
        return self.party_matrix @ params.reservations

    @property
    def power(self) -> np.ndarray:
        """(P,) each party's bargaining power at its point value (1 when not given)."""
        return np.array([p.power for p in self.parties], dtype=float)

    def power_of(self, params: Parameters) -> np.ndarray:
        """(P,) bargaining power under other judgment numbers (a sample draws its own)."""
        return self.power if params.power is None else params.power

    @property
    def discount(self) -> np.ndarray:
        """(P,) each party's discount factor for simulated talks (1: no discounting)."""
        return np.array([p.discount for p in self.parties], dtype=float)

    def issue_index(self, issue_id: str) -> int:
        """Position of the issue with this id (ValueError if there is none)."""
        return [i.id for i in self.issues].index(issue_id)

    def party_index(self, party_id: str) -> int:
        """Position of the party with this id (ValueError if there is none)."""
        return [p.id for p in self.parties].index(party_id)

    def with_params(self, params: Parameters) -> Scenario:
        """A copy with other judgment numbers (a sample, a what-if)."""
        return replace(self, params=params)

    # --- packages -------------------------------------------------------------
    def package(self, choice: Mapping[str, str | int | float] | None = None) -> tuple[int, ...]:
        """Option indices for a {issue: option} mapping (a number for a numeric issue); issues
        left out keep the status quo."""
        digits = list(self.status_quo)
        for issue_id, option_id in (choice or {}).items():
            ids = [i.id for i in self.issues]
            if issue_id not in ids:
                raise DealcraftError(
                    f"unknown issue {issue_id!r} in scenario {self.id!r}: use one of {', '.join(ids)}"
                )
            issue = self.issues[ids.index(issue_id)]
            found = issue.find(option_id)
            if found is None:
                raise DealcraftError(
                    f"unknown option {option_id!r} for issue {issue_id!r} in scenario "
                    f"{self.id!r}: use {option_hint(issue)}"
                )
            digits[ids.index(issue_id)] = found
        return tuple(digits)

    def describe(self, package: Sequence[int]) -> dict[str, str | int | float]:
        """{issue: option} for every issue of a package (the number on a numeric issue)."""
        return {i.id: i.value(d) for i, d in zip(self.issues, package, strict=True)}

    def changes(self, package: Sequence[int]) -> dict[str, str | int | float]:
        """{issue: option} for the issues where the package leaves the status quo."""
        return {i.id: i.value(d) for i, d in zip(self.issues, package, strict=True) if int(d) != i.status_quo}


def option_hint(issue: IssueInfo) -> str:
    """How to name an option of this issue, for error messages."""
    if issue.grid is not None:
        lo, hi = issue.options[0], issue.options[-1]
        return f"a number on the grid {lo}, {issue.options[1]}, ..., {hi}"
    return f"one of {', '.join(issue.options)}"
