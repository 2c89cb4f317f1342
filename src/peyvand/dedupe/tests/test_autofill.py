"""Auto-fill suggestions (``dedupe.selectors.autofill``) and the area-code table behind them."""

import datetime as dt

import pytest
from django.utils import translation

from peyvand.common.area_codes import PROVINCES, province_for_phone
from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)
from peyvand.dedupe.selectors.autofill import (
    contact_autofill_suggestions,
    organization_autofill_suggestions,
)
from peyvand.dedupe.selectors.hints import ContactDraft, OrganizationDraft

pytestmark = pytest.mark.django_db


def _rows(suggestions):
    return [(s.field, s.value, s.label, s.source, s.record) for s in suggestions]


# --- the area-code table --------------------------------------------------------------------


def test_the_table_has_the_31_provinces_each_with_its_own_code():
    assert len(PROVINCES) == 31
    assert len({p.code for p in PROVINCES}) == 31
    assert len({p.name_fa for p in PROVINCES}) == 31


@pytest.mark.parametrize("province", PROVINCES, ids=lambda p: p.name_en)
def test_every_area_code_gives_its_province(province):
    """A landline typed the way Iranians do (0 + area code + number) gives its province."""
    assert province_for_phone(f"0{province.code}32221234") == province


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+98 21 8877 6655", "Tehran"),
        ("۰۳۱-۳۲۲۲۱۲۳۴", "Isfahan"),  # Persian digits
        ("051 3800 1234", "Razavi Khorasan"),
        ("07132123456", "Fars"),
        ("041 3344 5566", "East Azerbaijan"),
        ("09121234567", None),  # a mobile has no place
        ("+1 415 555 2671", None),  # not Iranian
        ("0213", None),  # not a number yet
    ],
)
def test_province_for_phone(raw, expected):
    province = province_for_phone(raw)
    assert (province.name_en if province else None) == expected


def test_province_names_follow_the_language():
    tehran = province_for_phone("02188776655")
    assert (tehran.name("fa"), tehran.name("en")) == ("تهران", "Tehran")


# --- contacts -----------------------------------------------------------------------------------


@pytest.fixture
def acme(users):
    return organization_create(
        actor=users["agent_n"],
        data=OrganizationInput(name="Acme", website="https://www.acme.com/fa"),
    )


def test_organisation_from_a_company_email_domain(users, acme):
    """Given Acme (website www.acme.com), when a draft has an @acme.com email, then Acme is
    suggested, saying it comes from the email domain."""
    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"],
        contact_or_draft=ContactDraft(given_name="Babak", emails=("babak@acme.com",)),
    )

    assert _rows(suggestions) == [
        ("organization", acme.public_id, "Acme", "email_domain", acme.public_id)
    ]
    assert suggestions[0].reason == "from the email domain acme.com"


def test_organisation_from_its_email_address_domain(users):
    """Given an organisation with no website but info@parsfoolad.ir, a draft at that domain
    is offered it."""
    pars = organization_create(
        actor=users["agent_n"],
        data=OrganizationInput(name="پارس فولاد", email="info@parsfoolad.ir"),
    )

    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"], contact_or_draft=ContactDraft(emails=("sales@parsfoolad.ir",))
    )

    assert _rows(suggestions) == [
        ("organization", pars.public_id, "پارس فولاد", "email_domain", pars.public_id)
    ]


def test_organisation_from_colleagues_at_the_domain(users):
    """Given no organisation with the domain but two contacts at @kavir.ir who belong to
    «کویر», a draft at kavir.ir is offered «کویر», counting the colleagues."""
    kavir = organization_create(actor=users["agent_n"], data=OrganizationInput(name="کویر"))
    for name in ("a", "b"):
        contact_create(
            actor=users["agent_n"],
            data=ContactInput(
                given_name=name,
                emails=[EmailInput(f"{name}@kavir.ir")],
                organizations=[MembershipInput(kavir.public_id)],
            ),
        )

    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"], contact_or_draft=ContactDraft(emails=("c@kavir.ir",))
    )

    assert _rows(suggestions) == [
        ("organization", kavir.public_id, "کویر", "colleagues", kavir.public_id)
    ]
    assert suggestions[0].reason == "2 contacts at kavir.ir belong to it"


@pytest.mark.parametrize("email", ["ali@gmail.com", "ali@chmail.ir", "ali@yahoo.com"])
def test_free_mail_suggests_no_organisation(users, email):
    """Given an organisation whose own email is at the free-mail domain, a draft with a free
    mail address is not offered it (gmail says nothing about an employer)."""
    organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Shop", email="shop@" + email[4:])
    )

    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"], contact_or_draft=ContactDraft(emails=(email,))
    )

    assert suggestions == []


def test_invisible_organisation_is_not_suggested(users, acme):
    """Given Acme belongs to North, agent_s (South) typing an @acme.com email gets nothing."""
    suggestions = contact_autofill_suggestions(
        actor=users["agent_s"], contact_or_draft=ContactDraft(emails=("x@acme.com",))
    )

    assert suggestions == []


def test_no_organisation_suggested_when_one_is_chosen(users, acme):
    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"],
        contact_or_draft=ContactDraft(emails=("x@acme.com",), organizations=("someorg",)),
    )

    assert suggestions == []


def test_province_from_landline_area_code_in_the_users_language(users):
    """Given a draft with a mobile and a Shiraz landline, then the province Fars is suggested,
    in Persian for a Persian user; a draft with a province gets none."""
    draft = ContactDraft(phones=("09121234567", "071 3222 1234"))

    with translation.override("fa"):
        fa = contact_autofill_suggestions(actor=users["agent_n"], contact_or_draft=draft)
    en = contact_autofill_suggestions(actor=users["agent_n"], contact_or_draft=draft)
    has_province = contact_autofill_suggestions(
        actor=users["agent_n"],
        contact_or_draft=ContactDraft(phones=("071 3222 1234",), province="فارس"),
    )

    assert _rows(fa) == [("province", "فارس", "فارس", "area_code", "")]
    assert _rows(en) == [("province", "Fars", "Fars", "area_code", "")]
    assert en[0].reason == "from the landline area code 071 (+98 71 3222 1234)"
    assert has_province == []


def test_empty_fields_filled_from_a_likely_duplicate(users, acme):
    """Given «علی رضایی» with email, national ID, birth date, Acme and a Tehran address, when
    a draft with the same name and phone but nothing else is checked, then those values are
    suggested from it; fields the draft has are not."""
    saved = contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="علی",
            family_name="رضایی",
            emails=[EmailInput("ali@example.com")],
            phones=[PhoneInput("09121234567")],
            national_id="0013542419",
            birth_date=dt.date(1991, 4, 4),
            organizations=[MembershipInput(acme.public_id)],
            addresses=[AddressInput("خیابان آزادی", city="تهران", province="تهران")],
        ),
    )

    suggestions = contact_autofill_suggestions(
        actor=users["agent_n"],
        contact_or_draft=ContactDraft(
            given_name="علی", family_name="رضایی", phones=("09121234567",), city="Tehran"
        ),
    )

    assert _rows(suggestions) == [
        ("email", "ali@example.com", "ali@example.com", "duplicate", saved.public_id),
        ("national_id", "0013542419", "0013542419", "duplicate", saved.public_id),
        ("birth_date", "1991-04-04", "1991-04-04", "duplicate", saved.public_id),
        ("organization", acme.public_id, "Acme", "duplicate", saved.public_id),
        ("province", "تهران", "تهران", "duplicate", saved.public_id),
    ]
    assert suggestions[0].reason == (
        "from “علی رضایی”, a likely duplicate (same phone, same name, same city)"
    )


def test_a_saved_contact_gets_suggestions_without_itself(users, acme, north_contact):
    """Given the saved «علی رضایی» (ali@example.com, mobile), a newer contact with an
    @acme.com email and a Tehran landline, asked about as a record, gets Acme and Tehran and
    nothing from itself."""
    newer = contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Babak",
            emails=[EmailInput("babak@acme.com")],
            phones=[PhoneInput("02188776655")],
        ),
    )

    suggestions = contact_autofill_suggestions(actor=users["agent_n"], contact_or_draft=newer)

    assert [(s.field, s.value) for s in suggestions] == [
        ("organization", acme.public_id),
        ("province", "Tehran"),
    ]


# --- organisations ---------------------------------------------------------------------------


def test_organisation_website_from_company_email_and_province_from_landline(users):
    suggestions = organization_autofill_suggestions(
        actor=users["agent_n"],
        organization_or_draft=OrganizationDraft(
            name="Kavir", emails=("info@kavir.ir",), phones=("031 3222 1234",)
        ),
    )

    assert _rows(suggestions) == [
        ("website", "https://kavir.ir", "https://kavir.ir", "email_domain", ""),
        ("province", "Isfahan", "Isfahan", "area_code", ""),
    ]


def test_organisation_with_free_mail_gets_no_website(users):
    suggestions = organization_autofill_suggestions(
        actor=users["agent_n"],
        organization_or_draft=OrganizationDraft(name="Kavir", emails=("kavir@gmail.com",)),
    )

    assert suggestions == []


def test_organisation_empty_fields_from_its_likely_duplicate(users):
    """Given «شرکت آکمه» with phone, website and industry, a draft «آکمه» with its phone is
    offered the website and the industry."""
    acme = organization_create(
        actor=users["agent_n"],
        data=OrganizationInput(
            name="شرکت آکمه", phone="02188776655", website="https://acme.ir", industry="فولاد"
        ),
    )

    suggestions = organization_autofill_suggestions(
        actor=users["agent_n"],
        organization_or_draft=OrganizationDraft(
            name="آکمه", phones=("02188776655",), province="تهران"
        ),
    )

    assert _rows(suggestions) == [
        ("website", "https://acme.ir", "https://acme.ir", "duplicate", acme.public_id),
        ("industry", "فولاد", "فولاد", "duplicate", acme.public_id),
    ]
