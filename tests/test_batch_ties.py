"""The batched Monte Carlo kernel against the brute-force reference on samples full of ties.

Reservations equal to a package's utility and weighted thresholds equal to a subset's influence
share are where ``>=`` and ``>`` part ways; tests/ties.py puts them there on purpose."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dealcraft.engine.sampled import CELL_BUDGET, SampledParameters, count_rows, package_verdicts
from dealcraft.engine.space import choose_split, decode
from dealcraft.model.load import from_data

from reference import Reference
from ties import package_dicts, tie_samples

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _stack(samples: list[dict]) -> tuple[object, SampledParameters]:
    """The first sample's scenario and every sample's numbers, each compiled by the loader."""
    scenarios = [from_data(d, "<ties>") for d in samples]
    params = [s.params for s in scenarios]
    sampled = SampledParameters(
        np.stack([p.weights for p in params]),
        tuple(np.stack([p.values[i] for p in params]) for i in range(len(params[0].values))),
        np.stack([p.reservations for p in params]),
    )
    return scenarios[0], sampled


def _expected(samples, global_cs, own):
    """Per sample and package: stakeholder, party and all-party verdicts of the reference."""
    packages = package_dicts(samples[0])
    refs = [Reference(d, global_cs, own) for d in samples]
    keys = [f"{p['id']}.{s['id']}" for p in samples[0]["parties"] for s in p["stakeholders"]]
    parties = [p["id"] for p in samples[0]["parties"]]
    accepts = np.array([[[r.stakeholder_accepts(k, p) for p in packages] for k in keys] for r in refs])
    ratify = np.array([[[r.party_accepts(q, p) for p in packages] for q in parties] for r in refs])
    return accepts, ratify, ratify.all(axis=1)


@SETTINGS
@given(tie_samples(), st.sampled_from([1, 3, 4096]), st.sampled_from([1, 8, CELL_BUDGET]))
def test_batched_counts_match_the_reference_at_ties(case, tail_block, budget):
    samples, global_cs, own = case
    sc, sampled = _stack(samples)
    split = choose_split(sc.radices, tail_block)
    accepts, ratify, agree = _expected(samples, global_cs, own)
    got = count_rows(sc, sampled, split, (0, split.head_size), budget=budget)
    np.testing.assert_array_equal(got.stakeholders, accepts.sum(axis=0))
    np.testing.assert_array_equal(got.parties, ratify.sum(axis=0))
    np.testing.assert_array_equal(got.agree, agree.sum(axis=0))
    np.testing.assert_array_equal(got.any_agree, agree.any(axis=1))


@SETTINGS
@given(tie_samples())
def test_package_verdicts_match_the_reference_at_ties(case):
    samples, global_cs, own = case
    sc, sampled = _stack(samples)
    accepts, ratify, agree = _expected(samples, global_cs, own)
    got = package_verdicts(sc, sampled, decode(np.arange(sc.size), sc.radices))
    np.testing.assert_array_equal(got.accepts, accepts)
    np.testing.assert_array_equal(got.parties, ratify)
    np.testing.assert_array_equal(got.agree, agree)


def _on_boundary(case) -> tuple[bool, bool]:
    """Does some stakeholder sit exactly on its reservation, some weighted party exactly on its
    threshold (strictly between 0 and 1)?"""
    samples, global_cs, own = case
    data = samples[0]
    ref = Reference(data, global_cs, own)
    packages = package_dicts(data)
    exact_u = any(
        ref.utility(k, p) == pref["reservation"] for k, pref in data["preferences"].items() for p in packages
    )
    exact_share = False
    for party in data["parties"]:
        rule, members = party["ratification"], party["stakeholders"]
        if not isinstance(rule, dict) or not 0 < rule["weighted"] < 1:
            continue
        total = sum(s["influence"] for s in members)
        for mask in np.ndindex(*(2,) * len(members)):
            share = sum(s["influence"] for s, on in zip(members, mask, strict=True) if on) / total
            exact_share |= share == rule["weighted"]
    return exact_u, exact_share


def test_the_strategy_really_produces_ties():
    """Guard the guard: most drawn cases put a utility exactly on a reservation, one in ten or more a
    weighted party's share exactly on its threshold."""
    seen = []

    @settings(
        max_examples=60,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],  # slow draws are expected: Reference utilities
    )
    @given(tie_samples())
    def collect(case):
        seen.append(_on_boundary(case))

    collect()
    assert sum(u for u, _ in seen) >= 0.7 * len(seen)
    assert sum(s for _, s in seen) >= 0.1 * len(seen)


def test_point_samples_with_a_long_tail_are_counted():
    """Regression: samples that never vary, with 2+ tail issues (a zero-size axis), count."""
    from dealcraft.model.load import loads

    from uncertainty_scenarios import MC

    text = MC.replace("RESERVATION", "0.5").replace("OBSERVATIONS", "")
    text = text.replace("some: [0.2, 0.8]", "some: 0.5")
    text = text.replace("{dist: triangular, lo: 0.2, mode: 0.4, hi: 0.7}", "0.4")
    sc = loads(text, "point.yaml")
    sampled = SampledParameters(
        sc.params.weights[None].repeat(3, 0),
        tuple(v[None].repeat(3, 0) for v in sc.params.values),
        sc.params.reservations[None].repeat(3, 0),
    )
    split = choose_split(sc.radices, 4096)
    assert split.head == 0  # all three issues in the tail
    got = count_rows(sc, sampled, split, (0, split.head_size))
    one = package_verdicts(sc, sampled, decode(np.arange(sc.size), sc.radices))
    np.testing.assert_array_equal(got.agree, one.agree.sum(axis=0))
