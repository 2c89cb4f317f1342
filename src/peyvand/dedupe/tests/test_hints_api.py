"""Duplicate hints through the JSON API: in the create/update answers and the draft check."""

import json

import pytest

from peyvand.customers.models import Contact, Organization
from peyvand.customers.services import OrganizationInput, organization_create

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_create_answers_with_the_likely_duplicate(api_client_for, north_contact):
    """Given «علی رضایی» 0912…, when «علي رضايي» +98 912… is created, then it is saved and
    the answer lists the existing contact with its score and reasons."""
    response = _post(
        api_client_for("agent_n"),
        "/api/v1/contacts",
        {"given_name": "علي", "family_name": "رضايي", "phones": [{"number": "+98 912 123 4567"}]},
    )

    assert response.status_code == 201, response.content
    assert response.json()["duplicates"] == [
        {
            "public_id": north_contact.public_id,
            "display_name": "علی رضایی",
            "score": 99,
            "reasons": [
                {"code": "same_phone", "text": "same phone"},
                {"code": "same_name", "text": "same name"},
            ],
        }
    ]
    assert Contact.objects.count() == 2


def test_create_by_another_team_shows_nothing_it_cannot_see(api_client_for, north_contact):
    """Given North's «علی رضایی», when agent_s (South) creates the same person, then the
    contact is saved and no duplicate is named (North's record stays unseen)."""
    response = _post(
        api_client_for("agent_s"),
        "/api/v1/contacts",
        {"given_name": "علی", "family_name": "رضایی", "emails": [{"email": "ali@example.com"}]},
    )

    assert response.status_code == 201
    assert response.json()["duplicates"] == []
    assert north_contact.public_id not in response.content.decode()


def test_update_answers_with_duplicates_but_not_itself(api_client_for, north_contact):
    """Given two North contacts, when the second is renamed to "Ali Rezaei" with the first's
    email, then the answer names the first (email, name across scripts) and not itself."""
    client = api_client_for("agent_n")
    other = _post(client, "/api/v1/contacts", {"given_name": "Someone"}).json()

    response = client.patch(
        f"/api/v1/contacts/{other['id']}",
        data=json.dumps(
            {
                "given_name": "Ali",
                "family_name": "Rezaei",
                "emails": [{"email": "ALI@example.com"}],
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert [(d["public_id"], d["score"]) for d in response.json()["duplicates"]] == [
        (north_contact.public_id, 99)
    ]
    assert [r["code"] for r in response.json()["duplicates"][0]["reasons"]] == [
        "same_email",
        "similar_name",
    ]


def test_draft_check_saves_nothing_and_suggests(api_client_for, north_contact, users):
    """Given North's «علی رضایی» and the organisation Acme (acme.com), when a draft with
    "Ali Rezaei", an @acme.com email and a Tehran landline is checked, then the answer names
    the contact and suggests Acme and the province Tehran; nothing is saved."""
    acme = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Acme", website="https://acme.com")
    )
    contacts_before = Contact.objects.count()

    response = _post(
        api_client_for("agent_n"),
        "/api/v1/contacts/duplicates",
        {
            "given_name": "Ali",
            "family_name": "Rezaei",
            "emails": [{"email": "ali.rezaei@acme.com"}],
            "phones": [{"number": "021 8877 6655"}],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(d["public_id"], d["score"]) for d in body["duplicates"]] == [
        (north_contact.public_id, 86)
    ]
    assert [(s["field"], s["value"], s["label"], s["source"]) for s in body["suggestions"]] == [
        ("organization", acme.public_id, "Acme", "email_domain"),
        ("province", "Tehran", "Tehran", "area_code"),
    ]
    assert body["suggestions"][0]["reason"] == "from the email domain acme.com"
    assert body["suggestions"][1]["reason"] == (
        "from the landline area code 021 (+98 21 8877 6655)"
    )
    assert Contact.objects.count() == contacts_before


def test_draft_check_of_an_edit_excludes_the_record(api_client_for, north_contact):
    """Given the saved «علی رضایی», when its own values are checked with ``exclude``, then
    there is no duplicate."""
    response = _post(
        api_client_for("agent_n"),
        f"/api/v1/contacts/duplicates?exclude={north_contact.public_id}",
        {"given_name": "علی", "family_name": "رضایی", "phones": [{"number": "09121234567"}]},
    )

    assert response.status_code == 200
    assert response.json() == {"duplicates": [], "suggestions": []}


def test_read_only_token_cannot_check_drafts(api_client_for, north_contact):
    """Given a read-scope token, when it checks a draft, then 403 (the check belongs to
    writing) and the answer names no record."""
    response = _post(
        api_client_for("agent_n", "read"), "/api/v1/contacts/duplicates", {"given_name": "علی"}
    )

    assert response.status_code == 403
    assert north_contact.public_id not in response.content.decode()


def test_organization_create_and_draft_check(api_client_for, users):
    """Given «شرکت آکمه» with phone 021…, when «آکمه» with that phone is created, then the
    answer names it; a draft check with its email domain suggests its website."""
    acme = organization_create(
        actor=users["agent_n"],
        data=OrganizationInput(name="شرکت آکمه", phone="02188776655", industry="فولاد"),
    )
    client = api_client_for("agent_n")

    created = _post(client, "/api/v1/organizations", {"name": "آکمه", "phone": "+982188776655"})
    checked = _post(
        client,
        "/api/v1/organizations/duplicates",
        {"name": "Acme Trading", "email": "info@acme-trading.ir"},
    )

    assert created.status_code == 201, created.content
    assert [(d["public_id"], d["score"]) for d in created.json()["duplicates"]] == [
        (acme.public_id, 99)
    ]
    assert checked.status_code == 200
    assert checked.json()["duplicates"] == []
    assert [(s["field"], s["value"]) for s in checked.json()["suggestions"]] == [
        ("website", "https://acme-trading.ir")
    ]
    assert Organization.objects.count() == 2


def test_openapi_documents_the_draft_check(client):
    """The schema lists the draft check with its answers (so the API can be fuzzed)."""
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/contacts/duplicates"]["post"]

    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "422"]
