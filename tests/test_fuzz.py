"""The mutation fuzzer (tests/fuzz.py) in CI: a few hundred seeded cases over the small seed
scenarios, every command's exit code in {0, 1, 2}, no traceback, no hang (a time bound per
command), no command raising peak memory by more than fuzz.MEMORY_LIMIT_MB, strict JSON, no
silently accepted NaN/infinity. bench/fuzz.py runs the long version (10,000 cases)."""

from __future__ import annotations

import fuzz

CASES = 250
TIME_LIMIT = 20.0  # seconds per command: far above any case's need, so a hit is a hang


def test_fuzz_cases_never_crash_hang_or_print_invalid_json(tmp_path):
    seeds = fuzz.corpus(("tiny", "riverside-nurses"))
    summary = fuzz.fuzz(CASES, tmp_path, seed=2026, seeds=seeds, time_limit=TIME_LIMIT, max_packages=10**5)
    details = [
        f"seed {o.case.seed} ({o.case.base}: {', '.join(o.case.mutations)}) {' '.join(o.command[:1])}: "
        f"{o.failure}: {o.detail}"
        for o in summary.examples
    ]
    assert not summary.failures, "\n".join(details)
    assert summary.cases == CASES
    assert summary.accepted >= CASES // 10  # enough valid mutants reach the analyses


def test_every_mutation_is_exercised():
    seeds = fuzz.corpus(("tiny",))
    names = set()
    for seed in range(400):
        names.update(fuzz.make_case(seed, seeds).mutations)
    assert {"NaN/inf", "deep nesting", "alias bomb", "binary", "truncated", "duplicate line"} <= names
    assert {"constraint", "after cycle", "huge space", "weights 1e308", "unicode", "delete key"} <= names


def test_the_fuzzer_detects_failures(tmp_path, monkeypatch):
    """The checks can fail: a command that crashes, hangs or prints NaN is reported as such."""
    import time

    case = fuzz.make_case(1, fuzz.corpus(("tiny",)))
    path = tmp_path / "tiny.yaml"
    path.write_text(fuzz.corpus(("tiny",))["tiny"])

    def crash(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("dealcraft.service.analysis.run_analysis", crash)
    assert fuzz.run_command(case, ["analyze", str(path), "--json"], 10).failure == "exit code 3"
    monkeypatch.setenv("DEALCRAFT_DEBUG", "1")
    assert fuzz.run_command(case, ["analyze", str(path), "--json"], 10).failure == "traceback"
    monkeypatch.delenv("DEALCRAFT_DEBUG")
    monkeypatch.setattr("dealcraft.service.analysis.run_analysis", lambda *a, **k: time.sleep(5))
    assert fuzz.run_command(case, ["analyze", str(path), "--json"], 0.5).failure == "hang"
    monkeypatch.setattr("dealcraft.service.output.json.dumps", lambda *a, **k: '{"x": NaN}')
    assert fuzz.run_command(case, ["evaluate", str(path), "--json"], 10).failure == "invalid JSON"
