"""The import CLI reads each phone's kind from its number (or from a column that names one),
and refuses what the services refuse: one rule for both (``customers.normalize``)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from peyvand.customers.models import Contact

pytestmark = pytest.mark.django_db


def _import(path: Path) -> str:
    out = io.StringIO()
    call_command("import", "contacts", str(path), "--user", "agent_n", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    return out.getvalue()


def _csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_phones_get_the_kind_of_their_number_or_of_their_column(users, tmp_path):
    """Given a "mobile" column holding a Tehran landline and a mobile, and a work phone column,
    when the file is imported, then the landline is a landline and the work phone is work."""
    path = _csv(
        tmp_path / "people.csv",
        [
            ["نام", "موبایل", "تلفن محل کار", "تلفن ثابت"],
            ["سارا", "۰۲۱-۸۸۷۷۶۶۵۵\n۰۹۱۲۱۲۳۴۵۶۷", "031 3222 1111", ""],
            ["مینا", "", "", "09351112233"],
        ],
    )
    output = _import(path)
    assert "created: 2" in output
    sara = Contact.objects.get(given_name="سارا")
    assert [(p.number, p.kind) for p in sara.phones.all()] == [
        ("+982188776655", "landline"),
        ("+989121234567", "mobile"),
        ("+983132221111", "work"),
    ]
    mina = Contact.objects.get(given_name="مینا")
    assert [(p.number, p.kind) for p in mina.phones.all()] == [("+989351112233", "landline")]


def test_the_import_refuses_and_accepts_emails_as_the_form_does(users, tmp_path):
    """Given a.b.c-style and leading-dot addresses (refused by the form) and an internationalised
    domain (accepted), the import reports the first two and stores the third."""
    path = _csv(
        tmp_path / "emails.csv",
        [["نام", "ایمیل"], ["الف", "a@b.c"], ["ب", ".a@x.com"], ["پ", "Info@مثال.ir"]],
    )
    output = _import(path)
    assert "created: 1" in output
    assert "row 2 [ایمیل]: “a@b.c” is not an email address." in output
    assert "row 3 [ایمیل]: “.a@x.com” is not an email address." in output
    assert Contact.objects.get().primary_email == "info@مثال.ir"
