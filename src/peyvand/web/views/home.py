"""The start page: what to do first when the user sees no records yet (import a file, add a
contact, load the demo data), otherwise a short overview (capped counts, the newest contacts,
the user's recent imports) with the same quick actions."""

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peyvand.customers.demo import generate_demo_data, load_demo_data
from peyvand.customers.selectors.overview import customer_overview
from peyvand.web import display
from peyvand.web.views.common import settings_page, web_view

DEMO_SIZE = 100  # synchronous: a few seconds; `peyvand demo --size N` for more


@require_GET
@web_view
def home_view(request: HttpRequest) -> HttpResponse:
    overview = customer_overview(actor=request.user)
    context = {
        "overview": overview,
        "contact_count": display.capped(overview.contacts, overview.cap),
        "organization_count": display.capped(overview.organizations, overview.cap),
        "demo_size": DEMO_SIZE,
    }
    return render(request, "web/home.html", context)


@require_POST
@settings_page
def demo_load_view(request: HttpRequest) -> HttpResponse:
    """Load ``DEMO_SIZE`` demo contacts (an admin's action: it also creates demo users, whose
    one-time passwords are shown once, as ``peyvand demo`` prints them)."""
    seed = secrets.randbelow(1_000_000)
    result = load_demo_data(actor=request.user, data=generate_demo_data(size=DEMO_SIZE, seed=seed))
    messages.success(
        request,
        _("Demo data loaded: %(contacts)s contacts and %(organizations)s organisations.")
        % {
            "contacts": display.number(result.contacts),
            "organizations": display.number(result.organizations),
        },
    )
    if result.users_created:
        accounts = "، " if display.language() == "fa" else ", "
        messages.info(
            request,
            _("Demo users (write the passwords down, they are shown only now): %(users)s")
            % {
                "users": accounts.join(
                    f"{spec.username} ({spec.role}): {password}"
                    for spec, password in result.users_created
                )
            },
        )
    return redirect("web:home")
