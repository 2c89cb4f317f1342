"""The duplicate review queue in a real browser: from a detection run's proposed pair to one
merged record."""

import re

import pytest
from playwright.sync_api import Page, expect

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.models import DuplicatePair
from peyvand.dedupe.services.detection import duplicate_run_now
from peyvand.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_merge_two_contacts_from_the_review_queue(page: Page, users):
    """Given «علی رضائی» saved twice (Arabic letters, another phone format) and a finished
    detection run, when the agent opens Duplicates, presses "Compare and merge" on the pair and
    then Merge, then one record is left, the merge page offers Undo, and the queue no longer
    lists the pair."""
    agent = users["agent_n"]

    def person(given, family, phone):
        data = ContactInput(given_name=given, family_name=family, phones=[PhoneInput(phone)])
        return contact_create(actor=agent, data=data)

    first = person("علی", "رضائی", "09121234567")
    second = person("علي", "رضايي", "+98 912 123 4567")
    person("مینا", "احمدی", "09193334455")
    person("Babak", "Nouri", "09124445566")
    run = duplicate_run_now(actor=agent, threshold=0.5)
    assert DuplicatePair.objects.filter(run=run).count() == 1

    sign_in(page, "agent_n", "pass-agent_n")
    page.goto("/duplicates/")
    pairs = page.locator(".duplicate-pair")
    expect(pairs).to_have_count(1)
    expect(pairs.first).to_contain_text("علی رضائی")
    pairs.first.locator(".compare-merge").click()

    page.wait_for_url(re.compile(r"/contacts/merge/\?ids="))
    expect(page.locator("#merge-submit")).to_be_visible()
    page.locator("#merge-submit").click()

    page.wait_for_url(re.compile(r"/merges/[0-9a-z]{16}/$"))
    expect(page.get_by_role("button", name="Undo merge")).to_be_visible()
    assert list(Contact.objects.values_list("pk", flat=True).order_by("pk"))[:1] == [first.pk]
    assert not Contact.objects.filter(pk=second.pk).exists()

    page.goto("/duplicates/")
    expect(page.locator(".duplicate-pair")).to_have_count(0)
    expect(page.locator("#queue-empty")).to_be_visible()
