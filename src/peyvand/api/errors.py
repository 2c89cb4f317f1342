"""One JSON error shape for every failure: ``{"detail": str, "errors": [{"field", "message"}]}``."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from peyvand.api.language import activate_caller_language
from peyvand.api.parser import lone_surrogate_fields
from peyvand.common.bidi import without_isolates
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


def field_message(error: dict) -> str:
    """A request-checking error of pydantic, said in the active language (pydantic's own
    messages are English only); an error it does not name keeps pydantic's wording."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_type":
        return _("Enter text.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_type", "float_parsing", "decimal_type", "decimal_parsing"}:
        return _("Enter a number.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Send a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Send an object.")
    if kind in {"literal_error", "enum"}:  # pydantic's "'a', 'b' or 'c'", without its "or"
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _("Choose one of: %(choices)s.") % {"choices": " / ".join(choices)}
    if kind == "string_too_short":
        return _("Enter at least %(count)s characters.") % {"count": ctx.get("min_length")}
    if kind == "too_long":  # a list with more items than allowed
        return _("Give at most %(limit)s (this has %(count)s).") % {
            "limit": ctx.get("max_length"),
            "count": ctx.get("actual_length"),
        }
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.") % {"count": ctx.get("max_length")}
    if kind == "greater_than_equal":
        return _("Enter %(limit)s or more.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Enter %(limit)s or less.") % {"limit": ctx.get("le")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    return error["msg"]


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors=()) -> HttpResponse:
        errors = [{**e, "message": without_isolates(str(e["message"]))} for e in errors]
        return api.create_response(
            request, {"detail": without_isolates(str(detail)), "errors": errors}, status=status
        )

    @api.exception_handler(NinjaValidationError)
    def pydantic_invalid(request, exc):
        errors = [
            {"field": _loc_to_field(e.get("loc", ())), "message": field_message(e)}
            for e in exc.errors
        ]
        return respond(request, 422, _("The request has invalid fields."), errors)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400 and lone_surrogate_fields(request):
            message = _("This text holds a character that is not valid Unicode (a lone surrogate).")
            errors = [{"field": f, "message": message} for f in lone_surrogate_fields(request)]
            return respond(request, 400, _("The request has invalid fields."), errors)
        if exc.status_code == 400:  # django-ninja's answer to a body it cannot parse
            return respond(
                request,
                400,
                _(
                    "The request body could not be read: send a JSON object with "
                    "Content-Type: application/json."
                ),
            )
        return respond(request, exc.status_code, str(exc))

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
        return respond(request, 422, _("The request has invalid fields."), errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        activate_caller_language(request)  # no caller known: Accept-Language only
        return respond(request, 401, _("Authentication required: send a valid API token."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(NotFound)
    def not_found(request, exc):
        return respond(request, 404, str(exc) or _("Not found."))

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        return respond(request, 409, str(exc))

    @api.exception_handler(StaleVersion)
    def stale(request, exc):
        response = respond(
            request,
            412,
            _("The record changed since you read it. Fetch it again and re-apply your change."),
        )
        if exc.current is not None:
            response["ETag"] = exc.current.etag
        return response


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut, 412: ErrorOut}
# Every operation that reads a JSON body also answers 400 when the body cannot be parsed.
BODY_ERRORS = {400: ErrorOut}
