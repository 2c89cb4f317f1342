"""Auto-fill suggestions for a contact or organisation being typed: values for its empty
fields, each with where it comes from. Only suggests; nothing is written.

Sources, in order:

* identity data — the organisation behind a company email domain (an organisation whose
  website or email is at that domain, else the one most colleagues at that domain belong to;
  free mail such as gmail.com or chmail.ir says nothing), the province of an Iranian landline
  from its area code (``common.area_codes``), a website from a company email;
* a likely duplicate (score ≥ ``DUPLICATE_MIN_SCORE``): its non-empty values.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.area_codes import province_for_phone
from peyvand.common.phones import phone_display
from peyvand.customers.models import (
    Contact,
    ContactEmail,
    ContactOrganization,
    Organization,
)
from peyvand.customers.selectors import search as search_engine
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe.matching import email_domain, is_free_mail
from peyvand.dedupe.selectors.hints import (
    ContactDraft,
    DuplicateHint,
    OrganizationDraft,
    contact_draft_from_record,
    contact_duplicate_hints,
    draft_emails,
    draft_phones,
    organization_draft_from_record,
    organization_duplicate_hints,
    organizations_with_domain,
)

DUPLICATE_MIN_SCORE = 90
COLLEAGUES_LIMIT = 50


@dataclass(frozen=True)
class Suggestion:
    field: str  # organization, province, city, email, phone, national_id, birth_date, website…
    value: str  # what would be stored: a public id, E.164, an ISO date, a name
    label: str  # the value as shown ("Acme", "+98 21 8877 6655", "Tehran")
    reason: str  # where it comes from, in the user's language
    source: str  # "email_domain", "colleagues", "area_code", "duplicate"
    record: str = ""  # public id of the organisation or duplicate it comes from


def _language() -> str:
    return (get_language() or "en")[:2]


def _province_suggestions(phones: list[str]) -> list[Suggestion]:
    for number in phones:
        province = province_for_phone(number)
        if province is not None:
            name = province.name(_language())
            reason = _("from the landline area code 0%(code)s (%(number)s)") % {
                "code": province.code,
                "number": phone_display(number),
            }
            return [Suggestion("province", name, name, reason, "area_code")]
    return []


def _company_domains(emails: list[str]) -> list[str]:
    domains = (email_domain(e) for e in emails)
    return list(dict.fromkeys(d for d in domains if d and not is_free_mail(d)))


def _organization_from_domain(actor: User, domain: str) -> Suggestion | None:
    ids = organizations_with_domain(actor, domain, websites=True, emails=True)
    if ids:
        organization = Organization.objects.filter(visible_q(actor), pk=ids[0]).first()
        if organization is not None:
            reason = _("from the email domain %(domain)s") % {"domain": domain}
            return Suggestion(
                "organization", organization.public_id, organization.name, reason,
                "email_domain", organization.public_id,
            )  # fmt: skip
    return _organization_from_colleagues(actor, domain)


def _organization_from_colleagues(actor: User, domain: str) -> Suggestion | None:
    """The organisation most visible contacts with an email at ``domain`` belong to."""
    rows = search_engine.search_candidates(Contact, actor, [["@" + domain]])
    ids = [row[0] for row in rows[:COLLEAGUES_LIMIT]]
    if not ids:
        return None
    exact = ContactEmail.objects.filter(contact_id__in=ids, email__endswith="@" + domain)
    colleague_ids = set(exact.values_list("contact_id", flat=True))
    memberships = ContactOrganization.objects.filter(
        contact_id__in=colleague_ids,
        organization__in=Organization.objects.filter(visible_q(actor)),
    ).values_list("organization_id", flat=True)
    counts = Counter(memberships)
    if not counts:
        return None
    organization_id, count = counts.most_common(1)[0]
    organization = Organization.objects.get(pk=organization_id)
    reason = _("%(count)s contacts at %(domain)s belong to it") % {
        "count": count,
        "domain": domain,
    }
    return Suggestion(
        "organization", organization.public_id, organization.name, reason, "colleagues",
        organization.public_id,
    )  # fmt: skip


def _from_duplicate(hint: DuplicateHint, values: dict[str, tuple[str, str]]) -> list[Suggestion]:
    reason = _("from “%(name)s”, a likely duplicate (%(why)s)") % {
        "name": hint.display_name,
        "why": _(", ").join(r.text for r in hint.reasons),
    }
    return [
        Suggestion(name, value, label, reason, "duplicate", hint.public_id)
        for name, (value, label) in values.items()
        if value
    ]


def _contact_values(contact: Contact) -> dict[str, tuple[str, str]]:
    address = next(iter(contact.addresses.all()), None)
    membership = next(iter(contact.memberships.all()), None)
    return {
        "email": (contact.primary_email, contact.primary_email),
        "phone": (contact.primary_phone, phone_display(contact.primary_phone)),
        "national_id": (contact.national_id, contact.national_id),
        "birth_date": (
            contact.birth_date.isoformat() if contact.birth_date else "",
            str(contact.birth_date or ""),
        ),
        "organization": (
            (membership.organization.public_id, membership.organization.name)
            if membership
            else ("", "")
        ),
        "city": (address.city, address.city) if address else ("", ""),
        "province": (address.province, address.province) if address else ("", ""),
    }


def _unique(suggestions: list[Suggestion]) -> list[Suggestion]:
    seen, result = set(), []
    for suggestion in suggestions:
        if (suggestion.field, suggestion.value) not in seen:
            seen.add((suggestion.field, suggestion.value))
            result.append(suggestion)
    return result


def contact_autofill_suggestions(
    *,
    actor: User,
    contact_or_draft: Contact | ContactDraft,
    hints: list[DuplicateHint] | None = None,
) -> list[Suggestion]:
    """Values for the empty fields of a contact (saved or being typed), with their source.

    ``hints`` are its duplicate hints when the caller already has them."""
    if isinstance(contact_or_draft, Contact):
        draft, own_id = contact_draft_from_record(contact_or_draft), contact_or_draft.public_id
    else:
        draft, own_id = contact_or_draft, None
    if hints is None:
        hints = contact_duplicate_hints(actor=actor, draft=draft, exclude_public_id=own_id)
    emails = draft_emails(draft.emails)
    phones = draft_phones(draft.phones, draft.country)
    suggestions: list[Suggestion] = []
    if not draft.organizations:
        for domain in _company_domains(emails):
            found = _organization_from_domain(actor, domain)
            if found is not None:
                suggestions.append(found)
                break
    if not draft.province:
        suggestions += _province_suggestions(phones)
    best = next((h for h in hints if h.score >= DUPLICATE_MIN_SCORE), None)
    if best is not None:
        values = _contact_values(best.record)
        empty = {
            "email": not emails,
            "phone": not phones,
            "national_id": not draft.national_id,
            "birth_date": draft.birth_date is None,
            "organization": not draft.organizations,
            "city": not draft.city,
            "province": not draft.province,
        }
        wanted = {k: v for k, v in values.items() if empty[k]}
        suggestions += _from_duplicate(best, wanted)
    return _unique(suggestions)


def organization_autofill_suggestions(
    *,
    actor: User,
    organization_or_draft: Organization | OrganizationDraft,
    hints: list[DuplicateHint] | None = None,
) -> list[Suggestion]:
    """Values for the empty fields of an organisation (saved or being typed), with their
    source: a website from a company email, the province of a landline, a likely duplicate's
    values."""
    if isinstance(organization_or_draft, Organization):
        draft = organization_draft_from_record(organization_or_draft)
        own_id = organization_or_draft.public_id
    else:
        draft, own_id = organization_or_draft, None
    if hints is None:
        hints = organization_duplicate_hints(actor=actor, draft=draft, exclude_public_id=own_id)
    emails = draft_emails(draft.emails)
    phones = draft_phones(draft.phones, draft.country)
    suggestions: list[Suggestion] = []
    if not draft.website:
        for domain in _company_domains(emails)[:1]:
            reason = _("from the email domain %(domain)s") % {"domain": domain}
            url = f"https://{domain}"
            suggestions.append(Suggestion("website", url, url, reason, "email_domain"))
    if not draft.province:
        suggestions += _province_suggestions(phones)
    best = next((h for h in hints if h.score >= DUPLICATE_MIN_SCORE), None)
    if best is not None:
        record = best.record
        address = next(iter(record.addresses.all()), None)
        values = {
            "email": (record.email, record.email) if not emails else ("", ""),
            "phone": (record.phone, phone_display(record.phone)) if not phones else ("", ""),
            "website": (record.website, record.website) if not draft.website else ("", ""),
            "national_id": (
                (record.national_id, record.national_id) if not draft.national_id else ("", "")
            ),
            "industry": (record.industry, record.industry) if not draft.industry else ("", ""),
            "city": (address.city, address.city) if address and not draft.city else ("", ""),
            "province": (
                (address.province, address.province) if address and not draft.province else ("", "")
            ),
        }
        suggestions += _from_duplicate(best, values)
    return _unique(suggestions)
