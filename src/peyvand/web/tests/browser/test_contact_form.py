"""The contact form in a real browser: inline validation on blur."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_bad_phone_is_named_on_blur_and_nothing_is_saved(page: Page, users):
    """Given an agent on the new-contact form,
    when they type a bad phone number and leave the field,
    then the message naming the value appears under the field (only the validation endpoint
    was asked, the form was not submitted), the field is marked invalid;
    and pressing Save keeps them on the form with the same message and saves nothing."""
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/new/")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#id_given_name").fill("Sara")
    with page.expect_response(re.compile(r"/contacts/validate/$")):
        page.locator("#id_given_name").press("Tab")  # the name is validated on blur too
    posts.clear()

    phones = page.locator("#id_phones")
    phones.press_sequentially("0912-abc")
    with page.expect_response(re.compile(r"/contacts/validate/$")) as validated:
        phones.press("Tab")
    assert validated.value.status == 200

    feedback = page.locator("#id_phones_feedback [data-invalid]")
    expect(feedback).to_have_text("Phones: “0912-abc” is not a valid phone number.")
    expect(phones).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(phones).to_have_attribute("aria-invalid", "true")
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in posts]
    # blur asks for validation (and the duplicate-hints panel may ask too); the form itself
    # was not posted
    assert "/contacts/validate/" in paths and "/contacts/new/" not in paths
    assert set(paths) <= {"/contacts/validate/", "/contacts/duplicates/"}
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    assert Contact.objects.count() == 0

    page.locator("#save").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_text(["Phones: “0912-abc” is not a valid phone number."])
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))
    expect(page.locator("#id_phones")).to_have_value("0912-abc")
    assert Contact.objects.count() == 0
