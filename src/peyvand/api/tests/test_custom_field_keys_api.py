"""POST /api/v1/custom-fields without a key: the key is made from the label."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _create(client, body):
    return client.post("/api/v1/custom-fields", json.dumps(body), content_type="application/json")


def test_a_persian_label_without_a_key_gets_a_unique_latin_key(api_client_for):
    """Given an admin posts «شماره پرونده» twice with no key, then the keys are shmare_prunde
    and shmare_prunde_2."""
    client = api_client_for("admin")
    body = {"entity": "contact", "label": "شماره پرونده", "field_type": "text"}

    first, second = _create(client, body), _create(client, body)

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["key"], second.json()["key"]) == ("shmare_prunde", "shmare_prunde_2")
