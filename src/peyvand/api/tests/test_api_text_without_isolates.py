"""API text is plain: no bidi isolates (U+2068/U+2069) around values in Persian messages, and
history labels in the caller's language."""

import json

import pytest
from django.test import Client

from peyvand.accounts.services import token_create, user_create
from peyvand.customers.services import ContactInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fa_api(teams):
    """An API client of a Persian-speaking agent, asking for Persian."""
    user = user_create(
        actor=None, username="maryam", password="pass-maryam", role="agent",
        teams=[teams["north"]], language="fa", validate_password_strength=False,
    )  # fmt: skip
    token = token_create(user=user, name="test", scope="write")
    client = Client(headers={"authorization": f"Bearer {token.plaintext}", "accept-language": "fa"})
    client.user = user
    return client


def test_persian_field_message_has_no_bidi_isolates(fa_api):
    """Given a bad phone sent in Persian; then the message names the value in « » with no
    invisible characters around it."""
    response = fa_api.post(
        "/api/v1/contacts",
        data=json.dumps({"given_name": "سارا", "phones": [{"number": "0935"}]}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "phones.0", "message": "«0935» شمارهٔ تلفن معتبری نیست."}
    ]
    assert "\u2068" not in response.content.decode() and "\u2069" not in response.content.decode()


def test_history_labels_in_persian(fa_api):
    """Given a Persian caller; when tags changed; then the history label is «برچسب‌ها»."""
    contact = contact_create(actor=fa_api.user, data=ContactInput(given_name="علی"))
    fa_api.patch(
        f"/api/v1/contacts/{contact.public_id}",
        data=json.dumps({"tags": ["طلایی"]}),
        content_type="application/json",
    )

    history = fa_api.get(f"/api/v1/contacts/{contact.public_id}/history").json()

    assert history[0]["changes"] == [
        {"field": "tags", "label": "برچسب‌ها", "old": [], "new": ["طلایی"]}
    ]
