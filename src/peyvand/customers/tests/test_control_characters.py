"""Control characters (issue 15, item 8): NUL, ESC, DEL and the bidi overrides are not stored
in names or notes (ZWNJ, which Persian words need, stays; a note keeps its lines), the list
isolates each name, and the CLI shows what older data still holds as escapes."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from peyvand.customers.models import Contact

pytestmark = pytest.mark.django_db


def test_the_api_stores_names_and_notes_without_control_characters(api_client_for, users):
    """Given a name with NUL, ESC and U+202E and a note with CR, VT and U+2028 line breaks,
    then the name keeps its letters and ZWNJ only, and the note its lines as \\n."""
    client = api_client_for("agent_n")
    body = {
        "given_name": "علی\u200cرضا\x00\x1b",
        "family_name": "\u202eرضایی",
        "notes": "اول\rدوم\x0bسوم\u2028چهارم\x00",
    }

    response = client.post("/api/v1/contacts", body, content_type="application/json")

    assert response.status_code == 201
    contact = Contact.objects.get()
    assert (contact.given_name, contact.family_name) == ("علی\u200cرضا", "رضایی")
    assert contact.notes == "اول\nدوم\nسوم\nچهارم"


def test_an_import_stores_the_same_as_the_api(users, tmp_path):
    """Given the same hostile name in a CSV, then the import stores it as the API does."""
    path = tmp_path / "people.csv"
    path.write_text("Given name,Family name\n\u202eعلی\x1b,رضایی\x7f\n", encoding="utf-8")

    call_command("import", "contacts", str(path), "--user", "agent_n", stdout=io.StringIO())

    assert list(Contact.objects.values_list("given_name", "family_name")) == [("علی", "رضایی")]


def test_the_cli_shows_control_characters_left_in_old_data_as_escapes(users, north_contact):
    """Given a contact saved before this rule with ESC codes in its name, when the CLI lists
    contacts, then the terminal gets the escape written out, not the colour code."""
    Contact.objects.filter(pk=north_contact.pk).update(display_name="Ali\x1b[31m RED\u202e")
    out = io.StringIO()

    call_command("contacts", "list", "--user", "agent_n", stdout=out)

    assert "Ali\\x1b[31m RED\\u202e" in out.getvalue()
    assert "\x1b" not in out.getvalue()


def test_the_list_isolates_each_name(client_for, north_contact):
    """Then each name in the list sits in its own <bdi>, so one name cannot reorder the row."""
    page = client_for("agent_n").get(reverse("web:contact_list")).content.decode()

    assert f"<bdi>{north_contact.display_name}</bdi>" in page
