"""Phone numbers: accepted in any format and digit style, stored as E.164."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peyvand.common.persian import to_ascii_digits


def parse_phone(raw: str, *, region: str | None = None) -> phonenumbers.PhoneNumber | None:
    """The valid number ``raw`` is (``region`` reads one typed without +country), or None.

    The one parse behind ``customers.normalize.phone``, which stores numbers with their kind.
    """
    text = to_ascii_digits(raw or "").strip()
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.PEYVAND_DEFAULT_COUNTRY)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return number


def phone_to_e164(raw: str, *, region: str | None = None) -> str:
    """Return ``raw`` as E.164 (``+989121234567``) or raise ValidationError naming the value.

    Records store phones through ``customers.normalize.phone``, which also gives the kind."""
    number = parse_phone(raw, region=region)
    if number is None:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """International format for display: ``+98 912 123 4567``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_variants(query: str) -> list[str]:
    """Digit strings a phone-like query may appear as in a search document."""
    digits = "".join(ch for ch in to_ascii_digits(query) if ch.isdigit())
    if len(digits) < 4:
        return []
    variants = [digits]
    number = parse_phone(query)
    if number is not None:
        e164_digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
        variants.append(e164_digits)
    return list(dict.fromkeys(variants))
