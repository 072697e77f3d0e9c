"""The web server: FastAPI app, accounts and sessions, the confidential JSON API, background jobs."""
