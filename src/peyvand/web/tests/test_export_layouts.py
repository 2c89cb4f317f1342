""" "Export this view" in the reader's layout (fa: Persian headers and values, Jalali dates, a
right-to-left sheet) or the machine layout, through the Django test client."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peyvand.accounts.services import user_preferences_update
from peyvand.customers.services import ContactInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(users):
    return contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="مریم",
            family_name="احمدی",
            phones=[PhoneInput("09121234567")],
            birth_date=dt.date(1991, 4, 4),
            lifecycle_stage="customer",
        ),
    )


def _sheet(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return sheet, {h: (c.value, c.data_type) for h, c in zip(header, rows[1], strict=True)}


def test_persian_user_gets_a_persian_right_to_left_sheet(client_for, users, customer):
    """Given a Persian-speaking agent, when they export the contact list as Excel, then the
    headers and the stage are Persian, the birth date Jalali, the phone a text cell without
    a quote, and the sheet right to left."""
    user_preferences_update(user=users["agent_n"], language="fa")
    response = client_for("agent_n").get(reverse("web:contact_export"), {"format": "xlsx"})
    sheet, row = _sheet(response)
    assert sheet.sheet_view.rightToLeft is True
    assert {h: row[h] for h in ("نام", "موبایل / تلفن", "تاریخ تولد", "مرحلهٔ چرخهٔ عمر")} == {
        "نام": ("مریم", "s"),
        "موبایل / تلفن": ("+989121234567", "s"),
        "تاریخ تولد": ("۱۳۷۰/۰۱/۱۵", "s"),
        "مرحلهٔ چرخهٔ عمر": ("مشتری", "s"),
    }


def test_english_user_gets_english_names_and_gregorian_dates(client_for, customer):
    """Given an English-speaking agent, when they export as Excel, then headers and the stage
    are English words, the date Gregorian and the sheet left to right."""
    response = client_for("agent_n").get(reverse("web:contact_export"), {"format": "xlsx"})
    sheet, row = _sheet(response)
    assert sheet.sheet_view.rightToLeft is None
    assert {h: row[h] for h in ("Given name", "Mobile / phone", "Birth date")} == {
        "Given name": ("مریم", "s"),
        "Mobile / phone": ("+989121234567", "s"),
        "Birth date": ("1991-04-04", "s"),
    }
    assert row["Lifecycle stage"] == ("Customer", "s")


def test_machine_layout_has_english_columns_codes_and_iso_dates(client_for, users, customer):
    """Given a Persian-speaking agent, when they pick the machine layout, then the columns
    are the importer's English names, the stage its code, the date ISO, left to right."""
    user_preferences_update(user=users["agent_n"], language="fa")
    client = client_for("agent_n")
    response = client.get(reverse("web:contact_export"), {"format": "xlsx", "layout": "machine"})
    sheet, row = _sheet(response)
    assert sheet.sheet_view.rightToLeft is None
    assert {h: row[h] for h in ("Given name", "Mobile", "Birth date", "Lifecycle stage")} == {
        "Given name": ("مریم", "s"),
        "Mobile": ("+989121234567", "s"),
        "Birth date": ("1991-04-04", "s"),
        "Lifecycle stage": ("customer", "s"),
    }
    body = client.get(reverse("web:contact_export"), {"format": "csv", "layout": "machine"})
    rows = list(csv.reader(io.StringIO(b"".join(body.streaming_content).decode("utf-8-sig"))))
    assert dict(zip(rows[0], rows[1], strict=True))["Mobile"] == "'+989121234567"


def test_persian_csv_export_keeps_the_formula_quote(client_for, users, customer):
    """Given a Persian-speaking agent, when they export CSV, then the headers are Persian and
    the phone keeps the quote that stops a spreadsheet from reading it as a formula."""
    user_preferences_update(user=users["agent_n"], language="fa")
    response = client_for("agent_n").get(reverse("web:contact_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["موبایل / تلفن"], row["تاریخ تولد"]) == ("'+989121234567", "۱۳۷۰/۰۱/۱۵")


def test_unknown_layout_is_refused_in_the_users_language(client_for, users, customer):
    """Given a Persian-speaking agent, when the export asks for an unknown layout or format,
    then it answers 400 with a Persian message naming the choices."""
    user_preferences_update(user=users["agent_n"], language="fa")
    client = client_for("agent_n")
    bad_layout = client.get(reverse("web:contact_export"), {"format": "csv", "layout": "x"})
    bad_format = client.get(reverse("web:organization_export"), {"format": "vcf"})
    assert (bad_layout.status_code, bad_layout.content.decode()) == (
        400,
        "یکی از چیدمان‌های readable یا machine را انتخاب کنید.",
    )
    assert (bad_format.status_code, bad_format.content.decode()) == (
        400,
        "یکی از قالب‌های csv، xlsx یا (برای مخاطبان) vcf را انتخاب کنید.",
    )


def test_list_page_offers_the_machine_layout(client_for, customer):
    """Given the contact list, when it is shown, then the export menu offers the machine
    layout next to the readable one."""
    html = client_for("agent_n").get(reverse("web:contact_list")).content.decode()
    assert 'id="export-xlsx-machine"' in html
    assert 'data-layout="machine"' in html
    assert "For other programs: English column names, codes and ISO dates" in html
