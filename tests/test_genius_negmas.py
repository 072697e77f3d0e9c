"""dealcraft's GENIUS import against NegMAS 0.16 itself, on domains written here and the shipped
ANAC ones. NegMAS is not a dependency: these run when DEALCRAFT_NEGMAS_PYTHON (or the bench
environment's interpreter) is present, and skip otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_genius import compare, dealcraft_answers, negmas_answers  # noqa: E402

NEGMAS = os.environ.get("DEALCRAFT_NEGMAS_PYTHON", "/tmp/foldb/negvenv/bin/python")
SHARED = Path("/work/shared/interop/genius")
pytestmark = pytest.mark.skipif(not Path(NEGMAS).exists(), reason="no NegMAS 0.16 interpreter")


def write_random_domain(folder: Path, seed: int, parties: int) -> Path:
    """A discrete GENIUS domain with raw (unscaled) evaluations and random weights."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 5, size=3)
    folder.mkdir()
    issues = "".join(
        f'<issue index="{i + 1}" etype="discrete" type="discrete" vtype="discrete" name="issue {i}">'
        + "".join(f'<item index="{o + 1}" value="v{o}"/>' for o in range(n))
        + "</issue>"
        for i, n in enumerate(sizes)
    )
    (folder / "random_domain.xml").write_text(
        f'<negotiation_template><utility_space><objective index="0" name="root">{issues}'
        "</objective></utility_space></negotiation_template>"
    )
    for p in range(parties):
        body = ""
        for i, n in enumerate(sizes):
            evals = rng.integers(0, 20, size=n)
            body += f'<issue index="{i + 1}" type="discrete" name="issue {i}">' + "".join(
                f'<item index="{o + 1}" value="v{o}" evaluation="{e}"/>' for o, e in enumerate(evals)
            )
            body += "</issue>"
        w = rng.dirichlet(np.ones(len(sizes)))
        body += "".join(f'<weight index="{i + 1}" value="{float(x)!r}"/>' for i, x in enumerate(w))
        (folder / f"party{p}.xml").write_text(
            f'<utility_space><objective index="1" name="any">{body}</objective>'
            f'<reservation value="{float(rng.uniform(-0.1, 0.3))!r}"/></utility_space>'
        )
    return folder


def folders(tmp_path: Path) -> list[Path]:
    out = [write_random_domain(tmp_path / f"r{seed}", seed, 2 + seed % 2) for seed in range(4)]
    out += [SHARED / name for name in ("Laptop", "ItexvsCypress") if (SHARED / name).is_dir()]
    return out


def test_negmas_scale_gives_negmas_frontier_and_nash(tmp_path: Path) -> None:
    found = folders(tmp_path)
    theirs = negmas_answers(NEGMAS, found)
    for folder in found:
        c = compare(dealcraft_answers(folder, "negmas"), theirs[str(folder)])
        assert c["frontier"][2], (folder, c["frontier"])
        assert c["nash"][2], (folder, c["nash"])


def test_genius_scale_agrees_where_files_are_already_scaled(tmp_path: Path) -> None:
    folder = SHARED / "ItexvsCypress"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    c = compare(dealcraft_answers(folder, "genius"), negmas_answers(NEGMAS, [folder])[str(folder)])
    assert c["frontier"][2] and c["nash"][2]
