"""Every error leaves as ``{"error": {"code", "message", "where"?}}`` with its HTTP status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dealcraft.errors import format_location

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    503: "unavailable",
}


class ApiError(Exception):
    """An error answered as {error: {code, message, where?}} with its HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        where: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.where = status, message, where
        self.code = code or _CODES.get(status, "error")
        self.extra, self.headers = extra or {}, headers


def error_body(status: int, message: str, code: str | None = None, where: str | None = None, **extra: Any):
    """The JSON body of an error answer."""
    body: dict[str, Any] = {"code": code or _CODES.get(status, "error"), "message": message}
    if where:
        body["where"] = where
    body.update(extra)
    return {"error": body}


def not_found(what: str = "no such negotiation (or you are not a member)") -> ApiError:
    """404 that does not reveal whether the thing exists."""
    return ApiError(404, what)


def install(app: FastAPI) -> None:
    """Answer every error (ours, validation, unexpected) in the API's error shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, e: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(e.status, e.message, e.code, e.where, **e.extra), e.status, headers=e.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, e: StarletteHTTPException) -> JSONResponse:
        message = e.detail if isinstance(e.detail, str) else "request failed"
        if e.status_code == 404 and message == "Not Found":
            message = "no such route: see /docs for the API"
        return JSONResponse(error_body(e.status_code, message), e.status_code, headers=e.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, e: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": format_location([p for p in err["loc"] if p != "body"]), "message": err["msg"]}
            for err in e.errors()
        ]
        first = problems[0] if problems else {"where": "", "message": "invalid request"}
        return JSONResponse(
            error_body(422, first["message"], "invalid", first["where"], problems=problems), 422
        )
