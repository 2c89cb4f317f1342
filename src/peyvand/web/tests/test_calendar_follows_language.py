"""The calendar follows the language (Jalali in Persian, Gregorian in English) unless the user
chose one in the preferences; the language switch never overwrites that choice."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from peyvand.accounts.models import User
from peyvand.customers.services import ContactInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def born(users):
    """A contact born on 4 April 1991 (15 Farvardin 1370)."""
    return contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Ali", birth_date=dt.date(1991, 4, 4)),
    )


def _birth_date(client, contact) -> str:
    page = client.get(contact.get_absolute_url()).content.decode()
    start = page.index('id="birth-date"')
    return page[page.index(">", start) + 1 : page.index("<", start)]


def test_switching_to_english_shows_gregorian_dates(client_for, users, born):
    """Given a user who never chose a calendar reading in Persian (Jalali), when they switch
    to English, then dates are Gregorian; back in Persian they are Jalali again."""
    client = client_for("agent_n")
    client.post(reverse("web:language"), {"language": "fa"})
    assert _birth_date(client, born) == "۱۵ فروردین ۱۳۷۰"

    client.post(reverse("web:language"), {"language": "en"})

    assert _birth_date(client, born) == "4 April 1991"
    users["agent_n"].refresh_from_db()
    assert (users["agent_n"].calendar, users["agent_n"].calendar_in_use) == ("auto", "gregorian")
    client.post(reverse("web:language"), {"language": "fa"})
    assert _birth_date(client, born) == "۱۵ فروردین ۱۳۷۰"


def test_a_chosen_calendar_survives_the_language_switch(client_for, users, born):
    """Given an English user who chose Jalali in the preferences, when they switch to Persian
    and back, then the choice is kept and dates stay Jalali."""
    client = client_for("agent_n")
    client.post(
        reverse("web:preferences"),
        {"language": "en", "calendar": "jalali", "time_zone": "Asia/Tehran"},
    )
    assert _birth_date(client, born) == "15 Farvardin 1370"

    client.post(reverse("web:language"), {"language": "fa"})
    client.post(reverse("web:language"), {"language": "en"})

    users["agent_n"].refresh_from_db()
    assert users["agent_n"].calendar == "jalali"
    assert _birth_date(client, born) == "15 Farvardin 1370"


def test_the_preferences_offer_follow_the_language_in_persian(fa_client):
    page = fa_client.get(reverse("web:preferences")).content.decode()
    assert '<option value="auto" selected>پیروی از زبان (شمسی در فارسی، میلادی در انگلیسی)' in page


def test_the_migration_lets_calendars_nobody_chose_follow_the_language(users):
    """Given users saved before "auto" existed, when the migration runs, then a calendar that is
    the language's own becomes "auto" and any other one (a choice) stays; reversing spells it
    out again."""
    migration = importlib.import_module(
        "peyvand.accounts.migrations.0002_user_calendar_follows_language"
    )
    stored = {
        "admin": ("en", "gregorian"),
        "manager_n": ("fa", "jalali"),
        "agent_n": ("en", "jalali"),
        "agent_s": ("fa", "gregorian"),
    }
    for username, (language, calendar) in stored.items():
        User.objects.filter(username=username).update(language=language, calendar=calendar)

    migration.calendars_follow_language(apps, None)

    calendars = dict(User.objects.filter(username__in=stored).values_list("username", "calendar"))
    assert calendars == {
        "admin": "auto", "manager_n": "auto", "agent_n": "jalali", "agent_s": "gregorian",
    }  # fmt: skip
    migration.calendars_spelled_out(apps, None)
    restored = User.objects.filter(username__in=stored).values_list("username", "calendar")
    assert dict(restored) == {u: c for u, (_, c) in stored.items()}
