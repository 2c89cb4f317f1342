"""Writes on organisations."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.errors import NotFound, StaleVersion
from peyvand.common.persian import normalize_text, to_ascii_digits
from peyvand.common.phones import phone_to_e164
from peyvand.customers.models import Contact, Organization
from peyvand.customers.selectors.visibility import require_delete, require_write, visible_q
from peyvand.customers.services.common import (
    UNSET,
    Errors,
    clean_addresses,
    clean_custom_values,
    is_set,
    replace_addresses,
    resolve_assignment,
    tags_from_names,
    write_custom_values,
)
from peyvand.customers.services.search_document import (
    contact_refresh_search_document,
    organization_refresh_search_document,
)


@dataclass
class OrganizationInput:
    name: Any = UNSET
    industry: Any = UNSET
    website: Any = UNSET
    email: Any = UNSET
    phone: Any = UNSET
    national_id: Any = UNSET
    owner: Any = UNSET
    team: Any = UNSET
    tags: Any = UNSET
    notes: Any = UNSET
    addresses: Any = UNSET
    custom_fields: Any = field(default_factory=dict)


def _apply(actor: User, organization: Organization, data: OrganizationInput, *, creating: bool):
    errors = Errors()
    renamed = False
    for name in ("name", "industry"):
        if is_set(getattr(data, name)):
            value = normalize_text(getattr(data, name) or "")
            renamed = renamed or (name == "name" and value != organization.name)
            setattr(organization, name, value)
    if is_set(data.website):
        website = (data.website or "").strip()
        if website and "://" not in website:
            website = "https://" + website
        organization.website = website
    if is_set(data.email):
        organization.email = (data.email or "").strip().lower()
    if is_set(data.notes):
        organization.notes = (data.notes or "").strip()
    if is_set(data.national_id):
        organization.national_id = to_ascii_digits(data.national_id or "").strip()
    if is_set(data.phone):
        organization.phone = ""
        if (data.phone or "").strip():
            try:
                organization.phone = phone_to_e164(data.phone)
            except ValidationError as exc:
                errors.add("phone", exc.messages)
    if not organization.name:
        errors.add("name", _("Give the organisation a name."))
    addresses = clean_addresses(data.addresses, errors) if is_set(data.addresses) else None
    if is_set(data.owner) or is_set(data.team) or creating:
        owner = data.owner if is_set(data.owner) else (
            organization.owner.username if organization.owner_id else None
        )  # fmt: skip
        team = data.team if is_set(data.team) else organization.team_id
        organization.owner, organization.team = resolve_assignment(
            actor=actor, owner=owner, team=team, errors=errors
        )
    custom = clean_custom_values(
        entity="organization",
        values=data.custom_fields or {},
        errors=errors,
        creating=creating,
        record_pk=organization.pk,
    )
    try:
        organization.full_clean(exclude=["owner", "team", "created_by", *errors.keys()])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.add(key, messages)
    tags = tags_from_names(data.tags, errors) if is_set(data.tags) else None
    errors.raise_if_any()

    organization._history_user = actor
    organization.save()
    if addresses is not None:
        replace_addresses(organization, addresses)
    if tags is not None:
        organization.tags.set(tags)
    write_custom_values(organization, custom)
    organization_refresh_search_document(organization)
    if renamed and not creating:
        for contact in Contact.objects.filter(memberships__organization=organization):
            contact_refresh_search_document(contact)


@transaction.atomic
def organization_create(*, actor: User, data: OrganizationInput) -> Organization:
    """Create an organisation; side effects: history row, search document."""
    require_write(actor)
    organization = Organization(created_by=actor)
    if not is_set(data.owner):
        data.owner = actor.username
    if not is_set(data.team):
        first_team = actor.teams.order_by("name").first()
        data.team = first_team.pk if first_team else None
    _apply(actor, organization, data, creating=True)
    return organization


@transaction.atomic
def organization_update(
    *, actor: User, public_id: str, data: OrganizationInput, expected_version: int | None = None
) -> Organization:
    organization = (
        Organization.objects.select_for_update(of=("self",))
        .filter(visible_q(actor), public_id=public_id)
        .select_related("owner")
        .first()
    )
    if organization is None:
        raise NotFound("No such organisation.")
    require_write(actor)
    if expected_version is not None and expected_version != organization.version:
        raise StaleVersion(organization.version, organization)
    organization.version += 1
    _apply(actor, organization, data, creating=False)
    return organization


@transaction.atomic
def organization_delete(*, actor: User, public_id: str) -> None:
    organization = Organization.objects.filter(visible_q(actor), public_id=public_id).first()
    if organization is None:
        raise NotFound("No such organisation.")
    require_delete(actor)
    members = list(Contact.objects.filter(memberships__organization=organization))
    organization._history_user = actor
    organization.delete()
    for contact in members:
        contact_refresh_search_document(contact)
