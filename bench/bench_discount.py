"""What discount factors cost the vectorised simulator: negotiations per CPU second with every
party discounting against the same runs without discount, in one process.

Domain: the built-in scenario's two-party projection (US vs DPRK), 50-round alternating offers
and the mediator, mixed strategies with sampled preferences (the headline case of
``bench_simulate.py``). A discounting agent only adds one affine rescaling of its aspiration per
verdict and one power per outcome, so the ratio should stay close to 1.

Run: ``python bench/bench_discount.py`` (about a minute).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft.analysis.simulate import candidates, project, simulate  # noqa: E402
from dealcraft.model.load import load  # noqa: E402

from results import write_section  # noqa: E402

ROUNDS = 50
MIX = ["boulware", "linear", "conceder", "tit-for-tat", "hardliner"]
CASES = [("alternating", 10_000), ("mediator", 2_000)]
DISCOUNT = 0.5


def timed(fn, repeat: int = 3) -> float:
    """Best CPU seconds of ``repeat`` calls (the machine may be shared)."""
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    plain = project(load("hanoi-2019"), ["us", "dprk"])
    discounted = replace(plain, parties=tuple(replace(p, discount=DISCOUNT) for p in plain.parties))
    cands = candidates(plain, [])
    lines = [
        "## simulate: cost of discount factors",
        "",
        f"US–DPRK projection, {ROUNDS} rounds, mixed strategies, sampled preferences; every party "
        f"discount {DISCOUNT}; negotiations per CPU second (best of 3). Discounting agents settle "
        "earlier, so a batch may run fewer rounds: a ratio above 1 is shorter talks, not a faster round.",
        "",
        "| protocol | runs | without discount | with discount | ratio (with / without) |",
        "|---|---|---|---|---|",
    ]
    for protocol, runs in CASES:
        kw = dict(strategies={"us": MIX, "dprk": MIX}, rounds=ROUNDS, protocol=protocol, openings=False)
        rates = [
            runs / timed(lambda sc=sc, runs=runs, kw=kw: simulate(sc, runs=runs, cands=cands, **kw))
            for sc in (plain, discounted)
        ]
        lines.append(
            f"| {protocol} | {runs:,} | {rates[0]:,.0f} | {rates[1]:,.0f} | {rates[1] / rates[0]:.2f} |"
        )
        print(lines[-1], flush=True)
    write_section("simulate-discount", "\n".join(lines))


if __name__ == "__main__":
    main()
