"""Roadmaps against a reference with its own scorer, written from docs/roadmap.md and DESIGN.md.

The brute force in test_roadmap.py scores orders with the production ``score``; this one reads
the scenario data (dicts, as written in a file) and re-derives everything: which steps a package
brings, each step's effect on each party, exposure ("value delivered minus value received,
counting only what cannot be taken back"), defect incentive, phase lengths and feasibility.
It then enumerates every roadmap of the small instance and compares the production solver's
answer with the best one. Numbers are chosen so that every kept effect is an exact multiple of
1e-6 (the solvers' unit), and trust levels are often set to an exposure some roadmap reaches, so
"exposure <= trust" is tested at equality.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.roadmap import roadmap
from dealcraft.model.load import from_data

from reference import Reference

TOL = 1e-9
ZERO_TRUST = 1e-6  # docs/roadmap.md: a trust of 0 counts as 1e-6 in the exposure/trust ratio
WEIGHT_TOTALS = (1, 2, 4, 5, 10, 20)  # weights / total has a denominator dividing 1e6 / 10 / 2^3
MAX_STEPS = 5


@dataclass(frozen=True)
class RefStep:
    id: str
    issue: str
    actor: str
    delta: tuple[float, ...]  # effect on each party
    reversible: float
    weeks: float
    after: tuple[str, ...]  # every prerequisite as written

    @property
    def kept(self) -> tuple[float, ...]:
        return tuple(d * (1 - self.reversible) for d in self.delta)


class RefRoadmap:
    """The package's steps and the scoring rules of docs/roadmap.md, in plain Python."""

    def __init__(self, data: dict, package: dict, opening: str | None):
        self.data, self.package, self.opening = data, package, opening
        self.parties = [p["id"] for p in data["parties"]]
        trust = (data.get("roadmap") or {}).get("trust", {})
        self.trust = [float(trust.get(p, 0.0)) for p in self.parties]
        ref = Reference(data)
        status_quo = {i["id"]: i["status_quo"] for i in data["issues"]}
        self.steps: list[RefStep] = []
        for issue in data["issues"]:
            chosen = package[issue["id"]]
            if chosen == issue["status_quo"]:
                continue  # an unchanged issue brings no steps
            moved = {**status_quo, issue["id"]: chosen}
            gain = [ref.party_utility(p, moved) - ref.party_utility(p, status_quo) for p in self.parties]
            option = next(o for o in issue["options"] if o["id"] == chosen)
            written = option.get("steps") or [{"id": f"{issue['id']}:{chosen}", "verify_weeks": 4.0}]
            for s in written:
                share = s.get("share", 1.0 / len(written))
                self.steps.append(
                    RefStep(
                        s["id"],
                        issue["id"],
                        issue["giver"],
                        tuple(share * g for g in gain),
                        float(s.get("reversible", 0.0)),
                        float(s.get("verify_weeks", 4.0)),
                        tuple(s.get("after", ())),
                    )
                )
        ids = {s.id for s in self.steps}
        self.prereqs = {s.id: tuple(a for a in s.after if a in ids) for s in self.steps}
        self.unmet = {(s.id, a) for s in self.steps for a in s.after if a not in ids}

    # --- one roadmap ---------------------------------------------------------------------------
    def valid(self, phases: list[list[str]]) -> bool:
        at = {s: t for t, phase in enumerate(phases) for s in phase}
        if any(at[a] >= at[s] for s, pre in self.prereqs.items() for a in pre):
            return False
        actor = {s.id: s.actor for s in self.steps}
        return self.opening is None or all(actor[s] == self.opening for s in phases[0])

    def walk(self, phases: list[list[str]]):
        """Per phase: (weeks, exposure per party, defect incentive per party)."""
        by_id = {s.id: s for s in self.steps}
        total = [sum(s.delta[k] for s in self.steps) for k in range(len(self.parties))]
        kept_so_far = [0.0] * len(self.parties)
        out = []
        for phase in phases:
            for sid in phase:
                kept_so_far = [a + b for a, b in zip(kept_so_far, by_id[sid].kept, strict=True)]
            weeks = max(by_id[sid].weeks for sid in phase)
            exposure = [max(0.0, -k) for k in kept_so_far]
            incentive = [k - t for k, t in zip(kept_so_far, total, strict=True)]
            out.append((weeks, exposure, incentive))
        return out

    def objective(self, phases):
        """(feasible, weeks, sum of each party's largest exposure, phases, worst ratio)."""
        walked = self.walk(phases)
        worst = [max(e[k] for _, e, _ in walked) for k in range(len(self.parties))]
        feasible = all(w <= t + TOL for w, t in zip(worst, self.trust, strict=True))
        ratio = max(w / max(t, ZERO_TRUST) for w, t in zip(worst, self.trust, strict=True))
        return feasible, sum(w for w, _, _ in walked), sum(worst), len(phases), ratio

    # --- every roadmap ---------------------------------------------------------------------
    def roadmaps(self):
        """Every ordered partition of the steps into non-empty phases that respects the rules."""
        ids = [s.id for s in self.steps]
        n = len(ids)
        for k in range(1, n + 1):
            for phase_of in itertools.product(range(k), repeat=n):
                if len(set(phase_of)) < k:
                    continue
                phases = [[ids[s] for s in range(n) if phase_of[s] == t] for t in range(k)]
                if self.valid(phases):
                    yield phases


# --- scenarios -------------------------------------------------------------------------------


@st.composite
def roadmap_cases(draw):
    """(data, package, opening): 2-3 parties, 1-3 issues, a few steps per option with
    reversibility 0, 1/2 or 1 and shares 1 or 1/2; values on a 1/10 grid."""
    n_parties = draw(st.integers(2, 3))
    parties = []
    for p in range(n_parties):
        members = [{"id": f"s{k}"} for k in range(draw(st.integers(1, 2)))]
        parties.append({"id": f"p{p}", "stakeholders": members})
    issues, declared = [], []  # declared: prerequisite targets defined so far (any option)
    for i in range(draw(st.integers(1, 3))):
        radix = draw(st.integers(2, 3))
        options = []
        for o in range(radix):
            option = {"id": f"o{o}"}
            n_steps = draw(st.integers(0, 2))
            if n_steps:
                explicit = draw(st.booleans())
                steps = []
                for k in range(n_steps):
                    step = {
                        "id": f"i{i}o{o}s{k}",
                        "reversible": draw(st.sampled_from([0.0, 0.5, 1.0])),
                        "verify_weeks": draw(st.sampled_from([0, 1, 2, 4, 8])),
                        "after": sorted(draw(st.sets(st.sampled_from(declared), max_size=2)))
                        if declared
                        else [],
                    }
                    if explicit:
                        step["share"] = 1.0 / n_steps
                    steps.append(step)
                option["steps"] = steps
                declared += [s["id"] for s in steps]
            else:
                declared.append(f"i{i}:o{o}")
            options.append(option)
        issues.append(
            {
                "id": f"i{i}",
                "giver": f"p{draw(st.integers(0, n_parties - 1))}",
                "status_quo": f"o{draw(st.integers(0, radix - 1))}",
                "options": options,
            }
        )
    preferences = {}
    for party in parties:
        for s in party["stakeholders"]:
            weights = [draw(st.integers(0, 4)) for _ in issues]
            total = sum(weights)
            weights[0] += min(t for t in WEIGHT_TOTALS if t >= max(total, 1)) - total
            preferences[f"{party['id']}.{s['id']}"] = {
                "reservation": 0.0,
                "weights": {i["id"]: w for i, w in zip(issues, weights, strict=True)},
                "values": {
                    i["id"]: {o["id"]: draw(st.integers(0, 10)) / 10 for o in i["options"]} for i in issues
                },
            }
    data = {
        "dealcraft": 1,
        "id": "roadmap-ref",
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    package = {i["id"]: draw(st.sampled_from(i["options"]))["id"] for i in issues}
    return data, package


def _with_trust(draw, data: dict, ref: RefRoadmap, all_roadmaps: list) -> dict:
    """Trust per party: absent (0), a grid number, or exactly the largest exposure of some
    roadmap (a tie at the feasibility boundary)."""
    trust = {}
    tie = draw(st.sampled_from(all_roadmaps))
    worst = [max(e[k] for _, e, _ in ref.walk(tie)) for k in range(len(ref.parties))]
    for k, p in enumerate(ref.parties):
        kind = draw(st.sampled_from(["absent", "grid", "tie", "tie"]))
        if kind == "grid":
            trust[p] = draw(st.integers(0, 20)) / 100
        elif kind == "tie":
            trust[p] = round(worst[k], 6)  # an exact multiple of 1e-6 already: rounding drops float noise
    return {**data, "roadmap": {"trust": trust}}


def _case(draw):
    data, package = draw(roadmap_cases())
    bare = RefRoadmap(data, package, None)
    assume(1 <= len(bare.steps) <= MAX_STEPS)
    all_roadmaps = list(bare.roadmaps())
    data = _with_trust(draw, data, bare, all_roadmaps)
    movers = sorted({s.actor for s in bare.steps if not bare.prereqs[s.id]})
    opening = draw(st.one_of(st.none(), st.sampled_from(movers)))
    ref = RefRoadmap(data, package, opening)
    return data, package, opening, ref


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(st.data())
def test_solver_matches_reference_scoring_and_brute_force(draw):
    data, package, opening, ref = _case(draw.draw)
    sc = from_data(data, "<roadmap>")
    result = roadmap(sc, package, opening=opening, solver="exact")
    pb = result.problem
    parties = ref.parties

    # the steps the package brings, their effects, and the prerequisites that are ignored
    by_id = {s.id: s for s in ref.steps}
    assert sorted(pb.ids) == sorted(by_id)
    for k, sid in enumerate(pb.ids):
        s = by_id[sid]
        np.testing.assert_allclose(pb.delta[k], s.delta, atol=TOL)
        assert pb.reversible[k] == s.reversible and pb.weeks[k] == s.weeks
        assert parties[pb.actor[k]] == s.actor
        assert sorted(pb.ids[a] for a in pb.prereqs[k]) == sorted(ref.prereqs[sid])
    assert set(pb.unmet) == ref.unmet

    # the roadmap it reports: valid, and every reported number as the reference scores it
    phases = [[pb.ids[s] for s in ph.steps] for ph in result.phases]
    assert sorted(s for ph in phases for s in ph) == sorted(by_id)
    assert all(phases) and ref.valid(phases)
    for ph, (weeks, exposure, incentive) in zip(result.phases, ref.walk(phases), strict=True):
        assert ph.weeks == weeks
        np.testing.assert_allclose(ph.exposure, exposure, atol=TOL)
        np.testing.assert_allclose(ph.incentive, incentive, atol=TOL)
    feasible, weeks, sum_worst, n_phases, ratio = ref.objective(phases)
    assert result.feasible == feasible
    assert result.total_weeks == weeks
    np.testing.assert_allclose(
        result.max_exposure,
        [max(e[k] for _, e, _ in ref.walk(phases)) for k in range(len(parties))],
        atol=TOL,
    )

    # ... and the best one there is (docs/roadmap.md: objective and fallback when infeasible)
    scored = [ref.objective(r) for r in ref.roadmaps()]
    possible = [s for s in scored if s[0]]
    assert feasible == bool(possible)
    if possible:
        assert result.required_trust is None
        best_weeks = min(s[1] for s in possible)
        assert weeks == best_weeks
        best_sum = min(s[2] for s in possible if s[1] == best_weeks)
        assert sum_worst == pytest.approx(best_sum, abs=TOL)
        tied = [s for s in possible if s[1] == best_weeks and abs(s[2] - best_sum) <= TOL]
        assert n_phases == min(s[3] for s in tied)
    else:
        np.testing.assert_allclose(result.required_trust, result.max_exposure)
        assert ratio <= min(s[4] for s in scored) * (1 + 1e-6) + 1e-6
