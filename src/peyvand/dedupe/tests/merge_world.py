"""Helpers for the merge tests: two overlapping records and a plain-dict dump of a contact.

The dump names the related tables itself (it does not ask ``dedupe.relations``), so a table the
merge forgot would show up as a difference.
"""

import datetime as dt

from django.utils import timezone

from peyvand.customers.models import (
    Address,
    Contact,
    ContactConsent,
    ContactEmail,
    ContactOrganization,
    ContactPhone,
    CustomFieldValue,
)
from peyvand.customers.services import (
    AddressInput,
    ConsentInput,
    ContactInput,
    CustomFieldInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    custom_field_create,
    organization_create,
)

RELATED = [
    ("emails", ContactEmail, "contact_id"),
    ("phones", ContactPhone, "contact_id"),
    ("addresses", Address, "contact_id"),
    ("consents", ContactConsent, "contact_id"),
    ("custom_values", CustomFieldValue, "contact_id"),
    ("memberships", ContactOrganization, "contact_id"),
    ("tags", Contact.tags.through, "contact_id"),
]


def row_values(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def contact_dump(pk: int) -> dict:
    """A contact and every row of it, as plain dicts ordered by primary key."""
    dump = {"contact": row_values(Contact.objects.get(pk=pk))}
    for name, model, attname in RELATED:
        rows = model._base_manager.filter(**{attname: pk}).order_by("pk")
        dump[name] = [row_values(r) for r in rows]
    return dump


def world_dump(pks: list[int]) -> dict:
    return {pk: contact_dump(pk) for pk in pks}


def custom_fields(admin) -> None:
    for key, field_type in (("club", "text"), ("size", "choice"), ("score", "number")):
        custom_field_create(
            actor=admin,
            data=CustomFieldInput(
                entity="contact", key=key, label=key.title(), field_type=field_type,
                choices=["S", "M", "L"] if field_type == "choice" else [],
            ),
        )  # fmt: skip


def overlapping_pair(users) -> tuple[Contact, Contact]:
    """Two North records of one person, overlapping in email, phone, tag, consent, org, address."""
    agent = users["agent_n"]
    custom_fields(users["admin"])
    org = organization_create(actor=agent, data=OrganizationInput(name="پارس"))
    other_org = organization_create(actor=agent, data=OrganizationInput(name="Kish Co"))
    long_ago = timezone.now() - dt.timedelta(days=400)
    recently = timezone.now() - dt.timedelta(days=2)
    first = contact_create(
        actor=agent,
        data=ContactInput(
            given_name="علی", family_name="رضایی",
            emails=[EmailInput("ali@example.com", is_primary=True), EmailInput("a.r@work.ir")],
            phones=[PhoneInput("09121234567")],
            addresses=[AddressInput(line="خیابان آزادی ۱۲", city="تهران")],
            consents=[
                ConsentInput("sms", granted=True, source="form", recorded_at=long_ago),
                ConsentInput("email", granted=True, source="form", recorded_at=recently),
            ],
            tags=["VIP", "تهران"],
            organizations=[MembershipInput(org.public_id, job_title="")],
            custom_fields={"club": "C-1"},
            notes="",
        ),
    )  # fmt: skip
    second = contact_create(
        actor=agent,
        data=ContactInput(
            given_name="Ali", family_name="", national_id="0013542419",
            birth_date=dt.date(1990, 3, 21), acquisition_source="import",
            emails=[EmailInput("ali@example.com"), EmailInput("ali.home@example.com",
                                                           is_primary=True)],
            phones=[PhoneInput("0912 123 4567"), PhoneInput("02188776655", kind="home")],
            addresses=[
                AddressInput(line="خیابان آزادی ۱۲", city="تهران", postal_code="1234567890"),
                AddressInput(line="Kish island", city="Kish"),
            ],
            consents=[
                ConsentInput("sms", granted=False, source="call", recorded_at=recently),
                ConsentInput("email", granted=False, source="old", recorded_at=long_ago),
                ConsentInput("phone", granted=True, source="call", recorded_at=recently),
            ],
            tags=["vip", "Kish"],
            organizations=[
                MembershipInput(org.public_id, job_title="Buyer", role="lead"),
                MembershipInput(other_org.public_id, job_title="Owner"),
            ],
            custom_fields={"club": "C-2", "size": "M", "score": "7.5"},
            notes="met at the fair",
        ),
    )  # fmt: skip
    return first, second
