"""``/history`` through the API lists tag, organisation and custom field changes made through
the API, as lists and values a program can read."""

import json

import pytest

from peyvand.customers.services import (
    ContactInput,
    CustomFieldInput,
    OrganizationInput,
    contact_create,
    custom_field_create,
    organization_create,
)

pytestmark = pytest.mark.django_db


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_contact_history_lists_tags_organisation_and_custom_field(api_client_for, users):
    """Given a contact tagged a, b with Level gold; when a PATCH sets tags a, c, links
    organisation Peyvand as CTO and Level silver; then the newest history entry has exactly
    these three changes, and the organisation's history names the person."""
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="level", label="Level", field_type="text"),
    )
    agent = users["agent_n"]
    organization = organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    contact = contact_create(
        actor=agent,
        data=ContactInput(given_name="Ali", tags=["a", "b"], custom_fields={"level": "gold"}),
    )
    client = api_client_for("agent_n")

    response = _patch(
        client,
        f"/api/v1/contacts/{contact.public_id}",
        {
            "tags": ["a", "c"],
            "organizations": [{"organization": organization.public_id, "job_title": "CTO"}],
            "custom_fields": {"level": "silver"},
        },
    )
    assert response.status_code == 200, response.content

    history = client.get(f"/api/v1/contacts/{contact.public_id}/history").json()
    assert [e["kind"] for e in history] == ["changed", "created"]
    assert history[0]["user"] == agent.display
    assert history[0]["changes"] == [
        {"field": "tags", "label": "Tags", "old": ["a", "b"], "new": ["a", "c"]},
        {"field": "organizations", "label": "Organisations", "old": [], "new": ["Peyvand (CTO)"]},
        {"field": "custom_fields.level", "label": "Level", "old": "gold", "new": "silver"},
    ]
    org_history = client.get(f"/api/v1/organizations/{organization.public_id}/history").json()
    assert org_history[0]["changes"] == [
        {"field": "people", "label": "People", "old": None, "new": "Ali (CTO)"}
    ]


def test_organisation_tags_and_custom_field_changes_through_the_api(api_client_for, users):
    """Given an organisation; when a PATCH changes its tags, an address and a number custom
    field; then its history lists them."""
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="organization", key="size", label="Size",
                              field_type="number"),
    )  # fmt: skip
    organization = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Peyvand", tags=["x"])
    )
    client = api_client_for("agent_n")

    response = _patch(
        client,
        f"/api/v1/organizations/{organization.public_id}",
        {"tags": ["x", "y"], "custom_fields": {"size": "120"},
         "addresses": [{"line": "Azadi St. 12", "city": "Tehran", "kind": "work"}]},
    )  # fmt: skip
    assert response.status_code == 200, response.content

    history = client.get(f"/api/v1/organizations/{organization.public_id}/history").json()
    assert history[0]["changes"] == [
        {"field": "tags", "label": "Tags", "old": ["x"], "new": ["x", "y"]},
        {"field": "addresses", "label": "Addresses", "old": [], "new": ["Azadi St. 12, Tehran"]},
        {"field": "custom_fields.size", "label": "Size", "old": None, "new": 120},
    ]
