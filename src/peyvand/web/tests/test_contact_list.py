"""The contact list: search-as-you-type partial, URL filters, cursor paging, empty states."""

import pytest
from django.urls import reverse

from peyvand.customers.services import (
    ContactInput,
    CustomFieldInput,
    PhoneInput,
    contact_create,
    custom_field_create,
)

pytestmark = pytest.mark.django_db

PARTIAL = {"HX-Request": "true", "HX-Target": "contact-results"}


def _rows(html: str) -> int:
    return html.count('class="contact-row')


def test_partial_search_matches_other_letter_variant(client_for, users):
    """Given a contact stored as «علی کریمی», a search typed with Arabic ي/ك finds it, and the
    answer is only the rows partial (no layout)."""
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="علی", family_name="کریمی"),
    )
    response = client_for("agent_n").get(
        reverse("web:contact_list"), {"q": "علي كريمي"}, headers=PARTIAL
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert _rows(html) == 1
    assert "علی کریمی" in html


def test_partial_search_finds_persian_digit_phone_by_ascii(client_for, users):
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Reza", phones=[PhoneInput("۰۹۱۲۵۵۵۶۶۷۷")]),
    )
    client = client_for("agent_n")
    for query in ("09125556677", "9125556677", "0912555"):
        html = client.get(reverse("web:contact_list"), {"q": query}, headers=PARTIAL)
        assert _rows(html.content.decode()) == 1, query


def test_full_page_on_history_restore(client_for, north_contact):
    """htmx asking for the page again after a back-button cache miss gets the whole page."""
    response = client_for("agent_n").get(
        reverse("web:contact_list"),
        {"q": "علی"},
        headers={**PARTIAL, "HX-History-Restore-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" in html
    assert 'id="list-search"' in html
    assert 'value="علی"' in html


def test_list_page_has_search_wired_to_partial(client_for, north_contact):
    html = client_for("agent_n").get(reverse("web:contact_list")).content.decode()
    assert 'id="list-search"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-target="#contact-results"' in html
    assert 'aria-live="polite"' in html


def test_filters_in_url_narrow_the_list(client_for, users):
    agent = users["agent_n"]
    contact_create(actor=agent, data=ContactInput(given_name="Lead", lifecycle_stage="lead"))
    contact_create(
        actor=agent,
        data=ContactInput(given_name="Buyer", lifecycle_stage="customer", tags=["vip"]),
    )
    client = client_for("agent_n")
    url = reverse("web:contact_list")
    html = client.get(url, {"lifecycle_stage": "customer"}).content.decode()
    assert _rows(html) == 1
    assert "Buyer" in html
    assert _rows(client.get(url, {"tag": "vip"}).content.decode()) == 1
    assert _rows(client.get(url, {"owner": "me"}).content.decode()) == 2
    both = client.get(url, {"q": "Buyer", "lifecycle_stage": "lead"}).content.decode()
    assert _rows(both) == 0
    assert 'id="empty-state"' in both
    assert "No contact matches" in both


def test_custom_field_filter(client_for, users):
    admin, agent = users["admin"], users["agent_n"]
    custom_field_create(
        actor=admin,
        data=CustomFieldInput(
            entity="contact",
            key="tier",
            label="Tier",
            field_type="choice",
            choices=["gold", "silver"],
        ),
    )
    contact_create(actor=agent, data=ContactInput(given_name="G", custom_fields={"tier": "gold"}))
    contact_create(actor=agent, data=ContactInput(given_name="S", custom_fields={"tier": "silver"}))
    client = client_for("agent_n")
    html = client.get(reverse("web:contact_list"), {"cf_tier": "gold"}).content.decode()
    assert _rows(html) == 1
    unknown = client.get(reverse("web:contact_list"), {"cf_nope": "x"}).content.decode()
    assert "There is no custom field “nope”." in unknown
    assert _rows(unknown) == 0


def test_cursor_paging_fifty_per_page(client_for, users, monkeypatch):
    agent = users["agent_n"]
    for index in range(53):
        contact_create(actor=agent, data=ContactInput(given_name=f"Person {index:02d}"))
    client = client_for("agent_n")
    first = client.get(reverse("web:contact_list")).content.decode()
    assert _rows(first) == 50
    assert "Person 52" in first
    assert "53 contacts" in first  # a bounded count is exact under its cap
    assert 'id="next-page"' in first
    start = first.index('id="next-page" class="btn btn-outline-secondary" href="') + len(
        'id="next-page" class="btn btn-outline-secondary" href="'
    )
    next_url = first[start : first.index('"', start)].replace("&amp;", "&")
    second = client.get(next_url, headers=PARTIAL).content.decode()
    assert _rows(second) == 3
    assert "Person 00" in second
    assert 'id="next-page"' not in second

    monkeypatch.setattr("peyvand.web.paging.COUNT_CAP", 10)
    capped = client.get(reverse("web:contact_list")).content.decode()
    assert "10+ contacts" in capped


def test_empty_state_invites_first_contact(client_for):
    html = client_for("agent_n").get(reverse("web:contact_list")).content.decode()
    assert "No contacts yet" in html
    assert 'id="create-first-contact"' in html
    viewer = client_for("viewer_n").get(reverse("web:contact_list")).content.decode()
    assert 'id="create-first-contact"' not in viewer


def test_global_search_partial_lists_contacts_and_organisations(client_for, north_contact):
    from peyvand.customers.services import OrganizationInput, organization_create

    organization_create(actor=north_contact.owner, data=OrganizationInput(name="علی‌بابا"))
    response = client_for("agent_n").get(
        reverse("web:search"),
        {"q": "علي"},
        headers={"HX-Request": "true", "HX-Target": "global-search-results"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "علی رضایی" in html
    assert "علی‌بابا" in html
    assert html.count('class="search-result"') == 2


def test_global_search_page_without_htmx(client_for, north_contact):
    html = client_for("agent_n").get(reverse("web:search"), {"q": "رضایی"}).content.decode()
    assert "<html" in html
    assert "علی رضایی" in html
