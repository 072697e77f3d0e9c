"""The built-in hanoi-2019 scenario does what the docs claim."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.evaluate import evaluate
from dealcraft.cli import app
from dealcraft.model.load import builtin_ids, load

SEED_DOCS = {
    "000_bc1fb0324849a98f.txt",
    "001_2a14525a8f8188a1.txt",
    "002_0f7a329b12b32fcd.txt",
    "003_9584c26afdca6997.txt",
    "004_ea29862844eeebcc.txt",
}
SMALLER_DEAL = {  # the outline of a deal the sources describe before Hanoi
    "peace": "end_of_war",
    "exercises": "scaled_back",
    "liaison": "liaison_office",
    "inspectors": "limited",
    "yongbyon": "dismantle",
    "facilities": "some",
    "testing": "codified",
    "sanctions": "partial",
}


@pytest.fixture(scope="module")
def hanoi():
    return load("hanoi-2019")


@pytest.fixture(scope="module")
def analysis(hanoi):
    return analyze(hanoi, 3)


def test_is_the_builtin_default(hanoi):
    assert "hanoi-2019" in builtin_ids()
    assert {p.id for p in hanoi.parties} == {"us", "dprk", "rok"}
    keys = {s.key for s in hanoi.stakeholders}
    assert {"us.president", "us.hawks", "dprk.leader", "dprk.hardliners", "rok.president"} <= keys
    assert len(hanoi.issues) >= 12


def test_every_preference_cites_a_seed_article(hanoi):
    for key, pref in hanoi.file.preferences.items():
        assert pref.sources, key
        assert {s.doc for s in pref.sources} <= SEED_DOCS, key


def test_reproduces_both_hanoi_rejections(analysis):
    checks = {o.id: o for o in analysis.observations}
    assert checks["us-everything-for-everything"].reproduced
    assert checks["us-everything-for-everything"].model == "rejected"
    assert checks["dprk-yongbyon-for-sanctions"].reproduced
    assert checks["dprk-yongbyon-for-sanctions"].model == "rejected"
    assert all(o.reproduced for o in analysis.observations)


def test_a_deal_exists_and_the_hawks_bind(analysis, hanoi):
    assert analysis.summary.agreement > 0
    assert [hanoi.stakeholders[s].key for s in analysis.binding] == ["us.hawks"]
    assert analysis.solutions["nash"] is not None
    assert len(analysis.proposals) == 3


def test_the_smaller_deal_of_the_sources_is_acceptable(hanoi):
    assert evaluate(hanoi, hanoi.package(SMALLER_DEAL)).accepted


def test_cli_default_runs_on_hanoi():
    result = CliRunner().invoke(app, ["analyze", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "hanoi-2019"
    assert data["agreement"]["count"] > 0
    assert all(o["reproduced"] for o in data["observations"])
