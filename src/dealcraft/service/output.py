"""Shared pieces of every job's JSON: rounding, per-party maps, package verdicts, strict text.

The JSON shapes are contracts (documented in docs/reference/cli.md): keys are only ever added.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from dealcraft.analysis.evaluate import Evaluation
from dealcraft.errors import InternalError
from dealcraft.finite import first_non_finite
from dealcraft.model.scenario import Scenario

ROUND = 6  # decimals of every utility, share and probability in the JSON output


def rounded(x: float | None) -> float | None:
    """A number for the JSON output; an undefined one (None, NaN) becomes null."""
    if x is None or math.isnan(x):
        return None
    return round(float(x), ROUND)


def by_party(party_ids: Iterable[str], values: Sequence[float]) -> dict[str, float]:
    """{party: value} rounded, in scenario order."""
    return {p: round(float(v), ROUND) for p, v in zip(party_ids, values, strict=True)}


def evaluation_json(scenario: Scenario, ev: Evaluation) -> dict[str, Any]:
    """One package's verdicts: every stakeholder's utility, slack and reason, every party's."""
    return {
        "package": scenario.describe(ev.package),
        "accepted": ev.accepted,
        "broken_constraints": list(ev.broken),
        "stakeholders": [
            {
                "id": v.key,
                "utility": round(v.utility, ROUND),
                "reservation": round(v.reservation, ROUND),
                "slack": round(v.slack, ROUND),
                "accepts": v.accepts,
                "reason": v.reason,
            }
            for v in ev.stakeholders
        ],
        "parties": [
            {
                "id": p.id,
                "utility": round(p.utility, ROUND),
                "disagreement": round(p.disagreement, ROUND),
                "accepts": p.accepts,
                "rejecting": list(p.rejecting),
            }
            for p in ev.parties
        ],
    }


def json_text(data: Any) -> str:
    """Strict JSON text: strict parsers reject NaN and infinity, so a non-finite number is a bug
    upstream, reported with its path instead of an invalid document."""
    bad = first_non_finite(data)
    if bad is not None:
        raise InternalError(f"the result has a non-finite number at {bad}; no JSON was written")
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
