"""Export contacts and organisations as CSV (UTF-8 with BOM, for Excel), XLSX or vCard 3.0.

Two layouts (``calendar``): the machine layout (``None``) has the importer's English column
names, stored codes (``repeat_customer``) and ISO dates, for scripts; the readable one has
the importer's field labels and values (stage names, yes/no) in the active language and dates
in the given calendar (Jalali: ``۱۴۰۰/۰۱/۰۱``). The importer maps both, so an exported file
maps itself either way.

CSV cells are neutralised against formula injection (a leading = + - @ tab or CR gets a
quote, which the importer removes again). XLSX cells are typed text, which a spreadsheet
never runs, so they keep their value as it is (``+98912…``, no visible quote).
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from functools import wraps

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext

from peyvand.common.cli import csv_safe
from peyvand.common.jalali import format_date
from peyvand.customers.custom_fields import display_value
from peyvand.customers.imports.mapping import CONTACT_TARGETS, ORGANIZATION_TARGETS
from peyvand.customers.models import (
    Contact,
    ContactOrganization,
    CustomFieldDefinition,
    CustomFieldType,
    CustomFieldValue,
    LifecycleStage,
    Organization,
)

CONTACT_COLUMNS = [
    ("given_name", "Given name"), ("family_name", "Family name"), ("display_name", "Full name"),
    ("email", "Email"), ("email:work", "Work email"), ("email:other", "Other email"),
    ("phone", "Mobile"), ("phone:landline", "Landline"), ("phone:work", "Work phone"),
    ("phone:home", "Home phone"), ("phone:fax", "Fax"), ("phone:other", "Other phone"),
    ("national_id", "National ID"),
    ("birth_date", "Birth date"), ("lifecycle_stage", "Lifecycle stage"),
    ("acquisition_source", "Acquisition source"), ("organization", "Organisation"),
    ("job_title", "Job title"), ("address", "Street address"), ("city", "City"),
    ("province", "Province"), ("postal_code", "Postal code"), ("country", "Country"),
    ("tags", "Tags"), ("notes", "Notes"), ("external_id", "External ID"), ("owner", "Owner"),
]  # fmt: skip
ORGANIZATION_COLUMNS = [
    ("name", "Name"), ("industry", "Industry"), ("website", "Website"), ("email", "Email"),
    ("phone", "Phone"), ("national_id", "National ID"), ("address", "Street address"),
    ("city", "City"), ("province", "Province"), ("postal_code", "Postal code"),
    ("tags", "Tags"), ("notes", "Notes"), ("external_id", "External ID"), ("owner", "Owner"),
]  # fmt: skip
MULTI_SEPARATOR = "; "
CHUNK = 2000


def _custom_definitions(entity: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(entity=entity, is_active=True))


def _language() -> str:
    return "fa" if (translation.get_language() or "fa").startswith("fa") else "en"


def _date_cell(value, calendar: str | None) -> str:
    """ISO in the machine layout; else the calendar's short form, Persian digits in fa."""
    if not value:
        return ""
    if calendar is None:
        return value.isoformat()
    return format_date(value, calendar=calendar, language=_language())


def _in_callers_language(rows_function):
    """Rows in the language active when they were asked for, though a streamed response
    reads them later, outside the view."""

    @wraps(rows_function)
    def rows(*args, **kwargs) -> Iterator[list[str]]:
        language = translation.get_language()

        def generate():
            with translation.override(language):
                yield from rows_function(*args, **kwargs)

        return generate()

    return rows


def _headers(columns, targets, definitions, calendar: str | None) -> list[str]:
    if calendar is None:
        return [label for _, label in columns] + [d.key for d in definitions]
    return [str(targets.get(key, label)) for key, label in columns] + [
        d.label or d.key for d in definitions
    ]


def _custom_cells(record, definitions, entity: str, calendar: str | None = None) -> list[str]:
    values = {v.definition_id: v for v in record.custom_values.all()}
    cells = []
    for definition in definitions:
        stored = values.get(definition.pk)
        value = display_value(definition, stored) if stored else None
        if isinstance(value, list):
            value = MULTI_SEPARATOR.join(value)
        elif isinstance(value, bool):
            yes, no = ("yes", "no") if calendar is None else (gettext("Yes"), gettext("No"))
            value = yes if value else no
        elif value and definition.field_type == CustomFieldType.DATE:
            value = _date_cell(stored.value_date, calendar)
        cells.append("" if value is None else str(value))
    return cells


def _by_kind(prefix: str, items: list[tuple[str, str]], default: str) -> dict[str, str]:
    """{"phone": "...; ...", "phone:work": "..."}: one column per kind, primary first."""
    cells: dict[str, list[str]] = {}
    for value, kind in items:
        cells.setdefault(prefix if kind == default else f"{prefix}:{kind}", []).append(value)
    keys = [key for key, _ in CONTACT_COLUMNS if key.startswith(prefix)]
    return {key: MULTI_SEPARATOR.join(cells.get(key, [])) for key in keys}


@_in_callers_language
def contact_rows(
    contacts: QuerySet[Contact], *, calendar: str | None = None
) -> Iterator[list[str]]:
    """Header row, then one row per contact (streamed in chunks with their children), in the
    machine layout or, given a ``calendar``, the readable one (module docstring)."""
    definitions = _custom_definitions("contact")
    yield _headers(CONTACT_COLUMNS, CONTACT_TARGETS, definitions, calendar)
    memberships = ContactOrganization.objects.select_related("organization")
    qs = contacts.select_related("owner").prefetch_related(
        "emails", "phones", "tags", "addresses",
        Prefetch("memberships", queryset=memberships),
        Prefetch("custom_values", queryset=CustomFieldValue.objects.all()),
    )  # fmt: skip
    for contact in qs.iterator(chunk_size=CHUNK):
        membership = next(iter(contact.memberships.all()), None)
        address = next(iter(contact.addresses.all()), None)
        row = {
            "given_name": contact.given_name,
            "family_name": contact.family_name,
            "display_name": contact.display_name,
            **_by_kind("email", [(e.email, e.kind) for e in contact.emails.all()], "personal"),
            **_by_kind("phone", [(p.number, p.kind) for p in contact.phones.all()], "mobile"),
            "national_id": contact.national_id,
            "birth_date": _date_cell(contact.birth_date, calendar),
            "lifecycle_stage": (
                contact.lifecycle_stage
                if calendar is None
                else str(LifecycleStage(contact.lifecycle_stage).label)
            ),
            "acquisition_source": contact.acquisition_source,
            "organization": membership.organization.name if membership else "",
            "job_title": membership.job_title if membership else "",
            "address": address.line if address else "",
            "city": address.city if address else "",
            "province": address.province if address else "",
            "postal_code": address.postal_code if address else "",
            "country": contact.country,
            "tags": MULTI_SEPARATOR.join(t.name for t in contact.tags.all()),
            "notes": contact.notes,
            "external_id": contact.external_id,
            "owner": contact.owner.username if contact.owner_id else "",
        }
        yield [row[key] for key, _ in CONTACT_COLUMNS] + _custom_cells(
            contact, definitions, "contact", calendar
        )


@_in_callers_language
def organization_rows(
    organizations: QuerySet[Organization], *, calendar: str | None = None
) -> Iterator[list[str]]:
    """As ``contact_rows``, for organisations."""
    definitions = _custom_definitions("organization")
    yield _headers(ORGANIZATION_COLUMNS, ORGANIZATION_TARGETS, definitions, calendar)
    qs = organizations.select_related("owner").prefetch_related(
        "tags", "addresses", Prefetch("custom_values", queryset=CustomFieldValue.objects.all())
    )
    for organization in qs.iterator(chunk_size=CHUNK):
        address = next(iter(organization.addresses.all()), None)
        row = {
            "name": organization.name,
            "industry": organization.industry,
            "website": organization.website,
            "email": organization.email,
            "phone": organization.phone,
            "national_id": organization.national_id,
            "address": address.line if address else "",
            "city": address.city if address else "",
            "province": address.province if address else "",
            "postal_code": address.postal_code if address else "",
            "tags": MULTI_SEPARATOR.join(t.name for t in organization.tags.all()),
            "notes": organization.notes,
            "external_id": organization.external_id,
            "owner": organization.owner.username if organization.owner_id else "",
        }
        yield [row[key] for key, _ in ORGANIZATION_COLUMNS] + _custom_cells(
            organization, definitions, "organization", calendar
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[list[str]]) -> Iterator[bytes]:
    """CSV as UTF-8 with a BOM (so Excel shows Persian), formula-safe, streamed."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row]).encode()


def xlsx_bytes(
    rows: Iterable[list[str]], *, title: str = "Peyvand", right_to_left: bool = False
) -> bytes:
    """One sheet of typed text cells: a value starting with = or + is text, shown as it is
    (no quote), and never a formula. ``right_to_left`` for a Persian reader."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    if right_to_left:
        sheet.sheet_view.rightToLeft = True

    def text_cell(value: str):
        if value in (None, ""):
            return None
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"  # openpyxl would otherwise take "=…" for a formula
        return cell

    for row in rows:
        sheet.append([text_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Every character that ends a line for a reader (ours splits with str.splitlines): a bare CR in
# a note must not end the card and start a forged one (RFC 6350 §3.4: newlines as \n).
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _vcard_escape(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _LINE_BREAKS.sub(r"\\n", escaped)


def vcard_chunks(contacts: QuerySet[Contact]) -> Iterator[bytes]:
    """vCard 3.0, one card per contact (what phones and mail programs read)."""
    rows = contact_rows(contacts)
    header = next(rows)
    labels = dict(CONTACT_COLUMNS)
    for row in rows:
        cells = dict(zip(header, row, strict=False))

        def get(key: str, cells=cells) -> str:
            return cells[labels[key]]

        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        lines.append(f"N:{_vcard_escape(get('family_name'))};{_vcard_escape(get('given_name'))};;;")
        lines.append(f"FN:{_vcard_escape(get('display_name'))}")
        for key, kind in (("email", "INTERNET"), ("email:work", "WORK"), ("email:other", "OTHER")):
            for email in filter(None, get(key).split(MULTI_SEPARATOR)):
                lines.append(f"EMAIL;TYPE={kind}:{email}")
        # vCard 3.0 TEL types (RFC 2426): a mobile is CELL, a landline VOICE
        for key, kind in (("phone", "CELL"), ("phone:landline", "VOICE"),
                          ("phone:work", "WORK,VOICE"), ("phone:home", "HOME,VOICE"),
                          ("phone:fax", "FAX"), ("phone:other", "VOICE")):  # fmt: skip
            for phone in filter(None, get(key).split(MULTI_SEPARATOR)):
                lines.append(f"TEL;TYPE={kind}:{phone}")
        if get("organization"):
            lines.append(f"ORG:{_vcard_escape(get('organization'))}")
        if get("job_title"):
            lines.append(f"TITLE:{_vcard_escape(get('job_title'))}")
        if get("birth_date"):
            lines.append(f"BDAY:{get('birth_date')}")
        if get("address") or get("city"):
            parts = ["", "", get("address"), get("city"), get("province"), get("postal_code"),
                     get("country")]  # fmt: skip
            lines.append("ADR;TYPE=HOME:" + ";".join(_vcard_escape(p) for p in parts))
        if get("notes"):
            lines.append(f"NOTE:{_vcard_escape(get('notes'))}")
        if get("tags"):
            lines.append("CATEGORIES:" + ",".join(
                _vcard_escape(t) for t in get("tags").split(MULTI_SEPARATOR)
            ))  # fmt: skip
        if get("external_id"):
            lines.append(f"UID:{_vcard_escape(get('external_id'))}")
        lines.append("END:VCARD")
        yield ("\r\n".join(lines) + "\r\n").encode()
