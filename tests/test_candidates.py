"""Candidate offers for three and more parties against the enumerated space.

What ``candidates`` promises (analysis/simulate/candidates.py): small spaces give every feasible
package; large ones keep, for the feasible space, the agreement set and each party's own
ratifiable set, the best package along every weighting of the party utilities returned by
``directions`` -- plus the status quo and any openings. The reference here enumerates the space
with tests/reference.py and checks both halves: nothing promised is missing, nothing else is in.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.simulate.candidates import MAX_DIRECTIONS, candidates, directions
from dealcraft.model.load import from_data

from reference import Reference, holds
from strategies import scenarios
from ties import package_dicts

TOL = 1e-9


def _sets(data, global_cs, own):
    """Per package: party utilities (n, P) and the masks the candidates are drawn from."""
    ref = Reference(data, global_cs, own)
    packages = package_dicts(data)
    utilities = np.array([[ref.party_utility(q, p) for q in ref.parties] for p in packages])
    feasible = np.array([all(holds(c, p, ref.order) for c in global_cs) for p in packages])
    parties = [np.array([ref.party_accepts(q, p) for p in packages]) & feasible for q in ref.parties]
    agree = np.logical_and.reduce(parties)
    return packages, utilities, [feasible, agree, *parties]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_parties=4, max_issues=3), st.data())
def test_reduced_candidates_are_the_best_package_along_every_direction(case, draw):
    data, global_cs, own = case
    sc = from_data(data, "<candidates>")
    if len(sc.parties) < 3:
        return  # two parties take the exact-frontier path, tested in test_simulate.py
    packages, utilities, masks = _sets(data, global_cs, own)
    opening = tuple(draw.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    got = candidates(sc, [opening], limit=draw.draw(st.integers(0, sc.size - 1)))
    assert not got.enumerated
    chosen = set(got.numbers.tolist())
    lam = directions(len(sc.parties))
    wanted = set()  # every package that is best for some set and direction
    for mask in masks:
        if not mask.any():
            continue
        scores = utilities[mask] @ lam.T  # (n in mask, D)
        numbers = np.flatnonzero(mask)
        for d in range(len(lam)):
            best = scores[:, d].max()
            top = set(numbers[scores[:, d] >= best - TOL].tolist())
            assert top & chosen, f"no candidate is best along {lam[d]} in a set"
            wanted |= top
    must = {
        int(np.ravel_multi_index(sc.status_quo, sc.radices)),
        int(np.ravel_multi_index(opening, sc.radices)),
    }
    assert chosen <= wanted | must, "a candidate that is best for nothing"
    assert must <= chosen
    assert np.array_equal(got.numbers, np.sort(got.numbers))
    np.testing.assert_array_equal(got.digits, np.array(np.unravel_index(got.numbers, sc.radices)).T)


@settings(max_examples=60, deadline=None)
@given(scenarios(max_parties=4, max_issues=3))
def test_small_spaces_give_every_feasible_package(case):
    data, global_cs, own = case
    sc = from_data(data, "<candidates>")
    _, _, masks = _sets(data, global_cs, own)
    got = candidates(sc)
    assert got.enumerated
    sq = int(np.ravel_multi_index(sc.status_quo, sc.radices))
    assert set(got.numbers.tolist()) == set(np.flatnonzero(masks[0]).tolist()) | {sq}


def test_directions_cover_the_simplex_evenly():
    for parties in range(2, 7):
        lam = directions(parties)
        assert lam.shape[1] == parties and np.all(lam >= 0)
        np.testing.assert_allclose(lam.sum(axis=1), 1.0)
        assert len(lam) <= MAX_DIRECTIONS
        steps = round(1 / min(x for x in lam.ravel() if x > 0))
        assert len(lam) == math.comb(steps + parties - 1, parties - 1)  # the whole grid ...
        assert math.comb(steps + parties, parties - 1) > MAX_DIRECTIONS  # ... as fine as allowed
        assert len({tuple(row) for row in np.round(lam * steps).astype(int)}) == len(lam)
        for k in range(parties):  # every party's own best is a direction
            assert any(row[k] == 1 for row in lam)
