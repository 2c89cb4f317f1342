"""Turn one raw row into a normalised, validated record — the hot loop of every import.

Kept free of database access so it can run in worker processes; everything it needs (custom
field definitions, owner usernames) is handed over in a ``RowContext``. Every value goes through
``customers.normalize``, as in the services, so an imported row is stored exactly as the form or
the API would store it (its fast path reads Iranian mobiles without a full parse).
"""

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.common.entities import registry
from peyvand.common.persian import normalize_block, normalize_text, search_key
from peyvand.customers import normalize
from peyvand.customers.custom_fields import clean_value
from peyvand.customers.services.search_document import (
    document_text,
    name_runs,
    phone_terms,
)

_NEUTRALISED = tuple("=+-@\t\r")
_SPLIT_MANY = re.compile(r"[\n;،]+|,(?=\s*[^\s,])")
_STAGES = {
    "lead": "lead", "سرنخ": "lead", "prospect": "prospect", "مشتری بالقوه": "prospect",
    "احتمالی": "prospect", "customer": "customer", "مشتری": "customer",
    "repeat customer": "repeat_customer", "repeat_customer": "repeat_customer",
    "مشتری تکراری": "repeat_customer", "مشتری وفادار": "repeat_customer",
    "وفادار": "repeat_customer",
    "lapsed": "lapsed", "از دست رفته": "lapsed", "غیرفعال": "lapsed", "غیر فعال": "lapsed",
}  # fmt: skip
_STAGE_KEYS = {search_key(k): v for k, v in _STAGES.items()}
_NAME_LIMITS = {"given_name": 100, "family_name": 100, "display_name": 200, "name": 200}


@dataclass(frozen=True)
class RowShape:
    """What a file's row of one record type needs beyond the shared columns: its name
    fields and rule, its national ID rule and the name part of its search document. Each
    record type registers its shape (``EntitySpec.import_rows``)."""

    name_fields: tuple[str, ...]
    name_rule: Callable[[dict, dict, dict, dict, list], None]  # record, emails, phones, cols, errs
    national_id: Callable[[str, str], str]  # (value, country) -> stored value
    name_terms: Callable[[dict], tuple[str, list[str], list[str]]]  # -> name key, terms, runs
    website_term: bool = False
    organization_term: bool = False


def _contact_name_rule(record: dict, emails: dict, phones: dict, columns: dict, errors: list):
    """A contact's display name: as given, else its names, else its first email or phone."""
    if not record["display_name"]:
        record["display_name"] = f"{record['given_name']} {record['family_name']}".strip()
    if not record["display_name"]:
        record["display_name"] = next(iter(emails), "") or next(iter(phones), "")
    if not record["display_name"]:
        errors.append(("", "", _("The row has no name, email or phone.")))


def _organization_name_rule(record: dict, emails, phones, columns: dict, errors: list):
    if not record["name"]:
        errors.append((columns.get("name", ""), "", _("The organisation has no name.")))


def _contact_national_id(value: str, country: str) -> str:
    return normalize.national_id(value, country=country)


def _organization_national_id(value: str, country: str) -> str:
    return normalize.organization_national_id(value)


def _contact_name_terms(record: dict) -> tuple[str, list[str], list[str]]:
    display = record["display_name"]
    display_key = key = search_key(display)
    given, family = record["given_name"], record["family_name"]
    if display != f"{given} {family}".strip():  # a chosen display name: index all names
        key = f"{key} {search_key(f'{given} {family}')}"
    return key, key.split(), name_runs(display_key)


def _organization_name_terms(record: dict) -> tuple[str, list[str], list[str]]:
    key = search_key(record["name"])
    return key, [key], name_runs(key)


CONTACT_ROWS = RowShape(
    name_fields=("given_name", "family_name", "display_name"),
    name_rule=_contact_name_rule,
    national_id=_contact_national_id,
    name_terms=_contact_name_terms,
    organization_term=True,
)
ORGANIZATION_ROWS = RowShape(
    name_fields=("name",),
    name_rule=_organization_name_rule,
    national_id=_organization_national_id,
    name_terms=_organization_name_terms,
    website_term=True,
)


@dataclass
class RowContext:
    entity: str
    mapping: dict[str, str]  # header -> target ("" = ignore)
    definitions: dict[str, Any] = field(default_factory=dict)  # cf key -> definition
    owners: dict[str, int] = field(default_factory=dict)  # username -> user id
    default_owner_id: int | None = None
    default_team_id: int | None = None
    owner_teams: dict[int, int | None] = field(default_factory=dict)  # user id -> team id
    # the default country, read once in the importing process (the workers get it with this)
    region: str = field(default_factory=normalize.default_country)
    # the local date when the import started: no birth date after it (read once, not per row)
    today: dt.date = field(default_factory=timezone.localdate)

    @functools.cached_property
    def shape(self) -> RowShape:
        return registry.get(self.entity).import_rows


@dataclass
class RowResult:
    row_number: int
    record: dict[str, Any] | None
    values: list[tuple[str, int, str, int | None, dict | None]]  # kind, pos, value, def, cols
    errors: list[tuple[str, str, str]]  # column, value, reason

    def __reduce__(self):
        # by its fields in order, not as a __dict__ of them: the workers send a million rows
        # per million, and the importing process unpickles them holding the GIL the writer
        # thread also needs (1M rows: 3.3 → 2.9 µs a row)
        return RowResult, (self.row_number, self.record, self.values, self.errors)


def split_many(value: str) -> list[str]:
    return [p.strip() for p in _SPLIT_MANY.split(value) if p.strip()]


def normalize_row(number: int, raw: dict[str, str], ctx: RowContext) -> RowResult:
    """Validate and normalise one contact or organisation row."""
    errors: list[tuple[str, str, str]] = []
    values: list = []
    fields: dict[str, str] = {}
    emails: dict[str, str] = {}  # address -> kind, in column order
    phones: dict[str, str] = {}  # E.164 -> kind
    phone_items: list[tuple[str, str, str]] = []  # (column, raw, kind)
    tags: list[str] = []
    notes: list[str] = []
    custom: list[tuple[str, str, str]] = []  # (column, key, raw)
    columns: dict[str, str] = {}
    for header, target in ctx.mapping.items():
        if not target:
            continue
        value = raw.get(header)
        if value is None:
            continue
        value = value.strip()
        if not value:
            continue
        if value[0] == "'" and value[1:2] in _NEUTRALISED:
            value = value[1:]  # our own exports quote cells a spreadsheet would run
        if target.startswith("email"):
            kind = target[6:] or "personal"
            for item in split_many(value):
                try:
                    emails.setdefault(normalize.email(item), kind)
                except ValidationError as exc:
                    errors.append((header, item, exc.messages[0]))
        elif target.startswith("phone"):
            kind = target[6:]  # none: the number's own kind
            for item in split_many(value) if len(value) > 16 else [value]:
                phone_items.append((header, item, kind))  # read once the row's country is known
        elif target == "tags":
            tags += [t for t in (normalize_text(x)[:50] for x in split_many(value)) if t]
        elif target == "notes":
            notes.append(value)
        elif target.startswith("cf:"):
            custom.append((header, target[3:], value))
        else:
            fields[target] = value
            columns[target] = header

    # a national number is read in the row's own country (0412… is Australian in an AU row)
    country = ctx.region
    if fields.get("country"):
        try:
            country = normalize.country(fields["country"]) or ctx.region
        except ValidationError as exc:
            errors.append((columns["country"], fields["country"], exc.messages[0]))
    for header, item, kind in phone_items:
        try:
            e164, detected = normalize.phone(item, country=country)
        except ValidationError as exc:
            errors.append((header, item, exc.messages[0]))
            continue
        phones.setdefault(e164, kind or detected)

    record: dict[str, Any] = {"row_number": number, "public_id": ""}  # set when written
    shape = ctx.shape
    for key in shape.name_fields:
        try:
            record[key] = normalize.display_name(fields.get(key), max_length=_NAME_LIMITS[key])
        except ValidationError as exc:
            record[key] = ""
            errors.append((columns[key], fields[key], exc.messages[0]))
    shape.name_rule(record, emails, phones, columns, errors)

    record["country"] = country
    national_id = fields.get("national_id", "")
    record["national_id"] = ""
    if national_id:
        try:
            record["national_id"] = shape.national_id(national_id, country)
        except ValidationError as exc:
            errors.append((columns["national_id"], national_id, exc.messages[0]))
    record["birth_date"] = None
    if fields.get("birth_date"):
        try:
            record["birth_date"] = normalize.birth_date(fields["birth_date"], today=ctx.today)
        except ValidationError as exc:
            errors.append((columns["birth_date"], fields["birth_date"], exc.messages[0]))
    stage = fields.get("lifecycle_stage", "")
    record["lifecycle_stage"] = "lead"
    if stage:
        mapped = _STAGE_KEYS.get(search_key(stage).replace("_", " ")) or _STAGE_KEYS.get(
            search_key(stage)
        )
        if mapped:
            record["lifecycle_stage"] = mapped
        else:
            errors.append(
                (columns["lifecycle_stage"], stage, _("“%s” is not a lifecycle stage.") % stage)
            )
    owner = fields.get("owner", "")
    record["owner_id"], record["team_id"] = ctx.default_owner_id, ctx.default_team_id
    if owner:
        owner_id = ctx.owners.get(owner.strip())
        if owner_id is None:
            errors.append(
                (columns["owner"], owner, _("There is no user “%s” you can assign.") % owner)
            )
        else:
            record["owner_id"] = owner_id
            record["team_id"] = ctx.owner_teams.get(owner_id, ctx.default_team_id)
    for key in ("acquisition_source", "industry"):  # stored on the record as the service does
        record[key] = ""
        if key in fields:
            try:
                record[key] = normalize.display_name(fields[key], max_length=100)
            except ValidationError as exc:
                errors.append((columns[key], fields[key], exc.messages[0]))
    for key, limit in (
        ("organization", 200), ("job_title", 100), ("address", 255), ("city", 100),
        ("province", 100),
    ):  # fmt: skip
        record[key] = normalize_text(fields.get(key, ""))[:limit]
    record["postal_code"] = ""
    if fields.get("postal_code"):
        try:
            record["postal_code"] = normalize.postal_code(fields["postal_code"])
        except ValidationError as exc:
            errors.append((columns["postal_code"], fields["postal_code"], exc.messages[0]))
    record["external_id"] = fields.get("external_id", "")[:100]
    record["website"] = ""
    if fields.get("website"):
        try:
            record["website"] = normalize.website(fields["website"])
        except ValidationError as exc:
            errors.append((columns["website"], fields["website"], exc.messages[0]))
    record["notes"] = normalize_block("\n".join(notes))
    record["primary_email"] = next(iter(emails), "")
    record["primary_phone"] = next(iter(phones), "")

    for column, key, raw_value in custom:
        definition = ctx.definitions.get(key)
        if definition is None:
            continue
        try:
            cleaned = clean_value(definition, raw_value)
        except ValidationError as exc:
            errors.append((column, raw_value, f"{definition.label}: {exc.messages[0]}"))
            continue
        values.append(("cf", 0, cleaned["value_key"], definition.pk, _jsonable(cleaned)))
    present = {key for _, key, _ in custom}
    for key, definition in ctx.definitions.items():
        if definition.required and key not in present:
            errors.append(("", "", _("%s is required.") % definition.label))

    if errors:
        order = {header: i for i, header in enumerate(ctx.mapping)}  # the file's column order
        errors.sort(key=lambda e: order.get(e[0], len(order)))
        return RowResult(number, None, [], errors)
    values += [(f"e:{k}", i, e, None, None) for i, (e, k) in enumerate(emails.items())]
    values += [(f"p:{k}", i, p, None, None) for i, (p, k) in enumerate(phones.items())]
    values += [("tag", i, t, None, None) for i, t in enumerate(dict.fromkeys(tags))]
    record["search_document"] = _document(record, list(emails), list(phones), values, shape)
    return RowResult(number, record, values, [])


def _jsonable(columns: dict) -> dict:
    result = {}
    for key, value in columns.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, bool | int | float | str | list):
            value = str(value)
        result[key] = value
    return result


def _document(record: dict, emails: list, phones: list, values: list, shape: RowShape) -> str:
    """The same matching document ``services.search_document`` builds for a saved record."""
    key, parts, runs = shape.name_terms(record)
    record["name_key"] = key  # the typo vocabulary is built from it (see check._flush)
    parts += emails
    for phone in phones:
        parts += phone_terms(phone)
    if shape.website_term and record.get("website"):
        parts.append(record["website"].lower())
    if record["national_id"]:
        parts.append(record["national_id"])
    if shape.organization_term and record["organization"]:
        parts.append(search_key(record["organization"]))
    parts += [v[2].strip("|").replace("|", " ") for v in values if v[0] == "cf" and _text_cf(v)]
    return document_text(parts, runs)


def _text_cf(value) -> bool:
    columns = value[4] or {}
    return bool(columns.get("value_text") or columns.get("value_list"))
