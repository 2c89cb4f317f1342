"""The template filters: dates in the user's calendar, digits per language, phones."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from peyvand.web import display
from peyvand.web.templatetags import peyvand as tags


@pytest.fixture
def persian():
    with translation.override("fa"):
        display.set_calendar("jalali")
        yield
    display.set_calendar(None)


@pytest.fixture
def english():
    with translation.override("en"):
        display.set_calendar("gregorian")
        yield
    display.set_calendar(None)


def test_jdate_long_and_short(persian):
    assert tags.jdate(dt.date(1991, 4, 4)) == "۱۵ فروردین ۱۳۷۰"
    assert tags.jdate(dt.date(1991, 4, 4), "short") == "۱۳۷۰/۰۱/۱۵"
    assert tags.jdate(None) == ""


def test_jdate_in_english(english):
    assert tags.jdate(dt.date(1991, 4, 4)) == "4 April 1991"
    assert tags.jdate("1991-04-04", "short") == "1991-04-04"


def test_jalali_calendar_with_english_interface():
    with translation.override("en"):
        display.set_calendar("jalali")
        assert tags.jdate(dt.date(1991, 4, 4)) == "15 Farvardin 1370"
    display.set_calendar(None)


def test_jdatetime_uses_active_time_zone(persian):
    """20:30 UTC on 20 March 2024 is already midnight of 2 Farvardin 1403 in Tehran."""
    moment = dt.datetime(2024, 3, 20, 20, 30, tzinfo=dt.UTC)
    with timezone.override("Asia/Tehran"):
        assert tags.jdatetime(moment) == "۱۴۰۳/۰۱/۰۲ ۰۰:۰۰"
    with timezone.override("UTC"):
        assert tags.jdatetime(moment) == "۱۴۰۳/۰۱/۰۱ ۲۰:۳۰"


def test_digits_numbers_and_phones(persian):
    assert tags.fa_digits("Room 12") == "Room ۱۲"
    assert tags.number(10000) == "۱۰٬۰۰۰"
    assert tags.phone("+989121234567") == "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷"


def test_digits_stay_ascii_in_english(english):
    assert tags.fa_digits("12") == "12"
    assert tags.number(10000) == "10,000"
    assert tags.phone("+989121234567") == "+98 912 123 4567"


def test_filters_in_a_template(persian):
    html = Template("{% load peyvand %}{{ d|jdate }} {{ n|fa_digits }}").render(
        Context({"d": dt.date(2024, 3, 20), "n": 42})
    )
    assert html == "۱ فروردین ۱۴۰۳ ۴۲"


def test_record_url_and_entity_plural_come_from_the_entity_registry():
    """A template names a record type by its key; the registry gives its pages and name."""
    rendered = Template(
        "{% load peyvand %}{% record_url 'organization' %} "
        "{% record_url 'contact' '0123456789abcdef' %} {{ 'organization'|entity_plural }}"
    ).render(Context({}))

    assert rendered == "/organizations/ /contacts/0123456789abcdef/ Organisations"
    with translation.override("fa"):
        assert (
            Template("{% load peyvand %}{{ 'contact'|entity_plural }}").render(Context({}))
            == "مخاطبان"
        )
