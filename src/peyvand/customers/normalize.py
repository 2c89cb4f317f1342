"""What a valid email, phone (and its kind), national ID, name, country and website is.

One pure module (no database) that every write path calls — web forms, services (so the API
and the CLI), the import's row normaliser in its worker processes and the duplicate hints — so
a value the import accepts is stored exactly as the form or the API would store it.

Each function returns the value as stored or raises ``ValidationError`` with a translated
message naming the value. Display values keep what the person typed (ZWNJ, hamza, «هٔ»);
keys (:func:`name_key`) fold letter variants and digits for search and dedupe.

Decisions (see docs/decisions/0014-one-normaliser.md):

* Email follows Django's ``EmailValidator`` exactly: internationalised domains
  (``a@مثال.ir``) are valid, a one-letter top-level domain (``a@b.c``) and a dot at either
  end of the local part (``.a@x.com``) are not. Stored stripped and lower-cased, with
  Persian/Arabic digits as ASCII and invisible direction marks removed.
* A phone's kind comes from the number (libphonenumber's number type): mobile, landline
  (a fixed line), or other (VoIP, toll-free, pager…). A number that may be either
  (``FIXED_LINE_OR_MOBILE``: the US, Canada…) stays "mobile", so it is not left out of SMS;
  the person can choose another kind, and a chosen kind always wins.
"""

import datetime as dt
import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.common.identity import clean_national_id
from peyvand.common.jalali import parse_date
from peyvand.common.persian import DIGITS_TO_ASCII, normalize_text, search_key
from peyvand.common.phones import parse_phone

MOBILE, LANDLINE, OTHER = "mobile", "landline", "other"
EMAIL_MAX_LENGTH = 254  # the EmailField's column
NATIONAL_ID_MAX_LENGTH = 20

# zero-width and direction marks a copy from a right-to-left page brings along
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069\ufeff"))  # fmt: skip
_EMAIL_TABLE = {**_INVISIBLE, **DIGITS_TO_ASCII}
_validate_email = EmailValidator()
# Django's own patterns without their non-ASCII ranges: an address they match is one Django
# accepts, checked in a microsecond instead of fifteen; anything else (an internationalised
# domain, a quoted local part, an IP literal) goes through the validator itself.
_PLAIN_EMAIL = re.compile(
    r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*@"
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*"
    r"\.(?!-)(?:[a-z-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)"
)
_validate_url = URLValidator()

# Iranian mobiles are most of what is typed and imported: read them with one regex built from
# libphonenumber's own mobile pattern for Iran (so the result is exactly what its full parse
# gives, about ten times faster); everything else goes through phonenumbers.
_PHONE_JUNK = str.maketrans("", "", " -().\u200e\u200f\u202a\u202c\u2066\u2067\u2068\u2069\t")
_IR_MOBILE = re.compile(
    r"(?:\+98|0098|98|0)?("
    + phonenumbers.PhoneMetadata.metadata_for_region("IR").mobile.national_number_pattern
    + r")"
)
_KINDS = {
    phonenumbers.PhoneNumberType.MOBILE: MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: MOBILE,  # cannot tell: see above
    phonenumbers.PhoneNumberType.FIXED_LINE: LANDLINE,
}


# How much one record may carry (issue 15: one request could add 1 MB of notes, 5,000 emails or
# 10,000 tags). The services refuse more, naming the field; the API declares the same limits.
SIZE_LIMITS = {
    "emails": 20,
    "phones": 20,
    "addresses": 10,
    "organizations": 20,
    "tags": 50,
    "custom_fields": 200,
}
NOTES_MAX_LENGTH = 20_000


def default_country() -> str:
    """The country (ISO 3166 alpha-2) of what is typed without one: PEYVAND_DEFAULT_COUNTRY."""
    return settings.PEYVAND_DEFAULT_COUNTRY


def country(value: str | None) -> str:
    """A two-letter country code in capitals, from a code or a country's name in English or
    Persian ("Iran", «ایران»: what address books and vCards hold); empty: the default."""
    code = (value or "").strip().upper()
    if not code:
        return default_country()
    names = _country_names()
    if code not in _COUNTRY_CODES:  # "UK" is no code, but a name
        code = names.get(search_key(value), "")
    if not code:
        raise ValidationError(
            _("“%(value)s” is not a country: type its two-letter code (such as IR or DE)."),
            code="invalid_country",
            params={"value": value},
        )
    return code


_PERSIAN_COUNTRY_NAMES = {
    "ایران": "IR", "افغانستان": "AF", "تاجیکستان": "TJ", "عراق": "IQ", "ترکیه": "TR",
    "امارات": "AE", "امارات متحده عربی": "AE", "عمان": "OM", "قطر": "QA", "کویت": "KW",
    "بحرین": "BH", "عربستان": "SA", "عربستان سعودی": "SA", "پاکستان": "PK", "هند": "IN",
    "چین": "CN", "ژاپن": "JP", "روسیه": "RU", "ارمنستان": "AM", "آذربایجان": "AZ",
    "گرجستان": "GE", "ترکمنستان": "TM", "ازبکستان": "UZ", "قزاقستان": "KZ", "آلمان": "DE",
    "فرانسه": "FR", "ایتالیا": "IT", "اسپانیا": "ES", "هلند": "NL", "سوئد": "SE",
    "نروژ": "NO", "دانمارک": "DK", "سوئیس": "CH", "اتریش": "AT", "بلژیک": "BE",
    "انگلستان": "GB", "انگلیس": "GB", "بریتانیا": "GB", "ایرلند": "IE", "آمریکا": "US",
    "ایالات متحده": "US", "کانادا": "CA", "استرالیا": "AU", "مالزی": "MY", "سوریه": "SY",
    "لبنان": "LB", "مصر": "EG",
}  # fmt: skip
_COUNTRY_NAMES: dict[str, str] = {}
_COUNTRY_CODES: set[str] = set()


def _country_names() -> dict[str, str]:
    """{name key: code}: English names from libphonenumber's region data, common Persian
    names, and the usual short forms."""
    if not _COUNTRY_NAMES:
        from phonenumbers.geodata.locale import LOCALE_DATA

        for code, names in LOCALE_DATA.items():
            name = names.get("en", "")
            while name.startswith("*"):  # "*aa": the same as that language's name
                name = names.get(name[1:], "")
            if len(code) == 2 and name:
                _COUNTRY_NAMES[search_key(name)] = code
                _COUNTRY_CODES.add(code)
        short = {"usa": "US", "uk": "GB", "uae": "AE", "great britain": "GB", "england": "GB",
                 "iran islamic republic of": "IR", "islamic republic of iran": "IR"}  # fmt: skip
        _COUNTRY_NAMES.update(short)
        _COUNTRY_CODES.update(phonenumbers.SUPPORTED_REGIONS)
        _COUNTRY_NAMES.update({search_key(k): v for k, v in _PERSIAN_COUNTRY_NAMES.items()})
    return _COUNTRY_NAMES


def email(value: str | None) -> str:
    """The address stripped and lower-cased ("" for nothing typed), as Django validates it."""
    address = value or ""
    if not address.isascii():
        address = address.translate(_EMAIL_TABLE)
    address = address.strip().lower()
    if not address:
        return ""
    if len(address) <= EMAIL_MAX_LENGTH and _PLAIN_EMAIL.fullmatch(address):
        return address
    try:
        _validate_email(address)
    except ValidationError:
        address = ""
    if not address or len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("“%s” is not an email address.") % (value or "").strip(), code="invalid_email"
        )
    return address


def phone(value: str | None, *, country: str | None = None) -> tuple[str, str]:
    """(E.164, kind) of a number typed in any format or digits; ``country`` (default: the
    default country) reads a number typed without +country. Raises for nothing typed."""
    region = country or default_country()
    raw = value or ""
    if region == "IR":
        match = _IR_MOBILE.fullmatch(raw.translate(DIGITS_TO_ASCII).translate(_PHONE_JUNK))
        if match:
            return "+98" + match.group(1), MOBILE
    number = parse_phone(raw, region=region)
    if number is None:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _KINDS.get(phonenumbers.number_type(number), OTHER)


def phone_kind(e164: str) -> str:
    """The kind a stored (E.164) number has by itself: mobile, landline or other."""
    try:
        return phone(e164)[1]
    except ValidationError:
        return OTHER


def national_id(value: str | None, *, country: str | None = None) -> str:
    """A person's national ID in ASCII digits; in Iran the 10-digit code (کد ملی) with its check
    digit (8 or 9 digits get back the leading zeros a spreadsheet dropped)."""
    code = clean_national_id(value or "", country=country or default_country())
    return _at_most(code, NATIONAL_ID_MAX_LENGTH)


def organization_national_id(value: str | None) -> str:
    """An organisation's national ID (شناسه ملی, 11 digits in Iran) in ASCII digits, spaces and
    dashes removed; it has no check digit to verify."""
    code = (value or "").translate(DIGITS_TO_ASCII).strip().replace("-", "").replace(" ", "")
    return _at_most(code, NATIONAL_ID_MAX_LENGTH)


def display_name(value: str | None, *, max_length: int | None = None) -> str:
    """A name or short text as shown: what was typed, with Persian letters for Arabic-keyboard
    ones (ي → ی, ك → ک), tidy white space and ZWNJ, no tatweel or vowel marks; ZWNJ, hamza
    and «هٔ» stay."""
    text = normalize_text(value)
    return _at_most(text, max_length) if max_length else text


def name_key(value: str | None) -> str:
    """The matching form of a name (search and dedupe): case, digits, ZWNJ, hamza, alef and
    yeh variants folded."""
    return search_key(value)


def website(value: str | None) -> str:
    """A web address; ``https://`` is added when no scheme was typed."""
    url = (value or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        _validate_url(url)
    except ValidationError as exc:
        raise ValidationError(
            _("“%s” is not a web address.") % value.strip(), code="invalid_website"
        ) from exc
    return _at_most(url, 200)


_POSTAL_JUNK = str.maketrans({**DIGITS_TO_ASCII, ord(" "): None, ord("\u200c"): None})


def postal_code(value: str | None) -> str:
    """A postal code as typed less spaces, with ASCII digits (۱۲۳۴۵-۶۷۸۹۰ → 12345-67890)."""
    return _at_most(normalize_text(value or "").translate(_POSTAL_JUNK), 20)


def birth_date(value: str | dt.date | None, *, today: dt.date | None = None) -> dt.date | None:
    """A birth date typed as Jalali or Gregorian, in any digits; not after ``today`` (the
    local date when not given: an import passes it once instead of reading the time zone for
    every row)."""
    if value in (None, ""):
        return None
    date = value if isinstance(value, dt.date) else parse_date(value)
    if date is not None and date > (today or timezone.localdate()):
        raise ValidationError(_("The birth date is in the future."), code="future_birth_date")
    return date


def _at_most(text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValidationError(
            _("Use at most %(limit)d characters (this has %(length)d)."),
            code="too_long",
            params={"limit": limit, "length": len(text)},
        )
    return text
