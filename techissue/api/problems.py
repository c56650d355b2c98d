"""Errors as RFC 9457 problem documents (`application/problem+json`), in the request's language."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: N_("Bad request"),
    401: N_("Not authenticated"),
    403: N_("Forbidden"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Request too large"),
    415: N_("Unsupported media type"),
    422: N_("Invalid request"),
    429: N_("Too many requests"),
    500: N_("Server error"),
}


class Problem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def problem_response(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": _(TITLES.get(status, N_("Error"))), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="techissue"'
    return response


def _readable(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ()))
        out.append({"location": location, "message": str(error.get("msg", "")), "type": str(error.get("type", ""))})
    return out


def install(api: NinjaAPI) -> None:
    """Every error the API can meet becomes a problem document; none is a traceback page."""

    @api.exception_handler(Problem)
    def on_problem(request: HttpRequest, error: Problem) -> HttpResponse:
        return problem_response(error.status, error.detail, error.errors)

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return problem_response(422, _("The request does not match the schema."), _readable(list(error.errors)))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return problem_response(401, _("Send a valid API token as 'Authorization: Bearer …'."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return problem_response(error.status_code, str(error))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem_response(404, _("There is nothing at this address."))

    @api.exception_handler(Exception)
    def on_error(request: HttpRequest, error: Exception) -> HttpResponse:
        log.exception("API error on %s %s", request.method, request.path)
        return problem_response(500, _("The server failed to answer; the error is logged."))
