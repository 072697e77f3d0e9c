"""`dealcraft serve`: the web app and its confidential JSON API."""

from __future__ import annotations

import typer

from dealcraft.cli.app import app
from dealcraft.cli.common import console, err_console, user_errors
from dealcraft.cli.db import DB_OPT, database_url

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    db: str = DB_OPT,
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Worker processes for analysis jobs."),
    heartbeat: float = typer.Option(
        5.0,
        "--heartbeat",
        min=0.1,
        hidden=True,
        help="Seconds between heartbeats (the jobs of a dead server fail after 3).",
    ),
    test_mode: bool = typer.Option(
        False, "--test-mode", hidden=True, help="Serve the test tools (axe-core) for the browser tests."
    ),
) -> None:
    """Start the web server (creating and migrating the database on first start)."""
    with user_errors():
        import uvicorn

        from dealcraft.web.app import create_app
        from dealcraft.web.settings import Settings

        application = create_app(
            Settings(db_url=database_url(db), job_workers=workers, heartbeat=heartbeat, test_mode=test_mode)
        )
    if host not in LOOPBACK:
        err_console.print(
            "[yellow]warning:[/] listening beyond this machine without TLS: put a reverse proxy "
            "with HTTPS in front (see SECURITY.md)",
            highlight=False,
        )
    # X-Forwarded-Proto/For are trusted from a reverse proxy on this machine only (uvicorn's
    # default of 127.0.0.1): behind a local HTTPS proxy the cookie gets Secure and throttling
    # sees the real client address.
    config = uvicorn.Config(application, host=host, port=port, log_level="warning", proxy_headers=True)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host

    original = server.startup

    async def startup(sockets=None) -> None:
        await original(sockets)
        bound = port
        for s in server.servers:
            for sock in s.sockets:
                bound = sock.getsockname()[1]
        console.print(
            f"dealcraft is listening on http://{shown}:{bound}/ (API docs at /docs)", highlight=False
        )

    server.startup = startup  # print the real port (also when --port 0 picks a free one)
    server.run()
