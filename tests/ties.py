"""Hypothesis strategies for scenarios and parameter samples that sit exactly on the boundaries.

Random numbers almost never land on a reservation or a ratification threshold, so a kernel that
compares with ``>`` instead of ``>=`` passes random tests. Here reservations are set to the
utility of some package (so that package is met with equality) and weighted thresholds to the
influence share of some subset of members. Influences are binary fractions whose totals are
powers of two, so the shares and thresholds are exact in floating point: the ties are real.
"""

from __future__ import annotations

import copy
import itertools

from hypothesis import strategies as st

from reference import Reference
from strategies import GRID, scenarios

# member influences whose total is a power of two: every subset share is an exact binary fraction
INFLUENCES = {
    1: [(1.0,), (0.5,)],
    2: [(1.0, 1.0), (0.5, 1.5), (1.0, 3.0), (0.25, 0.75)],
    3: [(1.0, 1.0, 2.0), (0.5, 0.5, 1.0), (2.0, 1.0, 1.0), (0.25, 0.25, 0.5)],
}


def package_dicts(data: dict) -> list[dict]:
    """Every package as {issue: option}, in the engine's numbering (first issue most significant)."""
    issues = data["issues"]
    combos = itertools.product(*([o["id"] for o in i["options"]] for i in issues))
    return [dict(zip([i["id"] for i in issues], c, strict=True)) for c in combos]


def _tie_parties(draw, data: dict) -> None:
    """Influences with power-of-two totals; weighted thresholds equal to some subset's share."""
    for party in data["parties"]:
        members = party["stakeholders"]
        for m, w in zip(members, draw(st.sampled_from(INFLUENCES[len(members)])), strict=True):
            m["influence"] = w
        if draw(st.integers(0, 3)) == 0:
            party["ratification"] = "all"
            continue
        weights = [m["influence"] for m in members]
        subset = draw(st.lists(st.booleans(), min_size=len(members), max_size=len(members)))
        share = sum(w for w, on in zip(weights, subset, strict=True) if on) / sum(weights)
        party["ratification"] = {"weighted": share if share > 0 else 1.0}


def _tie_reservation(draw, data: dict, key: str, packages: list[dict]) -> None:
    """Mostly the exact utility of a drawn package (a tie), sometimes a grid number."""
    pref = data["preferences"][key]
    if draw(st.integers(0, 4)) == 0:
        pref["reservation"] = draw(GRID)
        return
    package = draw(st.sampled_from(packages))
    u = Reference(data).utility(key, package)
    pref["reservation"] = min(1.0, max(0.0, u))


def _moved(draw, data: dict, key: str, packages: list[dict]) -> None:
    """Another sample of one stakeholder: some values and maybe a weight change, a fresh tie."""
    pref = data["preferences"][key]
    issues = data["issues"]
    for _ in range(draw(st.integers(1, 3))):
        issue = draw(st.sampled_from(issues))
        option = draw(st.sampled_from(issue["options"]))["id"]
        pref["values"][issue["id"]][option] = draw(GRID)
    if draw(st.booleans()):
        issue = draw(st.sampled_from(issues))["id"]
        pref["weights"][issue] = draw(st.integers(0, 4))
        if sum(pref["weights"].values()) == 0:
            pref["weights"][issue] = 1
    _tie_reservation(draw, data, key, packages)


@st.composite
def tie_samples(draw, max_samples: int = 5, max_issues: int = 3):
    """(samples, global constraints, own constraints): K data dicts sharing one structure.

    Sample 0 is the scenario itself; in the others each stakeholder either keeps every number
    (the kernel's "fixed" path) or gets new values/weights/reservation (its "moving" path)."""
    data, global_cs, own = draw(scenarios(max_issues=max_issues))
    _tie_parties(draw, data)
    packages = package_dicts(data)
    for key in data["preferences"]:
        _tie_reservation(draw, data, key, packages)
    samples = [data]
    moving = {key: draw(st.booleans()) for key in data["preferences"]}
    for _ in range(draw(st.integers(1, max_samples - 1))):
        sample = copy.deepcopy(data)
        for key, moves in moving.items():
            if moves:
                _moved(draw, sample, key, packages)
        samples.append(sample)
    return samples, global_cs, own
