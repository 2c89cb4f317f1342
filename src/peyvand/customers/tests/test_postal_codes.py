"""Postal codes: stored with ASCII digits and no spaces, the same through the API and an
import, and refused (not cut) when too long."""

import csv
import io

import pytest
from django.core.management import call_command

from peyvand.customers.models import Address

pytestmark = pytest.mark.django_db


def test_the_api_and_an_import_store_the_same_postal_code(api_client_for, users, tmp_path):
    """Given «۱۲۳۴۵ - ۶۷۸۹۰» typed in the API and in a CSV, then both store 12345-67890."""
    client = api_client_for("agent_n")
    body = {
        "given_name": "Ali",
        "addresses": [{"line": "خیابان آزادی", "postal_code": "۱۲۳۴۵ - ۶۷۸۹۰"}],
    }
    assert client.post("/api/v1/contacts", body, content_type="application/json").status_code == 201
    path = tmp_path / "people.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["Given name", "Street address", "Postal code"],
                      ["Sara", "خیابان انقلاب", "۱۲۳۴۵ - ۶۷۸۹۰"]])  # fmt: skip
    path.write_text(buffer.getvalue(), encoding="utf-8")
    call_command("import", "contacts", str(path), user="agent_n", stdout=io.StringIO())

    assert sorted(Address.objects.values_list("contact__given_name", "postal_code")) == [
        ("Ali", "12345-67890"),
        ("Sara", "12345-67890"),
    ]


def test_a_too_long_postal_code_is_refused_naming_the_field(api_client_for, users):
    """Given a 25-character postal code, then the API answers 422 on that address's postal
    code and stores nothing."""
    client = api_client_for("agent_n")
    body = {"given_name": "Ali", "addresses": [{"line": "x", "postal_code": "1" * 25}]}

    response = client.post("/api/v1/contacts", body, content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["addresses.0.postal_code"]
    assert not Address.objects.exists()
