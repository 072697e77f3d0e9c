"""The same seed gives the same numbers in-process and on a real two-process Dask cluster."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import dealcraft.cli.uncertainty  # noqa: F401  (registers the commands)
from dealcraft.analysis.backend import InProcess, backend
from dealcraft.analysis.uncertainty.montecarlo import count_space
from dealcraft.analysis.uncertainty.robust import robust
from dealcraft.cli import app
from dealcraft.errors import DealcraftError

from uncertainty_scenarios import mc, mc_file


def _same(a, b) -> None:
    np.testing.assert_array_equal(a.agree, b.agree)
    np.testing.assert_array_equal(a.parties, b.parties)
    np.testing.assert_array_equal(a.stakeholders, b.stakeholders)
    np.testing.assert_array_equal(a.any_agree, b.any_agree)


def test_counts_identical_in_process_and_on_two_processes(cluster):
    sc = mc()
    reference = count_space(sc, 700, seed=4, tail_block=1)  # 18 head rows: 16 tasks here ...
    with backend(cluster=cluster.scheduler_address) as remote:
        assert remote.workers == 2
        got = count_space(sc, 700, seed=4, backend=remote, tail_block=1)  # ... 8 tasks there
        result = robust(sc, 700, seed=4, k=3, backend=remote)
    _same(reference, got)
    local = robust(sc, 700, seed=4, k=3, backend=InProcess())
    assert [o.package for o in result.robust] == [o.package for o in local.robust]
    assert [o.expected_nash for o in result.robust] == [o.expected_nash for o in local.robust]
    assert result.p_empty == local.p_empty


def test_cli_workers_flag_gives_the_in_process_json(tmp_path):
    path = str(mc_file(tmp_path))
    runner = CliRunner()
    plain = runner.invoke(app, ["robust", path, "-n", "300", "--seed", "8", "--json"])
    spread = runner.invoke(app, ["robust", path, "-n", "300", "--seed", "8", "--json", "--workers", "2"])
    assert plain.exit_code == 0, plain.output
    assert spread.exit_code == 0, spread.output
    assert json.loads(plain.stdout) == json.loads(spread.stdout)


def test_workers_and_cluster_together_is_a_user_error():
    with pytest.raises(DealcraftError, match="not both"), backend(workers=2, cluster="tcp://127.0.0.1:1"):
        pass
