"""The app factory: ``create_app(settings)`` wires the database, the job pool and the routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from dealcraft import __version__
from dealcraft.store.db import open_database, session_factory
from dealcraft.web import (
    errors,
    jobs,
    pages,
    routes_auth,
    routes_export,
    routes_jobs,
    routes_negotiations,
    routes_preferences,
)
from dealcraft.web.middleware import BodyLimit, SecurityHeaders
from dealcraft.web.settings import Settings

log = logging.getLogger("dealcraft.web")

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dealcraft API</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script></body></html>
"""
DOCS_JS = "SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});\n"


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI app on the database in ``settings``: routes, pages, middleware, job pool."""
    engine = open_database(settings.db_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runner = jobs.Runner(settings.db_url, settings.job_workers, settings.heartbeat)
        await asyncio.to_thread(jobs.beat_server, engine, app.state.server_id)
        await asyncio.to_thread(jobs.sweep, engine, settings.stale_after)
        task = asyncio.create_task(_keep_beating(app))
        try:
            yield
        finally:
            task.cancel()
            app.state.runner.close()
            await asyncio.to_thread(jobs.stopped, engine, app.state.server_id)

    app = FastAPI(
        title="dealcraft",
        version=__version__,
        summary="Negotiate together, keep preferences private: the confidential JSON API.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.server_id = uuid.uuid4().hex
    errors.install(app)
    for module in (routes_auth, routes_negotiations, routes_preferences, routes_jobs, routes_export, pages):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @app.get("/docs/start.js", include_in_schema=False)
    def docs_start() -> Response:
        return Response(DOCS_JS, media_type="text/javascript")

    app.add_middleware(BodyLimit, limit=settings.max_body)
    app.add_middleware(SecurityHeaders)
    return app


async def _keep_beating(app: FastAPI) -> None:
    """Heartbeat of this server, and a sweep for jobs whose server or worker died."""
    settings: Settings = app.state.settings
    while True:
        await asyncio.sleep(settings.heartbeat)
        try:
            await asyncio.to_thread(jobs.beat_server, app.state.engine, app.state.server_id)
            await asyncio.to_thread(jobs.sweep, app.state.engine, settings.stale_after)
        except Exception:  # a busy database must not stop the loop
            log.warning("heartbeat failed", exc_info=True)


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, including routes of included routers."""
    out: list[tuple[str, str]] = []

    def walk(routes) -> None:
        for r in routes:
            if hasattr(r, "original_router"):  # FastAPI's included-router wrapper
                walk(r.original_router.routes)
            elif getattr(r, "methods", None):
                out.extend((m, r.path) for m in sorted(r.methods) if m != "HEAD")

    walk(app.routes)
    return sorted(set(out), key=lambda mp: (mp[1], mp[0]))
