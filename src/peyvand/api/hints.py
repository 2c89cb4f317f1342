"""Duplicate hints and auto-fill suggestions in API bodies: request → draft, hints → dicts."""

from ninja import Schema

from peyvand.dedupe.selectors.autofill import Suggestion
from peyvand.dedupe.selectors.hints import ContactDraft, DuplicateHint, OrganizationDraft


def _first_address(payload: Schema):
    return (payload.addresses or [None])[0]


def contact_draft(payload: Schema) -> ContactDraft:
    """A ``ContactWrite`` body as a draft to check (nothing is validated or saved)."""
    address = _first_address(payload)
    return ContactDraft(
        given_name=payload.given_name or "",
        family_name=payload.family_name or "",
        display_name=payload.display_name or "",
        emails=tuple(e.email for e in payload.emails or []),
        phones=tuple(p.number for p in payload.phones or []),
        national_id=payload.national_id or "",
        country=payload.country or "",  # "": the default country
        city=address.city if address else "",
        province=address.province if address else "",
        address=address.line if address else "",
        birth_date=payload.birth_date,
        organizations=tuple(m.organization for m in payload.organizations or []),
    )


def organization_draft(payload: Schema) -> OrganizationDraft:
    address = _first_address(payload)
    return OrganizationDraft(
        name=payload.name or "",
        emails=(payload.email,) if payload.email else (),
        phones=(payload.phone,) if payload.phone else (),
        national_id=payload.national_id or "",
        website=payload.website or "",
        industry=payload.industry or "",
        city=address.city if address else "",
        province=address.province if address else "",
        address=address.line if address else "",
    )


def duplicates(hints: list[DuplicateHint]) -> list[dict]:
    return [
        {
            "public_id": h.public_id,
            "display_name": h.display_name,
            "score": h.score,
            "reasons": [{"code": r.code, "text": r.text} for r in h.reasons],
        }
        for h in hints
    ]


def suggestions(items: list[Suggestion]) -> list[dict]:
    return [
        {
            "field": s.field,
            "value": s.value,
            "label": s.label,
            "reason": s.reason,
            "source": s.source,
            "record": s.record,
        }
        for s in items
    ]
