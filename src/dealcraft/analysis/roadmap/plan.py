"""``roadmap()``: the best sequencing of a package's steps (its JSON form is the service layer's)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from dealcraft.analysis.roadmap.bounds import depth
from dealcraft.analysis.roadmap.cpsat import solve_cpsat
from dealcraft.analysis.roadmap.exact import Solution, solve_exact
from dealcraft.analysis.roadmap.knot import Knot, find_knot
from dealcraft.analysis.roadmap.limits import DEFAULT_THREADS, DEFAULT_TIME_LIMIT, EXACT_UP_TO
from dealcraft.analysis.roadmap.problem import StepProblem, build_problem, score
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

SolverName = Literal["auto", "exact", "cpsat"]


@dataclass(frozen=True)
class Phase:
    """One phase of a roadmap: the steps carried out together, its length in weeks, and each
    party's exposure and incentive to walk out once it is done."""

    steps: tuple[int, ...]  # step indices into the problem
    weeks: float
    exposure: np.ndarray  # (P,) after this phase
    incentive: np.ndarray  # (P,) gain from walking out after this phase instead of completing


@dataclass(frozen=True)
class Roadmap:
    """The sequencing of one package's steps: its phases, whether it keeps within trust, which solver
    found it with what status, and the knot when it does not fit."""

    problem: StepProblem
    changes: dict[str, str | int | float]
    feasible: bool  # every exposure within trust (False: this is the least-bad roadmap)
    phases: tuple[Phase, ...]
    solver: str
    status: str  # OPTIMAL / FEASIBLE / UNKNOWN (CP-SAT ran out of time) ...
    seconds: float
    knot: Knot | None

    @property
    def total_weeks(self) -> float:
        """Length of the whole roadmap: the sum of its phase lengths."""
        return float(sum(p.weeks for p in self.phases))

    @property
    def max_exposure(self) -> np.ndarray:
        """(P,) each party's largest exposure over the phases (zeros when there are none)."""
        parties = len(self.problem.party_ids)
        return np.max([p.exposure for p in self.phases], axis=0) if self.phases else np.zeros(parties)

    @property
    def required_trust(self) -> np.ndarray | None:
        """The trust each party would need for this roadmap (only when it is not feasible)."""
        return None if self.feasible else self.max_exposure


def roadmap(
    scenario: Scenario,
    package: Sequence[int] | Mapping[str, str | int | float],
    trust: Mapping[str, float] | None = None,
    opening: str | None = None,
    *,
    solver: SolverName = "auto",
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_THREADS,
    seed: int = 0,
) -> Roadmap:
    """The feasible roadmap with the fewest total weeks (ties: smallest sum of each party's
    largest exposure, then fewest phases); if none is feasible, the one with the smallest
    largest exposure/trust ratio, with the trust it needs and the knot that forces it.

    ``trust`` overrides the scenario's ``roadmap.trust`` per party; ``opening`` names a party
    that takes phase 1 alone (a GRIT gesture)."""
    problem = _problem(scenario, package, trust, opening)
    if solver not in ("auto", "exact", "cpsat"):
        raise DealcraftError(f"unknown solver {solver!r}: use auto, exact or cpsat")
    if time_limit <= 0:
        raise DealcraftError(f"time limit {time_limit} s: give a positive number of seconds")
    use_exact = solver == "exact" or (solver == "auto" and problem.n <= EXACT_UP_TO)
    start = time.perf_counter()
    if use_exact:
        solution = solve_exact(problem.instance)
    else:
        solution = solve_cpsat(problem.instance, time_limit=time_limit, workers=workers, seed=seed)
    seconds = time.perf_counter() - start
    if not solution.phase_of and problem.n:
        if use_exact or solution.status == "INFEASIBLE":
            raise DealcraftError(
                f"no roadmap exists for these {problem.n} steps ({solution.status}): check the "
                "prerequisites ('after') and --opening, which may leave no valid order"
            )
        raise DealcraftError(
            f"CP-SAT found no roadmap at all within {time_limit:g} s ({solution.status}) for "
            f"{problem.n} steps: raise --time-limit"
        )
    return _result(scenario, problem, solution, "exact" if use_exact else "cp-sat", seconds)


def at_once(
    scenario: Scenario,
    package: Sequence[int] | Mapping[str, str | int | float],
    trust: Mapping[str, float] | None = None,
) -> Roadmap:
    """ "Everything at once": every step as early as its prerequisites allow (no optimisation),
    to contrast with the sequenced roadmap."""
    problem = _problem(scenario, package, trust, None)
    inst = problem.instance
    phases = depth(inst)
    scored = score(inst, phases)
    sol = Solution(tuple(phases), scored, scored.feasible, "")
    return _result(scenario, problem, sol, "as soon as possible", 0.0)


def _problem(scenario, package, trust, opening) -> StepProblem:
    digits = scenario.package(package) if isinstance(package, Mapping) else tuple(int(x) for x in package)
    if len(digits) != len(scenario.issues):
        raise DealcraftError(
            f"a package needs one option per issue ({len(scenario.issues)}), got {len(digits)}"
        )
    problem = build_problem(scenario, digits, trust, opening)
    if problem.opening is not None:
        _check_opening(problem)
    return problem


def _check_opening(problem: StepProblem) -> None:
    party = problem.party_ids[problem.opening]
    own = [s for s in range(problem.n) if problem.actor[s] == problem.opening]
    if not own:
        movers = ", ".join(sorted({problem.party_ids[a] for a in problem.actor}))
        raise DealcraftError(
            f"{party} takes no step in this package, so it cannot open with a unilateral gesture: "
            f"choose a party that gives something ({movers})"
        )
    if all(problem.prereqs[s] for s in own):
        raise DealcraftError(
            f"{party} cannot open: each of its steps ({', '.join(problem.ids[s] for s in own)}) "
            "waits for a prerequisite, and a first phase can only hold steps without one"
        )


def _result(
    scenario: Scenario, problem: StepProblem, solution: Solution, solver: str, seconds: float
) -> Roadmap:
    phase_of = np.asarray(solution.phase_of, dtype=np.int64)
    phases = []
    k = int(phase_of.max()) + 1 if problem.n else 0
    for t in range(k):
        members = np.flatnonzero(phase_of == t)
        done = phase_of <= t
        phases.append(
            Phase(
                tuple(int(s) for s in members),
                float(problem.weeks[members].max()),
                problem.exposure(done),
                problem.incentive(done),
            )
        )
    exposures = np.array([p.exposure for p in phases]) if phases else np.zeros((0, len(problem.party_ids)))
    feasible = solution.score.feasible if problem.n else True
    return Roadmap(
        problem,
        scenario.changes(problem.package),
        feasible,
        tuple(phases),
        solver,
        solution.status,
        seconds,
        None if feasible else find_knot(problem, phase_of, exposures),
    )
