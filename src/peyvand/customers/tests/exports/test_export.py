"""Export through the CLI: formula-safe cells, Excel-friendly CSV, and a lossless round trip."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from peyvand.api.serializers import contact_detail
from peyvand.customers.models import Contact, Organization
from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    CustomFieldInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    contact_delete,
    custom_field_create,
)

pytestmark = pytest.mark.django_db

IGNORED = {"id", "created_at", "updated_at", "version", "consents", "preferred_language",
           "preferred_channel"}  # fmt: skip


@pytest.fixture
def rich(users, settings, tmp_path):
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    admin, agent = users["admin"], users["agent_n"]
    for key, kind, extra in [
        ("level", "choice", {"choices": ["طلایی", "نقره‌ای"]}),
        ("since", "date", {}),
        ("limit", "money", {}),
        ("vip", "boolean", {}),
        ("channels", "multi_choice", {"choices": ["SMS", "Email", "Phone"]}),
        ("memo", "long_text", {}),
    ]:
        custom_field_create(
            actor=admin,
            data=CustomFieldInput(entity="contact", key=key, label=key.title(), field_type=kind,
                                  **extra),
        )  # fmt: skip
    from peyvand.customers.services import organization_create

    org = organization_create(actor=agent, data=OrganizationInput(name="شرکت پارس"))
    contact_create(
        actor=agent,
        data=ContactInput(
            given_name="علی", family_name="رضایی",
            emails=[EmailInput("ali@x.com"), EmailInput("ali2@x.com")],
            phones=[PhoneInput("09121234567"), PhoneInput("+44 20 7946 0958", kind="work")],
            addresses=[AddressInput(line="خیابان ولیعصر، پلاک ۱", city="تهران", province="تهران",
                                    postal_code="1234567890")],
            birth_date=dt.date(1991, 4, 4), national_id="0013542419",
            lifecycle_stage="repeat_customer", acquisition_source="نمایشگاه",
            tags=["VIP", "طلایی"], notes="line one\nline two; with = sign",
            organizations=[MembershipInput(org.public_id, job_title="مدیر")],
            custom_fields={"level": "طلایی", "since": "1400/01/01", "limit": "5000000",
                           "vip": True, "channels": ["SMS", "Phone"], "memo": "=HYPERLINK(x)"},
        ),
    )  # fmt: skip
    contact_create(
        actor=agent,
        data=ContactInput(
            display_name="=cmd|'/c calc'!A1",
            given_name="+danger",
            family_name="@sum",
            emails=[EmailInput("evil@x.com")],
        ),
    )
    return agent


def _export(*args) -> bytes:
    out = io.BytesIO()

    class Wrapper(io.TextIOWrapper):
        pass

    path = None
    for i, arg in enumerate(args):
        if arg == "--output":
            path = args[i + 1]
    call_command("export", *args)
    with open(path, "rb") as fh:
        out.write(fh.read())
    return out.getvalue()


def _snapshot():
    result = {}
    for contact in Contact.objects.all():
        data = contact_detail(contact)
        for key in IGNORED:
            data.pop(key, None)
        data["organizations"] = [
            (m["organization_name"], m["job_title"]) for m in data["organizations"]
        ]
        data["team"] = None
        result[data["display_name"]] = data
    return result


def test_csv_has_bom_and_neutralises_formulas(rich, tmp_path):
    target = tmp_path / "c.csv"
    data = _export("contacts", "--format", "csv", "--output", str(target), "--user", "agent_n")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    evil = next(r for r in rows if "evil@x.com" in r)
    assert evil[header.index("Full name")] == "'=cmd|'/c calc'!A1"
    assert evil[header.index("Given name")] == "'+danger"
    assert evil[header.index("Family name")] == "'@sum"
    ali = next(r for r in rows if "ali@x.com; ali2@x.com" in r)
    assert ali[header.index("Mobile")] == "'+989121234567"
    assert ali[header.index("Work phone")] == "'+442079460958"
    assert ali[header.index("memo")] == "'=HYPERLINK(x)"


def _sheet_rows(sheet) -> list[dict]:
    """Each data row of ``sheet`` as {header: cell}."""
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def test_xlsx_cells_are_typed_text_without_a_visible_quote(rich, tmp_path):
    """Given a contact named like a formula and phones in E.164, when exported to XLSX, then
    each cell holds the value as it is, as a text cell (not a formula, no leading quote), in
    the machine layout (English headers, codes, ISO dates, a left-to-right sheet)."""
    target = tmp_path / "c.xlsx"
    _export("contacts", "--format", "xlsx", "--output", str(target), "--user", "agent_n")
    sheet = load_workbook(target).active
    rows = _sheet_rows(sheet)
    evil = next(r for r in rows if r["Email"].value == "evil@x.com")
    ali = next(r for r in rows if r["Family name"].value == "رضایی")
    cells = {
        "Full name": evil["Full name"], "Given name": evil["Given name"],
        "Family name": evil["Family name"], "Mobile": ali["Mobile"],
        "Work phone": ali["Work phone"], "memo": ali["memo"],
        "Birth date": ali["Birth date"], "Lifecycle stage": ali["Lifecycle stage"],
    }  # fmt: skip
    assert {key: (c.value, c.data_type) for key, c in cells.items()} == {
        "Full name": ("=cmd|'/c calc'!A1", "s"), "Given name": ("+danger", "s"),
        "Family name": ("@sum", "s"), "Mobile": ("+989121234567", "s"),
        "Work phone": ("+442079460958", "s"), "memo": ("=HYPERLINK(x)", "s"),
        "Birth date": ("1991-04-04", "s"), "Lifecycle stage": ("repeat_customer", "s"),
    }  # fmt: skip
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert not any(str(v).startswith("'") for v in values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.sheet_view.rightToLeft is None


def _persian(users, name="agent_n"):
    from peyvand.accounts.services import user_preferences_update

    return user_preferences_update(user=users[name], language="fa")


def test_readable_xlsx_for_a_persian_user(rich, tmp_path, users):
    """Given a Persian-speaking user, when they export with --layout readable, then the
    sheet is right to left, with the importer's Persian labels as headers, Persian stage
    names and yes/no, and Jalali dates in Persian digits."""
    _persian(users)
    target = tmp_path / "c.xlsx"
    _export("contacts", "--format", "xlsx", "--layout", "readable", "--output", str(target),
            "--user", "agent_n")  # fmt: skip
    sheet = load_workbook(target).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers[:4] == ["نام", "نام خانوادگی", "نام کامل", "ایمیل"]
    assert headers[-6:] == ["Level", "Since", "Limit", "Vip", "Channels", "Memo"]
    ali = next(r for r in _sheet_rows(sheet) if r["نام خانوادگی"].value == "رضایی")
    picked = ["موبایل / تلفن", "تاریخ تولد", "مرحلهٔ چرخهٔ عمر", "Since", "Vip", "Channels",
              "مالک (نام کاربری)"]  # fmt: skip
    assert {h: (ali[h].value, ali[h].data_type) for h in picked} == {
        "موبایل / تلفن": ("+989121234567", "s"), "تاریخ تولد": ("۱۳۷۰/۰۱/۱۵", "s"),
        "مرحلهٔ چرخهٔ عمر": ("مشتری وفادار", "s"), "Since": ("۱۴۰۰/۰۱/۰۱", "s"),
        "Vip": ("بله", "s"), "Channels": ("SMS; Phone", "s"), "مالک (نام کاربری)": ("agent_n", "s"),
    }  # fmt: skip
    assert sheet.sheet_view.rightToLeft is True


def test_readable_csv_keeps_its_formula_quote(rich, tmp_path, users):
    """Given a Persian user, when they export CSV in the readable layout, then the headers
    are Persian and a formula-like cell still gets its quote (CSV needs it)."""
    _persian(users)
    target = tmp_path / "c.csv"
    data = _export("contacts", "--layout", "readable", "--output", str(target),
                   "--user", "agent_n")  # fmt: skip
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    evil = dict(zip(rows[0], next(r for r in rows if "evil@x.com" in r), strict=True))
    assert (evil["نام کامل"], evil["نام"], evil["موبایل / تلفن"]) == ("'=cmd|'/c calc'!A1",
                                                                   "'+danger", "")  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_readable_persian_export_round_trips(rich, tmp_path, fmt, users):
    """Given a Persian user's readable export (Persian headers, stage names, Jalali dates),
    when the records are deleted and the file imported, then they come back unchanged."""
    _persian(users)
    before = _snapshot()
    target = tmp_path / f"c.{fmt}"
    _export("contacts", "--format", fmt, "--layout", "readable", "--output", str(target),
            "--user", "agent_n")  # fmt: skip
    for contact in Contact.objects.all():
        contact_delete(actor=users["admin"], public_id=contact.public_id)
    out = io.StringIO()
    call_command("import", "contacts", str(target), "--user", "agent_n", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert "created: 2" in out.getvalue(), out.getvalue()
    assert _snapshot() == before


def test_readable_organisations_in_english(rich, tmp_path, users):
    """Given an English-speaking user, when they export organisations readable, then the
    headers are the importer's English labels and the sheet is left to right."""
    target = tmp_path / "o.xlsx"
    _export("organizations", "--format", "xlsx", "--layout", "readable", "--output",
            str(target), "--user", "agent_n")  # fmt: skip
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Name", "Industry", "Website", "Email", "Phone")
    assert rows[0][-1] == "Owner (username)"
    assert rows[1][0] == "شرکت پارس"
    assert sheet.sheet_view.rightToLeft is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_is_lossless(rich, tmp_path, fmt, users):
    before = _snapshot()
    target = tmp_path / f"c.{fmt}"
    _export("contacts", "--format", fmt, "--output", str(target), "--user", "agent_n")
    for contact in Contact.objects.all():
        contact_delete(actor=users["admin"], public_id=contact.public_id)
    out = io.StringIO()
    call_command("import", "contacts", str(target), "--user", "agent_n", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert "created: 2" in out.getvalue(), out.getvalue()
    after = _snapshot()
    assert after == before
    assert Organization.objects.count() == 1  # the organisation was matched by name


def test_vcard_export_reads_back(rich, tmp_path, users):
    target = tmp_path / "c.vcf"
    data = _export("contacts", "--format", "vcf", "--output", str(target), "--user", "agent_n")
    assert data.count(b"BEGIN:VCARD") == 2
    for contact in Contact.objects.all():
        contact_delete(actor=users["admin"], public_id=contact.public_id)
    call_command("import", "contacts", str(target), "--user", "agent_n", stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    ali = Contact.objects.get(family_name="رضایی")
    assert sorted(p.number for p in ali.phones.all()) == ["+442079460958", "+989121234567"]
    assert [e.email for e in ali.emails.all()] == ["ali@x.com", "ali2@x.com"]
    assert str(ali.birth_date) == "1991-04-04"
    assert sorted(t.name for t in ali.tags.all()) == ["VIP", "طلایی"]
    assert ali.notes == "line one\nline two; with = sign"


def test_export_respects_visibility_and_filters(rich, tmp_path):
    target = tmp_path / "s.csv"
    data = _export("contacts", "--output", str(target), "--user", "agent_s")
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) == 1  # header only
    data = _export("contacts", "--output", str(target), "--user", "agent_n",
                   "--filter", "tag=VIP")  # fmt: skip
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2 and "ali@x.com; ali2@x.com" in rows[1]
