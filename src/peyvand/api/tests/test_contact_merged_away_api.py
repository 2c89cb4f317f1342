"""GET /api/v1/contacts/{id} of a contact merged into another: 301 to the record that stayed."""

import pytest

from peyvand.api.urls import api
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.services import contact_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(users):
    agent = users["agent_n"]

    def person(given, phone):
        data = ContactInput(given_name=given, family_name="رضایی", phones=[PhoneInput(phone)])
        return contact_create(actor=agent, data=data)

    kept, gone = person("علی", "09121234567"), person("Ali", "09121234568")
    merge = contact_merge(actor=agent, survivor_public_id=kept.public_id,
                          other_public_ids=[gone.public_id])  # fmt: skip
    return kept, gone, merge


def test_a_merged_away_contact_answers_301_naming_the_survivor(api_client_for, merged):
    """Given B merged into A, when B is fetched, then 301 with Location A's URL and a body
    naming A and the merge."""
    kept, gone, merge = merged

    response = api_client_for("agent_n", "read").get(f"/api/v1/contacts/{gone.public_id}")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/contacts/{kept.public_id}"
    assert response.json() == {
        "detail": f"Contact {gone.public_id} was merged into {kept.public_id} (“علی رضایی”).",
        "survivor": kept.public_id,
        "survivor_name": "علی رضایی",
        "survivor_url": f"/api/v1/contacts/{kept.public_id}",
        "merge": merge.public_id,
    }


def test_a_caller_who_cannot_see_the_survivor_gets_404(api_client_for, merged):
    _kept, gone, _merge = merged
    response = api_client_for("agent_s", "read").get(f"/api/v1/contacts/{gone.public_id}")
    assert response.status_code == 404


def test_the_schema_declares_the_301_of_get_a_contact():
    operation = api.get_openapi_schema()["paths"]["/api/v1/contacts/{public_id}"]["get"]
    moved = operation["responses"][301]
    assert moved["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ContactMergedAwayOut"
    }
