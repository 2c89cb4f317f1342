"""The duplicate-hints panel of the web forms: the partial through its real URL, the panel's
htmx wiring, auto-fill buttons."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.services import user_create
from peyvand.customers.models import Contact
from peyvand.customers.services import (
    ContactInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)
from peyvand.web.tests.conftest import contact_post, inline_scripts

pytestmark = pytest.mark.django_db

HINTS = reverse("web:contact_duplicates")


def _items(html: str, css_class: str) -> list[str]:
    """The text of each <li> of the list with ``css_class``, tags dropped, spaces collapsed."""
    block = re.search(rf'<ul class="[^"]*{css_class}[^"]*">(.*?)</ul>', html, re.S)
    if not block:
        return []
    items = re.findall(r"<li\b[^>]*>(.*?)</li>", block.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_partial_lists_the_persian_variant_with_reasons_and_link(client_for, north_contact):
    """Given «علی رضایی» 0912 123 4567, when the form posts «علي رضايي» with ۰۹۱۲۱۲۳۴۵۶۷, then
    the partial names it with its score and reasons and links to it; nothing is saved."""
    response = client_for("agent_n").post(
        HINTS, contact_post(given_name="علي", family_name="رضايي", phones="۰۹۱۲۱۲۳۴۵۶۷")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert _items(html, "duplicate-hints") == ["علی رضایی 99% same phone , same name"]
    assert f'href="{north_contact.get_absolute_url()}"' in html
    assert inline_scripts(html) == []
    assert "style=" not in html
    assert Contact.objects.count() == 1


@pytest.fixture
def fa_agent(teams) -> Client:
    """A Persian-speaking agent in team North."""
    user = user_create(
        actor=None, username="maryam", password="pass-maryam", role="agent",
        teams=[teams["north"]], language="fa", validate_password_strength=False,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def test_persian_user_sees_persian_digits(fa_agent, north_contact):
    """Given a Persian-speaking agent of North, the score is shown in Persian digits."""
    response = fa_agent.post(HINTS, contact_post(given_name="علی", family_name="رضایی"))

    badges = re.findall(r'<span class="badge[^"]*"[^>]*>([^<]*)</span>', response.content.decode())
    assert [b[:2] for b in badges] == ["۹۰"]  # the rest ("%", the reasons) is translated


def test_other_team_gets_no_hint_in_the_partial(client_for, north_contact):
    """Given North's «علی رضایی», when agent_s (South) types the same name, phone and email,
    then the partial says there is no likely duplicate and names nothing of North's."""
    response = client_for("agent_s").post(
        HINTS,
        contact_post(
            given_name="علی",
            family_name="رضایی",
            phones="09121234567",
            emails="ali@example.com",
            owner="agent_s",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "No likely duplicates" in html
    assert north_contact.public_id not in html
    assert "علی رضایی" not in html


def test_editing_a_contact_does_not_hint_itself(client_for, north_contact):
    """Given the edit form of «علی رضایی», its panel posts with ?record=<its id> and, with its
    own values, shows no duplicate."""
    client = client_for("agent_n")
    page = client.get(reverse("web:contact_edit", args=[north_contact.public_id])).content
    url = f"{HINTS}?record={north_contact.public_id}"

    response = client.post(
        url, contact_post(given_name="علی", family_name="رضایی", phones="09121234567")
    )

    assert f'hx-post="{url}"' in page.decode()
    assert "No likely duplicates" in response.content.decode()


def test_form_panel_is_wired_to_the_identity_fields(client_for):
    """Given the new-contact form, its hints panel posts to the hints view when a name, email,
    phone or national ID changes (not on load: the form is empty)."""
    html = client_for("agent_n").get(reverse("web:contact_create")).content.decode()

    panel = re.search(r'<div id="duplicate-hints"[^>]*>', html).group(0)
    assert f'hx-post="{HINTS}"' in panel
    triggers = re.search(r'hx-trigger="([^"]*)"', panel).group(1)
    assert triggers == (
        "change from:#id_given_name, change from:#id_family_name, change from:#id_display_name,"
        " change from:#id_emails, change from:#id_phones, change from:#id_national_id"
    )
    assert inline_scripts(html) == []


def test_suggestions_from_email_domain_and_landline(client_for, users):
    """Given the organisation Acme (website acme.com), when a new contact with an @acme.com
    email and a Shiraz landline is typed, then the panel suggests Acme with a button that fills
    the organisation row, and the province Fars (no province field on this form: no button)."""
    acme = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="Acme", website="https://acme.com/")
    )

    response = client_for("agent_n").post(
        HINTS,
        contact_post(
            given_name="Babak",
            family_name="Tavakoli",
            emails="b.t@acme.com",
            phones="071 3222 1234",
        ),
    )

    html = response.content.decode()
    assert _items(html, "autofill-suggestions") == [
        "Organisation: Acme from the email domain acme.com Fill in Organisation",
        "Province: Fars from the landline area code 071 (+98 71 3222 1234)",
    ]
    assert f'data-fill-name="org_0" data-fill-value="{acme.public_id}" data-fill-mode="set"' in html
    assert html.count("data-fill-name") == 1


def test_duplicate_values_are_offered_for_empty_fields(client_for, north_contact):
    """Given «علی رضایی» with ali@example.com and 0912…, when «علی رضایی» is typed with only
    the phone, then the panel offers the saved email, to be added as a line of the emails."""
    response = client_for("agent_n").post(
        HINTS, contact_post(given_name="علی", family_name="رضایی", phones="09121234567")
    )

    html = response.content.decode()
    assert _items(html, "autofill-suggestions") == [
        "Email: ali@example.com from “علی رضایی”, a likely duplicate (same phone, same name)"
        " Fill in Email"
    ]
    assert 'data-fill-name="emails" data-fill-value="ali@example.com" data-fill-mode="line"' in (
        html
    )


def test_organization_panel(client_for, users):
    """Given «شرکت آکمه» 021 8877 6655, when the organisation form posts «آکمه» with that
    phone, then the partial names it for the phone and the name."""
    acme = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="شرکت آکمه", phone="02188776655")
    )
    client = client_for("agent_n")

    page = client.get(reverse("web:organization_create")).content.decode()
    response = client.post(
        reverse("web:organization_duplicates"),
        {
            "name": "آکمه",
            "phone": "+98 21 8877 6655",
            "email": "",
            "website": "",
            "national_id": "",
        },
    )

    assert 'hx-post="/organizations/duplicates/"' in page
    assert _items(response.content.decode(), "duplicate-hints") == [
        "شرکت آکمه 99% same phone , same name"
    ]
    assert f'href="{acme.get_absolute_url()}"' in response.content.decode()


def test_birth_date_is_offered_in_the_users_calendar(fa_agent, users):
    """Given «سارا احمدی» born 1991-04-04 with 0912…, when a Persian (Jalali) user types the
    same name and phone, then the birth date is shown as a Jalali date and the button fills
    it in as 1370/01/15, the way the date field is typed."""
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="سارا",
            family_name="احمدی",
            phones=[PhoneInput("09351112233")],
            birth_date=dt.date(1991, 4, 4),
        ),
    )

    response = fa_agent.post(
        HINTS,
        contact_post(given_name="سارا", family_name="احمدی", phones="09351112233", owner="maryam"),
    )

    html = response.content.decode()
    assert 'data-fill-name="birth_date" data-fill-value="1370/01/15" data-fill-mode="set"' in html
    assert "<bdi>۱۵ فروردین ۱۳۷۰</bdi>" in html
