"""Organisation pages: list, detail (members the user may see), create/edit, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peyvand.accounts.selectors import team_list, user_choices
from peyvand.common.errors import StaleVersion
from peyvand.customers.models import Organization
from peyvand.customers.selectors import (
    custom_values_for,
    organization_get_for_user,
    organization_history,
    organization_list,
    organization_search,
)
from peyvand.customers.services import (
    organization_create,
    organization_delete,
    organization_update,
)
from peyvand.web import history
from peyvand.web.conflicts import differences, initial_as_data
from peyvand.web.forms.organizations import organization_form, organization_initial
from peyvand.web.listing import parse_list_query, run_list
from peyvand.web.views.common import (
    field_feedback,
    is_partial,
    require_delete,
    require_write,
    web_view,
)
from peyvand.web.views.contacts import filter_choices

ROWS_TARGET = "organization-results"


@require_GET
@web_view
def organization_list_view(request: HttpRequest) -> HttpResponse:
    query = parse_list_query(request.GET, entity="organization", username=request.user.username)
    result = run_list(
        query,
        list_selector=organization_list,
        search_selector=organization_search,
        actor=request.user,
    )
    context = {"query": query, "page": result.page, "problems": result.problems}
    if is_partial(request, ROWS_TARGET):
        return render(request, "web/organizations/_organization_rows.html", context)
    context.update(filter_choices(request.user, "organization"))
    return render(request, "web/organizations/list.html", context)


@require_GET
@web_view
def organization_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    organization = organization_get_for_user(actor=actor, public_id=public_id)
    users = {u.pk: u.display for u in user_choices(actor=actor)}
    teams = {t.pk: t.name for t in team_list(actor=actor)}
    if organization.owner_id:
        users.setdefault(organization.owner_id, organization.owner.display)
    if organization.team_id:
        teams.setdefault(organization.team_id, organization.team.name)
    entries = organization_history(actor=actor, organization=organization)
    return render(
        request,
        "web/organizations/detail.html",
        {
            "organization": organization,
            "members": list(organization.memberships.all()),
            "custom_values": custom_values_for(record=organization),
            "history": history.present(entries, Organization, users=users, teams=teams),
        },
    )


def _validate_url(public_id: str | None = None) -> str:
    url = reverse("web:organization_validate")
    return f"{url}?record={public_id}" if public_id else url


@require_http_methods(["GET", "POST"])
@web_view
def organization_create_view(request: HttpRequest) -> HttpResponse:
    require_write(request)
    actor = request.user
    data = request.POST if request.method == "POST" else None
    form = organization_form(actor=actor, data=data, validate_url=_validate_url())
    if data is not None and form.is_valid():
        try:
            organization = organization_create(actor=actor, data=form.to_input())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Organisation “%s” created.") % organization.name)
            return redirect(organization)
    return render(request, "web/organizations/form.html", {"form": form, "organization": None})


@require_http_methods(["GET", "POST"])
@web_view
def organization_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require_write(request)
    actor = request.user
    organization = organization_get_for_user(actor=actor, public_id=public_id)
    data = request.POST if request.method == "POST" else None
    validate_url = _validate_url(public_id)
    form = organization_form(
        actor=actor, data=data, organization=organization, validate_url=validate_url
    )
    conflict = None
    if data is not None and form.is_valid():
        try:
            organization = organization_update(
                actor=actor,
                public_id=public_id,
                data=form.to_input(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except StaleVersion as exc:
            current = organization_get_for_user(actor=actor, public_id=public_id)
            theirs = organization_form(
                actor=actor,
                data=initial_as_data(form, organization_initial(current)),
                organization=current,
            )
            diffs = differences(form, theirs)
            posted = request.POST.copy()
            posted["version"] = str(exc.current_version)
            form = organization_form(
                actor=actor, data=posted, organization=current, validate_url=validate_url
            )
            form.is_valid()
            conflict = {"differences": diffs, "version": exc.current_version}
        else:
            messages.success(request, _("Organisation “%s” saved.") % organization.name)
            return redirect(organization)
    context = {"form": form, "organization": organization, "conflict": conflict}
    return render(request, "web/organizations/form.html", context, status=409 if conflict else 200)


@require_POST
@web_view
def organization_validate_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    public_id = request.GET.get("record")
    organization = (
        organization_get_for_user(actor=actor, public_id=public_id) if public_id else None
    )
    form = organization_form(actor=actor, data=request.POST, organization=organization)
    return field_feedback(request, form)


@require_http_methods(["GET", "POST"])
@web_view
def organization_delete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require_delete(request)
    organization = organization_get_for_user(actor=request.user, public_id=public_id)
    if request.method == "POST":
        organization_delete(actor=request.user, public_id=public_id)
        messages.success(request, _("Organisation “%s” deleted.") % organization.name)
        return redirect("web:organization_list")
    return render(
        request,
        "web/confirm_delete.html",
        {
            "record": organization,
            "title": _("Delete organisation"),
            "cancel_url": organization.get_absolute_url(),
        },
    )
