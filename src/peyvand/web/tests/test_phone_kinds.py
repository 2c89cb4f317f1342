"""A phone's kind on the contact form and page: found from the number, changeable by the user."""

import pytest
from django.urls import reverse

from peyvand.customers.models import Contact, ContactPhone
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def _kinds(contact: Contact) -> list[tuple[str, str]]:
    return [(p.number, p.kind) for p in contact.phones.all()]


def test_a_landline_typed_on_a_new_contact_is_stored_and_shown_as_a_landline(client_for):
    """Given a Tehran landline typed with Persian digits and a mobile, when the form is saved,
    then each is stored with the kind its number has, and the contact page says so."""
    client = client_for("agent_n")
    response = client.post(
        reverse("web:contact_create"),
        contact_post(phones="۰۲۱-۸۸۷۷۶۶۵۵\n۰۹۱۲ ۱۲۳ ۴۵۶۷", phone_kind_0=""),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert _kinds(contact) == [("+982188776655", "landline"), ("+989121234567", "mobile")]

    page = client.get(contact.get_absolute_url()).content.decode()
    phones = page.split('id="phones"')[1].split("</dd>")[0]
    assert "Landline" in phones.split("+98 21 8877 6655")[1].split("</div>")[0]
    assert "Mobile" in phones.split("+98 912 123 4567")[1].split("</div>")[0]


def test_the_kind_chosen_on_the_form_wins_over_the_numbers_own(client_for):
    """Given a landline typed with "Work" chosen as its kind, it is stored as a work phone."""
    client = client_for("agent_n")
    client.post(
        reverse("web:contact_create"),
        contact_post(phones="021 8877 6655", phone_kind_0="work"),
    )
    assert _kinds(Contact.objects.get()) == [("+982188776655", "work")]


def test_the_edit_form_keeps_a_chosen_kind_even_when_the_lines_move(client_for, users):
    """Given a contact with a mobile and a landline chosen as "home", when the numbers are typed
    in the other order and nothing else changes, the home kind stays with its number."""
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Sara",
            phones=[PhoneInput("09121234567"), PhoneInput("02188776655", kind="home")],
        ),
    )
    client = client_for("agent_n")
    url = reverse("web:contact_edit", args=[contact.public_id])
    form = client.get(url).content.decode()
    assert '<option value="home" selected>' in form  # the chosen kind is shown chosen
    assert "From the number (Mobile)" in form

    response = client.post(
        url,
        contact_post(
            given_name="Sara", family_name="", version="1",
            phones="02188776655\n09121234567",
            phone_kind_0="", phone_for_0="+989121234567",
            phone_kind_1="home", phone_for_1="+982188776655",
            phone_kind_2="", phone_for_2="",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(_kinds(Contact.objects.get())) == [
        ("+982188776655", "home"),
        ("+989121234567", "mobile"),
    ]


def test_the_phone_hint_names_each_numbers_kind_in_persian(fa_client):
    """Given phones typed on the form, the hint under the field says how each will be saved."""
    response = fa_client.post(
        reverse("web:contact_validate"),
        contact_post(phones="۰۲۱-۸۸۷۷۶۶۵۵\n09121234567", owner="maryam", _field="phones"),
    )
    assert response.content.decode() == (
        '<div class="form-text text-success-emphasis" data-valid>'
        "به شکل \u2068+98 21 8877 6655 (تلفن ثابت)، +98 912 123 4567 (موبایل)\u2069 ذخیره "
        "می‌شود</div>\n"
    )


def test_legacy_mobile_rows_of_a_landline_are_retyped_on_save(client_for, users):
    """Given a landline stored as "mobile" before kinds were read from numbers (the data
    migration re-types these; a row it missed is fixed by the next save of the form)."""
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Reza", phones=[PhoneInput("02188776655")]),
    )
    ContactPhone.objects.update(kind="mobile")
    client = client_for("agent_n")
    url = reverse("web:contact_edit", args=[contact.public_id])
    assert '<option value="mobile" selected>' in client.get(url).content.decode()
    client.post(
        url,
        contact_post(
            given_name="Reza", family_name="", version="1", phones="02188776655",
            phone_kind_0="", phone_for_0="+982188776655",
        ),
    )  # fmt: skip
    assert _kinds(Contact.objects.get()) == [("+982188776655", "landline")]
