"""One JSON error shape for every failure: ``{"detail": str, "errors": [{"field", "message"}]}``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from peyvand.common.errors import Conflict, NotFound, PermissionDenied, StaleVersion


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def _loc_to_field(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "data", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors=()) -> HttpResponse:
        return api.create_response(
            request, {"detail": detail, "errors": list(errors)}, status=status
        )

    @api.exception_handler(NinjaValidationError)
    def pydantic_invalid(request, exc):
        errors = [
            {"field": _loc_to_field(e.get("loc", ())), "message": e["msg"]} for e in exc.errors
        ]
        return respond(request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(DjangoValidationError)
    def service_invalid(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "__all__", "message": m} for m in exc.messages]
        return respond(request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, "Authentication required: send a valid API token.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(NotFound)
    def not_found(request, exc):
        return respond(request, 404, str(exc) or "Not found.")

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        return respond(request, 409, str(exc))

    @api.exception_handler(StaleVersion)
    def stale(request, exc):
        response = respond(
            request,
            412,
            "The record changed since you read it. Fetch it again and re-apply your change.",
        )
        if exc.current is not None:
            response["ETag"] = exc.current.etag
        return response


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut, 412: ErrorOut}
