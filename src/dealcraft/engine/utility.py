"""Utilities as additive tables: u_s(p) = sum_i w_si * v_si(p_i), evaluated per half-space."""

from __future__ import annotations

import numpy as np

from dealcraft.model.scenario import Parameters


def issue_tables(params: Parameters) -> list[np.ndarray]:
    """Per issue, the (..., S, radix) table of weighted values w_si * v_si(o); any leading axes
    of the parameters (e.g. samples) carry through."""
    return [params.weights[..., i, None] * table for i, table in enumerate(params.values)]


def partial_utilities(tables: list[np.ndarray], issues: range, digits: np.ndarray) -> np.ndarray:
    """(n, S) sum over ``issues`` of the weighted values of the options in ``digits`` (n, len)."""
    n = digits.shape[0]
    s = tables[0].shape[0]
    out = np.zeros((n, s))
    for k, i in enumerate(issues):
        out += tables[i][:, digits[:, k]].T
    return out


def utilities(params: Parameters, packages: np.ndarray) -> np.ndarray:
    """(n, S) utilities of whole packages given as (n, I) option indices."""
    tables = issue_tables(params)
    return partial_utilities(tables, range(len(tables)), np.atleast_2d(packages))
