"""Writes on organisations."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.persian import normalize_block
from peyvand.customers import normalize
from peyvand.customers.models import Contact, Organization
from peyvand.customers.services.common import (
    UNSET,
    Errors,
    clean_addresses,
    is_set,
    replace_addresses,
    write_custom_values,
)
from peyvand.customers.services.record_history import changes_before_write, record_save
from peyvand.customers.services.records import (
    record_clean_shared,
    record_delete,
    record_get_for_update,
    record_new,
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
    for name, limit in (("name", 200), ("industry", 100)):
        if is_set(getattr(data, name)):
            try:
                value = normalize.display_name(getattr(data, name), max_length=limit)
            except ValidationError as exc:
                errors.add(name, exc.messages)
                continue
            renamed = renamed or (name == "name" and value != organization.name)
            setattr(organization, name, value)
    if is_set(data.notes):
        organization.notes = normalize_block(data.notes)
    normalizers = {
        "website": normalize.website,
        "email": normalize.email,
        "national_id": normalize.organization_national_id,
        # the phone's kind is not kept: an organisation has one switchboard number
        "phone": lambda value: normalize.phone(value)[0] if (value or "").strip() else "",
    }
    for name, clean in normalizers.items():
        if is_set(getattr(data, name)):
            try:
                setattr(organization, name, clean(getattr(data, name)))
            except ValidationError as exc:
                errors.add(name, exc.messages)
    if not organization.name and "name" not in errors:
        errors.add("name", _("Give the organisation a name."))
    addresses = clean_addresses(data.addresses, errors) if is_set(data.addresses) else None
    custom, tags = record_clean_shared(actor=actor, record=organization, data=data, errors=errors,
                                       creating=creating)  # fmt: skip

    changes = changes_before_write(
        organization, creating=creating, tags=tags, addresses=addresses, custom=custom
    )
    record_save(organization, actor=actor, creating=creating, changes=changes)  # fmt: skip
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
    organization = record_new(actor=actor, model=Organization, data=data)
    _apply(actor, organization, data, creating=True)
    return organization


@transaction.atomic
def organization_update(
    *, actor: User, public_id: str, data: OrganizationInput, expected_version: int | None = None
) -> Organization:
    organization = record_get_for_update(
        actor=actor, model=Organization, public_id=public_id, expected_version=expected_version
    )
    _apply(actor, organization, data, creating=False)
    return organization


@transaction.atomic
def organization_delete(*, actor: User, public_id: str) -> None:
    """Delete a visible organisation; its members' search documents lose its name."""
    members = list(Contact.objects.filter(memberships__organization__public_id=public_id))
    record_delete(actor=actor, model=Organization, public_id=public_id)
    for contact in members:
        contact_refresh_search_document(contact)
