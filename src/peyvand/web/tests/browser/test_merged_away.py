"""A merged-away contact's old address, opened in a real browser, lands on the survivor."""

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.services import contact_merge
from peyvand.web.tests.browser.conftest import FA_PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_a_merged_away_contacts_address_opens_the_survivor(page: Page, fa_agent):
    """Given «علی رضایی» with a second record merged into it, when a Persian user opens the
    second record's old address (a bookmark), then the browser shows the survivor's page with
    a message saying the contact was merged into it."""

    def person(given, phone):
        data = ContactInput(given_name=given, family_name="رضایی", phones=[PhoneInput(phone)])
        return contact_create(actor=fa_agent, data=data)

    kept, gone = person("علی", "09121234567"), person("Ali", "09121234568")
    contact_merge(actor=fa_agent, survivor_public_id=kept.public_id,
                  other_public_ids=[gone.public_id])  # fmt: skip

    sign_in(page, "maryam", FA_PASSWORD)
    page.goto(f"/contacts/{gone.public_id}/")

    expect(page).to_have_url(f"{page.url.split('/contacts/')[0]}/contacts/{kept.public_id}/")
    expect(page.locator("#record-title")).to_have_text("علی رضایی")
    expect(page.locator("#messages")).to_contain_text(
        "آن مخاطب در «\u2068علی رضایی\u2069» ادغام شد؛ این رکوردی است که ماند."
    )
