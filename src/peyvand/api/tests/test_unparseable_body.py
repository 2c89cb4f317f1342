"""A body the API cannot parse is a documented 400 in the API's error shape, on every
operation that takes a body; a null list in a body empties it rather than failing."""

import json

import pytest

pytestmark = pytest.mark.django_db

PARSE_ERROR = {
    "detail": "The request body could not be read: send a JSON object with "
    "Content-Type: application/json.",
    "errors": [],
}


def _body_operations(client) -> list[tuple[str, str, dict]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]


def test_every_operation_with_a_body_declares_400_with_the_error_shape(api_client_for):
    """Given the OpenAPI schema, when the operations that take a body are listed, then each
    declares 400 answered with ErrorOut."""
    operations = _body_operations(api_client_for("admin"))
    undeclared = [
        f"{method.upper()} {path}"
        for method, path, operation in operations
        if operation["responses"].get("400", {}).get("content", {}).get("application/json")
        != {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
    ]

    assert len(operations) == 10
    assert undeclared == []


def test_every_operation_with_a_body_answers_400_to_broken_json(api_client_for):
    """Given a write token, when each operation that takes a body is sent '{"given_name": '
    (cut short), then it answers 400 with the error shape and a message saying what to send."""
    client = api_client_for("admin")
    answers = {}
    for method, path, _operation in _body_operations(client):
        url = path.replace("{public_id}", "x").replace("{definition_id}", "1")
        response = getattr(client, method)(
            url, data='{"given_name": ', content_type="application/json"
        )
        answers[f"{method.upper()} {path}"] = (response.status_code, response.json())

    assert len(answers) == 10
    assert answers == dict.fromkeys(answers, (400, PARSE_ERROR))


def test_a_null_tag_list_empties_the_tags(api_client_for, north_contact):
    """Given a contact with a tag, when it is patched with "tags": null, then it has no tags
    (as with "tags": []) instead of a server error."""
    client = api_client_for("agent_n")
    url = f"/api/v1/contacts/{north_contact.public_id}"
    client.patch(url, data=json.dumps({"tags": ["vip"]}), content_type="application/json")

    response = client.patch(url, data=json.dumps({"tags": None}), content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["tags"] == []
