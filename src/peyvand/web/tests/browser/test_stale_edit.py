"""Two tabs editing the same contact: the later, stale save never overwrites the first."""

import re

import pytest
from playwright.sync_api import expect

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.web.tests.browser.conftest import WatchedContext, sign_in

pytestmark = pytest.mark.browser


def test_second_tab_saving_a_stale_form_sees_the_conflict(web: WatchedContext, users):
    """Given one contact (version 1) open in the edit form in two tabs,
    when the first tab saves a new family name and the second tab then saves new notes,
    then the second tab answers 409 with the conflict message and a table showing both
    differences (theirs beside mine), the form keeps the second tab's typing with the new
    version, and the stored contact is exactly what the first tab saved."""
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Ali", family_name="Rezaei", phones=[PhoneInput("09121234567")]
        ),
    )
    edit_path = f"/contacts/{contact.public_id}/edit/"
    web.expect_status(edit_path, 409)
    first, second = web.new_page(), web.new_page()
    sign_in(first, "agent_n", "pass-agent_n")
    first.goto(edit_path)
    second.goto(edit_path)
    expect(first.locator("input[name=version]")).to_have_value("1")
    expect(second.locator("input[name=version]")).to_have_value("1")

    first.locator("#id_family_name").fill("Ahmadi")
    first.locator("#save").click()
    expect(first).to_have_url(re.compile(rf"/contacts/{contact.public_id}/$"))
    expect(first.locator("#record-title")).to_have_text("Ali Ahmadi")

    second.locator("#id_notes").fill("Prefers calls after 5 pm")
    with second.expect_response(re.compile(re.escape(edit_path) + "$")) as answer:
        second.locator("#save").click()
    assert answer.value.status == 409

    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("h2")).to_have_text(
        "Someone else changed this contact since you opened it."
    )
    expect(conflict).to_be_focused()
    expect(conflict.locator(".conflict-row th")).to_have_text(["Family name", "Notes"])
    expect(conflict.locator(".conflict-row td")).to_have_text(
        ["Ahmadi", "Rezaei", "—", "Prefers calls after 5 pm"]
    )
    expect(second.locator("#id_notes")).to_have_value("Prefers calls after 5 pm")
    expect(second.locator("#id_family_name")).to_have_value("Rezaei")
    expect(second.locator("input[name=version]")).to_have_value("2")
    expect(second.locator("#save")).to_have_text("Save mine over theirs")

    contact.refresh_from_db()
    assert (contact.given_name, contact.family_name, contact.notes, contact.version) == (
        "Ali",
        "Ahmadi",
        "",
        2,
    )
    assert Contact.objects.count() == 1
