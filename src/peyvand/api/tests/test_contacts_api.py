"""Contacts through the JSON API: validation, normalisation, ETags, paging, filters."""

import json

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.services import (
    ContactInput,
    CustomFieldInput,
    contact_create,
    custom_field_create,
)

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _patch(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def test_create_normalises_persian_letters_digits_and_phone(api_client_for):
    """Given Arabic-keyboard letters and Persian digits, the stored contact is normalised."""
    client = api_client_for("agent_n")
    response = _post(
        client,
        "/api/v1/contacts",
        {
            "given_name": "علي",
            "family_name": "كريمي",
            "phones": [{"number": "۰۹۱۲ ۱۲۳ ۴۵۶۷"}],
            "emails": [{"email": " Ali@Example.COM "}],
            "national_id": "۰۰۱۳۵۴۲۴۱۹",
            "birth_date": "1991-04-04",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["display_name"] == "علی کریمی"
    assert body["phones"] == [{"number": "+989121234567", "kind": "mobile", "is_primary": True}]
    assert body["primary_email"] == "ali@example.com"
    assert body["national_id"] == "0013542419"
    assert body["owner"] == "agent_n"
    assert body["team"]["name"] == "North"
    assert response["ETag"] == f'"{body["id"]}-1"'


def test_invalid_fields_are_named(api_client_for):
    """Given a bad phone, email and national ID, then 422 names each and nothing is stored."""
    client = api_client_for("agent_n")
    response = _post(
        client,
        "/api/v1/contacts",
        {
            "given_name": "Bad",
            "phones": [{"number": "0912"}, {"number": "12345"}],
            "emails": [{"email": "not-an-email"}],
            "national_id": "1234567890",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"phones.0", "phones.1", "emails.0", "national_id"}
    assert "12345" in json.dumps(response.json(), ensure_ascii=False)
    assert not Contact.objects.filter(given_name="Bad").exists()


def test_schema_errors_name_the_field(api_client_for):
    client = api_client_for("agent_n")
    response = _post(client, "/api/v1/contacts", {"lifecycle_stage": "vip", "given_name": "x"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lifecycle_stage"]


def test_stale_if_match_is_refused_with_412(api_client_for, north_contact):
    """Given two clients that read version 1, when both write, the second gets 412."""
    client = api_client_for("agent_n")
    url = f"/api/v1/contacts/{north_contact.public_id}"
    etag = client.get(url)["ETag"]
    first = _patch(client, url, {"notes": "first"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'"{north_contact.public_id}-2"'
    second = _patch(client, url, {"notes": "second"}, HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert second["ETag"] == first["ETag"]
    north_contact.refresh_from_db()
    assert north_contact.notes == "first"
    assert north_contact.version == 2


def test_patch_leaves_unsent_fields_alone(api_client_for, north_contact):
    client = api_client_for("agent_n")
    url = f"/api/v1/contacts/{north_contact.public_id}"
    response = _patch(client, url, {"lifecycle_stage": "customer"})
    assert response.status_code == 200
    body = response.json()
    assert body["lifecycle_stage"] == "customer"
    assert body["phones"][0]["number"] == "+989121234567"
    assert body["given_name"] == "علی"


def test_cursor_pagination_walks_every_row_once(users, api_client_for):
    agent = users["agent_n"]
    for i in range(7):
        contact_create(actor=agent, data=ContactInput(given_name=f"P{i}"))
    client = api_client_for("agent_n")
    seen, cursor = [], None
    while True:
        url = "/api/v1/contacts?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        seen += [item["display_name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"P{i}" for i in reversed(range(7))]
    assert client.get("/api/v1/contacts?cursor=%%%").status_code == 422


def test_filters_by_stage_tag_owner_and_custom_field(users, api_client_for):
    admin, agent = users["admin"], users["agent_n"]
    custom_field_create(
        actor=admin,
        data=CustomFieldInput(
            entity="contact", key="level", label="Level", field_type="choice",
            choices=["طلایی", "نقره‌ای"],
        ),
    )  # fmt: skip
    contact_create(
        actor=agent,
        data=ContactInput(
            given_name="Gold", lifecycle_stage="customer", tags=["VIP"],
            custom_fields={"level": "طلايي"},
        ),
    )  # fmt: skip
    contact_create(actor=agent, data=ContactInput(given_name="Plain"))
    client = api_client_for("agent_n")

    def names(query):
        response = client.get("/api/v1/contacts?" + query)
        assert response.status_code == 200, response.content
        return [i["display_name"] for i in response.json()["items"]]

    assert names("lifecycle_stage=customer") == ["Gold"]
    assert names("tag=VIP") == ["Gold"]
    assert names("cf_level=طلایی") == ["Gold"]
    assert names("owner=agent_n") == ["Plain", "Gold"]
    assert client.get("/api/v1/contacts?cf_nope=1").status_code == 422


def test_custom_field_values_validated_and_returned(users, api_client_for):
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(
            entity="contact", key="since", label="Since", field_type="date", required=True
        ),
    )
    client = api_client_for("agent_n")
    missing = _post(client, "/api/v1/contacts", {"given_name": "A"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "custom_fields.since"
    bad = _post(client, "/api/v1/contacts", {"given_name": "A", "custom_fields": {"since": "x"}})
    assert bad.status_code == 422
    good = _post(
        client, "/api/v1/contacts", {"given_name": "A", "custom_fields": {"since": "۱۴۰۳/۰۱/۱۵"}}
    )
    assert good.status_code == 201
    assert good.json()["custom_fields"] == {"since": "2024-04-03"}


def test_search_finds_other_letter_variant_and_digit_style(api_client_for, north_contact):
    client = api_client_for("agent_n")
    for query in ["علي", "رضايي", "۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123", "ali@exa"]:
        response = client.get("/api/v1/contacts/search", {"q": query})
        assert [c["id"] for c in response.json()] == [north_contact.public_id], query


def test_history_lists_field_changes(api_client_for, north_contact):
    client = api_client_for("agent_n")
    url = f"/api/v1/contacts/{north_contact.public_id}"
    _patch(client, url, {"family_name": "رضائی"})
    history = client.get(url + "/history").json()
    assert history[0]["kind"] == "changed"
    assert history[0]["user"] == "agent_n"
    assert sorted(history[0]["changes"], key=lambda c: c["field"]) == [
        {"field": "display_name", "label": "display name", "old": "علی رضایی", "new": "علی رضائی"},
        {"field": "family_name", "label": "family name", "old": "رضایی", "new": "رضائی"},
    ]


def test_session_auth_needs_csrf(client_for, users):
    """Given a web session, when it POSTs without a CSRF token, then it is refused."""
    client = client_for("agent_n")
    client.handler.enforce_csrf_checks = True
    response = _post(client, "/api/v1/contacts", {"given_name": "X"})
    assert response.status_code in {401, 403}
    assert not Contact.objects.filter(given_name="X").exists()


def test_revoked_and_garbage_tokens_are_401(client, users):
    from peyvand.accounts.services import token_create, token_revoke

    issued = token_create(user=users["agent_n"], name="t", scope="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    token_revoke(actor=users["agent_n"], token_id=issued.token.pk)
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer pvd_x_y").status_code == 401


def test_openapi_declares_error_statuses(client):
    schema = client.get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/contacts/{public_id}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "412", "422"} <= set(patch)


def test_list_page_summaries_equal_the_detail_summary(users, api_client_for):
    """The list's query-saving serializer says exactly what ``contact_summary`` says."""
    from peyvand.api.serializers import contact_summary
    from peyvand.customers.services import EmailInput, PhoneInput

    agent = users["agent_n"]
    contact_create(
        actor=agent,
        data=ContactInput(
            given_name="A", tags=["z", "VIP"], emails=[EmailInput("a@x.com"), EmailInput("b@x.com",
            is_primary=True)], phones=[PhoneInput("09121234567")],
        ),
    )  # fmt: skip
    contact_create(actor=agent, data=ContactInput(given_name="Bare"))
    items = api_client_for("agent_n").get("/api/v1/contacts").json()["items"]
    expected = [contact_summary(c) for c in Contact.objects.order_by("-id")]
    for item, want in zip(items, expected, strict=True):
        assert item["primary_email"] == want["primary_email"]
        assert item["primary_phone"] == want["primary_phone"]
        assert sorted(item["tags"]) == sorted(want["tags"])


def test_list_page_matches_its_schema_and_the_detail_rendering(users, api_client_for):
    """The list page skips ninja's re-validation, so prove it keeps the declared shape and
    renders every shared field exactly as the (validated) detail endpoint does."""
    from peyvand.api.schemas import ContactPage

    agent = users["agent_n"]
    contact_create(actor=agent, data=ContactInput(given_name="Tagged", tags=["z", "VIP", "آبی"]))
    client = api_client_for("agent_n")
    body = client.get("/api/v1/contacts").json()
    ContactPage.model_validate(body)
    item = body["items"][0]
    detail = client.get(f"/api/v1/contacts/{item['id']}").json()
    assert {key: detail[key] for key in item} == item
