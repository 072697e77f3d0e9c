"""A plain, slow, separately written brute-force model of the scenario semantics.

It reads the scenario *data* (dicts, as written in a file) directly, with its own loops, so
that the engine can be checked against an independent computation. Constraints are given
here as structured tuples (see ``holds``) and rendered to text for the engine.
"""

from __future__ import annotations

import itertools
import math

EPS = 1e-9


def render(constraint) -> str:
    """('->', (issue, op, option), (issue, op, option)) or a single comparison -> text."""
    if constraint[0] == "->":
        return f"{render(constraint[1])} -> {render(constraint[2])}"
    issue, op, option = constraint
    return f"{issue} {op} {option}"


def holds(constraint, package: dict, order: dict) -> bool:
    if constraint[0] == "->":
        return (not holds(constraint[1], package, order)) or holds(constraint[2], package, order)
    issue, op, option = constraint
    if isinstance(option, int | float):  # a numeric issue: compare the numbers themselves
        a, b = package[issue], option
    else:
        a = order[issue].index(package[issue])
        b = order[issue].index(option)
    return {"==": a == b, "!=": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def _options(issue: dict) -> list:
    """Option ids of a discrete issue, or the numbers lo, lo + step, ..., hi of a numeric one."""
    if "range" not in issue:
        return [o["id"] for o in issue["options"]]
    lo, hi = issue["range"]
    out, x, k = [], lo, 0
    while x <= hi + 1e-9:
        out.append(x)
        k += 1
        x = lo + k * issue["step"]
    return out


def value(table: dict, option, order: list) -> float:
    """An option table's entry, or a value form at the number ``option`` (the formulas of the
    format reference, written out again here)."""
    if "loss" in table:
        d = (option - table["ideal"]) / table["width"]
        return max(0.0, 1 - (abs(d) if table["loss"] == "linear" else d * d))
    if "points" in table:
        pts = table["points"]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            if x0 <= option <= x1:
                return y0 + (y1 - y0) * (option - x0) / (x1 - x0)
        raise AssertionError("points cover the range")
    if "increasing" in table or "decreasing" in table:
        t = (option - order[0]) / (order[-1] - order[0])
        return t if "increasing" in table else 1 - t
    return table[option]


class Reference:
    def __init__(self, data: dict, global_constraints=(), own_constraints=None):
        self.data = data
        self.order = {i["id"]: _options(i) for i in data["issues"]}
        self.issues = [i["id"] for i in data["issues"]]
        self.parties = [p["id"] for p in data["parties"]]
        self.global_constraints = list(global_constraints)
        self.own = own_constraints or {}
        self.members = {}
        for p in data["parties"]:
            self.members[p["id"]] = [
                (f"{p['id']}.{s['id']}", s.get("influence", 1.0)) for s in p["stakeholders"]
            ]
        self.rule = {p["id"]: p.get("ratification", "all") for p in data["parties"]}
        self.power = {p["id"]: p.get("power", 1.0) for p in data["parties"]}

    def packages(self):
        for combo in itertools.product(*(self.order[i] for i in self.issues)):
            yield dict(zip(self.issues, combo, strict=True))

    def utility(self, key: str, package: dict) -> float:
        pref = self.data["preferences"][key]
        total = sum(pref["weights"].values())
        u = 0.0
        for issue, w in pref["weights"].items():
            if w:
                u += w / total * value(pref["values"][issue], package[issue], self.order[issue])
        return u

    def stakeholder_accepts(self, key: str, package: dict) -> bool:
        if not all(holds(c, package, self.order) for c in self.global_constraints):
            return False
        if not all(holds(c, package, self.order) for c in self.own.get(key, [])):
            return False
        return self.utility(key, package) >= self.data["preferences"][key]["reservation"] - EPS

    def party_accepts(self, party: str, package: dict, without: str | None = None) -> bool:
        members = [(k, w) for k, w in self.members[party] if k != without]
        if not members:
            return True
        verdicts = [(self.stakeholder_accepts(k, package), w) for k, w in members]
        if self.rule[party] == "all":
            return all(v for v, _ in verdicts)
        threshold = self.rule[party]["weighted"]
        return sum(w for v, w in verdicts if v) / sum(w for _, w in verdicts) >= threshold - EPS

    def accepted(self, package: dict, without: str | None = None) -> bool:
        return all(self.party_accepts(p, package, without) for p in self.parties)

    def party_utility(self, party: str, package: dict) -> float:
        members = self.members[party]
        return sum(w * self.utility(k, package) for k, w in members) / sum(w for _, w in members)

    def disagreement(self, party: str) -> float:
        members = self.members[party]
        res = self.data["preferences"]
        return sum(w * res[k]["reservation"] for k, w in members) / sum(w for _, w in members)

    def agreement(self) -> list[dict]:
        return [p for p in self.packages() if self.accepted(p)]

    def vectors(self) -> list[tuple[float, ...]]:
        return [tuple(self.party_utility(q, p) for q in self.parties) for p in self.agreement()]

    def frontier(self) -> dict[tuple[float, ...], int]:
        """Distinct non-dominated vectors (rounded to 9 decimals) with package counts."""
        vecs = [tuple(round(x, 9) for x in v) for v in self.vectors()]
        out: dict[tuple[float, ...], int] = {}
        for v in vecs:
            dominated = any(all(a >= b for a, b in zip(w, v, strict=True)) and w != v for w in vecs)
            if not dominated:
                out[v] = out.get(v, 0) + 1
        return out

    def solution_values(self) -> dict[str, float | None]:
        vecs = self.vectors()
        d = [self.disagreement(q) for q in self.parties]
        if not vecs:
            return dict.fromkeys(("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"))
        gains = [[u - di for u, di in zip(v, d, strict=True)] for v in vecs]
        positive = [g for g in gains if all(x > 1e-12 for x in g)]
        best = [max(v[k] for v in vecs) - d[k] for k in range(len(d))]
        active = [k for k in range(len(d)) if best[k] > 1e-12]
        # nobody can gain: every point is as fair as any other; the engine then takes the largest sum
        ks = max(min(g[k] / best[k] for k in active) for g in gains) if active else -max(sum(v) for v in vecs)
        return {
            "nash": max(self._generalised(g) for g in positive) if positive else None,
            "kalai_smorodinsky": ks,
            "egalitarian": max(min(g) for g in gains),
            "utilitarian": max(sum(v) for v in vecs),
        }

    def _generalised(self, gains: list[float]) -> float:
        """prod_P gain_P ** power_P: the asymmetric Nash product (the plain one at power 1)."""
        return math.prod(g ** self.power[q] for g, q in zip(gains, self.parties, strict=True))

    def nash_product(self, package: dict) -> float:
        gains = [self.party_utility(q, package) - self.disagreement(q) for q in self.parties]
        return self._generalised(gains) if all(g > 1e-12 for g in gains) else -math.inf

    def bridge_distance(self, target: dict) -> int | None:
        dists = [sum(p[i] != target[i] for i in self.issues) for p in self.agreement()]
        return min(dists) if dists else None
