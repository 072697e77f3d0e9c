"""GENIUS XML in and out: conventions, ids, errors, round trip, and the shipped ANAC domains."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcraft.cli import app
from dealcraft.errors import DealcraftError
from dealcraft.interop.genius_export import export_genius
from dealcraft.interop.ids import unique_ids
from dealcraft.model.load import load, loads
from dealcraft.service.interop import import_genius

SHARED = Path("/work/shared/interop/genius")
runner = CliRunner()

DOMAIN = """<negotiation_template><utility_space number_of_issues="2">
<objective index="0" etype="objective" type="objective" name="root">
<issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Price ($)">
<item index="1" value="$4.37"/><item index="2" value="$4.12"/><item index="3" value="4.12"/></issue>
<issue index="2" etype="discrete" type="discrete" vtype="discrete" name="Screen">
<item index="1" value="19'' LCD"/><item index="2" value="23'' LCD"/></issue>
</objective></utility_space></negotiation_template>"""


def profile(evals1, evals2, weights, reservation=None, discount=None) -> str:
    items1 = "".join(
        f'<item index="{k + 1}" value="{v}" evaluation="{e}"/>'
        for k, (v, e) in enumerate(zip(["$4.37", "$4.12", "4.12"], evals1, strict=True))
    )
    items2 = "".join(
        f'<item index="{k + 1}" value="{v}" evaluation="{e}"/>'
        for k, (v, e) in enumerate(zip(["19'' LCD", "23'' LCD"], evals2, strict=True))
    )
    extra = f'<reservation value="{reservation}"/>' if reservation is not None else ""
    extra += f'<discount_factor value="{discount}"/>' if discount is not None else ""
    return (
        '<utility_space><objective index="1" name="any">'
        f'<issue index="1" type="discrete" name="Price ($)">{items1}</issue>'
        f'<issue index="2" type="discrete" name="Screen">{items2}</issue>'
        f'<weight index="1" value="{weights[0]}"/><weight index="2" value="{weights[1]}"/>'
        f"</objective>{extra}</utility_space>"
    )


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "shop_domain.xml").write_text(DOMAIN)
    (tmp_path / "buyer.xml").write_text(
        profile([10, 4, 0], [2, 8], [0.6, 0.4], reservation=-0.1, discount=0.5)
    )
    (tmp_path / "seller.xml").write_text(profile([0, 3, 6], [5, 5], [0.75, 0.25]))
    return tmp_path


def utilities(scenario) -> np.ndarray:
    """(packages, parties) by brute force over every package, from the compiled numbers."""
    out = []
    for package in itertools.product(*[range(i.radix) for i in scenario.issues]):
        u = sum(
            scenario.params.weights[:, i] * scenario.params.values[i][:, o] for i, o in enumerate(package)
        )
        out.append(scenario.party_matrix @ u)
    return np.array(out)


def test_genius_scale_divides_by_the_issue_max(small: Path) -> None:
    sc = loads(import_genius([small]).text)
    buyer = sc.party_index("buyer")
    # GENIUS: 0.6 * 10/10 + 0.4 * 8/8 for ($4.37, 23'' LCD); 0.6 * 4/10 + 0.4 * 2/8 for ($4.12, 19'')
    u = utilities(sc)
    assert u[1, buyer] == pytest.approx(1.0)
    assert u[2, buyer] == pytest.approx(0.6 * 0.4 + 0.4 * 0.25)
    assert sc.disagreement[buyer] == pytest.approx(-0.1)
    seller = sc.party_index("seller")
    assert u[5, seller] == pytest.approx(0.75 * 1 + 0.25 * 1)  # ("4.12", 23'')


def test_negmas_scale_is_raw_up_to_a_factor(small: Path) -> None:
    sc = loads(import_genius([small], "negmas").text)
    u = utilities(sc)[:, sc.party_index("buyer")]
    raw = np.array([0.6 * a + 0.4 * b for a in (10, 4, 0) for b in (2, 8)])
    assert np.allclose(u * (raw.max() / u.max()), raw)
    # disagreement max(reserved value, lowest utility): lowest raw utility 0.8 beats -0.1
    assert sc.disagreement[sc.party_index("buyer")] == pytest.approx(0.8 * u.max() / raw.max())


def test_ids_are_derived_unique_and_keep_the_label(small: Path) -> None:
    text = import_genius([small / "shop_domain.xml", small / "buyer.xml", small / "seller.xml"]).text
    sc = loads(text)
    assert text.startswith("# Imported from GENIUS XML")
    assert "scale genius" in text.splitlines()[1]
    assert sc.id == "shop"
    price = sc.issues[0]
    assert (price.id, price.name) == ("Price", "Price ($)")
    assert price.options == ("4.37", "4.12", "4.12_2")
    assert price.option_names == ("$4.37", "$4.12", "4.12")
    assert sc.issues[1].options == ("19_LCD", "23_LCD")
    assert all(i.giver is None for i in sc.issues)
    assert sc.file.parties[0].discount == 0.5
    assert unique_ids(["a b", "a_b", "a-b", "", "**"]) == ["a_b", "a_b_2", "a-b", "x", "x_2"]


def test_round_trip_import_export_import(small: Path, tmp_path: Path) -> None:
    first = loads(import_genius([small]).text)
    export_genius(first, tmp_path / "out")
    second = loads(import_genius([tmp_path / "out"]).text)
    assert [i.id for i in first.issues] == [i.id for i in second.issues]
    assert [i.option_names for i in first.issues] == [i.option_names for i in second.issues]
    assert [p.id for p in first.parties] == [p.id for p in second.parties]
    assert np.allclose(first.params.weights, second.params.weights, atol=1e-9)
    for a, b in zip(first.params.values, second.params.values, strict=True):
        assert np.allclose(a, b, atol=1e-9)
    assert np.allclose(first.params.reservations, second.params.reservations, atol=1e-9)
    assert second.file.parties[0].discount == 0.5


def test_export_of_a_multi_stakeholder_scenario_is_exact_and_warns(tmp_path: Path) -> None:
    sc = load("hanoi-2019")
    result = export_genius(sc, tmp_path)
    assert any("ratification" in w for w in result.warnings)
    assert any("givers" in w for w in result.warnings)
    back = loads(import_genius([tmp_path]).text)
    # GENIUS weights sum to the party's best utility; dealcraft renormalises: a positive factor
    u, v = utilities_by_party(sc), utilities_by_party(back)
    for p, party in enumerate(sc.parties):
        q = back.party_index(party.id)  # the folder lists profiles by file name
        factor = (u[:, p] @ v[:, q]) / (v[:, q] @ v[:, q])
        assert factor > 0
        assert np.allclose(v[:, q] * factor, u[:, p], atol=1e-9)
        assert back.disagreement[q] * factor == pytest.approx(sc.disagreement[p], abs=1e-9)
    assert "level-II ratification" in (tmp_path / "us.xml").read_text()


def utilities_by_party(scenario) -> np.ndarray:
    """(samples, parties) on 2000 random packages (the space is too large to enumerate here)."""
    rng = np.random.default_rng(0)
    digits = np.stack([rng.integers(0, i.radix, 2000) for i in scenario.issues], axis=1)
    u = sum(
        scenario.params.weights[:, i, None] * scenario.params.values[i][:, digits[:, i]]
        for i in range(len(scenario.issues))
    )
    return (scenario.party_matrix @ u).T


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("doc", '<!DOCTYPE x [<!ENTITY a "b">]><negotiation_template/>', "DTD or entities"),
        ("bad", "<negotiation_template><issue", "not well-formed"),
        ("empty", "<negotiation_template/>", "no <issue>"),
        ("int", '<n><issue index="1" name="Qty" type="integer"/></n>', "('Qty', type integer) has no bounds"),
        (
            "real",
            '<n><issue index="1" name="P" type="real"><range lowerbound="1"/></issue></n>',
            'has no bounds: give it lowerbound="..." upperbound="..."',
        ),
        (
            "order",
            '<n><issue index="1" name="P" type="real" lowerbound="2" upperbound="1"/></n>',
            "lowerbound 2 must be below upperbound 1",
        ),
        (
            "whole",
            '<n><issue index="1" name="Q" type="integer" lowerbound="0" upperbound="2.5"/></n>',
            "needs whole-number bounds",
        ),
        (
            "huge",
            '<n><issue index="1" name="Q" type="integer" lowerbound="0" upperbound="99999"/></n>',
            "100,000 values, more than the 10,001 grid points",
        ),
        ("kind", '<n><issue index="1" name="Q" type="objective"/></n>', "reads discrete, integer and real"),
    ],
)
def test_bad_domains_are_named(tmp_path: Path, name: str, text: str, needle: str) -> None:
    (tmp_path / "x_domain.xml").write_text(text)
    (tmp_path / "p.xml").write_text(profile([1, 1, 1], [1, 1], [1, 1]))
    with pytest.raises(DealcraftError, match="x_domain.xml") as e:
        import_genius([tmp_path])
    assert needle in str(e.value)


@pytest.mark.parametrize(
    ("xml", "needle"),
    [
        (profile([1, -1, 1], [1, 1], [1, 1]), "negative"),
        (profile([1, "abc", 1], [1, 1], [1, 1]), "not a number"),
        (profile([1, 1, 1], [1, 1], [0, 0]), "all weights are 0"),
        (profile([1, 1, 1], [1, 1], [1, 1]).replace("Screen", "Screens"), "not in the domain"),
        (profile([1, 1, 1], [1, 1], [1, 1], discount=2), "must be in (0, 1]"),
    ],
)
def test_bad_profiles_are_named(small: Path, xml: str, needle: str) -> None:
    (small / "seller.xml").write_text(xml)
    with pytest.raises(DealcraftError, match="seller.xml") as e:
        import_genius([small])
    assert needle in str(e.value)


def test_folder_needs_one_domain(tmp_path: Path) -> None:
    (tmp_path / "p.xml").write_text(profile([1, 1, 1], [1, 1], [1, 1]))
    with pytest.raises(DealcraftError, match="exactly one domain file"):
        import_genius([tmp_path])


def test_cli_import_export_and_errors(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    r = runner.invoke(app, ["import", "genius", str(small), "-o", str(out), "--scale", "negmas"])
    assert r.exit_code == 0, r.output
    assert "scale negmas" in out.read_text()
    r = runner.invoke(app, ["import", "genius", str(small), "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(app, ["import", "genius", str(small), "--scale", "nope"])
    assert r.exit_code == 2 and "unknown scale" in r.output
    r = runner.invoke(app, ["export", str(out), "--format", "genius", "-o", str(tmp_path / "g")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "g" / "buyer.xml").exists()
    r = runner.invoke(app, ["export", str(out), "--format", "genius"])
    assert r.exit_code == 2 and "-o FOLDER" in r.output
    r = runner.invoke(app, ["export", "hanoi-2019", "--format", "csv"])
    assert r.exit_code == 2 and "unknown format" in r.output
    r = runner.invoke(app, ["export", "hanoi-2019"])
    assert r.exit_code == 0 and "dealcraft: 1" in r.output


@pytest.mark.parametrize("domain", ["Laptop", "ItexvsCypress"])
def test_shipped_anac_domains_import_and_round_trip(domain: str, tmp_path: Path) -> None:
    folder = SHARED / domain
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    for scale in ("genius", "negmas"):
        first = loads(import_genius([folder], scale).text)
        export_genius(first, tmp_path / scale)
        second = loads(import_genius([tmp_path / scale]).text)
        u, v = utilities(first), utilities(second)
        # genius scale: every issue's best item is 1, so the numbers come back as they were; negmas
        # scale: the exported weights sum to the party's best utility, a positive factor on re-import
        factor = u.max(axis=0) / v.max(axis=0) if scale == "negmas" else np.ones(len(first.parties))
        assert np.allclose(v * factor, u, atol=1e-9)
        assert np.allclose(second.disagreement * factor, first.disagreement, atol=1e-9)
        if scale == "genius":
            for a, b in zip(first.params.values, second.params.values, strict=True):
                assert np.allclose(a, b, atol=1e-9)
            assert np.allclose(first.params.weights, second.params.weights, atol=1e-9)


def test_giver_is_optional_and_changes_are_spoken_of() -> None:
    from dealcraft.analysis.explain import exchanges

    text = """
dealcraft: 1
id: t
parties:
  - {id: a, stakeholders: [{id: s}]}
  - {id: b, stakeholders: [{id: s}]}
issues:
  - {id: x, options: [{id: lo}, {id: hi}]}
  - {id: y, giver: a, options: [{id: keep}, {id: give}]}
preferences:
  a.s: {reservation: 0, weights: {x: 1, y: 1}, values: {x: {lo: 0, hi: 1}, y: {keep: 1, give: 0}}}
  b.s: {reservation: -0.5, weights: {x: 1, y: 1}, values: {x: {lo: 1, hi: 0}, y: {keep: 0, give: 1}}}
"""
    sc = loads(text)
    assert sc.issues[0].giver is None and sc.issues[1].giver == 0
    a, b = exchanges(sc, (1, 0))
    assert [c.text() for c in a.gets] == ["x changes: lo -> hi"]
    assert [c.text() for c in b.gives] == ["x changes: lo -> hi"]


def test_reservations_outside_0_1_load_and_steps_need_a_giver(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "data" / "tiny.yaml").read_text())
    data["preferences"]["a.boss"]["reservation"] = -0.25
    data["preferences"]["a.hawk"]["reservation"] = 1.5
    sc = loads(yaml.safe_dump(data))
    assert sc.params.reservations.min() == -0.25 and sc.params.reservations.max() == 1.5
    data["issues"][0].pop("giver")
    data["issues"][0]["options"][1]["steps"] = [{"id": "s1"}]
    with pytest.raises(DealcraftError, match=r"issues\[0\].giver.*needs a giver"):
        loads(yaml.safe_dump(data), "t.yaml")


def _random_folder(
    folder: Path, sizes: list[int], profiles: list[tuple[list[list[int]], list[float], float]]
):
    issues = "".join(
        f'<issue index="{i + 1}" type="discrete" name="issue {i}">'
        + "".join(f'<item index="{o + 1}" value="v {o}"/>' for o in range(n))
        + "</issue>"
        for i, n in enumerate(sizes)
    )
    folder.mkdir(parents=True)
    (folder / "t_domain.xml").write_text(
        f"<negotiation_template><objective>{issues}</objective></negotiation_template>"
    )
    for p, (evals, weights, reservation) in enumerate(profiles):
        body = "".join(
            f'<issue index="{i + 1}" type="discrete" name="issue {i}">'
            + "".join(f'<item index="{o + 1}" value="v {o}" evaluation="{e}"/>' for o, e in enumerate(row))
            + "</issue>"
            for i, row in enumerate(evals)
        )
        body += "".join(f'<weight index="{i + 1}" value="{w!r}"/>' for i, w in enumerate(weights))
        (folder / f"p{p}.xml").write_text(
            f"<utility_space><objective>{body}</objective>"
            f'<reservation value="{reservation!r}"/></utility_space>'
        )


@st.composite
def genius_domains(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    profiles = []
    for _ in range(draw(st.integers(1, 3))):
        evals = [draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)) for n in sizes]
        weights = draw(st.lists(st.floats(0.01, 5), min_size=len(sizes), max_size=len(sizes)))
        profiles.append((evals, weights, draw(st.floats(-1, 1.5))))
    return sizes, profiles


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(domain=genius_domains())
def test_genius_scale_is_the_genius_formula_and_round_trips(tmp_path: Path, domain) -> None:
    import shutil

    sizes, profiles = domain
    shutil.rmtree(tmp_path / "g", ignore_errors=True)
    _random_folder(tmp_path / "g" / "in", sizes, profiles)
    first = loads(import_genius([tmp_path / "g" / "in"]).text)
    u = utilities(first)
    for p, (evals, weights, reservation) in enumerate(profiles):
        expected = [
            sum(
                w * (row[o] / max(row) if max(row) > 0 else 0)
                for w, row, o in zip(weights, evals, pkg, strict=True)
            )
            / sum(weights)
            for pkg in itertools.product(*[range(n) for n in sizes])
        ]
        assert np.allclose(u[:, first.party_index(f"p{p}")], expected, atol=1e-12)
        assert first.disagreement[first.party_index(f"p{p}")] == pytest.approx(reservation / sum(weights))
    export_genius(first, tmp_path / "g" / "out")
    second = loads(import_genius([tmp_path / "g" / "out"]).text)
    v = utilities(second)
    # exact where every issue has a positive evaluation (the weights then sum to 1 again)
    factor = np.array(
        [u[:, p].max() / v[:, p].max() if v[:, p].max() > 0 else 1.0 for p in range(u.shape[1])]
    )
    assert np.allclose(v * factor, u, atol=1e-9)
    assert np.allclose(second.disagreement * factor, first.disagreement, atol=1e-9)


def test_roadmap_of_an_issue_without_giver_is_a_user_error(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    out.write_text(import_genius([small]).text)
    r = runner.invoke(app, ["roadmap", str(out)])
    assert r.exit_code == 2, r.output
    assert "have no giver" in r.output and "giver: PARTY" in r.output
