"""Jalali (Solar Hijri) and Gregorian dates: shown per the user's calendar, accepted in either."""

import datetime as dt
import functools
import re

import jdatetime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peyvand.common.persian import to_ascii_digits, to_persian_digits

JALALI = "jalali"
GREGORIAN = "gregorian"

_DATE_RE = re.compile(r"^\s*(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})\s*$")

JALALI_MONTHS_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip
JALALI_MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip


@functools.lru_cache(maxsize=65_536)  # imports convert the same birth dates again and again
def _jalali_to_gregorian(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def parse_date(value: str) -> dt.date:
    """Parse a typed date: Jalali (year < 1700) or Gregorian, in Persian or ASCII digits.

    Accepts ``1403/01/15``, ``۱۴۰۳-۰۱-۱۵``, ``2024-04-03`` and ``2024/4/3``.
    """
    text = to_ascii_digits(value or "")
    match = _DATE_RE.match(text)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a date. Type it as 1403/01/15 or 2024-04-03."),
            code="invalid_date",
            params={"value": value},
        )
    a, b, c = (int(g) for g in match.groups())
    year, month, day = (c, b, a) if c > 31 and a <= 31 else (a, b, c)
    try:
        if year < 1700:
            return _jalali_to_gregorian(year, month, day)
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not a real calendar date."),
            code="invalid_date",
            params={"value": value},
        ) from exc


def format_date(
    value: dt.date | dt.datetime | None,
    *,
    calendar: str = JALALI,
    language: str = "fa",
    long: bool = False,
) -> str:
    """Format a date in the user's calendar; Persian digits for fa."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if calendar == JALALI:
        jd = jdatetime.date.fromgregorian(date=value)
        if long:
            months = JALALI_MONTHS_FA if language == "fa" else JALALI_MONTHS_EN
            text = f"{jd.day} {months[jd.month - 1]} {jd.year}"
        else:
            text = f"{jd.year:04d}/{jd.month:02d}/{jd.day:02d}"
    else:
        text = value.strftime("%-d %B %Y") if long else value.isoformat()
    return to_persian_digits(text) if language == "fa" else text


def format_datetime(
    value: dt.datetime | None, *, calendar: str = JALALI, language: str = "fa"
) -> str:
    if value is None:
        return ""
    date_part = format_date(value, calendar=calendar, language=language)
    time_part = value.strftime("%H:%M")
    if language == "fa":
        time_part = to_persian_digits(time_part)
    return f"{date_part} {time_part}"
