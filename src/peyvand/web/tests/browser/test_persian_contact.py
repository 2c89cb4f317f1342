"""A Persian-speaking user's day one, in a real browser: RTL page, Persian input, Jalali dates."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.common.persian import to_ascii_digits
from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.web.tests.browser.conftest import FA_PASSWORD, sign_in

pytestmark = pytest.mark.browser

DETAIL_URL = re.compile(r"/contacts/[0-9a-z]{16}/$")


def loaded_font_families(page: Page) -> set[str]:
    return set(
        page.evaluate(
            "document.fonts.ready.then(() => [...document.fonts]"
            ".filter((face) => face.status === 'loaded').map((face) => face.family))"
        )
    )


def stylesheet_urls(page: Page) -> list[str]:
    """The stylesheets the page has loaded. A sheet joins ``document.styleSheets`` only once it
    is in, and the URL changes before that: wait for the page's load first (a CI run read the
    sheets right after signing in and missed Bootstrap, still on its way)."""
    page.wait_for_load_state("load")
    return page.evaluate(
        "[...document.styleSheets].filter((sheet) => sheet.href).map((sheet) => sheet.href)"
    )


def test_persian_user_creates_finds_and_reads_a_contact(page: Page, fa_agent):
    """Given a fa user (calendar: follow the language) with one other contact «سارا محمدی»,
    when they sign in through the form and create a contact typed with Arabic-keyboard letters,
    Persian digits and a Jalali birth date,
    then the 360 page shows the normalised name, phone and a Jalali date with a Persian month;
    the contact list search (Persian ی/ک) and the global search (ASCII digits) both find it;
    the language switch turns the page LTR/en with the date in Gregorian (the calendar follows
    the language); and after choosing the Jalali calendar the date reads 15 Farvardin 1370 in
    English too."""
    assert (fa_agent.language, fa_agent.calendar) == ("fa", "auto")
    contact_create(
        actor=fa_agent,
        data=ContactInput(
            given_name="سارا", family_name="محمدی", phones=[PhoneInput("09121234567")]
        ),
    )

    sign_in(page, "maryam", FA_PASSWORD)
    page.goto("/contacts/")  # signing in opens the start page

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    sheets = [url.rsplit("/", 1)[-1] for url in stylesheet_urls(page)]
    assert "bootstrap.rtl.min.css" in sheets
    assert "bootstrap.min.css" not in sheets
    assert "vazirmatn.css" in sheets
    assert "Vazirmatn" in loaded_font_families(page)
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith("Vazirmatn")
    expect(page.locator(".contact-row")).to_have_count(1)

    # Create through the form, typed as a Persian user would on an Arabic keyboard layout.
    page.locator("#new-contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    page.locator("#id_given_name").press_sequentially("علي")
    page.locator("#id_family_name").press_sequentially("كريمي")
    page.locator("#id_phones").press_sequentially("۰۹۱۲ ۳۴۵ ۶۷۸۹")
    page.locator("#id_birth_date").press_sequentially("۱۳۷۰/۰۱/۱۵")
    page.locator("#id_birth_date").press("Escape")  # close the Jalali date picker
    page.locator("#save").click()

    expect(page).to_have_url(DETAIL_URL)
    expect(page.locator("#record-title")).to_have_text("علی کریمی")
    phone = page.locator("#phones a")
    expect(phone).to_have_count(1)
    assert to_ascii_digits(phone.inner_text()) == "+98 912 345 6789"
    expect(phone).to_have_text("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹")  # fa pages show Persian digits
    expect(page.locator("#birth-date")).to_have_text("۱۵ فروردین ۱۳۷۰")
    created = Contact.objects.get(family_name="کریمی")
    assert (created.given_name, created.birth_date.isoformat()) == ("علی", "1991-04-04")
    assert [p.number for p in created.phones.all()] == ["+989123456789"]
    detail_url = page.url

    # The list search, typed with Persian ی and ک, narrows the list to the new contact.
    page.goto("/contacts/")
    expect(page.locator(".contact-row")).to_have_count(2)
    page.locator("#list-search").press_sequentially("علی کریمی")
    expect(page).to_have_url(re.compile(r"/contacts/\?q="))
    rows = page.locator(".contact-row")
    expect(rows).to_have_count(1)
    expect(rows.locator(".record-link")).to_have_text("علی کریمی")

    # The global search finds it by the phone typed in ASCII digits.
    page.locator("#global-search").press_sequentially("09123456789")
    results = page.locator("#global-search-results a.search-result:not(.search-all)")
    expect(results).to_have_count(1)
    expect(results.locator(".fw-medium")).to_have_text("علی کریمی")
    results.click()
    expect(page).to_have_url(detail_url)

    # fa -> en: left to right, and the date in Gregorian: the calendar follows the language.
    page.locator("#lang-switch").click()
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page).to_have_url(detail_url)
    assert "bootstrap.min.css" in [url.rsplit("/", 1)[-1] for url in stylesheet_urls(page)]
    expect(page.locator("#birth-date")).to_have_text("4 April 1991")
    expect(page.locator("#phones a")).to_have_text("+98 912 345 6789")
    page.locator("#edit").click()
    expect(page.locator("#id_birth_date")).to_have_value("1991-04-04")

    # The Jalali calendar chosen in the preferences stays with English.
    page.goto("/preferences/")
    expect(page.locator("#id_language")).to_have_value("en")
    expect(page.locator("#id_calendar")).to_have_value("auto")
    page.locator("#id_calendar").select_option("jalali")
    page.locator("#save").click()
    expect(page).to_have_url(re.compile(r"/preferences/$"))
    fa_agent.refresh_from_db()
    assert (fa_agent.language, fa_agent.calendar) == ("en", "jalali")
    page.goto(detail_url)
    expect(page.locator("#birth-date")).to_have_text("15 Farvardin 1370")
