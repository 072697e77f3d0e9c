"""Small scenarios for the uncertainty tests (no tests in here; shared by test_uncertainty_*)."""

from __future__ import annotations

from pathlib import Path

from dealcraft.model.load import loads
from dealcraft.model.scenario import Scenario

# Three uncertain numbers: a uniform reservation and a uniform value in party a (rule all),
# a triangular reservation in party b (weighted 0.6, so both members must say yes).
MC = """
dealcraft: 1
id: mc
parties:
  - id: a
    stakeholders: [{id: boss}, {id: hawk}]
  - id: b
    ratification: {weighted: 0.6}
    stakeholders: [{id: boss}, {id: army}]
issues:
  - id: money
    giver: a
    options: [{id: none}, {id: some}, {id: lots}]
  - id: nukes
    giver: b
    options: [{id: keep}, {id: freeze}, {id: dismantle}]
  - id: office
    giver: a
    options: [{id: closed}, {id: open}]
constraints: ["nukes == dismantle -> money != none"]
preferences:
  a.boss:
    reservation: 0.3
    weights: {money: 1, nukes: 2, office: 0.5}
    values:
      money: {none: 1, some: 0.7, lots: 0.2}
      nukes: {keep: 0, freeze: 0.5, dismantle: 1}
      office: {closed: 0.6, open: 1}
  a.hawk:
    reservation: RESERVATION
    weights: {money: 1, nukes: 1}
    values:
      money: {none: 1, some: [0.2, 0.8], lots: 0}
      nukes: {keep: 0, freeze: 0.4, dismantle: 1}
    constraints: ["money >= some -> nukes != keep"]
  b.boss:
    reservation: 0.3
    weights: {money: 2, nukes: 1, office: 1}
    values:
      money: {none: 0, some: 0.6, lots: 1}
      nukes: {keep: 1, freeze: 0.8, dismantle: 0.2}
      office: {closed: 0, open: 1}
  b.army:
    reservation: {dist: triangular, lo: 0.2, mode: 0.4, hi: 0.7}
    weights: {money: 1, nukes: 3}
    values:
      money: {none: 0, some: 0.5, lots: 1}
      nukes: {keep: 1, freeze: 0.5, dismantle: 0}
OBSERVATIONS
"""

# One stakeholder with three weighted issues and fixed values, observed four times: for the
# linear-programming bounds against a brute-force grid.
LP = """
dealcraft: 1
id: lp
parties:
  - id: a
    stakeholders: [{id: chief}]
  - id: b
    stakeholders: [{id: chief}]
issues:
  - id: x
    giver: a
    options: [{id: x0}, {id: x1}, {id: x2}]
  - id: y
    giver: b
    options: [{id: y0}, {id: y1}, {id: y2}]
  - id: z
    giver: a
    options: [{id: z0}, {id: z1}]
preferences:
  a.chief:
    reservation: [0.4, 0.55]
    weights: {x: 1, y: 1, z: 1}
    values:
      x: {x0: 1, x1: 0.6, x2: 0}
      y: {y0: 0, y1: 0.7, y2: 1}
      z: {z0: 1, z1: 0.2}
  b.chief:
    reservation: 0.3
    weights: {x: 1, y: 1}
    values:
      x: {x0: 0, x1: 0.5, x2: 1}
      y: {y0: 1, y1: 0.5, y2: 0}
observations:
  - {id: o1, package: {x: x1, y: y1}, outcome: accepted, by: a.chief}
  - {id: o2, package: {x: x2, y: y2, z: z1}, outcome: rejected, by: a.chief}
  - {id: o3, package: {x: x0, y: y0, z: z1}, outcome: rejected, by: a}
  - {id: o4, package: {x: x2, y: y1}, outcome: accepted, by: a.chief}
"""


def mc(reservation: str = "[0.35, 0.75]", observations: str = "") -> Scenario:
    return loads(MC.replace("RESERVATION", reservation).replace("OBSERVATIONS", observations), "mc.yaml")


def mc_file(tmp_path: Path, reservation: str = "[0.35, 0.75]", observations: str = "") -> Path:
    path = tmp_path / "mc.yaml"
    path.write_text(MC.replace("RESERVATION", reservation).replace("OBSERVATIONS", observations), "utf-8")
    return path


def lp() -> Scenario:
    return loads(LP, "lp.yaml")
