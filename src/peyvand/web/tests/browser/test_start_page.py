"""The start page in the browser: a first-time user lands on it and can act from the keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.web.tests.browser.conftest import FA_PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_first_time_persian_user_starts_from_the_keyboard(page: Page, fa_agent):
    """Given a Persian-speaking agent who sees no records, when they sign in, then they land
    on a right-to-left start page offering to import a file or add a contact; tabbing to
    «New contact» and pressing Enter opens the contact form."""
    sign_in(page, "maryam", FA_PASSWORD)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#start-title")).to_have_text("به پیوند خوش آمدید")
    expect(page.locator("#start-import")).to_have_text("ورود اطلاعات از فایل")
    expect(page.locator("#start-demo")).to_have_count(0)  # an agent cannot load the demo
    page.locator("#start-import").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#start-new-contact")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
