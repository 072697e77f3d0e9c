"""Background jobs: a bounded pool of worker processes, progress and results in the database.

Every state change goes through the database, so any server process can report any job. A job
whose server or worker stops heart-beating (killed, crashed, power cut) is marked ``failed``
with the reason by the next sweep of any server, never left ``running`` for ever."""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Engine, or_, select, update

from dealcraft.errors import DealcraftError
from dealcraft.store.models import Job, Server

log = logging.getLogger("dealcraft.web.jobs")
LIVE = ("queued", "running")
_ENGINES: dict[str, Engine] = {}


class Cancelled(Exception):
    """Raised inside a job's progress callback once someone cancelled it."""


def _engine(url: str) -> Engine:
    if url not in _ENGINES:
        from dealcraft.store.db import make_engine

        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def _now() -> datetime:
    return datetime.now(UTC)


def execute(url: str, job_id: str, heartbeat: float) -> None:
    """The job body, run in a worker: claim the job, run it through the adapter, store the result."""
    engine = _engine(url)
    with engine.begin() as c:
        claimed = c.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued", Job.cancel_requested.is_(False))
            .values(status="running", started_at=_now(), heartbeat=time.time())
        ).rowcount
        if not claimed:
            return
        job = c.execute(select(Job.kind, Job.options, Job.scenario).where(Job.id == job_id)).one()
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(engine, job_id, heartbeat, stop, os.getppid()), daemon=True)
    beat.start()
    try:
        result = _run(engine, job_id, job.kind, job.options, job.scenario)
        _finish(engine, job_id, status="done", result=result, progress=1.0)
    except Cancelled:
        pass  # the DELETE already marked it failed
    except DealcraftError as e:
        _finish(engine, job_id, status="failed", error=str(e))
    except Exception as e:  # a bug: keep the server alive and say so
        log.exception("job %s failed", job_id)
        _finish(
            engine, job_id, status="failed", error=f"internal error ({type(e).__name__}); see the server log"
        )
    finally:
        stop.set()


def _run(engine: Engine, job_id: str, kind: str, options: dict, data: dict) -> dict[str, Any]:
    from dealcraft.model.load import from_data
    from dealcraft.web import jobs_adapter

    scenario = from_data(data, f"job {job_id}")
    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < 0.25 and fraction < 1.0:
            return
        last[0] = now
        with engine.begin() as c:
            c.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(progress=fraction))
            if c.scalar(select(Job.cancel_requested).where(Job.id == job_id)):
                raise Cancelled

    return jobs_adapter.run(kind, scenario, options, progress)


def _finish(engine: Engine, job_id: str, **values: Any) -> None:
    with engine.begin() as c:
        c.execute(
            update(Job).where(Job.id == job_id, Job.status == "running").values(finished_at=_now(), **values)
        )


def _beat(engine: Engine, job_id: str, every: float, stop: threading.Event, parent: int) -> None:
    """Keep the job's heartbeat fresh; quit the worker if its server died (orphaned)."""
    while not stop.wait(every):
        if os.getppid() != parent:
            os._exit(1)
        try:
            with engine.begin() as c:
                c.execute(update(Job).where(Job.id == job_id).values(heartbeat=time.time()))
        except Exception:  # the database may be briefly busy; the next beat retries
            log.warning("heartbeat of job %s failed", job_id, exc_info=True)


def _watch_parent(parent: int) -> None:
    """Pool initializer: a worker whose server died (even by SIGKILL) exits instead of lingering."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Runner:
    """A bounded pool: ``workers`` processes (0: threads in this process, for tests)."""

    def __init__(self, url: str, workers: int, heartbeat: float) -> None:
        self.url, self.heartbeat = url, heartbeat
        self.pool: Executor = (
            ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
            if workers > 0
            else ThreadPoolExecutor(max_workers=2)
        )

    def submit(self, job_id: str) -> None:
        """Hand a queued job to the worker pool."""
        self.pool.submit(execute, self.url, job_id, self.heartbeat)

    def close(self) -> None:
        """Stop at once: running jobs are killed (and marked failed by :func:`stopped`)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()


def stopped(engine: Engine, server_id: str) -> None:
    """A clean shutdown: this server's unfinished jobs fail with the reason, its row goes."""
    with engine.begin() as c:
        for status, reason in (
            ("running", "the server was stopped while this job was running; start it again"),
            ("queued", "the server was stopped before this job started; start it again"),
        ):
            c.execute(
                update(Job)
                .where(Job.server_id == server_id, Job.status == status)
                .values(status="failed", error=reason, finished_at=_now())
            )
        c.execute(Server.__table__.delete().where(Server.id == server_id))


def beat_server(engine: Engine, server_id: str) -> None:
    """Record that this server is alive (its jobs are not orphans)."""
    with engine.begin() as c:
        done = c.execute(update(Server).where(Server.id == server_id).values(heartbeat=time.time())).rowcount
        if not done:
            c.execute(Server.__table__.insert().values(id=server_id, pid=os.getpid(), heartbeat=time.time()))


def sweep(engine: Engine, stale_after: float, now: float | None = None) -> int:
    """Mark failed every live job whose server (or, when running, whose worker) stopped beating."""
    now = time.time() if now is None else now
    limit = now - stale_after
    with engine.begin() as c:
        alive = set(c.scalars(select(Server.id).where(Server.heartbeat >= limit)))
        rows = c.execute(
            select(Job.id, Job.status, Job.server_id, Job.heartbeat).where(Job.status.in_(LIVE))
        ).all()
        failed = 0
        for r in rows:
            if r.server_id not in alive:
                reason = (
                    "the server stopped (killed or crashed) while this job was running; start it again"
                    if r.status == "running"
                    else "the server stopped before this job started; start it again"
                )
            elif r.status == "running" and r.heartbeat < limit:
                reason = (
                    "the worker process running this job stopped (killed or out of memory); start it again"
                )
            else:
                continue
            failed += c.execute(
                update(Job)
                .where(Job.id == r.id, Job.status == r.status)
                .values(status="failed", error=reason, finished_at=_now())
            ).rowcount
        c.execute(Server.__table__.delete().where(or_(Server.heartbeat < now - 10 * stale_after)))
    return failed
