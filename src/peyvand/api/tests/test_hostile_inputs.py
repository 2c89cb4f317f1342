"""Inputs that used to answer 500 with a traceback (issue 15, item 7) get a 4xx that says what
is wrong: an If-Match whose version is not ASCII digits, a team id past any integer column, a
lone UTF-16 surrogate in a text field."""

import json

import pytest
from django.urls import reverse

from peyvand.customers.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_for):
    client = api_client_for("admin")
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an error
    return client


def test_an_if_match_with_a_superscript_version_is_stale_not_a_crash(api, north_contact):
    """Given If-Match "<id>-²" ("²" is a digit to str.isdigit, not to int), then the edit is
    refused as stale (412) and nothing changes."""
    response = api.patch(
        f"/api/v1/contacts/{north_contact.public_id}",
        {"notes": "changed"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{north_contact.public_id}-²"',
    )

    assert response.status_code == 412
    assert Contact.objects.get(pk=north_contact.pk).notes == ""


def test_a_team_id_past_any_integer_column_is_no_such_team(api, client_for):
    """Given ?team=99999999999999999999999, then the API list answers 422 naming team, and the
    web list and its export say there is no such team instead of crashing."""
    huge = "99999999999999999999999"

    response = api.get(f"/api/v1/contacts?team={huge}")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "team", "message": f"There is no team with id {huge}."}
    ]
    web = client_for("admin")
    web.raise_request_exception = False
    page = web.get(reverse("web:contact_list"), {"team": huge})
    assert page.status_code == 200
    assert f"There is no team with id {huge}." in page.content.decode()
    export = web.get(reverse("web:contact_export"), {"format": "xlsx", "team": huge})
    assert export.status_code == 400


def test_a_lone_surrogate_is_refused_naming_its_field(api):
    """Given "\\ud800" in the notes of a new contact (valid JSON, not valid Unicode), then the
    answer is 400 naming notes, and nothing is stored."""
    body = '{"given_name": "Ali", "notes": "a\\ud800b", "tags": ["ok", "\\udfff"]}'

    response = api.post("/api/v1/contacts", body, content_type="application/json")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["notes", "tags.1"]
    assert not Contact.objects.exists()
    json.dumps(response.json())  # the answer itself is valid JSON text
