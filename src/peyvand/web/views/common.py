"""What every web view shares: sign-in, domain errors -> HTTP answers, htmx partial checks."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from peyvand.accounts.access import Capability, require
from peyvand.common import errors
from peyvand.web import display


def web_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require sign-in and turn the services' NotFound/PermissionDenied into 404/403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        display.set_calendar(request.user.calendar_in_use)
        try:
            return view(request, *args, **kwargs)
        except errors.NotFound as exc:
            raise Http404(str(exc)) from exc
        except errors.PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    return login_required(wrapper)


def settings_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A settings page: signed-in users who may manage the settings, everyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require(request.user, Capability.SETTINGS_MANAGE)
        return view(request, *args, **kwargs)

    return web_view(wrapper)


def is_partial(request: HttpRequest, target: str) -> bool:
    """An htmx request that swaps ``#target`` (not a history restore, which needs the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def field_feedback(request: HttpRequest, form) -> HttpResponse:
    """Inline validation on blur: run the whole form's checks, answer for one field."""
    name = request.POST.get("_field", "")
    if name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()
    errors = form.errors.get(name, [])
    hint = "" if errors else form.hint_for(name)
    return render(
        request,
        "web/includes/_feedback.html",
        {"errors": errors, "hint": hint, "label": form.fields[name].label},
    )
