"""GENIUS integer and real issues imported as numeric issues: every package's utility against
GENIUS's own formulas (computed here independently), the grid options, the Nash point by brute
force, and the error paths."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dealcraft.analysis.analyze import analyze
from dealcraft.cli import app
from dealcraft.engine.utility import utilities
from dealcraft.errors import DealcraftError
from dealcraft.model.load import loads
from dealcraft.service.interop import import_genius

DOMAIN = """<negotiation_template><utility_space number_of_issues="3">
<objective index="0" etype="objective" type="objective" name="root">
<issue index="1" etype="integer" type="integer" vtype="integer" name="Qty" lowerbound="1" upperbound="5"/>
<issue index="2" etype="real" type="real" vtype="real" name="Price">
<range lowerbound="0" upperbound="10"/></issue>
<issue index="3" etype="discrete" type="discrete" vtype="discrete" name="Color">
<item index="1" value="red"/><item index="2" value="blue"/></issue>
</objective></utility_space></negotiation_template>"""


def profile(qty: str, price: str, colors=(3, 6), weights=(0.3, 0.5, 0.2), reservation=0.2) -> str:
    return (
        '<utility_space><objective index="0" name="root">'
        f'<issue index="1" name="Qty" type="integer" lowerbound="1" upperbound="5">{qty}</issue>'
        f'<weight index="1" value="{weights[0]}"/>'
        f'<issue index="2" name="Price" type="real"><range lowerbound="0" upperbound="10"/>{price}</issue>'
        f'<weight index="2" value="{weights[1]}"/>'
        '<issue index="3" name="Color" type="discrete">'
        f'<item index="1" value="red" evaluation="{colors[0]}"/>'
        f'<item index="2" value="blue" evaluation="{colors[1]}"/>'
        f'</issue><weight index="3" value="{weights[2]}"/>'
        f'</objective><reservation value="{reservation}"/></utility_space>'
    )


BUYER = profile(
    '<evaluator ftype="linear" slope="0.25" offset="0"/>',
    '<evaluator ftype="linear" parameter0="-0.5" parameter1="0.2"/>',
)
SELLER = profile(
    '<evaluator ftype="linear" slope="-0.3" offset="1.1"/>',
    '<evaluator ftype="triangular" parameter0="2" parameter1="8" parameter2="5"/>',
    colors=(5, 1),
    weights=(2, 1, 1),
    reservation=0.3,
)


def genius_utility(qty: float, price: float, color: str, who: str) -> float:
    """What GENIUS computes for a bid, written out from its evaluator definitions."""
    if who == "buyer":
        e_qty = min(1, max(0, 0 + 0.25 * (qty - 1)))
        e_price = min(1, max(0, 0.2 * price - 0.5))
        e_color = {"red": 3, "blue": 6}[color] / 6
        w = (0.3, 0.5, 0.2)
    else:
        e_qty = min(1, max(0, 1.1 - 0.3 * (qty - 1)))
        e_price = 0.0 if price < 2 or price >= 8 else ((price - 2) / 3 if price < 5 else 1 - (price - 5) / 3)
        e_color = {"red": 5, "blue": 1}[color] / 5
        w = (2, 1, 1)
    return (w[0] * e_qty + w[1] * e_price + w[2] * e_color) / sum(w)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "shop_domain.xml").write_text(DOMAIN)
    (tmp_path / "buyer.xml").write_text(BUYER)
    (tmp_path / "seller.xml").write_text(SELLER)
    return tmp_path


@pytest.mark.parametrize("points", [101, 11, 41])
def test_every_package_has_the_genius_utility(shop: Path, points: int):
    result = import_genius([shop], real_points=points)
    sc = loads(result.text, "<shop>")
    qty, price, color = sc.issues
    assert qty.grid == (1, 2, 3, 4, 5)
    assert len(price.grid) == points and price.grid[0] == 0 and price.grid[-1] == 10
    assert color.options == ("red", "blue")
    digits = np.array(list(itertools.product(*(range(i.radix) for i in sc.issues))))
    u = utilities(sc.params, digits) @ sc.party_matrix.T  # (n, P) party utilities
    for row, got in zip(digits, u, strict=True):
        q, p, c = qty.grid[row[0]], price.grid[row[1]], color.options[row[2]]
        want = [genius_utility(q, p, c, "buyer"), genius_utility(q, p, c, "seller")]
        np.testing.assert_allclose(got, want, atol=1e-12)
    assert sc.params.reservations.tolist() == pytest.approx([0.2 / 1.0, 0.3 / 4])


def test_the_nash_point_equals_the_brute_force_over_genius_utilities(shop: Path):
    sc = loads(import_genius([shop], real_points=21).text, "<shop>")
    qty, price, color = sc.issues
    d = (0.2, 0.3 / 4)
    best, best_u = -1.0, None
    for q, p, c in itertools.product(qty.grid, price.grid, color.options):
        u = (genius_utility(q, p, c, "buyer"), genius_utility(q, p, c, "seller"))
        if u[0] >= d[0] - 1e-9 and u[1] >= d[1] - 1e-9 and u[0] > d[0] and u[1] > d[1]:
            product = (u[0] - d[0]) * (u[1] - d[1])
            best, best_u = (product, u) if product > best else (best, best_u)
    a = analyze(sc, 1)
    k = a.solutions["nash"]
    np.testing.assert_allclose(a.summary.frontier.utilities[k], best_u, atol=1e-12)


def test_the_header_and_the_file_say_what_was_done(shop: Path):
    text = import_genius([shop]).text
    assert "# Integer issues: every whole number of their range; real issues: 101 grid points" in text
    sc = loads(text, "<shop>")
    shape = sc.uncertain.shapes[(0, 1)]  # buyer's Price: the kinks of clamp(0.2 x - 0.5) at 2.5 and 7.5
    assert shape.kind == "points" and shape.xs == (0, 2.5, 7.5, 10)


def test_negmas_scale_divides_numeric_evaluations_by_the_same_profile_factor(shop: Path):
    genius = loads(import_genius([shop]).text, "<g>")
    negmas = loads(import_genius([shop], "negmas").text, "<n>")
    # buyer: the profile's largest evaluation is 6 (Color blue): Color keeps raw/6, Qty and Price /6
    np.testing.assert_allclose(negmas.params.values[0][0], genius.params.values[0][0] / 6)
    np.testing.assert_allclose(negmas.params.values[1][0], genius.params.values[1][0] / 6)
    np.testing.assert_allclose(negmas.params.values[2][0], [3 / 6, 6 / 6])


def test_cli_real_points(shop: Path, tmp_path: Path):
    out = tmp_path / "shop.yaml"
    r = CliRunner().invoke(app, ["import", "genius", str(shop), "-o", str(out), "--real-points", "6"])
    assert r.exit_code == 0, r.output
    assert loads(out.read_text(), "<s>").issues[1].grid == (0, 2, 4, 6, 8, 10)
    bad = CliRunner().invoke(app, ["import", "genius", str(shop), "--real-points", "1"])
    assert bad.exit_code == 2 and "--real-points 1: give between 2 and 10,001 points" in bad.output


@pytest.mark.parametrize(
    ("qty", "price", "needle"),
    [
        (
            '<evaluator ftype="linear" slope="x" offset="0"/>',
            '<evaluator ftype="linear" parameter0="0" parameter1="0.1"/>',
            "slope 'x' is not a number",
        ),
        (
            '<evaluator slope="0.1" offset="0"/>',
            '<evaluator ftype="faratin" parameter0="0" parameter1="0.1"/>',
            "ftype 'faratin' is not supported: use one of linear, constant, triangular",
        ),
        (
            '<evaluator slope="0.1" offset="0"/>',
            '<evaluator ftype="triangular" parameter0="5" parameter1="8" parameter2="2"/>',
            "parameter0 < parameter2 < parameter1",
        ),
        (
            '<evaluator slope="0.1" offset="0"/>',
            '<evaluator ftype="constant" parameter0="1.5"/>',
            "constant 1.5 must be in [0, 1]",
        ),
    ],
)
def test_bad_evaluators_are_named(shop: Path, qty: str, price: str, needle: str):
    (shop / "seller.xml").write_text(profile(qty, price))
    with pytest.raises(DealcraftError, match="seller.xml") as e:
        import_genius([shop])
    assert needle in str(e.value)


def test_a_profile_that_changes_an_issue_type_is_refused(shop: Path):
    (shop / "seller.xml").write_text(SELLER.replace('name="Qty" type="integer"', 'name="Qty" type="real"'))
    with pytest.raises(DealcraftError, match="is of type real here but of type integer in the domain"):
        import_genius([shop])


def test_missing_evaluator_is_zero_as_in_genius(shop: Path):
    (shop / "seller.xml").write_text(profile("", '<evaluator ftype="constant" parameter0="0.5"/>'))
    sc = loads(import_genius([shop]).text, "<s>")
    assert sc.params.values[0][1].tolist() == [0.0] * 5
    assert sc.params.values[1][1].tolist() == [0.5] * 101


def test_a_real_range_that_does_not_split_evenly_is_refused(shop: Path):
    (shop / "shop_domain.xml").write_text(DOMAIN.replace('upperbound="10"/>', 'upperbound="0.1"/>'))
    for name in ("buyer.xml", "seller.xml"):
        (shop / name).write_text((shop / name).read_text().replace('upperbound="10"', 'upperbound="0.1"'))
    with pytest.raises(DealcraftError, match="cannot be cut into 7 equal decimal steps"):
        import_genius([shop], real_points=7)
    assert len(loads(import_genius([shop], real_points=11).text, "<s>").issues[1].grid) == 11


def test_export_writes_numeric_issues_as_grid_items_and_says_so(shop: Path, tmp_path: Path):
    from dealcraft.interop.genius_export import export_genius

    sc = loads(import_genius([shop], real_points=6).text, "<shop>")
    powered = loads(
        import_genius([shop], real_points=6).text.replace("- id: buyer\n", "- id: buyer\n  power: 2\n"), "<p>"
    )
    assert any("bargaining power" in w for w in export_genius(powered, tmp_path / "p").warnings)
    exported = export_genius(sc, tmp_path / "out")
    assert any(w.startswith("numeric issues as such") for w in exported.warnings)
    back = loads(import_genius([tmp_path / "out"]).text, "<back>")
    digits = np.array(list(itertools.product(*(range(i.radix) for i in sc.issues))))
    before = utilities(sc.params, digits) @ sc.party_matrix.T
    after = utilities(back.params, digits) @ back.party_matrix.T
    # GENIUS re-divides each issue by its best item, so each party's utility comes back up to a
    # positive factor (the seller's best Price grid point is worth 2/3), the reservation with it
    factor = after[:, 1].max() / before[:, 1].max()
    np.testing.assert_allclose(after[:, 0], before[:, 0], atol=1e-9)
    np.testing.assert_allclose(after[:, 1], factor * before[:, 1], atol=1e-9)
    np.testing.assert_allclose(back.disagreement, sc.disagreement * [1, factor], atol=1e-9)
