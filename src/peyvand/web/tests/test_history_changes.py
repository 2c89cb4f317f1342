"""History shows what a save changed beyond a record's own columns: tags, organisations with
their job titles, custom field values and addresses — on the record pages (Persian and
English)."""

import re

import pytest
from django.urls import reverse

from peyvand.customers.services import (
    ContactInput,
    CustomFieldInput,
    OrganizationInput,
    contact_create,
    custom_field_create,
    organization_create,
)
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def _history(page: str) -> str:
    """The text of the page's history list, tags stripped and spaces collapsed."""
    section = page.split('class="history ', 1)[1].split("</ol>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


@pytest.fixture
def level(users):
    return custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="level", label="Level", field_type="text"),
    )


def test_tags_organisation_and_custom_field_changes_are_in_contact_history(
    client_for, users, teams, level
):
    """Given a contact tagged a, b; when the form saves tags a, c, links organisation Peyvand
    as CEO and changes the custom field Level from gold to silver; then the contact's history
    shows all three changes and the organisation's history names the person who joined."""
    agent = users["agent_n"]
    organization = organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    contact = contact_create(
        actor=agent,
        data=ContactInput(given_name="Ali", family_name="Rezaei", tags=["a", "b"],
                          custom_fields={"level": "gold"}),
    )  # fmt: skip
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_edit", args=[contact.public_id]),
        contact_post(version="1", tags="a, c", org_0=organization.public_id, job_0="CEO",
                     cf_level="silver"),
    )  # fmt: skip

    assert response.status_code == 302
    history = _history(client.get(response.url).content.decode())
    assert "Tags : a, b changed to a, c" in history
    assert "Organisations : — changed to Peyvand (CEO)" in history
    assert "Level : gold changed to silver" in history
    org_page = client.get(reverse("web:organization_detail", args=[organization.public_id]))
    assert "People : — changed to Ali Rezaei (CEO)" in _history(org_page.content.decode())


def test_persian_user_sees_the_changes_in_persian(fa_client, users, teams):
    """Given a Persian user; when they change a contact's tags; then the history says «برچسب‌ها»
    with the names joined by a Persian comma."""
    contact = contact_create(
        actor=fa_client.user, data=ContactInput(given_name="علی", tags=["طلایی", "ویژه"])
    )

    response = fa_client.post(
        reverse("web:contact_edit", args=[contact.public_id]),
        contact_post(given_name="علی", family_name="", owner="maryam",
                     team=str(teams["north"].pk), version="1", tags="طلایی، جدید"),
    )  # fmt: skip

    assert response.status_code == 302
    history = _history(fa_client.get(response.url).content.decode())
    assert "برچسب‌ها : طلایی، ویژه تغییر کرد به جدید، طلایی" in history


def test_unchanged_tags_leave_no_entry(client_for, users):
    """Given a contact tagged a; when the form saves the same tag; then history has only the
    creation."""
    contact = contact_create(actor=users["agent_n"], data=ContactInput(given_name="A", tags=["a"]))
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_edit", args=[contact.public_id]),
        contact_post(given_name="A", family_name="", version="1", tags="a"),
    )

    history = _history(client.get(response.url).content.decode())
    assert history == f"{_first_words(history)} Created the record."


def _first_words(history: str) -> str:
    return history.split(" Created the record.")[0]


def test_organisation_tags_addresses_and_custom_field_in_history(client_for, users):
    """Given an organisation; when its form changes tags, its address and a custom field;
    then its history shows each."""
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="organization", key="size", label="Size",
                              field_type="number"),
    )  # fmt: skip
    organization = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Peyvand", tags=["x"])
    )
    client = client_for("agent_n")

    response = client.post(
        reverse("web:organization_edit", args=[organization.public_id]),
        {"name": "Peyvand", "industry": "", "website": "", "email": "", "phone": "",
         "national_id": "", "owner": "agent_n", "team": "", "tags": "x, y", "notes": "",
         "version": "1", "cf_size": "120", "address_0_kind": "work",
         "address_0_line": "Azadi St. 12", "address_0_city": "Tehran",
         "address_0_province": "", "address_0_postal_code": ""},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    history = _history(client.get(response.url).content.decode())
    assert "Tags : x changed to x, y" in history
    assert "Addresses : — changed to Azadi St. 12, Tehran" in history
    assert "Size : — changed to 120" in history
