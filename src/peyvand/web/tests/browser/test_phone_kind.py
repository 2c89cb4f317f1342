"""A landline typed on a new contact, in a real browser: its kind is read from the number."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.web.tests.browser.conftest import FA_PASSWORD, sign_in

pytestmark = pytest.mark.browser

DETAIL_URL = re.compile(r"/contacts/[0-9a-z]{16}/$")


def test_a_landline_typed_in_persian_digits_is_shown_as_a_landline(page: Page, fa_agent):
    """Given a Persian-speaking agent on the new-contact form,
    when they type a name and the Tehran landline ۰۲۱-۸۸۷۷۶۶۵۵ and leave the field,
    then the hint says it will be saved as a landline («تلفن ثابت»); after Save the contact
    page lists the number with the kind «تلفن ثابت», and it is stored as a landline."""
    sign_in(page, "maryam", FA_PASSWORD)
    page.goto("/contacts/new/")
    page.locator("#id_given_name").fill("سارا")
    phones = page.locator("#id_phones")
    phones.fill("۰۲۱-۸۸۷۷۶۶۵۵")
    with page.expect_response(re.compile(r"/contacts/validate/$")):
        phones.press("Tab")
    expect(page.locator("#id_phones_feedback [data-valid]")).to_contain_text(
        "+98 21 8877 6655 (تلفن ثابت)"
    )
    expect(page.locator("#id_phone_kind_0")).to_have_value("")  # "from the number"

    page.locator("#save").click()
    expect(page).to_have_url(DETAIL_URL)
    phone = page.locator("#phones > div").first
    expect(phone.locator("a")).to_have_text("+۹۸ ۲۱ ۸۸۷۷ ۶۶۵۵")  # Persian digits in fa
    expect(phone).to_contain_text("تلفن ثابت")
    contact = Contact.objects.get()
    assert [(p.number, p.kind) for p in contact.phones.all()] == [("+982188776655", "landline")]


def test_the_kind_chosen_before_saving_is_kept(page: Page, users):
    """Given an agent typing a landline and choosing "Work" for it, the page shows Work."""
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/new/")
    page.locator("#id_given_name").fill("Reza")
    page.locator("#id_phones").fill("021 8877 6655")
    page.locator("#id_phone_kind_0").select_option("work")
    page.locator("#save").click()
    expect(page).to_have_url(DETAIL_URL)
    expect(page.locator("#phones > div").first).to_contain_text("Work")
    assert [(p.number, p.kind) for p in Contact.objects.get().phones.all()] == [
        ("+982188776655", "work")
    ]
