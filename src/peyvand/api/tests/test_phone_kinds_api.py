"""Phone kinds through the JSON API: found from the number, or the one the client chose."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_landline_is_served_as_a_landline_and_a_chosen_kind_wins(api_client_for):
    """Given a landline with no kind, a mobile with none and a landline sent as "home", when the
    contact is created and read back, then each has its number's kind or the chosen one."""
    client = api_client_for("agent_n")
    response = _post(
        client,
        "/api/v1/contacts",
        {
            "given_name": "Sara",
            "phones": [
                {"number": "۰۲۱-۸۸۷۷۶۶۵۵"},
                {"number": "0912 123 4567", "kind": None},
                {"number": "031 3222 1111", "kind": "home"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    expected = [
        {"number": "+982188776655", "kind": "landline", "is_primary": True},
        {"number": "+989121234567", "kind": "mobile", "is_primary": False},
        {"number": "+983132221111", "kind": "home", "is_primary": False},
    ]
    assert response.json()["phones"] == expected
    detail = client.get(f"/api/v1/contacts/{response.json()['id']}")
    assert detail.json()["phones"] == expected


def test_an_unknown_kind_is_refused(api_client_for):
    client = api_client_for("agent_n")
    response = _post(
        client,
        "/api/v1/contacts",
        {"given_name": "Sara", "phones": [{"number": "02188776655", "kind": "pager"}]},
    )
    assert response.status_code == 422
    assert "Sara" not in str(client.get("/api/v1/contacts").json())


def test_the_schema_says_a_missing_kind_is_read_from_the_number(api_client_for):
    schema = api_client_for("agent_n").get("/api/v1/openapi.json").json()
    phone_in = schema["components"]["schemas"]["PhoneIn"]["properties"]["kind"]
    assert "landline" in phone_in["anyOf"][0]["enum"]
    assert phone_in["description"] == (
        "Leave out (or null) to take the number's own kind: mobile, landline (a fixed line) "
        "or other."
    )
    assert "kind" not in schema["components"]["schemas"]["PhoneIn"].get("required", [])
    phone_out = schema["components"]["schemas"]["PhoneOut"]
    assert phone_out["properties"]["kind"]["enum"] == [
        "mobile", "landline", "work", "home", "fax", "other"
    ]  # fmt: skip
    assert "kind" in phone_out["required"]
