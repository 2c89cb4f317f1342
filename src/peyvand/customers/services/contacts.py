"""Writes on contacts: create, update (with optimistic concurrency) and delete.

Every write path (web form, API, CLI, import) calls these, so normalisation, validation and
permission checks happen in exactly one place.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.persian import normalize_block, normalize_text
from peyvand.customers import normalize
from peyvand.customers.models import (
    Channel,
    Contact,
    ContactConsent,
    ContactEmail,
    ContactPhone,
    Organization,
)
from peyvand.customers.models.contacts import PhoneKind
from peyvand.customers.selectors.visibility import visible_q
from peyvand.customers.services.common import (
    UNSET,
    Errors,
    clean_addresses,
    is_set,
    replace_addresses,
    write_custom_values,
)
from peyvand.customers.services.memberships import memberships_replace
from peyvand.customers.services.record_history import changes_before_write, record_save
from peyvand.customers.services.records import (
    record_clean_shared,
    record_delete,
    record_get_for_update,
    record_new,
)
from peyvand.customers.services.search_document import contact_refresh_search_document


@dataclass
class EmailInput:
    email: str
    kind: str = "personal"
    is_primary: bool = False


@dataclass
class PhoneInput:
    number: str
    kind: str = ""  # "": the number's own kind (mobile, landline…)
    is_primary: bool = False


@dataclass
class ConsentInput:
    channel: str
    granted: bool
    source: str = ""
    recorded_at: dt.datetime | None = None


@dataclass
class MembershipInput:
    organization: str  # public id
    job_title: str = ""
    role: str = ""


@dataclass
class ContactInput:
    """Fields left UNSET are not touched (PATCH semantics); lists replace what is stored."""

    given_name: Any = UNSET
    family_name: Any = UNSET
    display_name: Any = UNSET
    emails: Any = UNSET  # list[EmailInput]
    phones: Any = UNSET  # list[PhoneInput]
    addresses: Any = UNSET  # list[AddressInput]
    birth_date: Any = UNSET  # date | None
    national_id: Any = UNSET
    country: Any = UNSET
    preferred_language: Any = UNSET
    preferred_channel: Any = UNSET
    consents: Any = UNSET  # list[ConsentInput]
    lifecycle_stage: Any = UNSET
    acquisition_source: Any = UNSET
    owner: Any = UNSET  # username | None
    team: Any = UNSET  # team id | None
    tags: Any = UNSET  # list[str]
    notes: Any = UNSET
    organizations: Any = UNSET  # list[MembershipInput]
    custom_fields: Any = field(default_factory=dict)  # key -> raw value (partial)


_SCALARS = (
    "given_name",
    "family_name",
    "display_name",
    "birth_date",
    "national_id",
    "country",
    "preferred_language",
    "preferred_channel",
    "lifecycle_stage",
    "acquisition_source",
    "notes",
)
_NAME_LIMITS = {"given_name": 100, "family_name": 100, "display_name": 200,
                "acquisition_source": 100}  # fmt: skip


def _clean_emails(items: list[EmailInput], errors: Errors) -> list[EmailInput]:
    cleaned: dict[str, EmailInput] = {}
    for index, item in enumerate(items):
        try:
            email = normalize.email(item.email)
        except ValidationError as exc:
            errors.add(f"emails.{index}", exc.messages)
            continue
        if not email:
            continue
        cleaned.setdefault(email, EmailInput(email, item.kind or "personal", item.is_primary))
    return _one_primary(list(cleaned.values()))


def _clean_phones(items: list[PhoneInput], country: str, errors: Errors) -> list[PhoneInput]:
    cleaned: dict[str, PhoneInput] = {}
    for index, item in enumerate(items):
        if not (item.number or "").strip():
            continue
        try:
            number, detected = normalize.phone(item.number, country=country or None)
        except ValidationError as exc:
            errors.add(f"phones.{index}", exc.messages)
            continue
        if item.kind and item.kind not in PhoneKind.values:
            errors.add(f"phones.{index}", _("“%s” is not a kind of phone.") % item.kind)
            continue
        cleaned.setdefault(number, PhoneInput(number, item.kind or detected, item.is_primary))
    return _one_primary(list(cleaned.values()))


def _one_primary(items: list) -> list:
    primaries = [i for i in items if i.is_primary]
    for item in items:
        item.is_primary = False
    if items:
        (primaries[0] if primaries else items[0]).is_primary = True
    return items


def _clean_memberships(
    actor: User, items: list[MembershipInput], errors: Errors
) -> list[tuple[Organization, MembershipInput]]:
    result = []
    visible = Organization.objects.filter(visible_q(actor))
    for index, item in enumerate(items):
        organization = visible.filter(public_id=item.organization).first()
        if organization is None:
            errors.add(f"organizations.{index}", _("There is no such organisation."))
            continue
        item.job_title = normalize_text(item.job_title)[:100]
        item.role = normalize_text(item.role)[:100]
        result.append((organization, item))
    return result


def _clean_consents(items: list[ConsentInput], errors: Errors) -> list[ConsentInput]:
    seen = {}
    for index, item in enumerate(items):
        if item.channel not in Channel.values:
            errors.add(f"consents.{index}", _("Unknown channel “%s”.") % item.channel)
            continue
        seen[item.channel] = item
    return list(seen.values())


def _apply(actor: User, contact: Contact, data: ContactInput, *, creating: bool) -> None:
    """Validate ``data`` against ``contact`` and write it; raises ValidationError on any error."""
    errors = Errors()
    generated = f"{contact.given_name} {contact.family_name}".strip()
    follows_names = not is_set(data.display_name) and contact.display_name == generated
    for name in _SCALARS:
        value = getattr(data, name)
        if not is_set(value):
            continue
        try:
            if name in _NAME_LIMITS:
                value = normalize.display_name(value, max_length=_NAME_LIMITS[name])
            elif name == "country":
                value = normalize.country(value)
        except ValidationError as exc:
            errors.add(name, exc.messages)
            continue
        if name == "notes":
            value = normalize_block(value)
        elif value is None and name != "birth_date":
            value = ""
        setattr(contact, name, value)
    if creating and not is_set(data.country):
        contact.country = normalize.default_country()
    if follows_names:  # a generated display name follows renames
        contact.display_name = ""
    if not contact.display_name:
        contact.display_name = f"{contact.given_name} {contact.family_name}".strip()
    if not contact.display_name:
        errors.add("display_name", _("Give the contact a name."))
    if is_set(data.national_id) or (creating and contact.national_id):
        try:
            contact.national_id = normalize.national_id(
                contact.national_id, country=contact.country
            )
        except ValidationError as exc:
            errors.add("national_id", exc.messages)
    try:
        normalize.birth_date(contact.birth_date)
    except ValidationError as exc:
        errors.add("birth_date", exc.messages)

    emails = _clean_emails(data.emails, errors) if is_set(data.emails) else None
    phones = _clean_phones(data.phones, contact.country, errors) if is_set(data.phones) else None
    addresses = clean_addresses(data.addresses, errors) if is_set(data.addresses) else None
    consents = _clean_consents(data.consents, errors) if is_set(data.consents) else None
    memberships = (
        _clean_memberships(actor, data.organizations, errors)
        if is_set(data.organizations)
        else None
    )
    custom, tags = record_clean_shared(actor=actor, record=contact, data=data, errors=errors,
                                       creating=creating)  # fmt: skip

    changes = changes_before_write(
        contact,
        creating=creating,
        tags=tags,
        memberships=memberships,
        addresses=addresses,
        custom=custom,
    )
    record_save(contact, actor=actor, creating=creating, changes=changes)  # fmt: skip
    if emails is not None:
        _replace_children(contact, ContactEmail, "email", emails, actor)
    if phones is not None:
        _replace_children(contact, ContactPhone, "number", phones, actor)
    if addresses is not None:
        replace_addresses(contact, addresses)
    if consents is not None:
        _write_consents(contact, consents)
    if memberships is not None:
        memberships_replace(actor=actor, contact=contact, memberships=memberships)
    if tags is not None:
        contact.tags.set(tags)
    write_custom_values(contact, custom)
    contact_refresh_search_document(contact)


def _replace_children(contact: Contact, model, attribute: str, items: list, actor: User) -> None:
    """Replace a contact's emails or phones row by row, so each change lands in history."""
    existing = {getattr(row, attribute): row for row in model.objects.filter(contact=contact)}
    wanted = {getattr(item, attribute): item for item in items}
    for value, row in existing.items():
        if value not in wanted:
            row._history_user = actor
            row.delete()
    for value, item in wanted.items():
        row = existing.get(value)
        if row is None:
            row = model(contact=contact, **{attribute: value})
        elif row.kind == item.kind and row.is_primary == item.is_primary:
            continue
        row.kind, row.is_primary = item.kind, item.is_primary
        row._history_user = actor
        row.save()


def _write_consents(contact: Contact, consents: list[ConsentInput]) -> None:
    current = {c.channel: c for c in ContactConsent.objects.filter(contact=contact)}
    for item in consents:
        row = current.get(item.channel)
        if row is not None and row.granted == item.granted:
            continue
        ContactConsent.objects.update_or_create(
            contact=contact,
            channel=item.channel,
            defaults={
                "granted": item.granted,
                "source": normalize_text(item.source)[:100],
                "recorded_at": item.recorded_at or timezone.now(),
            },
        )


@transaction.atomic
def contact_create(*, actor: User, data: ContactInput) -> Contact:
    """Create a contact owned by ``actor`` unless ``data`` says otherwise.

    Side effects: history row; search document; tags created on first use.
    """
    contact = record_new(actor=actor, model=Contact, data=data)
    _apply(actor, contact, data, creating=True)
    return contact


@transaction.atomic
def contact_update(
    *, actor: User, public_id: str, data: ContactInput, expected_version: int | None = None
) -> Contact:
    """Update the fields set in ``data``. With ``expected_version``, refuse a stale write.

    Raises NotFound (not visible), PermissionDenied (viewer), StaleVersion, ValidationError.
    """
    contact = record_get_for_update(
        actor=actor, model=Contact, public_id=public_id, expected_version=expected_version
    )
    _apply(actor, contact, data, creating=False)
    return contact


def contact_delete(*, actor: User, public_id: str) -> None:
    """Delete a visible contact (admins and managers); history keeps who did it."""
    record_delete(actor=actor, model=Contact, public_id=public_id)
