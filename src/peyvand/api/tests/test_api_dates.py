"""The API takes dates as the web form does: Jalali or Gregorian, Persian or ASCII digits,
``/`` or ``-`` (the same ``parse_date``)."""

import json

import pytest

from peyvand.customers.models import Contact

pytestmark = pytest.mark.django_db


def _post(client, body):
    return client.post("/api/v1/contacts", data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("typed", ["۱۳۷۰/۰۵/۱۲", "1370-05-12", "1991-08-03", "۱۹۹۱/۸/۳"])
def test_a_birth_date_in_any_form_the_web_takes_is_stored(api_client_for, typed):
    """Given a birth date typed as Jalali or Gregorian, in Persian or ASCII digits, when a
    contact is created through the API, then it stores and answers 1991-08-03."""
    response = _post(api_client_for("agent_n"), {"given_name": "Ali", "birth_date": typed})

    assert response.status_code == 201, response.content
    assert response.json()["birth_date"] == "1991-08-03"
    assert Contact.objects.get(public_id=response.json()["id"]).birth_date.isoformat() == (
        "1991-08-03"
    )


def test_a_patch_takes_a_jalali_date_too(api_client_for, north_contact):
    """Given a saved contact, when its birth date is patched with a Jalali date, then the
    Gregorian day is stored."""
    response = api_client_for("agent_n").patch(
        f"/api/v1/contacts/{north_contact.public_id}",
        data=json.dumps({"birth_date": "1403/01/15"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["birth_date"] == "2024-04-03"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1370/13/40", "“1370/13/40” is not a real calendar date."),
        ("tomorrow", "“tomorrow” is not a date. Type it as 1403/01/15 or 2024-04-03."),
        (19910803, "Enter a date such as 1403/01/15 or 2024-04-03."),
    ],
)
def test_a_bad_date_is_a_422_naming_the_field(api_client_for, typed, message):
    """Given a date that is no date, when it is sent, then the answer is 422 naming
    birth_date with what to type, and nothing is stored."""
    response = _post(api_client_for("agent_n"), {"given_name": "Ali", "birth_date": typed})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request has invalid fields.",
        "errors": [{"field": "birth_date", "message": message}],
    }
    assert Contact.objects.count() == 0


def test_list_filters_take_jalali_dates(api_client_for, north_contact):
    """Given a contact created today, when contacts are listed created after 1300/01/01
    (Jalali) or before ۱۳۰۰/۰۱/۰۱, then the first finds it and the second does not."""
    client = api_client_for("agent_n")

    after = client.get("/api/v1/contacts", {"created_after": "1300/01/01"})
    before = client.get("/api/v1/contacts", {"created_before": "۱۳۰۰/۰۱/۰۱"})

    assert [c["id"] for c in after.json()["items"]] == [north_contact.public_id]
    assert before.json()["items"] == []
