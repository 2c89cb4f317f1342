"""Model → API dict. Explicit, so what leaves the server is visible in one place."""

import datetime as dt

from peyvand.customers.models import Contact, Organization
from peyvand.customers.selectors import custom_values_for
from peyvand.customers.selectors.contacts import TAG_SEPARATOR


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
    if isinstance(value, list):  # tags, organisations, addresses (record_history)
        return [_plain(v) for v in value]
    return str(value)


def json_datetime(value: dt.datetime) -> str:
    """``value`` as the API's JSON encoder (Django's) writes it: ISO 8601, milliseconds, ``Z``
    for UTC. Done here for the list page so its hundred timestamps skip the encoder's
    per-object fallback."""
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def contact_summaries(rows: list[dict]) -> list[dict]:
    """``contact_summary`` of each row of ``selectors.contact_summary_rows``."""
    return [
        {
            "id": row["public_id"],
            "display_name": row["display_name"],
            "primary_email": row["primary_email"] or "",
            "primary_phone": row["primary_phone"] or "",
            "lifecycle_stage": row["lifecycle_stage"],
            "owner": row["owner__username"],
            "team": {"id": row["team_id"], "name": row["team__name"]} if row["team_id"] else None,
            "tags": row["tag_names"].split(TAG_SEPARATOR) if row["tag_names"] else [],
            "version": row["version"],
            "created_at": json_datetime(row["created_at"]),
            "updated_at": json_datetime(row["updated_at"]),
        }
        for row in rows
    ]
