"""Hostile and careless scenario files: every one is a located error, never a hang or a crash."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcraft.errors import ScenarioError
from dealcraft.model import expr, limits
from dealcraft.model.load import from_data, load, loads

TINY = Path(__file__).parent / "data" / "tiny.yaml"
BASE = yaml.safe_load(TINY.read_text())


def problems_of(data) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        from_data(data, "f.yaml")
    return [f"{p.location}: {p.message}" for p in e.value.problems]


def mutate(change) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


# --- finite numbers ---------------------------------------------------------------------------


def _set(path, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


NON_FINITE = [
    (("parties", 0, "stakeholders", 0, "influence"), math.inf, "parties[0].stakeholders[0].influence"),
    (("parties", 1, "ratification"), {"weighted": math.nan}, "parties[1].ratification.weighted"),
    (("preferences", "a.boss", "reservation"), math.nan, 'preferences["a.boss"].reservation'),
    (("preferences", "a.boss", "weights", "money"), math.inf, 'preferences["a.boss"].weights.money'),
    (("preferences", "a.boss", "values", "money", "some"), -math.inf, '"a.boss"].values.money.some'),
    (("preferences", "a.hawk", "reservation"), [0.3, math.nan], 'preferences["a.hawk"].reservation'),
    (
        ("preferences", "a.boss", "weights", "nukes"),
        {"dist": "normal", "mean": 1, "sd": math.inf},
        'preferences["a.boss"].weights.nukes',
    ),
    (
        ("preferences", "a.boss", "weights", "nukes"),
        {"dist": "triangular", "lo": 0, "mode": math.nan, "hi": 1},
        'preferences["a.boss"].weights.nukes',
    ),
    (("preferences", "a.boss", "weights", "nukes"), 10**400, 'preferences["a.boss"].weights.nukes'),
    (("preferences", "a.boss", "weights", "nukes"), [-1e308, 1e308], 'preferences["a.boss"].weights.nukes'),
    (("roadmap",), {"trust": {"a": math.inf}}, "roadmap.trust.a"),
    (("issues", 0, "options", 0, "steps"), [{"id": "s", "verify_weeks": math.inf}], "steps[0].verify_weeks"),
    (("issues", 0, "options", 0, "steps"), [{"id": "s", "reversible": math.nan}], "steps[0].reversible"),
    (("issues", 0, "options", 0, "steps"), [{"id": "s", "share": math.nan}], "steps[0].share"),
]


@pytest.mark.parametrize(("path", "value", "where"), NON_FINITE)
def test_non_finite_numbers_are_located_errors(path, value, where):
    found = problems_of(mutate(_set(path, value)))
    assert any(where in p and "finite" in p or where in p and "float range" in p for p in found), found


def test_weights_whose_sum_overflows_are_rejected():
    data = mutate(
        _set(("preferences", "a.boss", "weights"), {"money": 1e308, "nukes": 1e308, "office": 1e308})
    )
    (problem,) = problems_of(data)
    assert problem.startswith('preferences["a.boss"].weights:') and "scale them down" in problem


def test_influences_whose_sum_overflows_are_rejected():
    def change(data):
        for s in data["parties"][0]["stakeholders"]:
            s["influence"] = 1e308

    (problem,) = problems_of(mutate(change))
    assert problem.startswith("parties[0].stakeholders:") and "influences" in problem


@pytest.mark.parametrize("text", ["influence: .inf", "influence: .nan", "influence: -.inf"])
def test_yaml_special_floats_in_a_file(tmp_path, text):
    path = tmp_path / "f.yaml"
    path.write_text(TINY.read_text().replace("{id: boss, influence: 2}", "{id: boss, " + text + "}"))
    with pytest.raises(ScenarioError, match=r"parties\[0\]\.stakeholders\[0\]\.influence"):
        load(path)


def test_json_nan_and_huge_numbers_are_rejected(tmp_path):
    for literal in ("NaN", "Infinity", "1e400"):
        data = json.loads(json.dumps(BASE))
        text = json.dumps(data).replace('"influence": 2', f'"influence": {literal}')
        with pytest.raises(ScenarioError, match="influence"):
            loads(text, "f.json", json_format=True)


# --- bounded depth and size -------------------------------------------------------------------


def _with_constraint(text: str) -> dict:
    return mutate(lambda d: d.__setitem__("constraints", [text]))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 250 + "money == none" + ")" * 250,
        "not " * 1000 + "money == none",
        "money == none -> " * 300 + "office == open",
    ],
)
def test_deeply_nested_constraints_are_located_errors(text):
    (problem,) = problems_of(_with_constraint(text))
    assert problem.startswith("constraints[0]:") and f"nested more than {limits.MAX_EXPR_DEPTH}" in problem


def test_nesting_up_to_the_limit_is_fine():
    depth = limits.MAX_EXPR_DEPTH
    sc = from_data(_with_constraint("(" * depth + "money == none" + ")" * depth), "f.yaml")
    assert sc.constraints[0].holds((0, 0, 0)) and not sc.constraints[0].holds((1, 0, 0))


def test_flat_or_of_a_thousand_terms_works_and_means_or():
    terms = ["money == lots", "office == open"] + ["nukes == freeze"] * 998
    sc = from_data(_with_constraint(" or ".join(terms)), "f.yaml")
    digits = np.array(np.meshgrid(range(3), range(3), range(2), indexing="ij")).reshape(3, -1)
    got = sc.constraints[0].evaluate(list(digits))
    expected = (digits[0] == 2) | (digits[2] == 1) | (digits[1] == 1)
    assert np.array_equal(got, expected)
    assert sc.constraints[0].root.issues() == {0, 1, 2}
    from dealcraft.analysis.analyze import analyze

    assert analyze(sc, 1).summary.size == 18  # the whole engine evaluates it without recursion


def test_long_chains_of_and_evaluate_iteratively():
    """A tree as deep as the recursion limit (built by hand: the parser balances chains)."""
    node = expr.Allowed(0, np.array([True, True, False]))
    for _ in range(5000):
        node = expr.Binary("and", node, expr.Allowed(1, np.array([True, False, True])))
    e = expr.Expression("hand-built", node)
    assert e.holds((0, 0)) and not e.holds((2, 0)) and not e.holds((0, 1))
    assert node.issues() == {0, 1}


def test_constraint_length_limit():
    text = " or ".join(["money == none"] * 2000)
    (problem,) = problems_of(_with_constraint(text))
    assert "characters long" in problem and f"{limits.MAX_EXPR_CHARS:,}" in problem


@pytest.mark.parametrize("json_format", [False, True])
def test_deeply_nested_documents_are_located_errors(json_format):
    text = "[" * 1000 + "]" * 1000
    with pytest.raises(ScenarioError, match=f"nested more than {limits.MAX_DEPTH} levels"):
        loads(text, "f", json_format=json_format)
    mapping = "a:\n" + "".join("  " * k + "a:\n" for k in range(1, 1000))
    with pytest.raises(ScenarioError, match="nested more than"):
        loads(mapping, "f")


def test_yaml_alias_bomb_is_rejected_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        prev, name = chr(ord("a") + k - 1), chr(ord("a") + k)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    with pytest.raises(ScenarioError, match="expands to more than"):
        loads("\n".join(lines), "bomb.yaml")


def test_yaml_alias_that_contains_itself_is_rejected():
    with pytest.raises(ScenarioError, match="refers to the value that contains it"):
        loads("&a [*a]", "f.yaml")


def test_ordinary_aliases_still_work():
    text = TINY.read_text().replace(
        "      money: {none: 1, some: 0.7, lots: 0.2}", "      money: &m {none: 1, some: 0.7, lots: 0.2}"
    )
    text = text.replace("      money: {none: 1, some: 0.5, lots: 0}", "      money: *m", 1)
    sc = loads(text, "f.yaml")
    assert sc.params.values[0][1].tolist() == [1, 0.7, 0.2]


def test_duplicate_yaml_key_names_both_lines():
    text = TINY.read_text().replace("id: tiny\n", "id: tiny\nid: other\n")
    with pytest.raises(ScenarioError) as e:
        loads(text, "f.yaml")
    (p,) = e.value.problems
    assert p.location == "line 3" and "duplicate key 'id'" in p.message and "line 2" in p.message


def test_duplicate_json_key_names_both_lines():
    text = json.dumps(BASE, indent=1).replace(
        '"id": "tiny",', '"id": "tiny",\n "description": "x",\n "id": "again",'
    )
    with pytest.raises(ScenarioError) as e:
        loads(text, "f.json", json_format=True)
    (p,) = e.value.problems
    lines = text.splitlines()
    first = next(k for k, line in enumerate(lines, 1) if '"id": "tiny"' in line)
    again = next(k for k, line in enumerate(lines, 1) if '"id": "again"' in line)
    assert p.location == f"line {again}" and f"first at line {first}" in p.message


def test_yaml_merge_keys_are_not_duplicates():
    data = loads(TINY.read_text(), "f.yaml")  # sanity: the base loads
    assert data.id == "tiny"
    from dealcraft.model.document import parse_yaml

    assert parse_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n", "f")["other"] == {"x": 3, "y": 2}


def test_file_size_limit_is_named_and_overridable(tmp_path, monkeypatch):
    path = tmp_path / "f.yaml"
    path.write_text(TINY.read_text())
    monkeypatch.setenv(limits.MAX_FILE_MB_ENV, "0.001")
    with pytest.raises(ScenarioError, match=f"more than the limit of 0.001 MB.*{limits.MAX_FILE_MB_ENV}"):
        load(path)
    monkeypatch.setenv(limits.MAX_FILE_MB_ENV, "1")
    assert load(path).id == "tiny"
    monkeypatch.setenv(limits.MAX_FILE_MB_ENV, "lots")
    with pytest.raises(Exception, match="megabytes"):
        load(path)


def test_counts_beyond_the_limits_are_located_errors():
    many = [{"id": f"i{k}", "giver": "a", "options": [{"id": "x"}]} for k in range(limits.MAX_ISSUES + 1)]
    found = problems_of(mutate(lambda d: d.__setitem__("issues", many)))
    assert found[0].startswith("issues:") and f"limit of {limits.MAX_ISSUES}" in found[0]
    wide = [{"id": f"o{k}"} for k in range(limits.MAX_OPTIONS + 1)]
    found = problems_of(mutate(lambda d: d["issues"][1].__setitem__("options", wide)))
    assert found[0].startswith("issues[1].options:")
    crowd = [{"id": f"s{k}"} for k in range(limits.MAX_STAKEHOLDERS + 1)]
    found = problems_of(mutate(lambda d: d["parties"][0].__setitem__("stakeholders", crowd)))
    assert "stakeholders in all" in found[0]


def test_a_space_beyond_64_bit_package_numbers_loads():
    """No limit on the space itself: the fold analyses it, enumeration stops at --max-packages."""
    issues = [{"id": f"i{k}", "giver": "a", "options": [{"id": "x"}, {"id": "y"}]} for k in range(63)]
    found = problems_of(mutate(lambda d: d.__setitem__("issues", issues)))
    assert not any(p.startswith("issues:") for p in found)  # only the now-unknown issues, no size limit


# --- the iterative evaluator and balanced chains mean the same as the grammar ------------------

_OPTIONS = {
    "money": ["none", "some", "lots"],
    "nukes": ["keep", "freeze", "dismantle"],
    "office": ["closed", "open"],
}


@st.composite
def _expressions(draw, depth: int = 0):
    """(text, python) for random expressions: comparisons joined by and/or/not/->/parentheses."""
    if depth > 3 or draw(st.booleans()):
        issue = draw(st.sampled_from(sorted(_OPTIONS)))
        k = draw(st.integers(0, len(_OPTIONS[issue]) - 1))
        op = draw(st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]))
        return f"{issue} {op} {_OPTIONS[issue][k]}", f"(d['{issue}'] {op} {k})"
    kind = draw(st.sampled_from(["and", "or", "not", "->", "()"]))
    if kind == "not":
        text, py = draw(_expressions(depth + 1))
        return f"not ({text})", f"(not {py})"
    if kind == "()":
        terms = [draw(_expressions(depth + 1)) for _ in range(draw(st.integers(2, 9)))]
        ops = [draw(st.sampled_from(["and", "or"])) for _ in terms[1:]]
        text = f"({terms[0][0]})" + "".join(f" {o} ({t})" for o, (t, _) in zip(ops, terms[1:], strict=True))
        py = terms[0][1] + "".join(f" {o} {p}" for o, (_, p) in zip(ops, terms[1:], strict=True))
        return f"({text})", f"({py})"
    (a, pa), (b, pb) = draw(_expressions(depth + 1)), draw(_expressions(depth + 1))
    if kind == "->":
        return f"({a}) -> ({b})", f"((not {pa}) or {pb})"
    return f"({a}) {kind} ({b})", f"({pa} {kind} {pb})"


@settings(max_examples=150, deadline=None)
@given(_expressions())
def test_expressions_mean_what_python_says(case):
    text, python = case
    e = expr.parse(text, _OPTIONS)
    grid = np.array(np.meshgrid(range(3), range(3), range(2), indexing="ij")).reshape(3, -1)
    got = e.evaluate(list(grid))
    for col in range(grid.shape[1]):
        d = dict(zip(sorted(_OPTIONS), grid[:, col], strict=True))
        assert bool(got[col]) == eval(python, {}, {"d": d})  # noqa: S307
        assert e.holds(tuple(grid[:, col])) == bool(got[col])
