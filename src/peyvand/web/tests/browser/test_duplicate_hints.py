"""The duplicate-hints panel in a real browser: hints appear as the form is typed, and "Fill in"
copies a suggestion into the form. (Run with ``-m browser``.)"""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_hint_appears_before_saving_and_fill_in_copies_the_email(
    page: Page,
    north_contact,
):
    """Given «علی رضایی» (ali@example.com, 0912 123 4567), when an agent types «علي رضايي»
    and the phone in Persian digits on the new-contact form, then the panel names the saved
    contact before anything is saved; "Fill in Email" puts its email into the emails field."""
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/new/")
    panel = page.locator("#duplicate-hints")
    expect(panel).to_contain_text("No likely duplicates")

    page.locator("#id_given_name").fill("علي")
    page.locator("#id_family_name").fill("رضايي")
    with page.expect_response(re.compile(r"/contacts/duplicates/$")):
        page.locator("#id_family_name").press("Tab")
    page.locator("#id_phones").fill("۰۹۱۲۱۲۳۴۵۶۷")
    with page.expect_response(re.compile(r"/contacts/duplicates/$")):
        page.locator("#id_phones").press("Tab")

    hint = panel.locator(".duplicate-hint")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text("علی رضایی")
    expect(hint).to_contain_text("same phone")
    expect(hint.locator("a")).to_have_attribute("href", north_contact.get_absolute_url())

    fill = panel.get_by_role("button", name="Fill in Email")
    with page.expect_response(re.compile(r"/contacts/duplicates/$")):
        fill.click()
    expect(page.locator("#id_emails")).to_have_value("ali@example.com")
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    assert Contact.objects.count() == 1
