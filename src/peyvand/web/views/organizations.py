"""Organisation pages: list, detail (members the user may see), create/edit, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peyvand.accounts.access import Capability, require
from peyvand.accounts.selectors import team_list, user_choices
from peyvand.common.entities import EntityType
from peyvand.customers.models import Organization
from peyvand.customers.selectors import (
    contact_search,
    custom_values_for,
    organization_get_for_user,
    organization_history,
)
from peyvand.customers.services import (
    organization_create,
    organization_delete,
    organization_update,
)
from peyvand.customers.services.memberships import (
    organization_member_add,
    organization_member_remove,
)
from peyvand.web import history
from peyvand.web.forms.organizations import organization_form, organization_initial
from peyvand.web.records import record_delete_page, record_edit_page, record_list_page
from peyvand.web.views.common import (
    field_feedback,
    web_view,
)

ROWS_TARGET = "organization-results"


@require_GET
@web_view
def organization_list_view(request: HttpRequest) -> HttpResponse:
    return record_list_page(
        request,
        entity=EntityType.ORGANIZATION,
        template="web/organizations/list.html",
        rows_template="web/organizations/_organization_rows.html",
        rows_target=ROWS_TARGET,
    )


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
    member_query = (request.GET.get("member_q") or "").strip()
    return render(
        request,
        "web/organizations/detail.html",
        {
            "organization": organization,
            "member_query": member_query,
            "candidates": _candidates(actor, organization, member_query),
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
    require(request.user, Capability.RECORD_CHANGE)
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
    def make_form(*, data, record, validate_url=None):
        return organization_form(actor=request.user, data=data, organization=record,
                                 validate_url=validate_url)  # fmt: skip

    return record_edit_page(
        request,
        entity=EntityType.ORGANIZATION,
        public_id=public_id,
        make_form=make_form,
        initial=organization_initial,
        update=organization_update,
        template="web/organizations/form.html",
        validate_url=_validate_url(public_id),
    )


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
    return record_delete_page(
        request,
        entity=EntityType.ORGANIZATION,
        public_id=public_id,
        delete=organization_delete,
    )


def _candidates(actor, organization, query: str) -> list:
    """Contacts matching ``query`` that do not work here yet (to add as people)."""
    if not query:
        return []
    members = {m.contact_id for m in organization.memberships.all()}
    return [c for c in contact_search(actor=actor, query=query, limit=10) if c.pk not in members]


@require_GET
@web_view
def organization_member_search_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The contacts to pick from while typing in "Add a person" (htmx partial)."""
    organization = organization_get_for_user(actor=request.user, public_id=public_id)
    query = (request.GET.get("member_q") or "").strip()
    return render(
        request,
        "web/organizations/_member_candidates.html",
        {"candidates": _candidates(request.user, organization, query), "member_query": query},
    )


@require_POST
@web_view
def organization_member_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        contact = organization_member_add(
            actor=request.user, organization_id=public_id,
            contact_id=request.POST.get("contact", ""),
            job_title=request.POST.get("job_title", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%s was added.") % contact.display_name)
    return redirect("web:organization_detail", public_id=public_id)


@require_POST
@web_view
def organization_member_remove_view(
    request: HttpRequest, public_id: str, contact_id: str
) -> HttpResponse:
    try:
        contact = organization_member_remove(
            actor=request.user, organization_id=public_id, contact_id=contact_id
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%s no longer works here.") % contact.display_name)
    return redirect("web:organization_detail", public_id=public_id)
