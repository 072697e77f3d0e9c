"""The fold through the CLI and the library beyond enumeration: JSON keys, estimates, errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.evaluate import evaluate
from dealcraft.cli import app
from dealcraft.engine.estimate import estimate_counts, wilson
from dealcraft.engine.scan import scan
from dealcraft.model.load import from_data, load
from dealcraft.service.analysis import analysis_json as to_json

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def wide(issues: int, radix: int, seed: int = 0) -> dict:
    """Two parties with one stakeholder each, opposed on every issue, reservations 0.4."""
    rng = np.random.default_rng(seed)
    parties = [{"id": p, "stakeholders": [{"id": "lead"}]} for p in ("a", "b")]
    opts = [{"id": f"o{k}"} for k in range(radix)]
    issues_ = [{"id": f"i{i}", "giver": "a", "status_quo": "o0", "options": opts} for i in range(issues)]
    prefs = {}
    for p, sign in (("a", 1), ("b", -1)):
        values = {}
        for i in range(issues):
            v = np.sort(rng.random(radix))[::sign]
            values[f"i{i}"] = {f"o{k}": float(v[k]) for k in range(radix)}
        weights = {f"i{i}": float(rng.random()) for i in range(issues)}
        prefs[f"{p}.lead"] = {"reservation": 0.4, "weights": weights, "values": values}
    return {"dealcraft": 1, "id": "wide", "parties": parties, "issues": issues_, "preferences": prefs}


def test_fold_json_equals_enumeration_json_with_exact_counts():
    folded = run("analyze", TINY, "--json", "--method", "fold")
    enumerated = run("analyze", TINY, "--json", "--method", "enumerate")
    assert folded.exit_code == enumerated.exit_code == 0, folded.output
    a, b = json.loads(folded.stdout), json.loads(enumerated.stdout)
    assert a["agreement"]["exact"] is True and "interval" not in a["agreement"]
    assert (a["method"], b["method"]) == ("fold", "enumerate")
    for key in ("agreement", "stakeholders", "parties", "frontier", "solutions", "proposals", "feasible"):
        assert a[key] == b[key], key


def test_estimated_counts_say_so_in_json_and_rich():
    result = run("analyze", TINY, "--json", "--method", "fold", "--max-packages", "5", "--seed", "3")
    assert result.exit_code == 0, result.output
    agreement = json.loads(result.stdout)["agreement"]
    assert agreement["exact"] is False
    lo, hi = agreement["interval"]
    assert isinstance(lo, int) and lo <= agreement["count"] <= hi <= 18
    exact = json.loads(run("analyze", TINY, "--json").stdout)
    assert lo <= exact["agreement"]["count"] <= hi
    rich = run("analyze", TINY, "--method", "fold", "--max-packages", "5")
    assert rich.exit_code == 0, rich.output
    assert "≈" in rich.stdout and "95 % interval" in rich.stdout


def test_unknown_method_exits_2_with_the_fix():
    result = run("analyze", TINY, "--method", "fast")
    assert result.exit_code == 2
    assert "use one of auto, fold, enumerate" in result.output


def test_bridge_by_fold_equals_bridge_by_enumeration():
    offers = [[], ["nukes=dismantle"], ["nukes=freeze", "money=lots"], ["money=none", "office=no"]]
    for offer in offers:
        a = run("bridge", TINY, *offer, "--json", "--method", "fold")
        b = run("bridge", TINY, *offer, "--json", "--method", "enumerate")
        assert a.exit_code == b.exit_code, (offer, a.output, b.output)
        assert a.stdout == b.stdout, offer


def test_wilson_interval_closed_form():
    assert wilson(0, 10) == pytest.approx((0.0, 0.277532), abs=1e-6)
    assert wilson(5, 10) == pytest.approx((0.236593, 0.763407), abs=1e-6)
    assert wilson(10, 10)[1] == 1.0


def test_estimate_is_close_to_the_exact_counts():
    sc = from_data(wide(6, 4), "<wide>")
    exact = scan(sc)
    est = estimate_counts(sc, samples=100_000, seed=1)
    sd = math.sqrt(exact.share * (1 - exact.share) / 100_000) * sc.size
    assert abs(est.agreement - exact.agreement) < 5 * sd + 1
    for k in range(len(sc.stakeholders)):
        assert abs(int(est.accepts[k]) - int(exact.accepts[k])) < 5 * math.sqrt(100_000) / 100_000 * sc.size
    assert est.estimate is not None and est.estimate.samples == 100_000


def test_beyond_int64_package_numbers():
    """3**41 packages: numbers exceed int64; witnesses, counts and JSON still work."""
    sc = from_data(wide(41, 3, seed=2), "<wide>")
    assert sc.size > 2**63
    a = analyze(sc, 2)
    assert a.summary.estimate is not None
    assert len(a.summary.frontier) > 10
    data = json.loads(json.dumps(to_json(a)))
    assert data["agreement"]["exact"] is False
    frontier = a.summary.frontier
    for k in range(0, len(frontier), max(1, len(frontier) // 8)):
        package = tuple(int(x) for x in frontier.witnesses(k, sc.radices)[0])
        ev = evaluate(sc, package)
        assert ev.accepted
        assert np.allclose(ev.party_utilities, frontier.utilities[k], atol=1e-9)
    assert sum(int(c) for c in frontier.counts) <= data["agreement"]["interval"][1]
    nash = a.solution_package("nash")
    assert nash is not None and evaluate(sc, nash).accepted


def test_hanoi_fold_equals_enumeration():
    sc = load("hanoi-2019")
    a, b = analyze(sc, 3, method="fold"), analyze(sc, 3, method="enumerate")
    assert to_json(a) | {"method": None} == to_json(b) | {"method": None}
