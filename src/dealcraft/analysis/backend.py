"""Where independent pieces of work run: in this process, on a local Dask cluster, or on an existing one.

Every backend maps a top-level function over work items and returns results in item order; the
functions are deterministic (sample batches re-draw from the seed, enumeration parts cover fixed
package ranges), so the backend never changes the numbers. Used by the uncertainty analyses and
by exact enumeration (:mod:`dealcraft.analysis.methods`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from dealcraft.errors import DealcraftError


class Backend(Protocol):
    """Where work items run: maps a function over work items and returns results in item order."""

    workers: int

    def map(
        self,
        fn: Callable[..., Any],
        items: Sequence[Any],
        shared: tuple = (),
        done: Callable[[Any], None] | None = None,
    ) -> list[Any]:
        """[fn(*shared, item) for item in items]; ``done(result)`` is called as each finishes."""
        ...


class InProcess:
    """No parallelism: the default, and the reference the others must agree with."""

    workers = 1

    def map(self, fn, items, shared=(), done=None):
        """Run the items one after another in this process."""
        out = []
        for item in items:
            out.append(fn(*shared, item))
            if done:
                done(out[-1])
        return out


class DaskBackend:
    """Runs items as tasks on a Dask distributed client; shared arguments are scattered once."""

    def __init__(self, client: Any):
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def map(self, fn, items, shared=(), done=None):
        """One task per item, shared arguments scattered once; results in item order whatever order the
        tasks finish in."""
        from distributed import as_completed

        futures_shared = [self.client.scatter(x, broadcast=True, hash=False) for x in shared]
        futures = [self.client.submit(fn, *futures_shared, item, pure=False) for item in items]
        index = {f.key: k for k, f in enumerate(futures)}
        out: list[Any] = [None] * len(futures)
        for future, result in as_completed(futures, with_results=True):
            out[index[future.key]] = result
            if done:
                done(result)
        return out


@contextlib.contextmanager
def backend(
    workers: int | None = None, cluster: str | None = None, timeout: str = "10s"
) -> Iterator[Backend]:
    """``cluster``: address of a running scheduler (given up after ``timeout``); ``workers``: start a
    local cluster of that many single-threaded processes; neither: run in this process. Clusters
    are closed on exit."""
    if workers is not None and cluster is not None:
        raise DealcraftError("give either --workers (start a local cluster) or --cluster (use one), not both")
    if cluster is None and not workers:
        yield InProcess()
        return
    if workers is not None and workers < 1:
        raise DealcraftError(f"--workers must be at least 1, got {workers}")
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if cluster is not None:
        try:
            client = Client(cluster, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as e:
            raise DealcraftError(
                f"cannot reach the Dask scheduler at {cluster!r} ({e}): check the address "
                "(e.g. tcp://host:8786) and that `dask scheduler` is running"
            ) from None
        with client:
            yield DaskBackend(client)
        return
    with (
        LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",  # any free port: never clash with another cluster
            silence_logs=logging.CRITICAL,
        ) as local,
        Client(local) as client,
    ):
        yield DaskBackend(client)
