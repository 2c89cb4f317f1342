"""History of what a write changed outside a record's own columns.

django-simple-history diffs a record's columns; its tags, organisations, custom field values
and addresses live in other tables. The services describe those changes here, and they are
stored on the record's history row of the same write (``history_changes``, a JSON list of
``{"field", "label", "old", "new", "type"}``) so one entry shows everything one save did.
Values are stored as the API shows them (lists of names, ISO dates); labels are kept for
custom fields only (their label may change or the field be deleted later), the others are
named when read (customers.selectors.history).
"""

from django.db.models import Model
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.customers.custom_fields import display_value
from peyvand.customers.models import (
    Address,
    ContactOrganization,
    CustomFieldDefinition,
    CustomFieldValue,
)

TAGS = "tags"
ORGANIZATIONS = "organizations"
PEOPLE = "people"
ADDRESSES = "addresses"
CUSTOM_PREFIX = "custom_fields."


def list_change(field: str, old: list[str], new: list[str]) -> list[dict]:
    """[the change] when the two lists differ as sets, else []."""
    if sorted(old) == sorted(new):
        return []
    return [{"field": field, "old": sorted(old), "new": sorted(new)}]


def membership_text(organization_name: str, job_title: str) -> str:
    return f"{organization_name} ({job_title})" if job_title else organization_name


def membership_texts(contact: Model) -> list[str]:
    rows = ContactOrganization.objects.filter(contact=contact).select_related("organization")
    return [membership_text(m.organization.name, m.job_title) for m in rows]


def _address_text(data: dict) -> str:
    return ", ".join(p for p in (data["line"], data["city"], data["province"]) if p)


def changes_before_write(
    record: Model,
    *,
    creating: bool,
    tags: list | None = None,
    memberships: list | None = None,
    addresses: list[dict] | None = None,
    custom: dict | None = None,
) -> list[dict]:
    """What writing these (None: left as they are) will change beyond the record's columns.
    Nothing on creation: the "created" entry stands for all of it."""
    if creating or record.pk is None:
        return []
    changes = []
    if tags is not None:
        old = [t.name for t in record.tags.all()]
        changes += list_change(TAGS, old, [t.name for t in tags])
    if memberships is not None:  # [(organization, MembershipInput)]
        new = [membership_text(o.name, item.job_title) for o, item in memberships]
        changes += list_change(ORGANIZATIONS, membership_texts(record), new)
    if addresses is not None:
        owner_field = record._meta.model_name
        stored = Address.objects.filter(**{owner_field: record}).order_by("id")
        before = [(a.kind, _address_text(vars(a))) for a in stored]
        after = [(a["kind"], _address_text(a)) for a in addresses]
        if sorted(before) != sorted(after):
            changes.append({
                "field": ADDRESSES, "old": [t for _, t in before], "new": [t for _, t in after],
            })  # fmt: skip
    changes += custom_value_changes(record, custom or {})
    return changes


def custom_value_changes(
    record: Model, cleaned: dict[CustomFieldDefinition, dict | None]
) -> list[dict]:
    """The custom field values ``write_custom_values(record, cleaned)`` is about to change."""
    if not cleaned or record.pk is None:
        return []
    owner_field = record._meta.model_name
    stored = {
        v.definition_id: v
        for v in CustomFieldValue.objects.filter(
            **{owner_field: record}, definition__in=list(cleaned)
        )
    }
    changes = []
    for definition, columns in cleaned.items():
        before = stored.get(definition.pk)
        old = display_value(definition, before) if before is not None else None
        new = display_value(definition, CustomFieldValue(**columns)) if columns else None
        if old in ("", []):
            old = None
        if new in ("", []):
            new = None
        if old != new:
            changes.append({
                "field": CUSTOM_PREFIX + definition.key, "label": definition.label,
                "old": old, "new": new, "type": definition.field_type,
            })  # fmt: skip
    return changes


def record_save(record: Model, *, actor: User | None, creating: bool, changes: list[dict]) -> None:
    """Save ``record``; its history row carries ``changes`` (when there are any)."""
    record._history_user = actor
    if not changes or creating:
        record.save()
        return
    record.skip_history_when_saving = True
    try:
        record.save()
    finally:
        del record.skip_history_when_saving
    type(record).history.bulk_history_create(
        [record], update=True, default_user=actor, default_date=timezone.now(),
        custom_historical_attrs={"history_changes": changes},
    )  # fmt: skip


def record_history_note(record: Model, *, actor: User | None, changes: list[dict]) -> None:
    """A history row for ``record`` saying ``changes`` happened, without saving the record
    (an organisation gaining a member: its own columns and version stay as they are)."""
    if changes:
        type(record).history.bulk_history_create(
            [record], update=True, default_user=actor, default_date=timezone.now(),
            custom_historical_attrs={"history_changes": changes},
        )  # fmt: skip
