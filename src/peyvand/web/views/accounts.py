"""Sign-in and out, the language switch, personal preferences and API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.accounts.middleware import LANGUAGE_COOKIE
from peyvand.accounts.models import Language
from peyvand.accounts.selectors import token_list
from peyvand.accounts.services import token_create, token_revoke, user_preferences_update
from peyvand.web.forms.accounts import LoginForm, PreferencesForm, TokenForm
from peyvand.web.views.common import safe_next, web_view

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
NEW_TOKEN_SESSION_KEY = "peyvand_new_token"  # noqa: S105 - a session key, not a secret


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Switch fa ⇄ en: saved on the user (signed in) and in a cookie (the sign-in page)."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        return HttpResponseBadRequest(_("Unknown language."))
    if request.user.is_authenticated:
        user_preferences_update(user=request.user, language=language)
    response = redirect(safe_next(request, request.POST.get("next"), reverse("web:home")))
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax", httponly=True
    )
    return response


@require_http_methods(["GET", "POST"])
@web_view
def preferences_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"language": user.language, "calendar": user.calendar, "time_zone": user.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_preferences_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Preferences saved."))
            response = redirect("web:preferences")
            response.set_cookie(
                LANGUAGE_COOKIE,
                form.cleaned_data["language"],
                max_age=LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                httponly=True,
            )
            return response
    return render(request, "web/accounts/preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
@web_view
def token_list_view(request: HttpRequest) -> HttpResponse:
    """List personal API tokens and create one; the secret is shown once, after a redirect."""
    user = request.user
    form = TokenForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        issued = token_create(user=user, **form.cleaned_data)
        request.session[NEW_TOKEN_SESSION_KEY] = {
            "id": issued.token.pk,
            "plaintext": issued.plaintext,
        }
        return redirect("web:token_list")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return render(
        request,
        "web/accounts/tokens.html",
        {"form": form, "tokens": token_list(actor=user), "new_token": new_token},
    )


@require_POST
@web_view
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Token “%s” revoked.") % token.name)
    return redirect("web:token_list")
