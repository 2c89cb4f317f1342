"""Request and response bodies of the JSON API."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from peyvand.common.jalali import parse_date
from peyvand.customers.normalize import NOTES_MAX_LENGTH, SIZE_LIMITS

Stage = Literal["lead", "prospect", "customer", "repeat_customer", "lapsed"]
ChannelName = Literal["email", "sms", "phone"]


def _typed_date(value: Any) -> dt.date:
    """A date as the web form takes it (``parse_date``): Jalali or Gregorian, Persian or ASCII
    digits, ``/`` or ``-``. (Not a number: pydantic would read one as a Unix time.)"""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if not isinstance(value, str):
            raise ValidationError(_("Enter a date such as 1403/01/15 or 2024-04-03."))
        return parse_date(value)
    except ValidationError as exc:
        message = exc.messages[0]
        raise PydanticCustomError("date_invalid", "{message}", {"message": message}) from exc


TypedDate = Annotated[
    dt.date,
    BeforeValidator(_typed_date),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A Jalali or Gregorian date in Persian or ASCII digits, with / or -: "
            "1370/05/12, ۱۳۷۰-۰۵-۱۲ or 1991-08-03.",
            "examples": ["1370/05/12", "1991-08-03"],
        }
    ),
]


class EmailIO(Schema):
    email: str
    kind: Literal["work", "personal", "other"] = "personal"
    is_primary: bool = False


PhoneKindName = Literal["mobile", "landline", "work", "home", "fax", "other"]


class PhoneIn(Schema):
    number: str = Field(description="Any format or digits; stored as E.164.")
    kind: PhoneKindName | None = Field(
        None,
        description="Leave out (or null) to take the number's own kind: mobile, landline "
        "(a fixed line) or other.",
    )
    is_primary: bool = False


class PhoneOut(Schema):
    number: str = Field(description="E.164.")
    kind: PhoneKindName
    is_primary: bool = False


class AddressIO(Schema):
    line: str
    city: str = ""
    province: str = ""
    postal_code: str = ""
    country: str = Field("", description="Two letters; empty: the server's default country.")
    kind: Literal["home", "work", "billing", "shipping", "other"] = "home"


class ConsentIn(Schema):
    channel: ChannelName
    granted: bool
    source: str = ""


class ConsentOut(ConsentIn):
    recorded_at: dt.datetime


class MembershipIn(Schema):
    organization: str = Field(description="Public id of the organisation.")
    job_title: str = ""
    role: str = ""


class MembershipOut(MembershipIn):
    organization_name: str


class TeamOut(Schema):
    id: int
    name: str


class ContactWrite(Schema):
    """Create or PATCH a contact. In a PATCH, fields you leave out are not changed."""

    given_name: str | None = None
    family_name: str | None = None
    display_name: str | None = None
    emails: list[EmailIO] | None = Field(None, max_length=SIZE_LIMITS["emails"])
    phones: list[PhoneIn] | None = Field(None, max_length=SIZE_LIMITS["phones"])
    addresses: list[AddressIO] | None = Field(None, max_length=SIZE_LIMITS["addresses"])
    birth_date: TypedDate | None = None
    national_id: str | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    preferred_language: Literal["fa", "en", ""] | None = None
    preferred_channel: Literal["email", "sms", "phone", ""] | None = None
    consents: list[ConsentIn] | None = None
    lifecycle_stage: Stage | None = None
    acquisition_source: str | None = None
    owner: str | None = Field(None, description="Username of the owner.")
    team: int | None = None
    tags: list[str] | None = Field(None, max_length=SIZE_LIMITS["tags"])
    notes: str | None = Field(None, max_length=NOTES_MAX_LENGTH)
    organizations: list[MembershipIn] | None = Field(None, max_length=SIZE_LIMITS["organizations"])
    custom_fields: dict[str, Any] | None = None


class ContactSummary(Schema):
    id: str
    display_name: str
    primary_email: str
    primary_phone: str
    lifecycle_stage: Stage
    owner: str | None
    team: TeamOut | None
    tags: list[str]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactOut(ContactSummary):
    given_name: str
    family_name: str
    emails: list[EmailIO]
    phones: list[PhoneOut]
    addresses: list[AddressIO]
    birth_date: dt.date | None
    national_id: str
    country: str
    preferred_language: str
    preferred_channel: str
    consents: list[ConsentOut]
    acquisition_source: str
    notes: str
    organizations: list[MembershipOut]
    custom_fields: dict[str, Any]


class ContactPage(Schema):
    items: list[ContactSummary]
    next_cursor: str | None


class OrganizationWrite(Schema):
    name: str | None = None
    industry: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    national_id: str | None = None
    owner: str | None = None
    team: int | None = None
    tags: list[str] | None = Field(None, max_length=SIZE_LIMITS["tags"])
    notes: str | None = Field(None, max_length=NOTES_MAX_LENGTH)
    addresses: list[AddressIO] | None = Field(None, max_length=SIZE_LIMITS["addresses"])
    custom_fields: dict[str, Any] | None = None


class OrganizationSummary(Schema):
    id: str
    name: str
    industry: str
    email: str
    phone: str
    owner: str | None
    team: TeamOut | None
    tags: list[str]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OrganizationOut(OrganizationSummary):
    website: str
    national_id: str
    notes: str
    addresses: list[AddressIO]
    custom_fields: dict[str, Any]


class OrganizationPage(Schema):
    items: list[OrganizationSummary]
    next_cursor: str | None


FieldType = Literal[
    "text", "long_text", "number", "money", "date", "boolean", "choice", "multi_choice",
    "url", "email", "phone",
]  # fmt: skip


class CustomFieldWrite(Schema):
    entity: Literal["contact", "organization"] | None = None
    key: str | None = None
    label: str | None = None
    field_type: FieldType | None = None
    required: bool | None = None
    unique: bool | None = None
    help_text: str | None = None
    choices: list[str] | None = None
    currency: str | None = None
    position: int | None = Field(None, ge=0)
    is_active: bool | None = None


class CustomFieldOut(Schema):
    id: int
    entity: str
    key: str
    label: str
    field_type: FieldType
    required: bool
    unique: bool
    help_text: str
    choices: list[str]
    currency: str
    position: int
    is_active: bool


class TagIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    color: str = Field("#6c757d", pattern=r"^#[0-9a-fA-F]{6}$")


class TagOut(Schema):
    id: int
    name: str
    color: str


class HistoryChange(Schema):
    field: str
    label: str
    old: Any
    new: Any


class HistoryOut(Schema):
    at: dt.datetime
    user: str
    kind: str
    subject: str
    changes: list[HistoryChange]


class MeOut(Schema):
    username: str
    role: str
    language: str
    calendar: str = Field(description='"auto" (follows the language), "jalali" or "gregorian"')
    calendar_in_use: str = Field(description="the calendar dates are shown in: jalali or gregorian")
    time_zone: str
    teams: list[TeamOut]
    token_scope: str | None


class DuplicateReasonOut(Schema):
    code: str = Field(
        description="same_national_id, same_email, same_phone, same_website, same_name, "
        "similar_name, same_city or similar_address."
    )
    text: str = Field(description="The reason in the user's language.")


class DuplicateOut(Schema):
    """A saved record the one being written probably is (only records you may see)."""

    public_id: str
    display_name: str
    score: int = Field(ge=0, le=100)
    reasons: list[DuplicateReasonOut]


class SuggestionOut(Schema):
    """A value for an empty field and where it comes from; nothing is saved."""

    field: str
    value: str = Field(description="What would be stored (a public id for an organisation).")
    label: str
    reason: str
    source: Literal["email_domain", "colleagues", "area_code", "duplicate"]
    record: str = Field(description="Public id of the record the value comes from, or empty.")


class ContactSavedOut(ContactOut):
    duplicates: list[DuplicateOut] = Field(description="Likely duplicates, most likely first.")


class OrganizationSavedOut(OrganizationOut):
    duplicates: list[DuplicateOut] = Field(description="Likely duplicates, most likely first.")


class DuplicateCheckOut(Schema):
    duplicates: list[DuplicateOut]
    suggestions: list[SuggestionOut]


class ContactMergedAwayOut(Schema):
    """The answer (301) for a contact that was merged into another: ``Location`` and
    ``survivor_url`` lead to the record that stayed."""

    detail: str
    survivor: str = Field(description="Public id of the record the contact was merged into.")
    survivor_name: str
    survivor_url: str
    merge: str = Field(description="Public id of the merge (GET /api/v1/merges/{id}).")
