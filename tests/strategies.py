"""Hypothesis strategies for small random scenarios (data as written in a file)."""

from __future__ import annotations

from hypothesis import strategies as st

from reference import render

GRID = st.integers(0, 20).map(lambda k: k / 20)  # values on a coarse grid make ties common


@st.composite
def numeric_issue(draw, i: int, giver: str) -> dict:
    """A numeric issue with 2-5 grid points (integral or half steps, possibly negative)."""
    lo = draw(st.sampled_from([-10, 0, 3]))
    step = draw(st.sampled_from([1, 2, 5, 0.5]))
    n = draw(st.integers(2, 5))
    return {
        "id": f"i{i}",
        "giver": giver,
        "range": [lo, lo + (n - 1) * step],
        "step": step,
        "status_quo": lo + draw(st.integers(0, n - 1)) * step,
    }


@st.composite
def value_form(draw, issue: dict) -> dict:
    """One of the four value forms over the issue's range, on numbers that keep ties common."""
    lo, hi = issue["range"]
    kind = draw(st.sampled_from(["linear", "quadratic", "points", "increasing", "decreasing"]))
    if kind in ("linear", "quadratic"):
        ideal = lo + draw(st.integers(-1, 5)) * issue["step"]
        return {"ideal": ideal, "loss": kind, "width": draw(st.sampled_from([1, 2, 4, 10]))}
    if kind == "points":
        inner = draw(st.lists(st.sampled_from(grid(issue)[1:-1] or [lo]), max_size=2, unique=True))
        xs = sorted({lo, hi, *inner})
        return {"points": [[x, draw(GRID)] for x in xs]}
    return {kind: True}


def grid(issue: dict) -> list[float]:
    """The reference's own grid: lo + k * step (steps of 1, 2, 5 or 0.5 are exact in binary)."""
    lo, hi = issue["range"]
    n = round((hi - lo) / issue["step"]) + 1
    return [lo + k * issue["step"] for k in range(n)]


@st.composite
def scenarios(
    draw,
    max_parties: int = 3,
    max_issues: int = 4,
    constraints: bool = True,
    numeric: bool = False,
    powers: bool = False,
    min_parties: int = 1,
    member_range: tuple[int, int] = (1, 3),
):
    n_parties = draw(st.integers(min_parties, max_parties))
    parties = []
    for p in range(n_parties):
        n_members = draw(st.integers(*member_range))
        members = [
            {"id": f"s{k}", "influence": draw(st.sampled_from([0.5, 1.0, 2.0]))} for k in range(n_members)
        ]
        rule = draw(
            st.one_of(st.just("all"), st.sampled_from([0.3, 0.5, 0.6, 1.0]).map(lambda t: {"weighted": t}))
        )
        parties.append({"id": f"p{p}", "ratification": rule, "stakeholders": members})
        if powers:
            parties[-1]["power"] = draw(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 7.0]))
    n_issues = draw(st.integers(1, max_issues))
    issues = []
    for i in range(n_issues):
        if numeric and draw(st.booleans()):
            issues.append(draw(numeric_issue(i, f"p{draw(st.integers(0, n_parties - 1))}")))
            continue
        radix = draw(st.integers(2, 4))
        options = [{"id": f"o{k}"} for k in range(radix)]
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
            weights = {i["id"]: draw(st.integers(0, 4)) for i in issues}
            if sum(weights.values()) == 0:
                weights[issues[0]["id"]] = 1
            values = {
                i["id"]: draw(value_form(i)) if "range" in i else {o["id"]: draw(GRID) for o in i["options"]}
                for i in issues
            }
            preferences[f"{party['id']}.{s['id']}"] = {
                "reservation": draw(st.integers(0, 12).map(lambda k: k / 20)),
                "weights": weights,
                "values": values,
            }
    comparison = st.tuples(
        st.sampled_from(issues).map(lambda i: i["id"]),
        st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]),
        st.just(None),
    )

    def complete(c):
        issue = next(i for i in issues if i["id"] == c[0])
        if "range" in issue:  # orderings may compare with a number between grid points
            points = grid(issue)
            between = [x + issue["step"] / 2 for x in points] if c[1] not in ("==", "!=") else []
            return (c[0], c[1], draw(st.sampled_from(points + between)))
        return (c[0], c[1], draw(st.sampled_from([o["id"] for o in issue["options"]])))

    def constraint():
        a = complete(draw(comparison))
        if draw(st.booleans()):
            return ("->", a, complete(draw(comparison)))
        return a

    global_cs = [constraint() for _ in range(draw(st.integers(0, 1)))] if constraints else []
    own = {}
    if constraints:
        for key in preferences:
            own[key] = [constraint() for _ in range(draw(st.integers(0, 1)))]
            preferences[key]["constraints"] = [render(c) for c in own[key]]
    data = {
        "dealcraft": 1,
        "id": "random",
        "parties": parties,
        "issues": issues,
        "constraints": [render(c) for c in global_cs],
        "preferences": preferences,
    }
    return data, global_cs, own
