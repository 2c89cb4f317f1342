"""Which column feeds which field: guessed from headers in Persian and English, editable."""

import functools

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from peyvand.common.entities import registry
from peyvand.common.persian import search_key

# Target fields of a contact import. Fields marked many accept several columns (and several
# values in one cell separated by new lines or ";").
CONTACT_TARGETS = {
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "display_name": _("Full name"),
    "email": _("Email"),
    "email:work": _("Work email"),
    "email:other": _("Other email"),
    "phone": _("Mobile / phone"),
    "phone:landline": _("Landline"),
    "phone:work": _("Work phone"),
    "phone:home": _("Home phone"),
    "phone:fax": _("Fax"),
    "phone:other": _("Other phone"),
    "national_id": _("National ID"),
    "birth_date": _("Birth date"),
    "lifecycle_stage": _("Lifecycle stage"),
    "acquisition_source": _("Acquisition source"),
    "organization": _("Organisation"),
    "job_title": _("Job title"),
    "address": _("Street address"),
    "city": _("City"),
    "province": _("Province"),
    "postal_code": _("Postal code"),
    "country": _("Country"),
    "tags": _("Tags"),
    "notes": _("Notes"),
    "external_id": _("External ID"),
    "owner": _("Owner (username)"),
}
MANY = {"email", "email:work", "email:other", "phone", "phone:landline", "phone:work",
        "phone:home", "phone:fax", "phone:other", "tags", "notes"}  # fmt: skip
ORGANIZATION_TARGETS = {
    "name": _("Name"),
    "industry": _("Industry"),
    "website": _("Website"),
    "email": _("Email"),
    "phone": _("Phone"),
    "national_id": _("National ID"),
    "address": _("Street address"),
    "city": _("City"),
    "province": _("Province"),
    "postal_code": _("Postal code"),
    "tags": _("Tags"),
    "notes": _("Notes"),
    "external_id": _("External ID"),
    "owner": _("Owner (username)"),
}

CONTACT_SYNONYMS = {
    "given_name": [
        "given name", "first name", "firstname", "name first", "نام", "اسم", "نام کوچک",
        "N:given",
    ],
    "family_name": [
        "family name", "last name", "lastname", "surname", "نام خانوادگی", "فامیلی", "فامیل",
        "N:family",
    ],
    "display_name": [
        "full name", "name", "display name", "contact name", "نام کامل", "نام و نام خانوادگی",
        "مشتری", "نام مشتری", "FN",
    ],
    "email": [
        "email", "e-mail", "email address", "e-mail address", "mail", "ایمیل", "پست الکترونیک",
        "پست الکترونیکی", "رایانامه", "e-mail 1 - value", "e-mail 2 - value", "EMAIL",
        "personal email",
    ],
    "email:work": ["work email", "business email", "ایمیل کاری"],
    "email:other": ["other email", "ایمیل دیگر"],
    "phone": [
        "phone", "mobile", "cell", "telephone", "tel", "phone number", "mobile phone",
        "موبایل", "تلفن", "تلفن همراه", "شماره", "شماره تماس", "شماره موبایل", "همراه",
        "phone 1 - value", "phone 2 - value", "TEL",
    ],
    "phone:work": ["work phone", "business phone", "office phone", "تلفن محل کار", "تلفن کار"],
    "phone:landline": ["landline", "landline phone", "fixed line", "تلفن ثابت"],
    "phone:home": ["home phone", "تلفن منزل"],
    "phone:fax": ["fax", "business fax", "فکس", "نمابر"],
    "phone:other": ["other phone", "تلفن دیگر"],
    "national_id": ["national id", "national code", "کد ملی", "کدملی", "شماره ملی"],
    "birth_date": ["birth date", "birthday", "date of birth", "dob", "تاریخ تولد", "تولد", "BDAY"],
    "lifecycle_stage": ["stage", "lifecycle stage", "status", "مرحله", "وضعیت"],
    "acquisition_source": ["source", "lead source", "acquisition source", "منبع", "منبع جذب"],
    "organization": [
        "company", "organization", "organisation", "organization 1 - name", "شرکت", "سازمان",
        "نام شرکت", "ORG",
    ],
    "job_title": ["job title", "title", "position", "سمت", "عنوان شغلی", "organization 1 - title",
                  "TITLE"],
    "address": ["address", "street", "street address", "آدرس", "نشانی", "ADR:street"],
    "city": ["city", "town", "شهر", "ADR:city"],
    "province": ["province", "state", "region", "استان", "ADR:region"],
    "postal_code": ["postal code", "postcode", "zip", "zip code", "کد پستی", "ADR:postcode"],
    "country": ["country", "کشور", "ADR:country"],
    "tags": ["tags", "labels", "categories", "group membership", "برچسب", "برچسب‌ها", "گروه",
             "CATEGORIES"],
    "notes": ["notes", "note", "comments", "description", "توضیحات", "یادداشت", "NOTE"],
    "external_id": ["id", "external id", "customer id", "crm id", "شناسه", "کد مشتری", "UID"],
    "owner": ["owner", "assigned to", "مسئول", "کارشناس"],
}  # fmt: skip
ORGANIZATION_SYNONYMS = {
    **{k: v for k, v in CONTACT_SYNONYMS.items() if k in ORGANIZATION_TARGETS},
    "name": ["name", "company", "organization", "organisation", "نام", "شرکت", "نام شرکت",
             "سازمان", "ORG"],
    "industry": ["industry", "sector", "صنعت", "حوزه فعالیت"],
    "website": ["website", "web site", "url", "وب‌سایت", "وبسایت", "سایت"],
}  # fmt: skip


def _index(synonyms: dict[str, list[str]]) -> dict[str, str]:
    return {search_key(s): target for target, words in synonyms.items() for s in words}


@functools.cache
def _synonym_index(entity: str) -> dict[str, str]:
    spec = registry.get(entity)
    return _index(spec.import_synonyms()) if spec.import_synonyms else {}


_LABEL_LANGUAGES = ("fa", "en")  # a readable export's headers are these labels (exports.py)


def _label_index(targets: dict) -> dict[str, str]:
    """The targets' own labels in every interface language, so a readable export (whoever
    exported it) maps itself; read at call time, as translations are loaded lazily."""
    index = {}
    for language in _LABEL_LANGUAGES:
        with translation.override(language):
            for target, label in targets.items():
                index.setdefault(search_key(str(label)), target)
                index.setdefault(search_key(str(label).split("(")[0]), target)
    return index


def import_targets(entity: str) -> dict:
    """{target: label} of the fields a file of ``entity`` records can fill."""
    return registry.get(entity).import_targets()


def targets_for(entity: str, custom_keys: list[str] = ()) -> list[str]:
    return [*import_targets(entity), *(f"cf:{key}" for key in custom_keys)]


def guess_mapping(
    headers: list[str], *, entity: str, custom_fields: dict[str, str] | None = None
) -> dict[str, str]:
    """Map each header to a target field, or "" to ignore it.

    ``custom_fields`` maps custom field keys to labels; a header equal to either maps to it.
    A single-valued target is given to the first matching column only.
    """
    index = _label_index(import_targets(entity))
    index.update(_synonym_index(entity))
    for key, label in (custom_fields or {}).items():
        index[search_key(key)] = f"cf:{key}"
        index[search_key(key.replace("_", " "))] = f"cf:{key}"
        index[search_key(label)] = f"cf:{key}"
    mapping, taken = {}, set()
    for header in headers:
        key = search_key(header.replace("_", " "))
        target = index.get(key) or index.get(search_key(header.split("(")[0]))
        if target and (target not in taken or target in MANY):
            mapping[header] = target
            taken.add(target)
        else:
            mapping[header] = ""
    return mapping
