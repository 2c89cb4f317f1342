"""Organisation pages: list, detail with visible members only, form, conflict, delete."""

import pytest
from django.urls import reverse

from peyvand.customers.selectors import OrganizationFilters, organization_list
from peyvand.customers.services import (
    ContactInput,
    MembershipInput,
    OrganizationInput,
    contact_create,
    organization_create,
)

pytestmark = pytest.mark.django_db


def _org_post(**overrides):
    data = {
        "name": "پیوند",
        "industry": "",
        "website": "",
        "email": "",
        "phone": "",
        "national_id": "",
        "owner": "agent_n",
        "team": "",
        "tags": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_organisation_normalises_phone(client_for, users, teams):
    client = client_for("agent_n")
    response = client.post(
        reverse("web:organization_create"),
        _org_post(name="شركت پيوند", phone="۰۲۱ ۸۸۷۷ ۶۶۵۵", team=str(teams["north"].pk)),
    )
    assert response.status_code == 302
    (org,) = organization_list(actor=users["agent_n"], filters=OrganizationFilters())
    assert org.name == "شرکت پیوند"
    assert org.phone == "+982188776655"
    page = client.get(response.url).content.decode()
    assert "+98 21 8877 6655" in page


def test_bad_organisation_phone_and_email_are_named(client_for, users):
    response = client_for("agent_n").post(
        reverse("web:organization_create"), _org_post(phone="123", email="x@")
    )
    page = response.content.decode()
    assert "“123” is not a valid phone number." in page
    assert "“x@” is not an email address." in page
    assert list(organization_list(actor=users["agent_n"], filters=OrganizationFilters())) == []


def test_detail_shows_only_members_the_user_may_see(client_for, users, teams):
    org = organization_create(
        actor=users["admin"], data=OrganizationInput(name="Shared", team=teams["north"].pk)
    )
    member = MembershipInput(organization=org.public_id, job_title="CTO")
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Visible", organizations=[member]),
    )
    contact_create(
        actor=users["admin"],
        data=ContactInput(
            given_name="Hidden",
            team=teams["south"].pk,
            organizations=[MembershipInput(organization=org.public_id)],
        ),
    )
    page = client_for("agent_n").get(org.get_absolute_url()).content.decode()
    assert "Visible" in page
    assert "CTO" in page
    assert "Hidden" not in page
    assert "Some people who work here are not visible to you." in page


def test_organisation_list_search_partial(client_for, users):
    organization_create(actor=users["agent_n"], data=OrganizationInput(name="کیمیا"))
    response = client_for("agent_n").get(
        reverse("web:organization_list"),
        {"q": "كيميا"},
        headers={"HX-Request": "true", "HX-Target": "organization-results"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="organization-row') == 1


def test_organisation_stale_edit_conflict(client_for, users, teams):
    org = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Acme", team=teams["north"].pk)
    )
    client = client_for("agent_n")
    url = reverse("web:organization_edit", args=[org.public_id])
    team = str(teams["north"].pk)
    assert client.post(url, _org_post(name="Acme One", team=team, version="1")).status_code == 302
    stale = client.post(url, _org_post(name="Acme Two", team=team, version="1"))
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed this organisation since you opened it." in page
    org.refresh_from_db()
    assert org.name == "Acme One"


def test_organisation_delete_by_manager(client_for, users, teams):
    org = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Gone", team=teams["north"].pk)
    )
    url = reverse("web:organization_delete", args=[org.public_id])
    assert client_for("agent_n").post(url).status_code == 403
    assert client_for("manager_n").post(url).status_code == 302
    assert list(organization_list(actor=users["admin"], filters=OrganizationFilters())) == []


def test_organisation_inline_validation(client_for):
    response = client_for("agent_n").post(
        reverse("web:organization_validate"), _org_post(phone="09121234567", _field="phone")
    )
    assert "Will be saved as +98 912 123 4567" in response.content.decode()
