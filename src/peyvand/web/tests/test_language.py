"""The fa ⇄ en switch: saved on the user, direction and calendar follow."""

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from peyvand.accounts.middleware import LANGUAGE_COOKIE
from peyvand.common.jalali import format_datetime

pytestmark = pytest.mark.django_db


def test_switch_saves_language_and_flips_direction(client_for, users):
    client = client_for("agent_n")
    page = client.get(reverse("web:contact_list")).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert 'id="lang-switch"' in page
    assert "bootstrap.min.css" in page

    response = client.post(
        reverse("web:language"), {"language": "fa", "next": reverse("web:contact_list")}
    )
    assert response.status_code == 302
    assert response.url == reverse("web:contact_list")
    users["agent_n"].refresh_from_db()
    assert users["agent_n"].language == "fa"
    assert response.cookies[LANGUAGE_COOKIE].value == "fa"

    page = client.get(reverse("web:contact_list")).content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page

    client.post(reverse("web:language"), {"language": "en"})
    page = client.get(reverse("web:contact_list")).content.decode()
    assert '<html lang="en" dir="ltr">' in page


def test_switch_refuses_unknown_language_and_foreign_next(client_for, users):
    client = client_for("agent_n")
    assert client.post(reverse("web:language"), {"language": "de"}).status_code == 400
    response = client.post(
        reverse("web:language"), {"language": "fa", "next": "https://evil.example/"}
    )
    assert response.url == reverse("web:home")


def test_language_switch_is_post_only(client_for):
    assert client_for("agent_n").get(reverse("web:language")).status_code == 405


def test_login_page_toggle_sets_cookie(client):
    page = client.get(reverse("web:login")).content.decode()
    assert 'id="lang-switch"' in page
    response = client.post(
        reverse("web:language"), {"language": "fa", "next": reverse("web:login")}
    )
    assert response.cookies[LANGUAGE_COOKIE].value == "fa"
    page = client.get(reverse("web:login")).content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert 'id="id_username"' in page
    assert 'id="id_password"' in page


def test_persian_page_uses_persian_digits_and_jalali(fa_client, north_contact):
    """A fa user sees Persian digits and Jalali datetimes in history."""
    page = fa_client.get(north_contact.get_absolute_url()).content.decode()
    assert "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷" in page
    assert "jalalidatepicker.min.js" in page
    tehran = timezone.localtime(north_contact.created_at, zoneinfo.ZoneInfo("Asia/Tehran"))
    assert format_datetime(tehran, calendar="jalali", language="fa") in page


def test_preferences_change_calendar_and_time_zone(client_for, users):
    client = client_for("agent_n")
    assert client.get(reverse("web:preferences")).status_code == 200
    response = client.post(
        reverse("web:preferences"),
        {"language": "en", "calendar": "jalali", "time_zone": "Asia/Tehran"},
    )
    assert response.status_code == 302
    users["agent_n"].refresh_from_db()
    assert (users["agent_n"].calendar, users["agent_n"].time_zone) == ("jalali", "Asia/Tehran")
    bad = client.post(
        reverse("web:preferences"), {"language": "en", "calendar": "mayan", "time_zone": "UTC"}
    )
    assert bad.status_code == 200
    assert "Select a valid choice." in bad.content.decode()
