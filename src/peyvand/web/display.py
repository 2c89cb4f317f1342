"""Display helpers shared by template filters and views: the user's calendar, digits, numbers.

The calendar is per user, but Django filters cannot see the request. The ``ui`` context
processor records the current user's calendar in a context variable for the duration of the
render, so ``{{ value|jdate }}`` needs no argument in templates.
"""

import contextvars
import datetime as dt
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.common.jalali import GREGORIAN, JALALI, format_date, format_datetime
from peyvand.common.persian import to_persian_digits
from peyvand.common.phones import phone_display

_calendar: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "peyvand_calendar", default=None
)


def language() -> str:
    return "fa" if (translation.get_language() or "fa").startswith("fa") else "en"


def set_calendar(calendar: str | None) -> None:
    _calendar.set(calendar)


def calendar() -> str:
    chosen = _calendar.get()
    if chosen in (JALALI, GREGORIAN):
        return chosen
    return JALALI if language() == "fa" else GREGORIAN


def digits(text: object) -> str:
    """Persian digits when the interface language is Persian."""
    value = "" if text is None else str(text)
    return to_persian_digits(value) if language() == "fa" else value


def number(value: int | float | Decimal | None) -> str:
    """A number with thousands separators in the interface's digits (Persian: ٬)."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    text = f"{value:,}"
    if language() == "fa":
        text = to_persian_digits(text.replace(",", "٬").replace(".", "٫"))
    return text


def capped(count: int, cap: int) -> str:
    """``10,000+`` when a bounded count reached its cap, the exact number otherwise."""
    return number(cap) + "+" if count > cap else number(count)


def date_text(value: dt.date | dt.datetime | str | None, *, long: bool = True) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_date(value, calendar=calendar(), language=language(), long=long)


def date_input_value(value: dt.date | None) -> str:
    """A date as typed into a form: 1370/01/15 (Jalali) or 1991-04-04, in ASCII digits.

    ASCII digits keep the value readable by the date picker; the parser accepts both.
    """
    if value is None:
        return ""
    return format_date(value, calendar=calendar(), language="en")


def datetime_text(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, calendar=calendar(), language=language())


def phone_text(e164: str | None) -> str:
    if not e164:
        return ""
    return digits(phone_display(e164))


def yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Yes") if value else _("No")
