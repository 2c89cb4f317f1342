"""Model → API dict. Explicit, so what leaves the server is visible in one place."""

from peyvand.customers.models import Contact, Organization
from peyvand.customers.selectors import custom_values_for


def _team(record) -> dict | None:
    return {"id": record.team.pk, "name": record.team.name} if record.team_id else None


def _address(a) -> dict:
    return {
        "line": a.line, "city": a.city, "province": a.province,
        "postal_code": a.postal_code, "country": a.country, "kind": a.kind,
    }  # fmt: skip


def contact_summary(contact: Contact) -> dict:
    return {
        "id": contact.public_id,
        "display_name": contact.display_name,
        "primary_email": contact.primary_email,
        "primary_phone": contact.primary_phone,
        "lifecycle_stage": contact.lifecycle_stage,
        "owner": contact.owner.username if contact.owner_id else None,
        "team": _team(contact),
        "tags": [t.name for t in contact.tags.all()],
        "version": contact.version,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


def contact_detail(contact: Contact) -> dict:
    return {
        **contact_summary(contact),
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "emails": [
            {"email": e.email, "kind": e.kind, "is_primary": e.is_primary}
            for e in contact.emails.all()
        ],
        "phones": [
            {"number": p.number, "kind": p.kind, "is_primary": p.is_primary}
            for p in contact.phones.all()
        ],
        "addresses": [_address(a) for a in contact.addresses.all()],
        "birth_date": contact.birth_date,
        "national_id": contact.national_id,
        "country": contact.country,
        "preferred_language": contact.preferred_language,
        "preferred_channel": contact.preferred_channel,
        "consents": [
            {
                "channel": c.channel,
                "granted": c.granted,
                "source": c.source,
                "recorded_at": c.recorded_at,
            }
            for c in contact.consents.all()
        ],
        "acquisition_source": contact.acquisition_source,
        "notes": contact.notes,
        "organizations": [
            {
                "organization": m.organization.public_id,
                "organization_name": m.organization.name,
                "job_title": m.job_title,
                "role": m.role,
            }
            for m in contact.memberships.select_related("organization")
        ],
        "custom_fields": {
            d.key: value for d, value in custom_values_for(record=contact) if value is not None
        },
    }


def organization_summary(organization: Organization) -> dict:
    return {
        "id": organization.public_id,
        "name": organization.name,
        "industry": organization.industry,
        "email": organization.email,
        "phone": organization.phone,
        "owner": organization.owner.username if organization.owner_id else None,
        "team": _team(organization),
        "tags": [t.name for t in organization.tags.all()],
        "version": organization.version,
        "created_at": organization.created_at,
        "updated_at": organization.updated_at,
    }


def organization_detail(organization: Organization) -> dict:
    return {
        **organization_summary(organization),
        "website": organization.website,
        "national_id": organization.national_id,
        "notes": organization.notes,
        "addresses": [_address(a) for a in organization.addresses.all()],
        "custom_fields": {
            d.key: value for d, value in custom_values_for(record=organization) if value is not None
        },
    }


def history(entries) -> list[dict]:
    return [
        {
            "at": e.at,
            "user": e.user,
            "kind": e.kind,
            "subject": str(e.subject or ""),
            "changes": [
                {
                    "field": c.field,
                    "label": str(c.label),
                    "old": _plain(c.old),
                    "new": _plain(c.new),
                }
                for c in e.changes
            ],
        }
        for e in entries
    ]


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def contact_summaries(contacts) -> list[dict]:
    """``contact_summary`` for a page of contacts, without building child model instances:
    one query each for emails, phones and tags (the list API's hot path)."""
    from peyvand.customers.models import Contact, ContactEmail, ContactPhone

    ids = [c.pk for c in contacts]
    firsts: dict[str, dict[int, str]] = {"email": {}, "number": {}}
    for model, column in ((ContactEmail, "email"), (ContactPhone, "number")):
        rows = model.objects.filter(contact_id__in=ids).order_by("-is_primary", "id")
        for contact_id, value in rows.values_list("contact_id", column):
            firsts[column].setdefault(contact_id, value)
    tags: dict[int, list[str]] = {}
    through = Contact.tags.through.objects.filter(contact_id__in=ids).order_by("tag__name")
    for contact_id, name in through.values_list("contact_id", "tag__name"):
        tags.setdefault(contact_id, []).append(name)
    return [
        {
            "id": c.public_id,
            "display_name": c.display_name,
            "primary_email": firsts["email"].get(c.pk, ""),
            "primary_phone": firsts["number"].get(c.pk, ""),
            "lifecycle_stage": c.lifecycle_stage,
            "owner": c.owner.username if c.owner_id else None,
            "team": _team(c),
            "tags": tags.get(c.pk, []),
            "version": c.version,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
        for c in contacts
    ]
