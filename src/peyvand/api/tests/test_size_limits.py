"""Size limits (issue 15, item 9): one request cannot add a megabyte of notes, thousands of
emails or tags; the API declares the limits and answers 422 naming the field, and the services
refuse the same for every interface."""

import pytest

from peyvand.customers.models import Contact, Tag
from peyvand.customers.normalize import NOTES_MAX_LENGTH, SIZE_LIMITS
from peyvand.customers.services import ContactInput, EmailInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("notes", "x" * (NOTES_MAX_LENGTH + 1)),
        ("emails", [{"email": f"a{i}@example.com"} for i in range(SIZE_LIMITS["emails"] + 1)]),
        ("tags", [f"t{i}" for i in range(SIZE_LIMITS["tags"] + 1)]),
    ],
)
def test_the_api_refuses_more_than_the_limit_naming_the_field(api_client_for, users, field, value):
    """Given one item (or character) over the limit, then 422 on that field; nothing stored."""
    client = api_client_for("agent_n")
    client.raise_request_exception = False

    response = client.post(
        "/api/v1/contacts", {"given_name": "Ali", field: value}, content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not Contact.objects.exists()
    assert not Tag.objects.exists()


def test_the_schema_declares_the_limits(client):
    """Then the OpenAPI schema says how many of each a contact may carry."""
    schema = client.get("/api/v1/openapi.json").json()
    write = schema["components"]["schemas"]["ContactWrite"]["properties"]

    def max_items(name):
        return next(v["maxItems"] for v in write[name]["anyOf"] if v.get("type") == "array")

    assert max_items("emails") == SIZE_LIMITS["emails"]
    assert max_items("tags") == SIZE_LIMITS["tags"]
    notes = next(v for v in write["notes"]["anyOf"] if v.get("type") == "string")
    assert notes["maxLength"] == NOTES_MAX_LENGTH


def test_the_service_refuses_the_same_for_the_web_and_cli(users):
    """Given 21 emails through the service itself (what the web form and CLI call), then it
    refuses them naming emails, in the same words."""
    from django.core.exceptions import ValidationError

    emails = [EmailInput(f"a{i}@example.com") for i in range(SIZE_LIMITS["emails"] + 1)]
    with pytest.raises(ValidationError) as raised:
        contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ali", emails=emails))

    assert raised.value.message_dict["emails"] == ["Give at most 20 (this has 21)."]
    assert not Contact.objects.exists()
