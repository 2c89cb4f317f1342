"""Repeated rows in a real browser: organisations and addresses added and removed on the
contact form without reloading it, all saved by one click on Save."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.customers.services import OrganizationInput, organization_create
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_two_organisations_and_two_addresses_in_one_save(page: Page, users):
    """Given two organisations; when an agent fills the first organisation row, adds a second
    row and fills it, fills an address, adds two more address rows and removes the last one,
    all without the page reloading; then Save stores both links with their job titles and
    the two addresses with their types."""
    agent = users["agent_n"]
    organization_create(actor=agent, data=OrganizationInput(name="Peyvand"))
    organization_create(actor=agent, data=OrganizationInput(name="Azar"))
    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/contacts/new/")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.locator("#id_given_name").fill("Ali")
    page.locator("#id_org_0").select_option(label="Peyvand")
    page.locator("#id_job_0").fill("CEO")
    page.locator("#add-organization").click()
    expect(page.locator("#id_org_1")).to_be_focused()
    page.locator("#id_org_1").select_option(label="Azar")
    page.locator("#id_job_1").fill("Adviser")

    page.locator("#id_address_0_line").fill("Azadi 12")
    page.locator("#add-address").click()
    page.locator("#id_address_1_kind").select_option("billing")
    page.locator("#id_address_1_line").fill("Valiasr 5")
    page.locator("#add-address").click()
    page.locator("#id_address_2_line").fill("to be removed")
    page.locator("#address-rows [data-row]").nth(2).locator("[data-remove-row]").click()
    expect(page.locator("#id_address_2_line")).to_have_count(0)
    assert navigations == []  # nothing reloaded the form

    page.locator("#save").click()
    expect(page).to_have_url(re.compile(r"/contacts/[0-9a-z]{16}/$"))
    contact = Contact.objects.get()
    links = [(m.organization.name, m.job_title) for m in contact.memberships.order_by("id")]
    assert links == [("Peyvand", "CEO"), ("Azar", "Adviser")]
    addresses = [(a.kind, a.line) for a in contact.addresses.order_by("id")]
    assert addresses == [("home", "Azadi 12"), ("billing", "Valiasr 5")]
