"""Contact pages: list (search-as-you-type), 360 view, create/edit with inline validation,
stale-edit conflicts, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peyvand.accounts.selectors import team_list, user_choices
from peyvand.common.errors import StaleVersion
from peyvand.customers.models import Channel, Contact, LifecycleStage
from peyvand.customers.selectors import (
    contact_get_for_user,
    contact_history,
    contact_list,
    contact_search,
    custom_field_definition_list,
    custom_values_for,
    tag_list,
)
from peyvand.customers.services import contact_create, contact_delete, contact_update
from peyvand.web import history
from peyvand.web.conflicts import differences, initial_as_data
from peyvand.web.forms.contacts import contact_form, contact_initial
from peyvand.web.listing import parse_list_query, run_list
from peyvand.web.views.common import (
    field_feedback,
    is_partial,
    require_delete,
    require_write,
    web_view,
)

ROWS_TARGET = "contact-results"


def filter_choices(actor, entity: str) -> dict:
    """Choices for the list's filter bar (owners, teams, tags, choice-type custom fields)."""
    definitions = [
        d
        for d in custom_field_definition_list(actor=actor, entity=entity)
        if d.field_type in ("choice", "boolean", "multi_choice")
    ]
    return {
        "owners": user_choices(actor=actor),
        "teams": team_list(actor=actor),
        "tags": tag_list(actor=actor)[:200],
        "filter_fields": definitions,
        "filter_keys": {d.key for d in definitions},
    }


@require_GET
@web_view
def contact_list_view(request: HttpRequest) -> HttpResponse:
    query = parse_list_query(request.GET, entity="contact", username=request.user.username)
    result = run_list(
        query, list_selector=contact_list, search_selector=contact_search, actor=request.user
    )
    context = {"query": query, "page": result.page, "problems": result.problems}
    if is_partial(request, ROWS_TARGET):
        return render(request, "web/contacts/_contact_rows.html", context)
    context.update(filter_choices(request.user, "contact"))
    context["stages"] = LifecycleStage.choices
    return render(request, "web/contacts/list.html", context)


@require_GET
@web_view
def contact_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    contact = contact_get_for_user(actor=actor, public_id=public_id)
    users = {u.pk: u.display for u in user_choices(actor=actor)}
    teams = {t.pk: t.name for t in team_list(actor=actor)}
    if contact.owner_id:
        users.setdefault(contact.owner_id, contact.owner.display)
    if contact.team_id:
        teams.setdefault(contact.team_id, contact.team.name)
    entries = contact_history(actor=actor, contact=contact)
    consents = {c.channel: c for c in contact.consents.all()}
    return render(
        request,
        "web/contacts/detail.html",
        {
            "contact": contact,
            "consents": [(label, consents.get(value)) for value, label in Channel.choices],
            "memberships": list(contact.memberships.all()),
            "custom_values": custom_values_for(record=contact),
            "history": history.present(entries, Contact, users=users, teams=teams),
        },
    )


def _validate_url(public_id: str | None = None) -> str:
    url = reverse("web:contact_validate")
    return f"{url}?record={public_id}" if public_id else url


@require_http_methods(["GET", "POST"])
@web_view
def contact_create_view(request: HttpRequest) -> HttpResponse:
    require_write(request)
    actor = request.user
    data = request.POST if request.method == "POST" else None
    form = contact_form(actor=actor, data=data, validate_url=_validate_url())
    if data is not None and form.is_valid():
        try:
            contact = contact_create(actor=actor, data=form.to_input())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Contact “%s” created.") % contact.display_name)
            return redirect(contact)
    return render(request, "web/contacts/form.html", {"form": form, "contact": None})


@require_http_methods(["GET", "POST"])
@web_view
def contact_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require_write(request)
    actor = request.user
    contact = contact_get_for_user(actor=actor, public_id=public_id)
    data = request.POST if request.method == "POST" else None
    validate_url = _validate_url(public_id)
    form = contact_form(actor=actor, data=data, contact=contact, validate_url=validate_url)
    conflict = None
    if data is not None and form.is_valid():
        try:
            contact = contact_update(
                actor=actor,
                public_id=public_id,
                data=form.to_input(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except StaleVersion as exc:
            form, conflict = _conflict(request, form, exc, validate_url)
        else:
            messages.success(request, _("Contact “%s” saved.") % contact.display_name)
            return redirect(contact)
    context = {"form": form, "contact": contact, "conflict": conflict}
    status = 409 if conflict is not None else 200
    return render(request, "web/contacts/form.html", context, status=status)


def _conflict(request: HttpRequest, mine, exc: StaleVersion, validate_url: str):
    """Re-open the form with the user's values and the current version, plus what differs."""
    actor = request.user
    current = contact_get_for_user(actor=actor, public_id=mine.contact.public_id)
    theirs = contact_form(
        actor=actor, data=initial_as_data(mine, contact_initial(current)), contact=current
    )
    diffs = differences(mine, theirs)
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    form = contact_form(actor=actor, data=data, contact=current, validate_url=validate_url)
    form.is_valid()
    return form, {"differences": diffs, "version": exc.current_version}


@require_POST
@web_view
def contact_validate_view(request: HttpRequest) -> HttpResponse:
    """Inline validation on blur: run the form's checks and answer for one field."""
    actor = request.user
    public_id = request.GET.get("record")
    contact = contact_get_for_user(actor=actor, public_id=public_id) if public_id else None
    form = contact_form(actor=actor, data=request.POST, contact=contact)
    return field_feedback(request, form)


@require_http_methods(["GET", "POST"])
@web_view
def contact_delete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require_delete(request)
    contact = contact_get_for_user(actor=request.user, public_id=public_id)
    if request.method == "POST":
        contact_delete(actor=request.user, public_id=public_id)
        messages.success(request, _("Contact “%s” deleted.") % contact.display_name)
        return redirect("web:contact_list")
    return render(
        request,
        "web/confirm_delete.html",
        {
            "record": contact,
            "title": _("Delete contact"),
            "cancel_url": contact.get_absolute_url(),
        },
    )
