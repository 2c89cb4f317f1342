"""Hostile cells (issue 15, item 7): a CSV cell past the csv module's size limit, and numbers
past what a custom number field holds, are refused with a message naming the row or the
field — never a traceback."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peyvand.customers.models import Contact, CustomFieldValue
from peyvand.customers.services import CustomFieldInput, custom_field_create

pytestmark = pytest.mark.django_db


def test_a_300_kb_cell_stops_the_import_naming_its_row(users, tmp_path):
    """Given a CSV whose third row holds a 300 KB note, when it is imported, then the import
    says row 3 has a cell longer than the limit, and the file's earlier rows are checked."""
    path = tmp_path / "big-cell.csv"
    path.write_text("Given name,Notes\nAli,short\nSara," + "x" * 300_000 + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "contacts", str(path), "--user", "agent_n", "--dry-run",
                     stdout=out, stderr=err)  # fmt: skip

    assert "Row 3 has a cell longer than 131,072 characters" in str(raised.value)
    assert not Contact.objects.exists()


@pytest.mark.parametrize("value", ["1e300", "9" * 32, "0.0000001"])
def test_a_number_past_the_column_is_refused_naming_the_field(api_client_for, users, value):
    """Given a number custom field, when the API is sent 1e300, 32 nines or seven decimals,
    then it answers 422 on that field and stores nothing."""
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="credit", label="Credit", field_type="number"),
    )
    client = api_client_for("agent_n")
    client.raise_request_exception = False
    body = {"given_name": "Ali", "custom_fields": {"credit": value}}

    response = client.post("/api/v1/contacts", body, content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["custom_fields.credit"]
    assert "too large or too precise" in response.json()["errors"][0]["message"]
    assert not CustomFieldValue.objects.exists()
