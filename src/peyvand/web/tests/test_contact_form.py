"""Creating and editing contacts through the web form."""

import datetime as dt

import pytest
from django.urls import reverse

from peyvand.customers.selectors import ContactFilters, contact_list
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def _only_contact(user):
    contacts = list(contact_list(actor=user, filters=ContactFilters()))
    assert len(contacts) == 1
    return contacts[0]


def test_create_normalises_arabic_letters_and_persian_digits(client_for, users):
    """Given a name typed with Arabic ي/ك and a phone in Persian digits,
    when the form is saved, then the detail page shows the Persian letters and the +98 number."""
    client = client_for("agent_n")
    response = client.post(
        reverse("web:contact_create"),
        contact_post(given_name="علي", family_name="كريمي", phones="۰۹۱۲ ۱۲۳ ۴۵۶۷"),
    )
    contact = _only_contact(users["agent_n"])
    assert response.status_code == 302
    assert response.url == reverse("web:contact_detail", args=[contact.public_id])
    assert contact.display_name == "علی کریمی"
    assert contact.primary_phone == "+989121234567"

    page = client.get(response.url).content.decode()
    assert "علی کریمی" in page
    assert "+98 912 123 4567" in page
    assert 'href="tel:+989121234567"' in page


def test_birth_date_typed_in_jalali_persian_digits(client_for, fa_client, teams):
    """Given ۱۳۷۰/۰۱/۱۵ typed as birth date, then 1991-04-04 is stored, shown in Jalali to a
    Persian user and in Gregorian to an English user."""
    response = fa_client.post(
        reverse("web:contact_create"),
        contact_post(
            given_name="سارا",
            family_name="احمدی",
            birth_date="۱۳۷۰/۰۱/۱۵",
            owner="maryam",
            team=str(teams["north"].pk),
        ),
    )
    assert response.status_code == 302
    contact = _only_contact(fa_client.user)
    assert contact.birth_date == dt.date(1991, 4, 4)

    fa_page = fa_client.get(response.url).content.decode()
    assert "۱۵ فروردین ۱۳۷۰" in fa_page

    en_page = client_for("agent_n").get(response.url).content.decode()
    assert "4 April 1991" in en_page
    assert "فروردین" not in en_page


def test_edit_form_shows_birth_date_in_users_calendar(client_for, fa_client, teams):
    """The edit form offers the stored date back in the user's calendar, ready to re-parse."""
    fa_client.post(
        reverse("web:contact_create"),
        contact_post(
            given_name="سارا", birth_date="1991-04-04", owner="maryam", team=str(teams["north"].pk)
        ),
    )
    contact = _only_contact(fa_client.user)
    edit_url = reverse("web:contact_edit", args=[contact.public_id])
    fa_form = fa_client.get(edit_url).content.decode()
    assert 'value="1370/01/15"' in fa_form
    assert "data-jdp" in fa_form
    en_form = client_for("agent_n").get(edit_url).content.decode()
    assert 'value="1991-04-04"' in en_form
    assert "data-jdp" not in en_form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phones", "0912-abc", "“0912-abc” is not a valid phone number."),
        ("emails", "ali@", "“ali@” is not an email address."),
        ("national_id", "0012345678", "“0012345678” is not a valid Iranian national ID"),
        ("birth_date", "1370/13/40", "“1370/13/40” is not a real calendar date."),
    ],
)
def test_bad_value_is_named_and_nothing_saved(client_for, users, field, value, message):
    """Given a bad phone/email/national ID/date, the form names the value; nothing is saved."""
    client = client_for("agent_n")
    response = client.post(reverse("web:contact_create"), contact_post(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="form-errors"' in page
    assert list(contact_list(actor=users["agent_n"], filters=ContactFilters())) == []


def test_second_bad_phone_is_reported_with_its_value(client_for, users):
    client = client_for("agent_n")
    response = client.post(reverse("web:contact_create"), contact_post(phones="09121234567\n12"))
    assert "“12” is not a valid phone number." in response.content.decode()
    assert list(contact_list(actor=users["agent_n"], filters=ContactFilters())) == []


def test_owner_outside_the_team_is_refused(client_for, users, south_contact):
    """The south agent is not offered to agent_n as owner; posting it anyway is refused."""
    client = client_for("agent_n")
    response = client.post(reverse("web:contact_create"), contact_post(owner="agent_s"))
    assert "Select a valid choice." in response.content.decode()
    assert list(contact_list(actor=users["agent_n"], filters=ContactFilters())) == []


def test_service_error_keys_land_on_form_fields(users):
    """Keys like "phones.1" and "custom_fields.vip" from a service error map onto fields."""
    from django.core.exceptions import ValidationError

    from peyvand.customers.services import CustomFieldInput, custom_field_create
    from peyvand.web.forms.contacts import contact_form

    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="vip", label="VIP", field_type="text"),
    )
    form = contact_form(actor=users["agent_n"], data=contact_post())
    assert form.is_valid()
    form.add_service_error(
        ValidationError(
            {
                "phones.1": ["“12” is not a valid phone number."],
                "custom_fields.vip": ["VIP “x” is already used by another record."],
                "organizations.0": ["There is no such organisation."],
                "team": ["You can only assign records to your own teams."],
                "display_name": ["Give the contact a name."],
                "consents.0": ["Unknown channel “fax”."],
            }
        )
    )
    assert form.errors["phones"] == ["“12” is not a valid phone number."]
    assert form.errors["cf_vip"] == ["VIP “x” is already used by another record."]
    assert form.errors["org_0"] == ["There is no such organisation."]
    assert form.errors["team"] == ["You can only assign records to your own teams."]
    assert form.errors["given_name"] == ["Give the contact a name."]
    assert form.errors["consent_source"] == ["Unknown channel “fax”."]


def test_create_form_has_stable_ids(client_for):
    page = client_for("agent_n").get(reverse("web:contact_create")).content.decode()
    for element_id in (
        "id_given_name",
        "id_family_name",
        "id_phones",
        "id_emails",
        "id_birth_date",
        'id="save"',
    ):
        assert element_id in page


def test_inline_validation_names_the_bad_value(client_for):
    """On blur the validate endpoint answers for one field with the form's own checks."""
    client = client_for("agent_n")
    response = client.post(
        reverse("web:contact_validate"),
        contact_post(phones="12345", _field="phones"),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "data-invalid" in body
    assert "“12345” is not a valid phone number." in body


def test_inline_validation_shows_normalised_phone(client_for):
    response = client_for("agent_n").post(
        reverse("web:contact_validate"),
        contact_post(phones="۰۹۱۲۱۲۳۴۵۶۷", _field="phones"),
    )
    body = response.content.decode()
    assert "data-invalid" not in body
    assert "Will be saved as +98 912 123 4567" in body


def test_inline_validation_unknown_field_is_rejected(client_for):
    response = client_for("agent_n").post(
        reverse("web:contact_validate"), contact_post(_field="password")
    )
    assert response.status_code == 400


def test_edit_keeps_kinds_and_links_organisation(client_for, users, north_contact):
    """Editing replaces lists but keeps what the form does not show (email kinds)."""
    from peyvand.customers.services import OrganizationInput, organization_create

    org = organization_create(actor=users["agent_n"], data=OrganizationInput(name="پیوند"))
    client = client_for("agent_n")
    url = reverse("web:contact_edit", args=[north_contact.public_id])
    response = client.post(
        url,
        contact_post(
            given_name="علی",
            family_name="رضایی",
            emails="ali@example.com\nali.work@example.com",
            phones="+989121234567",
            owner="agent_n",
            team=str(users["agent_n"].teams.first().pk),
            tags="vip, تهران",
            org_0=org.public_id,
            job_0="مدیر فروش",
            version="1",
        ),
    )
    assert response.status_code == 302
    north_contact.refresh_from_db()
    assert north_contact.version == 2
    assert [e.email for e in north_contact.emails.all()] == [
        "ali@example.com",
        "ali.work@example.com",
    ]
    assert sorted(t.name for t in north_contact.tags.all()) == ["vip", "تهران"]
    membership = north_contact.memberships.get()
    assert (membership.organization, membership.job_title) == (org, "مدیر فروش")
    page = client.get(response.url).content.decode()
    assert "مدیر فروش" in page


def test_consent_checkbox_records_time_and_source(client_for, users):
    client = client_for("agent_n")
    client.post(
        reverse("web:contact_create"),
        contact_post(consent_sms="on", consent_source="web form"),
    )
    contact = _only_contact(users["agent_n"])
    consents = {c.channel: c for c in contact.consents.all()}
    assert set(consents) == {"sms"}
    assert consents["sms"].granted is True
    assert consents["sms"].source == "web form"
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "granted" in page
    assert "web form" in page
