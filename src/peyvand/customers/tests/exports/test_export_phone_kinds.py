"""Exports keep each phone's kind: a Landline column in CSV, the vCard TEL type per kind."""

import csv
import io

import pytest
from django.core.management import call_command

from peyvand.customers.services import ContactInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara(users):
    return contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Sara",
            family_name="Karimi",
            phones=[
                PhoneInput("۰۲۱-۸۸۷۷۶۶۵۵"),
                PhoneInput("09121234567"),
                PhoneInput("031 3222 1111", kind="work"),
                PhoneInput("+44 20 7946 0958", kind="fax"),
            ],
        ),
    )


def _export(tmp_path, *args) -> bytes:
    target = tmp_path / "out"
    call_command("export", "contacts", "--output", str(target), "--user", "agent_n", *args)
    return target.read_bytes()


def test_csv_has_the_landline_in_its_own_column(sara, tmp_path):
    rows = list(csv.DictReader(io.StringIO(_export(tmp_path).decode("utf-8-sig"))))
    assert len(rows) == 1
    assert {key: rows[0][key] for key in ("Mobile", "Landline", "Work phone", "Fax")} == {
        "Mobile": "'+989121234567",
        "Landline": "'+982188776655",
        "Work phone": "'+983132221111",
        "Fax": "'+442079460958",
    }


def test_vcard_types_a_mobile_cell_and_a_landline_voice(sara, tmp_path):
    card = _export(tmp_path, "--format", "vcf").decode()
    tels = [line for line in card.split("\r\n") if line.startswith("TEL")]
    assert tels == [
        "TEL;TYPE=CELL:+989121234567",
        "TEL;TYPE=VOICE:+982188776655",
        "TEL;TYPE=WORK,VOICE:+983132221111",
        "TEL;TYPE=FAX:+442079460958",
    ]
