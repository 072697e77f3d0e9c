"""The web server: FastAPI app, accounts and sessions, the confidential JSON API, background jobs."""

# Nothing is re-exported: import the modules directly (``web.app`` builds the FastAPI app).
__all__: list[str] = []
