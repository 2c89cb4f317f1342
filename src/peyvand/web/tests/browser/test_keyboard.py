"""Keyboard use of the contact list: "/" for search, j/k to move, Enter to open."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.services import ContactInput, contact_create
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_slash_focuses_search_and_j_k_enter_open_a_contact(page: Page, users):
    """Given an agent with three contacts on the contact list,
    when they press "/", the global search gets the focus and no "/" is typed into it;
    when they leave the search and press j, j, j, k, the selection moves to the first, second,
    third and back to the second row (one row selected at a time, aria-selected set);
    and when they press Enter, the second row's contact opens."""
    agent = users["agent_n"]
    for given, family in [("Ali", "Rezaei"), ("Sara", "Karimi"), ("Reza", "Ahmadi")]:
        contact_create(actor=agent, data=ContactInput(given_name=given, family_name=family))
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/")  # signing in opens the start page

    rows = page.locator(".contact-row")
    expect(rows).to_have_count(3)
    # Newest first.
    expect(rows.locator(".record-link")).to_have_text(["Reza Ahmadi", "Sara Karimi", "Ali Rezaei"])

    page.keyboard.press("/")
    search = page.locator("#global-search")
    expect(search).to_be_focused()
    expect(search).to_have_value("")

    page.keyboard.press("Escape")
    page.locator("h1").click()  # leave the search box: letters typed in it are not shortcuts
    expect(search).not_to_be_focused()

    selected = page.locator(".contact-row.is-selected")
    for key, expected_row in [("j", 0), ("j", 1), ("j", 2), ("k", 1)]:
        page.keyboard.press(key)
        expect(selected).to_have_count(1)
        expect(rows.nth(expected_row)).to_have_class(re.compile(r"\bis-selected\b"))
        expect(rows.nth(expected_row)).to_have_attribute("aria-selected", "true")

    href = rows.nth(1).get_attribute("data-href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("#record-title")).to_have_text("Sara Karimi")
