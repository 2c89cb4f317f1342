"""Addresses on the contact and organisation forms (several, typed), several organisations
linked in one save, and people added to or removed from an organisation on its page."""

import json

import pytest
from django.urls import reverse

from peyvand.customers.models import ContactOrganization
from peyvand.customers.selectors import contact_get_for_user, organization_get_for_user
from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    OrganizationInput,
    contact_create,
    organization_create,
)
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def _address(index: int, kind: str, line: str, city: str = "", postal_code: str = "") -> dict:
    return {
        f"address_{index}_kind": kind,
        f"address_{index}_line": line,
        f"address_{index}_city": city,
        f"address_{index}_province": "",
        f"address_{index}_postal_code": postal_code,
    }


def _org_post(**overrides) -> dict:
    data = {
        "name": "پیوند", "industry": "", "website": "", "email": "", "phone": "",
        "national_id": "", "owner": "agent_n", "team": "", "tags": "", "notes": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_contact_form_saves_several_typed_addresses(client_for, users):
    """Given a new contact with a home and a billing address (rows 0 and 2; row 1 removed in
    the browser); then both are stored with their types and shown on the page."""
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_create"),
        contact_post(
            **_address(0, "home", "خیابان آزادی ۱۲", city="تهران"),
            **_address(2, "billing", "Valiasr St. 5", postal_code="1434567890"),
        ),
    )

    assert response.status_code == 302
    contact = contact_get_for_user(actor=users["agent_n"], public_id=response.url.split("/")[2])
    stored = [(a.kind, a.line, a.city, a.postal_code) for a in contact.addresses.all()]
    assert stored == [
        ("home", "خیابان آزادی ۱۲", "تهران", ""),
        ("billing", "Valiasr St. 5", "", "1434567890"),
    ]
    page = client.get(response.url).content.decode()
    assert "خیابان آزادی ۱۲" in page and "Valiasr St. 5" in page


def test_edit_form_shows_stored_addresses_and_an_empty_row_and_removes_one(client_for, users):
    """Given a contact with two addresses; the edit form offers them plus an empty row (and
    the "Add an address" template); when the second is left out, it is removed."""
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Ali", addresses=[
            AddressInput("Azadi 1", kind="home"), AddressInput("Enghelab 2", kind="work"),
        ]),
    )  # fmt: skip
    client = client_for("agent_n")
    url = reverse("web:contact_edit", args=[contact.public_id])

    form = client.get(url).content.decode()
    assert 'name="address_0_line"' in form and 'value="Azadi 1"' in form
    assert 'name="address_1_line"' in form and 'value="Enghelab 2"' in form
    assert 'name="address_2_line"' in form and 'name="address_3_line"' not in form
    assert 'id="address-rows-template"' in form and 'name="address___index___line"' in form

    response = client.post(
        url, contact_post(given_name="Ali", family_name="", version="1",
                          **_address(0, "work", "Azadi 1"))
    )  # fmt: skip

    assert response.status_code == 302
    contact = contact_get_for_user(actor=users["agent_n"], public_id=contact.public_id)
    assert [(a.kind, a.line) for a in contact.addresses.all()] == [("work", "Azadi 1")]


def test_address_without_street_is_named_on_its_row(client_for):
    """Given an address row with a city but no street; then the form says so on that row."""
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_create"), contact_post(**_address(1, "home", "", city="Tehran"))
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"address_1_line": ["Type the street address."]}


def test_several_organisations_linked_in_one_save(client_for, users):
    """Given two organisations; when the contact form sends both rows (the second added in the
    browser) with job titles; then both links are stored in one save."""
    agent = users["agent_n"]
    first = organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    second = organization_create(actor=agent, data=OrganizationInput(name="Azar"))
    client = client_for("agent_n")

    response = client.post(
        reverse("web:contact_create"),
        contact_post(org_0=first.public_id, job_0="CEO", org_1=second.public_id, job_1="Adviser",
                     orgrole_1=""),
    )  # fmt: skip

    assert response.status_code == 302
    links = ContactOrganization.objects.order_by("id").values_list(
        "organization__name", "job_title"
    )
    assert list(links) == [("Peyvand", "CEO"), ("Azar", "Adviser")]
    form = client.get(response.url + "edit/").content.decode()
    assert 'id="membership-rows-template"' in form and 'id="add-organization"' in form


def test_organisation_form_edits_addresses_and_the_api_serves_them(
    client_for, api_client_for, users
):
    """Given a new organisation with a work and a shipping address through its form; then its
    page and the API show both."""
    client = client_for("agent_n")

    response = client.post(
        reverse("web:organization_create"),
        _org_post(**_address(0, "work", "Azadi 12", city="Tehran"),
                  **_address(1, "shipping", "Anbar 3", city="Karaj")),
    )  # fmt: skip

    assert response.status_code == 302
    public_id = response.url.split("/")[2]
    page = client.get(response.url).content.decode()
    assert "Azadi 12, Tehran" in page and "Anbar 3, Karaj" in page
    body = api_client_for("agent_n").get(f"/api/v1/organizations/{public_id}").json()
    assert [(a["kind"], a["line"], a["city"]) for a in body["addresses"]] == [
        ("work", "Azadi 12", "Tehran"),
        ("shipping", "Anbar 3", "Karaj"),
    ]


def test_organisation_addresses_through_the_api(api_client_for, users):
    """A PATCH with addresses replaces the organisation's addresses."""
    organization = organization_create(actor=users["agent_n"], data=OrganizationInput(name="X"))
    client = api_client_for("agent_n")

    response = client.patch(
        f"/api/v1/organizations/{organization.public_id}",
        data=json.dumps({"addresses": [{"line": "Azadi 12", "kind": "billing"}]}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert [(a["kind"], a["line"]) for a in response.json()["addresses"]] == [
        ("billing", "Azadi 12")
    ]


def test_add_and_remove_a_person_from_the_organisation_page(client_for, users):
    """Given an organisation and a contact; when the agent searches «علی» on the organisation's
    page, picks the contact and adds them as CEO; then they are listed with the job title
    (and the contact's page shows the organisation); when removed, they are gone."""
    agent = users["agent_n"]
    organization = organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    contact = contact_create(actor=agent, data=ContactInput(given_name="علی", family_name="رضایی"))
    client = client_for("agent_n")
    page_url = reverse("web:organization_detail", args=[organization.public_id])

    candidates = client.get(
        reverse("web:organization_member_search", args=[organization.public_id]),
        {"member_q": "علی"},
    ).content.decode()
    assert f'value="{contact.public_id}"' in candidates
    response = client.post(
        reverse("web:organization_member_add", args=[organization.public_id]),
        {"contact": contact.public_id, "job_title": "CEO"},
    )

    assert response.status_code == 302 and response.url == page_url
    page = client.get(page_url).content.decode()
    members = page.split('id="members"', 1)[1].split("</ul>", 1)[0]
    assert "علی رضایی" in members and "CEO" in members
    assert "علی رضایی was added." in page
    contact_page = client.get(contact.get_absolute_url()).content.decode()
    assert "Peyvand" in contact_page
    assert contact_get_for_user(actor=agent, public_id=contact.public_id).version == 2

    client.post(
        reverse("web:organization_member_remove", args=[organization.public_id,
                                                         contact.public_id])
    )  # fmt: skip

    assert not ContactOrganization.objects.exists()
    page = client.get(page_url).content.decode()
    assert "No contacts you can see work here." in page


def test_the_search_without_javascript_shows_candidates_on_the_page(client_for, users):
    """The "Search" button (no htmx) reloads the page with the matching contacts to pick."""
    agent = users["agent_n"]
    organization = organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    contact = contact_create(actor=agent, data=ContactInput(given_name="Mina"))

    page = (
        client_for("agent_n")
        .get(
            reverse("web:organization_detail", args=[organization.public_id]), {"member_q": "Mina"}
        )
        .content.decode()
    )

    assert f'value="{contact.public_id}"' in page


def test_persian_user_adds_a_person(fa_client, users):
    """A Persian user sees «افزودن یک نفر» and the confirmation in Persian."""
    organization = organization_create(actor=fa_client.user, data=OrganizationInput(name="پیوند"))
    contact = contact_create(actor=fa_client.user, data=ContactInput(given_name="سارا"))
    url = reverse("web:organization_detail", args=[organization.public_id])
    assert "افزودن یک نفر" in fa_client.get(url).content.decode()

    fa_client.post(
        reverse("web:organization_member_add", args=[organization.public_id]),
        {"contact": contact.public_id, "job_title": "مدیر"},
    )

    assert "\u2068سارا\u2069 افزوده شد." in fa_client.get(url).content.decode()


def test_adding_a_contact_the_user_cannot_see_is_refused(client_for, users, south_contact):
    """Given a contact of another team; when its id is posted; then nothing is linked and the
    page says to choose a contact from the list."""
    organization = organization_create(actor=users["agent_n"], data=OrganizationInput(name="P"))
    client = client_for("agent_n")

    response = client.post(
        reverse("web:organization_member_add", args=[organization.public_id]),
        {"contact": south_contact.public_id, "job_title": ""},
        follow=True,
    )

    assert "Choose a contact from the list." in response.content.decode()
    assert not ContactOrganization.objects.exists()


def test_viewer_cannot_add_people(client_for, users, north_contact):
    """A viewer gets 403, sees no add form, and nothing is linked."""
    organization = organization_create(actor=users["agent_n"], data=OrganizationInput(name="P"))
    client = client_for("viewer_n")
    url = reverse("web:organization_detail", args=[organization.public_id])

    response = client.post(
        reverse("web:organization_member_add", args=[organization.public_id]),
        {"contact": north_contact.public_id},
    )

    assert response.status_code == 403
    assert not ContactOrganization.objects.exists()
    assert 'id="member-add"' not in client.get(url).content.decode()
    assert organization_get_for_user(actor=users["agent_n"], public_id=organization.public_id)
