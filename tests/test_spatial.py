"""`dealcraft import spatial`: actor data sets as scenarios (values against the loss formulas,
header variants, missing values, every error path) and analyses on the result."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.evaluate import evaluate
from dealcraft.cli import app
from dealcraft.errors import DealcraftError
from dealcraft.model.load import dumps, load, loads
from dealcraft.service.interop import import_spatial

EXAMPLE = Path(__file__).parents[1] / "docs" / "examples" / "spatial-council.csv"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def imported(path: Path, **kw):
    result = import_spatial(path, **kw)
    return result, loads(result.text, str(path))


def expected_value(x: float, ideal: float, width: float, loss: str) -> float:
    d = (x - ideal) / width
    return max(0.0, 1.0 - (abs(d) if loss == "linear" else d * d))


ROWS = st.lists(
    st.tuples(
        st.integers(0, 20).map(lambda k: k * 5),  # position on 0-100
        st.integers(0, 10).map(lambda k: k * 10),  # salience
    ),
    min_size=2,
    max_size=2,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actors=st.lists(st.tuples(ROWS, st.integers(1, 50)), min_size=2, max_size=4),
    loss=st.sampled_from(["linear", "quadratic"]),
    sq=st.one_of(st.none(), st.tuples(st.integers(0, 20), st.integers(0, 20))),
)
def test_import_reproduces_the_data_exactly(tmp_path, actors, loss, sq):
    """Values at every grid point equal the loss formula, weights the normalised saliences, power
    the capability, the reservation the utility of the status quo; and the scenario survives a
    dump and reload."""
    actors = [(rows, cap) for rows, cap in actors if any(s > 0 for _, s in rows)]
    if len(actors) < 1:
        return
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Actor", "Issue", "Position", "Salience", "Capability"])
    if sq is not None:
        w.writerows([["status quo", "alpha", sq[0] * 5, "", ""], ["status quo", "beta", sq[1] * 5, "", ""]])
    for k, (rows, cap) in enumerate(actors):
        for issue, (pos, sal) in zip(("alpha", "beta"), rows, strict=True):
            w.writerow([f"actor {k}", issue, pos, sal, cap])
    path = write(tmp_path, out.getvalue())
    result, sc = imported(path, loss=loss)
    grid = np.arange(0, 101, 5, dtype=float)
    assert [i.radix for i in sc.issues] == [21, 21]
    for k, (rows, cap) in enumerate(actors):
        party = sc.parties[k]
        assert party.id == f"actor_{k}" and party.name == f"actor {k}" and party.power == cap
        s = party.stakeholders[0]
        total = sum(sal for _, sal in rows)
        for i, (pos, sal) in enumerate(rows):
            assert sc.params.weights[s, i] == pytest.approx(sal / total)
            if sal > 0:
                want = [expected_value(x, pos, 100, loss) for x in grid]
                np.testing.assert_allclose(sc.params.values[i][s], want, atol=1e-12)
        if sq is None:
            assert sc.params.reservations[s] == 0
        else:
            u = sum(
                sal / total * expected_value(q * 5, pos, 100, loss)
                for (pos, sal), q in zip(rows, sq, strict=True)
            )
            assert sc.params.reservations[s] == pytest.approx(u, abs=1e-12)
    if sq is not None:
        assert sc.status_quo == sq
        assert evaluate(sc, sc.status_quo).accepted  # the status quo is exactly on everyone's edge
    again = loads(dumps(sc), "<again>")
    assert again.power.tolist() == sc.power.tolist()
    for a, b in zip(again.params.values, sc.params.values, strict=True):
        np.testing.assert_array_equal(a, b)


HEADERS = {
    "Actor,Position,Capability,Salience": "A,40,100,100\nB,60,30,100\nC,70,20,80\n",
    "name,position,capabilities,salience": "A,40,100,100\nB,60,30,100\nC,70,20,80\n",
    "Stakeholder,Clout,Position,Salience": "A,100,40,100\nB,30,60,100\nC,20,70,80\n",
    " ACTOR ; Ideal Point ; Power ; Importance ": "A;40;100;100\nB;60;30;100\nC;70;20;80\n",
    "actor\tx\tc\ts": "A\t40\t100\t100\nB\t60\t30\t100\nC\t70\t20\t80\n",
}


@pytest.mark.parametrize("header", list(HEADERS))
def test_header_variants_of_the_public_data_sets(tmp_path, header):
    path = write(tmp_path, header + "\n" + HEADERS[header], "greece.csv")
    result, sc = imported(path)
    assert [p.id for p in sc.parties] == ["A", "B", "C"]
    assert sc.power.tolist() == [100, 30, 20]
    assert [i.id for i in sc.issues] == ["greece"]  # no issue column: one issue named after the file
    assert sc.uncertain.shapes[(2, 0)].numbers["ideal"].point == 70
    assert len(result.notes) == 1 and result.notes[0].startswith("no status-quo row")


def test_columns_option_names_any_header(tmp_path):
    path = write(tmp_path, "Who,Topic,Where,Care,Muscle\nA,t1,2,5,3\nB,t1,8,5,1\n")
    with pytest.raises(DealcraftError, match="no actor or position or salience column"):
        import_spatial(path)
    _, sc = imported(path, columns="actor=Who,issue=Topic,position=Where,salience=Care,capability=Muscle")
    assert sc.power.tolist() == [3, 1] and [i.id for i in sc.issues] == ["t1"]
    assert sc.issues[0].grid[0] == 0 and sc.issues[0].grid[-1] == 10  # 0-10 holds the positions


@pytest.mark.parametrize(
    ("positions", "scale"),
    [((0.2, 0.9), (0, 1)), ((2, 9), (0, 10)), ((20, 90), (0, 100)), ((-3.5, 250.2), (-4, 251))],
)
def test_scale_from_the_data(tmp_path, positions, scale):
    path = write(tmp_path, f"Actor,Position,Salience\nA,{positions[0]},1\nB,{positions[1]},1\n")
    result, sc = imported(path)
    grid = sc.issues[0].grid
    assert (grid[0], grid[-1]) == scale and len(grid) == 21
    assert "no capability column: every actor has power 1" in result.notes
    _, fine = imported(path, scale="-10,300", step=10)
    assert (fine.issues[0].grid[0], fine.issues[0].grid[-1], len(fine.issues[0].grid)) == (-10, 300, 32)


def test_missing_values_get_weight_zero_with_a_note(tmp_path):
    path = write(
        tmp_path,
        "Actor,Issue,Position,Salience,Capability\n"
        "A,one,10,50,2\nA,two,,50,2\nB,one,80,50,1\nB,two,30,,1\nC,one,40,10,1\n",
    )
    result, sc = imported(path)
    assert sorted(result.notes) == [
        "A has an empty position on two: weight 0 there",
        "B has an empty salience on two: weight 0 there",
        "C has no row on two: weight 0 there",
        "no status-quo row: every reservation is 0 (each actor accepts every package); add rows with "
        "actor 'status quo' to make the status quo the point of disagreement",
    ]
    assert sc.params.weights[:, 1].tolist() == [0, 0, 0]
    assert "# note: C has no row on two" in result.text


def test_status_quo_off_the_grid_is_moved_with_a_note(tmp_path):
    path = write(tmp_path, "Actor,Position,Salience\nSQ,52,\nA,10,1\nB,90,1\n")
    result, sc = imported(path)
    assert sc.describe(sc.status_quo) == {"data": 50}
    assert result.notes == (
        "status quo of data at 52 is off the grid: moved to 50",
        "no capability column: every actor has power 1",
    )


def test_the_example_data_set_imports_and_analyses(tmp_path):
    result, sc = imported(EXAMPLE)
    assert len(sc.parties) == 7 and [i.id for i in sc.issues] == [
        "emissions_cut",
        "transition_fund",
        "border_levy",
    ]
    assert result.notes == ("Dolmen has an empty position on border_levy: weight 0 there",)
    a = analyze(sc, 3)
    assert a.summary.agreement > 0 and a.solutions["nash"] is not None
    equal = analyze(loads(result.text.replace("power:", "# power:"), "<equal>"), 1)
    # capability moves the Nash point (the asymmetric one favours the strong), not the agreement set
    assert equal.summary.agreement == a.summary.agreement
    assert equal.solution_package("nash") != a.solution_package("nash")


def test_cli_writes_the_file_and_prints_notes(tmp_path):
    out = tmp_path / "council.yaml"
    runner = CliRunner()
    result = runner.invoke(app, ["import", "spatial", str(EXAMPLE), "-o", str(out), "--loss", "linear"])
    assert result.exit_code == 0, result.output
    assert "note: Dolmen has an empty position" in result.output and "7 parties," in result.output
    sc = load(str(out))
    assert sc.uncertain.shapes[(0, 0)].loss == "linear"
    assert out.read_text().startswith("# Imported from spatial-council.csv by dealcraft import spatial")
    again = runner.invoke(app, ["import", "spatial", str(EXAMPLE), "-o", str(out)])
    assert again.exit_code == 2 and "exists: pass --force" in again.output
    shown = runner.invoke(app, ["import", "spatial", str(EXAMPLE)])
    assert shown.exit_code == 0 and "dealcraft: 1" in shown.output
    analysed = runner.invoke(app, ["analyze", str(out), "--json"])
    assert analysed.exit_code == 0, analysed.output


ERRORS = [
    ("Actor,Position\nA,1\n", {}, ["data.csv", "no salience column", "--columns salience="]),
    (
        "Actor,Position,Salience\nA,high,1\n",
        {},
        ["data.csv, line 2, column 'Position'", "'high' is not a number"],
    ),
    ("Actor;Position;Salience\nA;0,5;1\nB;1;1\n", {}, ["line 2", "write decimals with a point"]),
    ("Actor,Position,Salience\nA,1,-2\n", {}, ["line 2, column 'Salience'", "salience -2 is negative"]),
    ("Actor,Position,Salience,Capability\nA,1,2,0\n", {}, ["line 2, column 'Capability'", "must be > 0"]),
    (
        "Actor,Issue,Position,Salience,Capability\nA,x,1,2,3\nA,y,1,2,4\n",
        {},
        ["line 3, column 'Capability'", "capability 4 here but 3 on line 2", "give one value"],
    ),
    (
        "Actor,Position,Salience\nA,1,2\nA,3,4\n",
        {},
        ["line 3", "second row", "first is on line 2", "issue column"],
    ),
    ("Actor,Position,Salience\nA,150,2\n", {"scale": "0,100"}, ["line 2", "outside --scale 0,100"]),
    ("Actor,Position,Salience\nA,1,2\n", {"scale": "100,0"}, ["--scale '100,0'", "lo < hi"]),
    ("Actor,Position,Salience\nA,1,2\n", {"scale": "zero,ten"}, ["cannot read --scale", "--scale 0,100"]),
    (
        "Actor,Position,Salience\nA,1,2\n",
        {"step": 0.3},
        ["--step 0.3 does not divide the scale [0, 1]", "e.g. 0.05"],
    ),
    ("Actor,Position,Salience\nA,1,2\n", {"step": -1}, ["--step -1", "positive"]),
    ("Actor,Position,Salience\nA,1,2\n", {"columns": "who=Actor"}, ["unknown field 'who'", "actor, issue"]),
    ("Actor,Position,Salience\nA,1,2\n", {"columns": "actor"}, ["cannot read --columns part 'actor'"]),
    ("Actor,Position,Salience\nA,1,2\n", {"columns": "actor=Name"}, ["--columns actor=Name: no such column"]),
    ("Actor,Position,Salience\nA,1,2\n", {"loss": "cubic"}, ["unknown loss 'cubic'", "linear, quadratic"]),
    ("", {}, ["data.csv: the file is empty"]),
    ("Actor,Position,Salience\n", {}, ["a header but no data rows"]),
    ("Actor,Position,Salience\n,1,2\n", {}, ["line 2, column 'Actor'", "no actor name"]),
    (
        "Actor,Position,Salience\nA,1,0\nB,2,1\n",
        {},
        ["actor 'A' has no issue with a position and a positive salience"],
    ),
    ("Actor,Position,Salience\nSQ,,\nA,1,1\n", {}, ["line 2", "status-quo row has no position"]),
    (
        "Actor,Issue,Position,Salience\nSQ,x,1,\nA,x,1,1\nA,y,1,1\n",
        {},
        ["status-quo rows are given for some issues but not for y"],
    ),
    ("Actor,Position,Salience\nSQ,1,\nSQ,2,\nA,1,1\n", {}, ["line 3", "second status-quo row"]),
    ("Actor,Position,Salience\nSQ,1,\n", {}, ["only status-quo rows"]),
]


@pytest.mark.parametrize(("text", "options", "needles"), ERRORS)
def test_errors_name_the_file_the_place_and_the_fix(tmp_path, text, options, needles):
    path = write(tmp_path, text)
    with pytest.raises(DealcraftError) as info:
        import_spatial(path, **options)
    message = str(info.value)
    for needle in needles:
        assert needle in message, (needle, message)


def test_cli_errors_exit_2_without_a_traceback(tmp_path):
    missing = CliRunner().invoke(app, ["import", "spatial", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "nope.csv: no such file" in missing.output
    bad = write(tmp_path, "Actor,Position,Salience\nA,x,1\n")
    result = CliRunner().invoke(app, ["import", "spatial", str(bad)])
    assert result.exit_code == 2 and "line 2, column 'Position'" in result.output
    assert "Traceback" not in result.output


def test_header_is_valid_yaml_comment(tmp_path):
    result, _ = imported(EXAMPLE)
    data = yaml.safe_load(result.text)
    assert data["parties"][0]["power"] == 20 and data["issues"][0]["status_quo"] == 20


def test_public_climate_law_example_lands_on_the_deal_the_docs_report(tmp_path):
    """docs/howto/import-spatial.md: the EU climate law's 2030 target (public positions) imports
    to 3 parties and 1 issue; 7 grid points are acceptable to all, the frontier is 55 and 60, and
    every fair point is 55 %, as the how-to says."""
    out = tmp_path / "eu.yaml"
    example = EXAMPLE.with_name("spatial-eu-climate-law.csv")
    runner = CliRunner()
    result = runner.invoke(app, ["import", "spatial", str(example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 parties, 1 issue" in " ".join(result.output.split())
    analysed = runner.invoke(app, ["analyze", str(out), "--json"])
    assert analysed.exit_code == 0, analysed.output
    data = json.loads(analysed.stdout)
    assert data["agreement"]["count"] == 7 and data["agreement"]["exact"] is True
    assert sorted(f["package"]["target_2030"] for f in data["frontier"]) == [55, 60]
    assert {s["package"]["target_2030"] for s in data["solutions"].values()} == {55}
