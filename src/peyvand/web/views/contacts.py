"""Contact pages: list (search-as-you-type), 360 view, create/edit with inline validation,
stale-edit conflicts, delete."""

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
from peyvand.common.errors import NotFound
from peyvand.customers.models import Channel, Contact, LifecycleStage
from peyvand.customers.selectors import (
    contact_get_for_user,
    contact_history,
    custom_values_for,
)
from peyvand.customers.services import contact_create, contact_delete, contact_update
from peyvand.dedupe.selectors.hints import contact_duplicate_hints
from peyvand.dedupe.selectors.merged_away import contact_merged_away_for_user
from peyvand.web import history
from peyvand.web.forms.contacts import contact_form, contact_initial
from peyvand.web.records import record_delete_page, record_edit_page, record_list_page
from peyvand.web.views.common import (
    field_feedback,
    web_view,
)

ROWS_TARGET = "contact-results"


@require_GET
@web_view
def contact_list_view(request: HttpRequest) -> HttpResponse:
    return record_list_page(
        request,
        entity=EntityType.CONTACT,
        template="web/contacts/list.html",
        rows_template="web/contacts/_contact_rows.html",
        rows_target=ROWS_TARGET,
        extra={"stages": LifecycleStage.choices},
    )


@require_GET
@web_view
def contact_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = request.user
    try:
        contact = contact_get_for_user(actor=actor, public_id=public_id)
    except NotFound:
        return _merged_away_redirect(request, public_id)
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


def _merged_away_redirect(request: HttpRequest, public_id: str) -> HttpResponse:
    """An old link to a contact merged into another one leads to that one (404 otherwise)."""
    moved = contact_merged_away_for_user(actor=request.user, public_id=public_id)
    if moved is None:
        raise NotFound(_("No such contact."))
    messages.info(
        request,
        _("That contact was merged into “%(name)s”; this is the record that stayed.")
        % {"name": moved.survivor.display_name},
    )
    return redirect(moved.survivor)


def _validate_url(public_id: str | None = None) -> str:
    url = reverse("web:contact_validate")
    return f"{url}?record={public_id}" if public_id else url


@require_http_methods(["GET", "POST"])
@web_view
def contact_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.RECORD_CHANGE)
    actor = request.user
    data = request.POST if request.method == "POST" else None
    form = contact_form(actor=actor, data=data, validate_url=_validate_url())
    duplicates = []
    if data is not None and form.is_valid():
        if not form.cleaned_data["confirm_duplicates"]:
            # Asked on every save, not only when a field loses focus: Enter right after typing
            # a known phone must not save a duplicate silently.
            duplicates = contact_duplicate_hints(actor=actor, draft=form.duplicate_draft())
        if not duplicates:
            try:
                contact = contact_create(actor=actor, data=form.to_input())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Contact “%s” created.") % contact.display_name)
                return redirect(contact)
    context = {"form": form, "contact": None, "duplicates": duplicates}
    return render(request, "web/contacts/form.html", context)


@require_http_methods(["GET", "POST"])
@web_view
def contact_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    def make_form(*, data, record, validate_url=None):
        return contact_form(actor=request.user, data=data, contact=record,
                            validate_url=validate_url)  # fmt: skip

    return record_edit_page(
        request,
        entity=EntityType.CONTACT,
        public_id=public_id,
        make_form=make_form,
        initial=contact_initial,
        update=contact_update,
        template="web/contacts/form.html",
        validate_url=_validate_url(public_id),
    )


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
    return record_delete_page(
        request, entity=EntityType.CONTACT, public_id=public_id, delete=contact_delete
    )
