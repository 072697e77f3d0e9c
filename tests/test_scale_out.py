"""Exact enumeration cut into package ranges (in-process and on a real two-process Dask cluster)
gives the same analysis, to the last key of the JSON, as one scan in this process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft import service
from dealcraft.analysis.backend import backend
from dealcraft.analysis.methods import enumerate_space
from dealcraft.cli import app
from dealcraft.engine.scan import scan
from dealcraft.engine.space import choose_split, row_ranges
from dealcraft.errors import DealcraftError
from dealcraft.model.load import load

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
runner = CliRunner()


class Ranges:
    """A backend that runs every range in this process, in reverse order, with ``workers``
    workers: the partition and the merge without a cluster."""

    def __init__(self, workers: int):
        self.workers = workers
        self.seen: list = []

    def map(self, fn, items, shared=(), done=None):
        self.seen = list(items)
        out = [fn(*shared, item) for item in reversed(items)][::-1]
        for r in out:
            if done:
                done(r)
        return out


def _hanoi():
    return load("hanoi-2019")


def _json(scenario, **kwargs) -> dict:
    return service.analyze(scenario, proposals=3, **kwargs).to_json()


def test_row_ranges_cover_the_rows_once():
    split = choose_split((3, 5, 7, 2), 14)
    for parts in (1, 2, 4, 7, 15, 16, 40):
        ranges = row_ranges(split, parts)
        assert ranges[0][0] == 0 and ranges[-1][1] == split.head_size
        assert all(a < b for a, b in ranges)
        assert all(ranges[k][1] == ranges[k + 1][0] for k in range(len(ranges) - 1))
        assert len(ranges) == min(parts, split.head_size)


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
@pytest.mark.parametrize("frontier", [True, False])
def test_partitioned_scan_equals_one_scan(workers, frontier):
    sc = _hanoi()
    one = scan(sc, frontier=frontier)
    ranges = Ranges(workers)
    progressed: list[int] = []
    parts = enumerate_space(sc, ranges, frontier=frontier, progress=progressed.append)
    assert len(ranges.seen) > 1  # the space really was cut
    assert sum(progressed) == sc.size
    assert (parts.size, parts.feasible, parts.agreement) == (one.size, one.feasible, one.agreement)
    for field in ("accepts", "party_accepts", "without"):
        assert getattr(parts, field).tolist() == getattr(one, field).tolist()
    assert parts.frontier.utilities.tolist() == one.frontier.utilities.tolist()
    assert parts.frontier.counts.tolist() == one.frontier.counts.tolist()
    assert [p.tolist() for p in parts.frontier.packages] == [p.tolist() for p in one.frontier.packages]


@pytest.mark.parametrize("method", ["enumerate", "fold"])
def test_analyze_json_identical_on_a_two_process_cluster(cluster, method):
    sc = _hanoi()
    here = _json(sc, method=method)
    there = _json(sc, method=method, cluster=cluster.scheduler_address)
    assert here == there
    assert here["agreement"]["exact"] is True


def test_cli_workers_flag_gives_the_in_process_json():
    plain = runner.invoke(app, ["analyze", "--json"])
    spread = runner.invoke(app, ["analyze", "--json", "--workers", "2"])
    assert plain.exit_code == 0, plain.output
    assert spread.exit_code == 0, spread.output
    assert json.loads(plain.stdout) == json.loads(spread.stdout)


def test_workers_with_nothing_to_enumerate_are_not_started_and_say_so():
    sc = load(TINY)
    out = service.analyze(sc, method="fold", max_packages=sc.size - 1, workers=2)
    assert out.notes and "not used" in out.notes[0] and "--max-packages" in out.notes[0]
    assert out.to_json()["agreement"]["exact"] is False
    result = runner.invoke(
        app, ["analyze", TINY, "--method", "fold", "--max-packages", "2", "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "not used" in result.stderr


def test_enumerate_beyond_the_limit_fails_before_any_cluster_starts():
    sc = load(TINY)
    with pytest.raises(DealcraftError, match="--max-packages"):
        service.analyze(sc, method="enumerate", max_packages=2, workers=2)


def test_unreachable_cluster_says_what_to_check():
    with pytest.raises(DealcraftError, match="check the address") as e:  # noqa: SIM117
        with backend(cluster="tcp://127.0.0.1:1", timeout="1s"):
            pass
    assert "dask scheduler" in str(e.value)
