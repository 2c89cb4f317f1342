"""New contact in a real browser: a known phone typed and Save pressed at once (no blur first)
is held with a warning, and saved after "Save anyway"."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_known_phone_warns_on_save_and_saves_after_confirming(page: Page, north_contact):
    """Given «علی رضایی» (0912 123 4567), when an agent types «Sara» and that phone and presses
    Save straight away, then the form comes back with a warning naming «علی رضایی» (same phone)
    and nothing is saved; "Save anyway" then saves Sara."""
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/new/")
    page.locator("#id_given_name").fill("Sara")
    page.locator("#id_phones").fill("0912 123 4567")

    page.locator("#save").click()

    warning = page.locator("#duplicate-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("This contact may already be saved")
    match = warning.locator(".duplicate-match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("علی رضایی")
    expect(match).to_contain_text("same phone")
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    assert Contact.objects.count() == 1

    warning.get_by_role("button", name="Save anyway").click()

    expect(page.locator("#record-title")).to_have_text("Sara")
    saved = Contact.objects.exclude(pk=north_contact.pk).get()
    expect(page).to_have_url(re.compile(re.escape(saved.get_absolute_url()) + "$"))
    assert [p.number for p in saved.phones.all()] == ["+989121234567"]
