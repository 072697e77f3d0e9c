"""One comparison of two frontiers for the engine tests: same vectors, counts and packages."""

from __future__ import annotations

import numpy as np


def same_frontier(a, b) -> None:
    """Assert that frontiers ``a`` and ``b`` agree: utility vectors (to 1e-9), per-vector counts
    and the stored packages of each vector."""
    assert a.utilities.shape == b.utilities.shape
    assert np.allclose(a.utilities, b.utilities, atol=1e-9)
    assert [int(c) for c in a.counts] == [int(c) for c in b.counts]
    for k in range(len(a)):
        assert [int(x) for x in a.packages[k]] == [int(x) for x in b.packages[k]]
