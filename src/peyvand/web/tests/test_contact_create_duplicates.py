"""New contact: a likely duplicate is caught when Save is pressed, not only when a field loses
focus, and saved only after an explicit "Save anyway"."""

import pytest
from django.urls import reverse

from peyvand.customers.models import Contact
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def test_a_known_phone_holds_the_save_and_lists_the_match(client_for, north_contact):
    """Given «علی رضایی» with 0912 123 4567, when an agent saves «Sara» with that phone typed
    another way, then nothing is saved and the form lists «علی رضایی» (same phone) with a
    Save anyway button."""
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_create"),
        contact_post(given_name="Sara", family_name="Karimi", phones="+98 912 123 4567"),
    )

    assert response.status_code == 200
    assert Contact.objects.count() == 1
    page = response.content.decode()
    assert 'id="duplicate-warning"' in page
    assert "This contact may already be saved" in page
    assert f'<li class="duplicate-match mb-1" data-public-id="{north_contact.public_id}">' in page
    assert "same phone" in page
    assert 'name="confirm_duplicates" value="on">Save anyway</button>' in page
    assert 'value="+98 912 123 4567"' in page or "+98 912 123 4567</textarea>" in page


def test_save_anyway_saves_the_contact(client_for, north_contact):
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_create"),
        contact_post(given_name="Sara", phones="09121234567", confirm_duplicates="on"),
    )

    assert response.status_code == 302
    saved = Contact.objects.exclude(pk=north_contact.pk).get()
    assert (saved.given_name, [p.number for p in saved.phones.all()]) == (
        "Sara",
        ["+989121234567"],
    )


def test_a_contact_with_no_likely_duplicate_saves_at_once(client_for, north_contact):
    response = client_for("agent_n").post(
        reverse("web:contact_create"), contact_post(given_name="Sara", phones="09350001122")
    )
    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_only_records_the_agent_may_see_hold_the_save(client_for, south_contact):
    """Given a South contact with 0935 111 2233, a North agent saving that phone is not held
    (and learns nothing about the South record)."""
    response = client_for("agent_n").post(
        reverse("web:contact_create"), contact_post(given_name="Sara", phones="09351112233")
    )
    assert response.status_code == 302


def test_the_warning_is_in_persian(fa_client, north_contact):
    response = fa_client.post(
        reverse("web:contact_create"),
        contact_post(given_name="سارا", phones="۰۹۱۲۱۲۳۴۵۶۷", owner="maryam"),
    )
    page = response.content.decode()
    assert "این مخاطب شاید پیش‌تر ذخیره شده باشد" in page
    assert "تلفن یکسان" in page
    assert ">با این حال ذخیره کن</button>" in page
