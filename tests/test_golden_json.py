"""Every `--json` output, byte for byte in meaning, against files recorded before a refactor.

The files in tests/golden/ were written by the commands themselves; a change in any recorded
key, nesting or rounding fails here. The contract is "extend, never rename": a key that is
new in the output (not in the recorded file) is allowed, a recorded one that changed or went
missing is not. Regenerate only for an intended contract change
(`DEALCRAFT_WRITE_GOLDEN=1 pytest tests/test_golden_json.py`) and say so in the commit.
Wall-clock fields (the solver's seconds) are the only values masked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app

GOLDEN = Path(__file__).parent / "golden"
NURSES = str(Path(__file__).parents[1] / "docs" / "examples" / "riverside-nurses.yaml")
HANOI_OFFER = ["sanctions=lift_2016_17", "yongbyon=dismantle"]
NURSES_OFFER = ["wages=5pct", "ratios=all_units"]

CASES: dict[str, list[str]] = {
    "analyze-hanoi": ["analyze", "--json"],
    "analyze-nurses": ["analyze", NURSES, "--json", "-k", "4"],
    "evaluate-hanoi": ["evaluate", "hanoi-2019", *HANOI_OFFER, "--json"],
    "evaluate-nurses": ["evaluate", NURSES, *NURSES_OFFER, "--json"],
    "bridge-hanoi": ["bridge", "hanoi-2019", *HANOI_OFFER, "--json"],
    "bridge-nurses": ["bridge", NURSES, *NURSES_OFFER, "--json"],
    "roadmap-hanoi": ["roadmap", "--json"],
    "roadmap-nurses": ["roadmap", NURSES, "--json"],
    "robust-hanoi": ["robust", "--json", "-n", "60", "--seed", "3"],
    "robust-nurses": ["robust", NURSES, "--json", "-n", "200", "--seed", "3"],
    "sensitivity-hanoi": ["sensitivity", "--json", "-n", "60", "--seed", "3"],
    "sensitivity-nurses": ["sensitivity", NURSES, "--json", "-n", "200", "--seed", "3"],
    "calibrate-hanoi": ["calibrate", "--json", "-n", "100", "--seed", "3"],
    "calibrate-nurses": ["calibrate", NURSES, "--json", "-n", "200", "--seed", "3"],
    "simulate-hanoi": ["simulate", "--json", "--runs", "30", "--seed", "3"],
    "simulate-nurses": ["simulate", NURSES, "--json", "--runs", "60", "--seed", "3"],
    "simulate-hanoi-trace": [
        "simulate",
        "--json",
        "--parties",
        "us,dprk",
        "--strategy",
        "us=hardliner",
        "--strategy",
        "dprk=hardliner",
        "--anticipate",
        "--patience",
        "2",
        "--runs",
        "5",
        "--trace",
    ],
}


def _masked(data: object) -> object:
    """Drop values that measure wall-clock time, keep everything else."""
    if isinstance(data, dict):
        return {k: ("<seconds>" if k == "seconds" else _masked(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_masked(v) for v in data]
    return data


def extends(produced: object, recorded: object) -> bool:
    """``produced`` keeps everything ``recorded`` has, with equal values (it may add keys)."""
    if isinstance(recorded, dict):
        return isinstance(produced, dict) and all(
            k in produced and extends(produced[k], v) for k, v in recorded.items()
        )
    if isinstance(recorded, list):
        return (
            isinstance(produced, list)
            and len(produced) == len(recorded)
            and all(extends(p, r) for p, r in zip(produced, recorded, strict=True))
        )
    return type(produced) is type(recorded) and produced == recorded


def test_extends_allows_new_keys_only() -> None:
    assert extends({"a": 1, "b": [{"c": 2, "new": 3}]}, {"a": 1, "b": [{"c": 2}]})
    assert not extends({"a": 1}, {"a": 1, "b": 2})
    assert not extends({"a": 1.0}, {"a": 1})
    assert not extends({"a": [1, 2]}, {"a": [1]})
    assert not extends({"a": {"c": 2}}, {"a": {"c": 3}})


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_matches_the_recorded_contract(name: str) -> None:
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code in (0, 1), result.output
    produced = _masked(json.loads(result.stdout))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("DEALCRAFT_WRITE_GOLDEN") == "1":
        path.write_text(json.dumps(produced, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert extends(produced, recorded)
