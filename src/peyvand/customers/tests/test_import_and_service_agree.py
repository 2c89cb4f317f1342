"""The import and the services store exactly the same values: what one accepts the other
accepts, and what one refuses the other refuses for the same field.

The import side is the row normaliser its worker processes call (``imports.rows``); the
service side is ``contact_create``/``organization_create``, which the web form, the API and the
CLI call. Values are generated as people type them: Persian and Arabic-Indic digits, Arabic
keyboard letters, ZWNJ and hamza, spaces and dashes in numbers, upper case in emails, and some
that are wrong (a one-letter top-level domain, a leading dot, a bad check digit…).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peyvand.customers.imports.rows import RowContext, normalize_row
from peyvand.customers.services import (
    ContactInput,
    EmailInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)

pytestmark = pytest.mark.django_db

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _digits(text: str, style: str) -> str:
    return text.translate({"fa": _PERSIAN_DIGITS, "ar": _ARABIC_DIGITS}.get(style, {}))


digit_style = st.sampled_from(["ascii", "fa", "ar"])
letters = "ابپتجچخدرزسشعفقکگلمنوهیيكئؤأۀ"
names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from([*letters, "Ali", "É"]),
    st.text(alphabet=letters + "ab \u200c\u0654ـَ", max_size=25),
)
optional_text = st.one_of(st.just(""), names)


def _check_digit(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


national_ids = st.one_of(
    st.just(""),
    st.builds(
        lambda nine, style, dash: _digits(
            (lambda c: f"{c[:3]}-{c[3:9]}-{c[9]}" if dash else c)(_check_digit(nine)), style
        ),
        st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda n: len(set(n)) > 1),
        digit_style,
        st.booleans(),
    ),
    st.from_regex(r"[0-9]{10}", fullmatch=True),  # mostly a wrong check digit
    st.from_regex(r"[0-9]{8,9}", fullmatch=True),  # a spreadsheet dropped leading zeros
    st.sampled_from(["12-34", "AB123", "۱۲۳"]),
)
phones = st.one_of(
    st.just(""),
    st.builds(
        lambda form, national, style: _digits(form.format(national), style),
        st.sampled_from(["0{}", "+98{}", "0098{}", "+98 {}", "98{}"]),
        st.one_of(
            st.from_regex(r"9[0-9]{9}", fullmatch=True),  # mobiles (and some that do not exist)
            st.from_regex(r"(21|31|51|71)[2-8][0-9]{7}", fullmatch=True),  # landlines
        ),
        digit_style,
    ),
    st.sampled_from(
        ["۰۲۱-۸۸۷۷۶۶۵۵", "(021) 8877 6655", "+44 20 7946 0958", "+1 800 555 0123", "0912", "x"]
    ),
)
emails = st.one_of(
    st.just(""),
    st.builds(
        lambda local, domain, tld, upper, style: _digits(
            f"{local}@{domain}.{tld}".upper() if upper else f"{local}@{domain}.{tld}", style
        ),
        st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,8}", fullmatch=True),
        st.sampled_from(["x", "mail", "مثال", "sub.example", "-bad"]),
        st.sampled_from(["ir", "com", "c", "co.uk"]),
        st.booleans(),
        digit_style,
    ),
    st.sampled_from([".a@x.com", "a@b.c", "a@مثال.ir", "bad-email", " A@X.IR "]),
)
countries = st.sampled_from(["", "IR", "ir", "Iran", "ایران", "GB", "DE", "XX", "Narnia"])
websites = st.sampled_from(["", "example.ir", "https://x.com/a", "not a site", "www.ایده.ir"])

_CONTACT_COLUMNS = {
    "نام": "given_name",
    "نام خانوادگی": "family_name",
    "ایمیل": "email",
    "موبایل": "phone",
    "کد ملی": "national_id",
    "کشور": "country",
    "منبع": "acquisition_source",
}
_ORGANIZATION_COLUMNS = {
    "نام": "name",
    "صنعت": "industry",
    "ایمیل": "email",
    "تلفن": "phone",
    "شناسه ملی": "national_id",
    "وب‌سایت": "website",
}


def _service_fields(error: ValidationError) -> set[str]:
    """Service error keys as the import's target fields ("emails.0" → "email")."""
    plural = {"emails": "email", "phones": "phone"}
    return {plural.get(key.split(".")[0], key.split(".")[0]) for key in error.message_dict}


def _import(entity: str, columns: dict[str, str], raw: dict[str, str]):
    ctx = RowContext(entity=entity, mapping=columns)
    result = normalize_row(2, raw, ctx)
    failed = {columns[header] for header, _value, _reason in result.errors}
    return result, failed


def _stored_children(result) -> tuple[list, list]:
    emails = [(v[2], v[0][2:]) for v in result.values if v[0].startswith("e:")]
    phones = [(v[2], v[0][2:]) for v in result.values if v[0].startswith("p:")]
    return emails, phones


_EXAMPLES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_EXAMPLES
@given(
    given_name=names,
    family_name=optional_text,
    email=emails,
    phone=phones,
    national_id=national_ids,
    country=countries,
    source=optional_text,
)
def test_a_contact_is_stored_alike_by_the_import_and_the_service(
    users, given_name, family_name, email, phone, national_id, country, source
):
    """Given a contact typed one way, when the import reads it as a row and the service saves
    it, then both accept it or both refuse the same fields, and what they store is the same."""
    typed = {
        "given_name": given_name, "family_name": family_name, "email": email, "phone": phone,
        "national_id": national_id, "country": country, "acquisition_source": source,
    }  # fmt: skip
    raw = {header: typed[target] for header, target in _CONTACT_COLUMNS.items()}
    result, import_failed = _import("contact", _CONTACT_COLUMNS, raw)

    with transaction.atomic():
        try:
            contact = contact_create(
                actor=users["agent_n"],
                data=ContactInput(
                    given_name=given_name,
                    family_name=family_name,
                    emails=[EmailInput(email)] if email.strip() else [],
                    phones=[PhoneInput(phone)] if phone.strip() else [],
                    national_id=national_id,
                    country=country,
                    acquisition_source=source,
                ),
            )
        except ValidationError as exc:
            service_failed = _service_fields(exc)
        else:
            service_failed = set()
            stored = {
                "given_name": contact.given_name,
                "family_name": contact.family_name,
                "display_name": contact.display_name,
                "national_id": contact.national_id,
                "country": contact.country,
                "acquisition_source": contact.acquisition_source,
                "emails": [(e.email, e.kind) for e in contact.emails.all()],
                "phones": [(p.number, p.kind) for p in contact.phones.all()],
            }
        transaction.set_rollback(True)

    assert import_failed == service_failed
    if result.record is not None:
        imported_emails, imported_phones = _stored_children(result)
        record = result.record
        assert stored == {
            "given_name": record["given_name"],
            "family_name": record["family_name"],
            "display_name": record["display_name"],
            "national_id": record["national_id"],
            "country": record["country"],
            "acquisition_source": record["acquisition_source"],
            "emails": imported_emails,
            "phones": imported_phones,
        }


@_EXAMPLES
@given(
    name=names,
    industry=optional_text,
    email=emails,
    phone=phones,
    national_id=national_ids,
    website=websites,
)
def test_an_organisation_is_stored_alike_by_the_import_and_the_service(
    users, name, industry, email, phone, national_id, website
):
    """Given an organisation typed one way, when the import and the service read it, then both
    accept it or refuse the same fields, and store the same values."""
    typed = {
        "name": name, "industry": industry, "email": email, "phone": phone,
        "national_id": national_id, "website": website,
    }  # fmt: skip
    raw = {header: typed[target] for header, target in _ORGANIZATION_COLUMNS.items()}
    result, import_failed = _import("organization", _ORGANIZATION_COLUMNS, raw)

    with transaction.atomic():
        try:
            organization = organization_create(
                actor=users["agent_n"],
                data=OrganizationInput(
                    name=name,
                    industry=industry,
                    email=email,
                    phone=phone,
                    national_id=national_id,
                    website=website,
                ),
            )
        except ValidationError as exc:
            service_failed = _service_fields(exc)
        else:
            service_failed = set()
            stored = {
                "name": organization.name,
                "industry": organization.industry,
                "email": organization.email,
                "phone": organization.phone,
                "national_id": organization.national_id,
                "website": organization.website,
            }
        transaction.set_rollback(True)

    assert import_failed == service_failed
    if result.record is not None:
        record = result.record
        assert stored == {
            "name": record["name"],
            "industry": record["industry"],
            "email": record["primary_email"],
            "phone": record["primary_phone"],
            "national_id": record["national_id"],
            "website": record["website"],
        }
