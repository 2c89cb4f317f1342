"""Who works where: a contact's organisations, written from the contact or the organisation.

Every change lands in history on both sides: the contact's entry lists its organisations
before and after ("Organisations: X (CEO) → X (CEO), Y"), the organisation's names the person
("People: — → Ali Rezaei (CEO)").
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.common.persian import normalize_text
from peyvand.customers.models import Contact, ContactOrganization, Organization
from peyvand.customers.selectors.visibility import visible_q
from peyvand.customers.services.record_history import (
    ORGANIZATIONS,
    PEOPLE,
    list_change,
    membership_text,
    membership_texts,
    record_history_note,
    record_save,
)
from peyvand.customers.services.search_document import contact_refresh_search_document


def memberships_replace(*, actor: User | None, contact: Contact, memberships: list) -> None:
    """Make ``memberships`` ([(organization, MembershipInput)]) the contact's organisations.

    Side effects: a history row on each organisation whose people changed."""
    before = {
        m.organization_id: m
        for m in ContactOrganization.objects.filter(contact=contact).select_related("organization")
    }
    keep, after = [], {}
    for organization, item in memberships:
        row, _created = ContactOrganization.objects.update_or_create(
            contact=contact,
            organization=organization,
            defaults={"job_title": item.job_title, "role": item.role},
        )
        keep.append(row.pk)
        after[organization.pk] = (organization, item.job_title)
    ContactOrganization.objects.filter(contact=contact).exclude(pk__in=keep).delete()
    _note_people(actor, contact, before, after)


def _note_people(actor: User | None, contact: Contact, before: dict, after: dict) -> None:
    for organization_id in sorted(before.keys() | after.keys()):
        old_row = before.get(organization_id)
        organization, job_title = after.get(organization_id, (None, None))
        old = membership_text(contact.display_name, old_row.job_title) if old_row else None
        new = membership_text(contact.display_name, job_title) if organization else None
        if old != new:
            record_history_note(
                organization or old_row.organization,
                actor=actor,
                changes=[{"field": PEOPLE, "old": old, "new": new, "contact": contact.public_id}],
            )


def _organization_and_contact(
    actor: User, organization_id: str, contact_id: str
) -> tuple[Organization, Contact]:
    organization = Organization.objects.filter(visible_q(actor), public_id=organization_id).first()
    if organization is None:
        raise NotFound("No such organisation.")
    require(actor, Capability.RECORD_CHANGE)
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .filter(visible_q(actor), public_id=contact_id or "")
        .first()
    )
    if contact is None:
        raise ValidationError({"contact": _("Choose a contact from the list.")})
    return organization, contact


def _write(actor: User, contact: Contact, change: list[tuple[Organization, str | None]]) -> None:
    """Apply [(organization, job title or None to remove)] to the contact's memberships."""
    old = membership_texts(contact)
    before = {
        m.organization_id: m
        for m in ContactOrganization.objects.filter(contact=contact).select_related("organization")
    }
    after = {pk: (m.organization, m.job_title) for pk, m in before.items()}
    for organization, job_title in change:
        if job_title is None:
            ContactOrganization.objects.filter(contact=contact, organization=organization).delete()
            after.pop(organization.pk, None)
        else:
            ContactOrganization.objects.update_or_create(
                contact=contact, organization=organization, defaults={"job_title": job_title}
            )
            after[organization.pk] = (organization, job_title)
    new = membership_texts(contact)
    contact.version += 1
    record_save(contact, actor=actor, creating=False,
                changes=list_change(ORGANIZATIONS, old, new))  # fmt: skip
    _note_people(actor, contact, before, after)
    contact_refresh_search_document(contact)


@transaction.atomic
def organization_member_add(
    *, actor: User, organization_id: str, contact_id: str, job_title: str = ""
) -> Contact:
    """Link a contact (public id) to an organisation (public id), or change its job title.

    Raises NotFound (organisation not visible), PermissionDenied (viewer), ValidationError
    (no such contact). Side effects: history on both, the contact's version and search
    document."""
    organization, contact = _organization_and_contact(actor, organization_id, contact_id)
    _write(actor, contact, [(organization, normalize_text(job_title or "")[:100])])
    return contact


@transaction.atomic
def organization_member_remove(*, actor: User, organization_id: str, contact_id: str) -> Contact:
    """Unlink a contact from an organisation; same checks and side effects as adding."""
    organization, contact = _organization_and_contact(actor, organization_id, contact_id)
    if not ContactOrganization.objects.filter(contact=contact, organization=organization).exists():
        raise ValidationError({"contact": _("This person is not linked to this organisation.")})
    _write(actor, contact, [(organization, None)])
    return contact
