"""Roadmaps: CP-SAT against the exact DP (and the DP against brute force), a hand-computed
case, infeasibility, prerequisites, the GRIT opening, format errors and the CLI."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import dealcraft.cli.roadmap  # noqa: F401  (registers the command)
from dealcraft.analysis.roadmap import at_once, bounds, roadmap
from dealcraft.analysis.roadmap.cpsat import solve_cpsat
from dealcraft.analysis.roadmap.exact import solve_exact
from dealcraft.analysis.roadmap.problem import Instance, check_order, score
from dealcraft.cli import app
from dealcraft.errors import DealcraftError, ScenarioError
from dealcraft.model.load import loads
from dealcraft.service.sequencing import roadmap_json as to_json

runner = CliRunner()

# Two parties with one stakeholder each, so party utility = stakeholder utility. Weights are
# normalised to 0.5 each, hence per issue (none->some, keep->dismantle):
#   money: a 0.5*(0.6-1) = -0.2, b 0.5*(1-0) = +0.5      (step pay, reversible PAY_REV)
#   nukes: a 0.5*(1-0) = +0.5, b 0.5*(0.6-1) = -0.2      (freeze 0.4 rev 0.5; dismantle 0.6 rev 0)
HAND = """
dealcraft: 1
id: hand
parties:
  - {{id: a, stakeholders: [{{id: boss}}]}}
  - {{id: b, stakeholders: [{{id: boss}}]}}
issues:
  - id: money
    giver: a
    options:
      - {{id: none}}
      - id: some
        steps: [{{id: pay, share: 1, reversible: {pay_rev}, verify_weeks: 2, after: [{pay_after}]}}]
  - id: nukes
    giver: b
    options:
      - {{id: keep}}
      - id: dismantle
        steps:
          - {{id: freeze, share: {freeze_share}, reversible: 0.5, verify_weeks: 4}}
          - {{id: dismantle, share: 0.6, reversible: 0, verify_weeks: 8, after: [{dismantle_after}]}}
  - id: office
    giver: a
    options: [{{id: closed}}, {{id: open}}]
preferences:
  a.boss:
    reservation: 0.3
    weights: {{money: 1, nukes: 1}}
    values: {{money: {{none: 1, some: 0.6}}, nukes: {{keep: 0, dismantle: 1}}}}
  b.boss:
    reservation: 0.3
    weights: {{money: 1, nukes: 1}}
    values: {{money: {{none: 0, some: 1}}, nukes: {{keep: 1, dismantle: 0.6}}}}
roadmap:
  trust: {{a: 0.05, b: 0.05}}
"""
DEAL = {"money": "some", "nukes": "dismantle"}


def hand_text(pay_rev=0.5, pay_after="", freeze_share=0.4, dismantle_after="freeze") -> str:
    return HAND.format(
        pay_rev=pay_rev, pay_after=pay_after, freeze_share=freeze_share, dismantle_after=dismantle_after
    )


def hand(**kw):
    return loads(hand_text(**kw), "hand.yaml")


def steps_of(result) -> list[list[str]]:
    return [sorted(result.problem.ids[s] for s in ph.steps) for ph in result.phases]


# --- random instances -------------------------------------------------------------------------


@st.composite
def instances(draw, max_steps: int = 7) -> Instance:
    n = draw(st.integers(1, max_steps))
    parties = draw(st.integers(2, 3))
    kept = np.array(draw(st.lists(st.integers(-20, 15), min_size=n * parties, max_size=n * parties)))
    weeks = np.array(draw(st.lists(st.sampled_from([0, 1, 2, 3, 5, 8]), min_size=n, max_size=n)))
    trust = np.array(draw(st.lists(st.integers(0, 40), min_size=parties, max_size=parties)))
    order = draw(st.permutations(range(n)))  # prerequisites point to earlier steps of a random order
    prereqs = [()] * n
    for k, s in enumerate(order):
        earlier = order[:k]
        prereqs[s] = tuple(sorted(draw(st.sets(st.sampled_from(earlier), max_size=2)))) if earlier else ()
    actor = np.array(draw(st.lists(st.integers(0, parties - 1), min_size=n, max_size=n)))
    opening = draw(st.one_of(st.none(), st.sampled_from(sorted({int(a) for a in actor}))))
    if opening is not None and all(prereqs[s] for s in range(n) if actor[s] == opening):
        opening = None  # the API refuses an opening that cannot move first
    return Instance(kept.reshape(n, parties), weeks, trust, tuple(prereqs), actor, opening)


def brute_force(inst: Instance):
    """Every assignment of steps to phases (independent of both solvers)."""
    best = None
    for phase_of in itertools.product(range(inst.n), repeat=inst.n):
        if check_order(inst, phase_of):
            continue
        sc = score(inst, phase_of)
        key = (not sc.feasible, sc.key(False) if not sc.feasible else sc.key(True))
        best = key if best is None or key < best else best
    return best


@settings(max_examples=150, deadline=None)
@given(instances(max_steps=8))
def test_cpsat_matches_exact(inst):
    exact = solve_exact(inst)
    cp = solve_cpsat(inst, time_limit=20)
    event(f"feasible={exact.feasible} opening={inst.opening is not None}")
    assert cp.status == "OPTIMAL"
    assert cp.feasible == exact.feasible
    assert cp.score.key(cp.feasible) == exact.score.key(exact.feasible)
    for sol in (exact, cp):
        assert check_order(inst, sol.phase_of) == []
        assert score(inst, sol.phase_of) == sol.score


@settings(max_examples=100, deadline=None)
@given(instances(max_steps=4))
def test_exact_matches_brute_force(inst):
    exact = solve_exact(inst)
    key = exact.score.key(exact.feasible)
    assert brute_force(inst) == (not exact.feasible, key)


def linked(inst: Instance, phase_of) -> bool:
    """Every phase after the first holds a step with a prerequisite in the phase before (or,
    right after an opening, a step of another party): no two phases could be merged."""
    for t in range(1, max(phase_of) + 1):
        members = [s for s in range(inst.n) if phase_of[s] == t]
        if not any(phase_of[a] == t - 1 for s in members for a in inst.prereqs[s]) and not (
            t == 1 and inst.opening is not None and any(inst.actor[s] != inst.opening for s in members)
        ):
            return False
    return True


@settings(max_examples=100, deadline=None)
@given(instances(max_steps=5))
def test_bounds_hold_for_every_roadmap(inst):
    """The bounds CP-SAT relies on, against every roadmap (brute force): weeks and phases
    lower bounds for all, the phase caps for those with no mergeable phases."""
    floor, chain, cap = (
        bounds.weeks_floor(inst),
        bounds.longest_chain(inst, [1] * inst.n),
        bounds.max_phases(inst),
    )
    for phase_of in itertools.product(range(inst.n), repeat=inst.n):
        if check_order(inst, phase_of):
            continue
        sc = score(inst, phase_of)
        assert sc.weeks >= floor and sc.phases >= chain
        if linked(inst, phase_of):
            assert sc.phases <= min(cap, bounds.max_phases(inst, sc.weeks))


def test_merge_cost_of_crossing_paths():
    # a long step then a short one, and the reverse: 4 | 52 | 4 serves both (60 weeks), while
    # each path alone needs 56 and the levels (two steps of 4+, one of 52) say 56 too
    assert bounds.merge_cost([(52, 4), (4, 52)]) == 60
    assert bounds.merge_cost([(52, 4)]) == 56
    assert bounds.merge_cost([(0, 0), (5,)]) == 5  # zero-week phases cost nothing but still count
    inst = Instance(
        np.zeros((4, 2), dtype=np.int64),
        np.array([52, 4, 4, 52]),
        np.zeros(2, dtype=np.int64),
        ((), (0,), (), (2,)),
        np.zeros(4, dtype=np.int64),
    )
    assert bounds.critical_path(inst) == 56 and bounds.weeks_floor(inst) == 60
    cp = solve_cpsat(inst)
    assert cp.status == "OPTIMAL" and cp.score.weeks == 60 == solve_exact(inst).score.weeks


# --- the hand-computed case -------------------------------------------------------------------


def test_hand_computed_effects_exposure_and_defect_incentive():
    sc = hand()
    r = roadmap(sc, DEAL, solver="exact")
    pb = r.problem
    effects = dict(zip(pb.ids, pb.delta.round(9).tolist(), strict=True))
    assert effects == {"pay": [-0.2, 0.5], "freeze": [0.2, -0.08], "dismantle": [0.3, -0.12]}
    assert np.allclose(pb.total, [0.3, 0.3])
    # 12 weeks is the least (freeze before dismantle); pay must come with freeze, since freeze
    # alone would leave b exposed by 0.5 * 0.08 = 0.04 after phase 1 (sum of largest exposures).
    assert r.feasible and r.total_weeks == 12 and steps_of(r) == [["freeze", "pay"], ["dismantle"]]
    assert np.allclose([ph.exposure for ph in r.phases], 0)
    # walking out after phase 1 keeps the irreversible halves: a -0.1 + 0.1 = 0, b 0.25 - 0.04
    assert np.allclose(r.phases[0].incentive, [0 - 0.3, 0.21 - 0.3])
    assert np.allclose(r.phases[1].incentive, [0.3 - 0.3, 0.09 - 0.3])
    assert r.required_trust is None and r.knot is None
    cp = roadmap(sc, DEAL, solver="cpsat")
    assert steps_of(cp) == steps_of(r) and cp.status == "OPTIMAL" and cp.solver == "cp-sat"


def test_grit_opening():
    sc = hand()
    r = roadmap(sc, DEAL, opening="b")
    assert r.feasible and steps_of(r) == [["freeze"], ["dismantle", "pay"]]
    assert np.allclose(r.phases[0].exposure, [0, 0.04])
    # a opening alone with pay leaves it exposed by 0.5 * 0.2 = 0.1 > 0.05
    r = roadmap(sc, DEAL, opening="a")
    assert not r.feasible and steps_of(r)[0] == ["pay"]
    assert np.allclose(r.required_trust, [0.1, 0.0])
    assert r.knot.party == 0 and r.knot.phase == 0 and not r.knot.unavoidable
    assert [r.problem.ids[s] for s in r.knot.steps] == ["pay"]
    with pytest.raises(DealcraftError, match="takes no step"):
        roadmap(sc, {"nukes": "dismantle"}, opening="a")
    with pytest.raises(DealcraftError, match="unknown party 'c'"):
        roadmap(sc, DEAL, opening="c")


def test_infeasible_reports_required_trust_and_the_knot():
    # fully reversible payment: once done, b keeps only the irreversible cost of its steps
    sc = hand(pay_rev=1.0)
    r = roadmap(sc, DEAL)
    assert not r.feasible
    assert np.allclose(r.required_trust, [0.0, 0.5 * 0.08 + 0.12])
    assert r.knot.party == 1 and r.knot.unavoidable
    assert [r.problem.ids[s] for s in r.knot.steps] == ["dismantle", "freeze"]
    data = to_json(r)
    assert data["required_trust"] == {"a": 0.0, "b": 0.16}
    assert data["knot"]["party"] == "b" and data["knot"]["unavoidable"] is True
    # trust raised by override: feasible again
    assert roadmap(sc, DEAL, trust={"b": 0.2}).feasible


def test_prerequisites_and_unmet_ones():
    sc = hand(pay_after="dismantle")
    r = roadmap(sc, DEAL)
    assert steps_of(r) == [["freeze"], ["dismantle"], ["pay"]]
    assert r.problem.prereqs[r.problem.ids.index("pay")] == (r.problem.ids.index("dismantle"),)
    sc = hand(pay_after="office:open")  # a default step the package does not include
    r = roadmap(sc, DEAL)
    assert r.problem.unmet == (("pay", "office:open"),)
    assert to_json(r)["unmet_prerequisites"] == [{"step": "pay", "after": "office:open"}]
    both = roadmap(sc, {**DEAL, "office": "open"})
    phase = {both.problem.ids[s]: t for t, ph in enumerate(both.phases) for s in ph.steps}
    assert phase["office:open"] < phase["pay"]


def test_at_once_and_status_quo():
    sc = hand(pay_rev=1.0)
    r = at_once(sc, DEAL)
    assert steps_of(r) == [["freeze", "pay"], ["dismantle"]] and not r.feasible
    empty = roadmap(sc, {})
    assert empty.feasible and empty.phases == () and to_json(empty)["total_weeks"] == 0


# --- format errors (produced by the model layer) ----------------------------------------------


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"pay_after": "nowhere"}, "unknown step 'nowhere'"),
        ({"freeze_share": 0.5}, "step shares sum to 1.1, not 1"),
        ({"pay_after": "dismantle", "dismantle_after": "pay"}, "cycle: "),
    ],
)
def test_format_errors(tmp_path, kw, message):
    with pytest.raises(ScenarioError, match=message):
        hand(**kw)
    path = tmp_path / "bad.yaml"
    path.write_text(hand_text(**kw))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and message in result.stdout


def test_cycle_is_named(tmp_path):
    path = tmp_path / "cycle.yaml"
    path.write_text(hand_text(pay_after="dismantle", dismantle_after="pay"))
    result = runner.invoke(app, ["check", str(path)])
    assert "pay -> dismantle -> pay" in result.stdout or "dismantle -> pay -> dismantle" in result.stdout


# --- CLI --------------------------------------------------------------------------------------


@pytest.fixture
def hand_file(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(hand_text(pay_rev=1.0))
    return str(path)


def test_cli_json(hand_file):
    result = runner.invoke(app, ["roadmap", hand_file, "money=some", "nukes=dismantle", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("feasible", "phases", "total_weeks", "max_exposure", "required_trust", "solver"):
        assert key in data
    assert set(data["phases"][0]) >= {"steps", "weeks", "exposure"}
    assert data["solver"] == {"name": "exact", "status": "OPTIMAL", "seconds": data["solver"]["seconds"]}
    again = runner.invoke(
        app,
        [
            "roadmap",
            hand_file,
            "money=some",
            "nukes=dismantle",
            "--json",
            "--trust",
            "b=0.2",
            "--solver",
            "cpsat",
        ],
    )
    data = json.loads(again.stdout)
    assert data["feasible"] and data["required_trust"] is None and data["solver"]["name"] == "cp-sat"


def test_cli_table_and_default_proposal(hand_file):
    result = runner.invoke(app, ["roadmap", hand_file])  # proposal 1 of the hand scenario
    assert result.exit_code == 0, result.output
    assert "No order keeps every exposure within trust" in result.stdout and "The knot" in result.stdout
    assert "solver: exact, OPTIMAL" in result.stdout
    grit = runner.invoke(app, ["roadmap", hand_file, "-p", "1", "--opening", "b", "--trust", "b=0.3"])
    assert grit.exit_code == 0 and "1 (opening)" in grit.stdout and "Feasible" in grit.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trust", "c=0.1"], "unknown party 'c'"),
        (["--trust", "a=lots"], "cannot read --trust 'a=lots'"),
        (["--trust", "a=-1"], "cannot read --trust"),
        (["--proposal", "0"], "out of range"),
        (["--proposal", "9"], "only 6 different proposal(s)"),
        (["--opening", "zz"], "unknown party 'zz'"),
        (["money=some", "--proposal", "1"], "not both"),
        (["money=lots"], "unknown option 'lots'"),
        (["--solver", "magic"], "unknown solver"),
    ],
)
def test_cli_user_errors(hand_file, args, message):
    result = runner.invoke(app, ["roadmap", hand_file, *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and message in result.stderr


def test_builtin_default_runs():
    result = runner.invoke(app, ["roadmap", "--json", "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["solver"]["status"] in ("OPTIMAL", "FEASIBLE") and data["phases"]
