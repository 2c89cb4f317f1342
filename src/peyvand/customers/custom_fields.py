"""Validation, storage and display of custom field values, one branch per field type."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from peyvand.common.jalali import parse_date
from peyvand.common.persian import normalize_text, search_key, to_ascii_digits
from peyvand.common.phones import phone_to_e164
from peyvand.customers.models import CustomFieldDefinition, CustomFieldType

T = CustomFieldType
_TRUE = {"1", "true", "yes", "y", "on", "بله", "آری", "درست"}
_FALSE = {"0", "false", "no", "n", "off", "خیر", "نه", "نادرست"}


_DECIMAL_PLACES = 6
_INTEGER_DIGITS = 24 - _DECIMAL_PLACES
_NUMBER_LIMIT = Decimal(10) ** _INTEGER_DIGITS


def is_empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | tuple) and len(value) == 0)
        or (isinstance(value, str) and not value.strip())
    )


def clean_value(definition: CustomFieldDefinition, raw: Any) -> dict[str, Any]:
    """Return the columns to store for ``raw`` (already known to be non-empty).

    Raises ValidationError with a message that names the value and what is expected.
    """
    kind = definition.field_type
    if kind in (T.TEXT, T.LONG_TEXT):
        text = normalize_text(str(raw)) if kind == T.TEXT else str(raw).strip()
        limit = 255 if kind == T.TEXT else 10_000
        if len(text) > limit:
            raise ValidationError(_("Keep it under %(n)s characters.") % {"n": limit})
        return {"value_text": text, "value_key": search_key(text)[:255]}
    if kind in (T.NUMBER, T.MONEY):
        text = to_ascii_digits(str(raw)).replace(",", "").replace("٬", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw}) from exc
        if not number.is_finite():
            raise ValidationError(_("“%(v)s” is not a number.") % {"v": raw})
        if kind == T.MONEY and number != number.to_integral_value():
            raise ValidationError(_("Money is a whole number of the smallest unit (e.g. Rial)."))
        # what the value column holds (CustomFieldValue.value_number: 24 digits, 6 after the
        # point); a larger one failed in the database (1e300: InvalidOperation, a 500)
        if abs(number) >= _NUMBER_LIMIT or number.as_tuple().exponent < -_DECIMAL_PLACES:
            raise ValidationError(
                _(
                    "“%(v)s” is too large or too precise: at most %(i)s digits before the point "
                    "and %(d)s after it."
                )
                % {"v": raw, "i": _INTEGER_DIGITS, "d": _DECIMAL_PLACES}
            )
        return {"value_number": number, "value_key": format(number.normalize(), "f")[:255]}
    if kind == T.DATE:
        value = raw if isinstance(raw, dt.date) else parse_date(str(raw))
        return {"value_date": value, "value_key": value.isoformat()}
    if kind == T.BOOLEAN:
        if isinstance(raw, bool):
            value = raw
        elif str(raw).strip().lower() in _TRUE:
            value = True
        elif str(raw).strip().lower() in _FALSE:
            value = False
        else:
            raise ValidationError(_("Answer yes or no."))
        return {"value_bool": value, "value_key": "true" if value else "false"}
    if kind == T.CHOICE:
        choice = _match_choice(definition, raw)
        return {"value_text": choice, "value_key": search_key(choice)[:255]}
    if kind == T.MULTI_CHOICE:
        items = raw if isinstance(raw, list | tuple) else re.split(r"[,;،\n]", str(raw))
        chosen = [_match_choice(definition, item) for item in items if str(item).strip()]
        chosen = list(dict.fromkeys(chosen))
        key = "|" + "|".join(search_key(c) for c in chosen) + "|"
        return {"value_list": chosen, "value_key": key[:255]}
    if kind == T.URL:
        text = str(raw).strip()
        URLValidator(message=_("Enter a full web address, e.g. https://example.com."))(text)
        return {"value_text": text, "value_key": text.lower()[:255]}
    if kind == T.EMAIL:
        text = str(raw).strip().lower()
        EmailValidator(message=_("“%(v)s” is not an email address.") % {"v": raw})(text)
        return {"value_text": text, "value_key": text[:255]}
    if kind == T.PHONE:
        e164 = phone_to_e164(str(raw))
        return {"value_text": e164, "value_key": e164}
    raise ValidationError(_("Unknown field type %(t)s.") % {"t": kind})


def _match_choice(definition: CustomFieldDefinition, raw: Any) -> str:
    wanted = search_key(str(raw))
    for choice in definition.choices or []:
        if search_key(choice) == wanted:
            return choice
    raise ValidationError(
        _("“%(v)s” is not one of: %(choices)s.")
        % {"v": raw, "choices": "، ".join(definition.choices or [])}
    )


def filter_key(definition: CustomFieldDefinition, raw: str) -> tuple[str, str]:
    """Return (lookup, value) to filter values by ``raw`` typed in a URL or API query."""
    if definition.field_type == T.MULTI_CHOICE:
        return "value_key__contains", "|" + search_key(raw) + "|"
    if definition.field_type in (T.TEXT, T.LONG_TEXT):
        return "value_key__contains", search_key(raw)
    columns = clean_value(definition, raw)
    return "value_key", columns["value_key"]


def display_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """The API/JSON form of a stored value."""
    kind = definition.field_type
    if kind in (T.NUMBER, T.MONEY):
        if value.value_number is None:
            return None
        number = value.value_number
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == T.DATE:
        return value.value_date.isoformat() if value.value_date else None
    if kind == T.BOOLEAN:
        return value.value_bool
    if kind == T.MULTI_CHOICE:
        return value.value_list or []
    return value.value_text
