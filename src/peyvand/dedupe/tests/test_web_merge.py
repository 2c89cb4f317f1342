"""The merge pages: "Merge…" on a contact, pick the other record, compare, merge, undo."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from peyvand.accounts.services import user_create
from peyvand.customers.models import Contact
from peyvand.dedupe.models import Merge
from peyvand.dedupe.tests.merge_world import overlapping_pair, world_dump

pytestmark = pytest.mark.django_db


@pytest.fixture
def fa_client(teams):
    """A Persian-speaking agent in team North (Jalali calendar)."""
    user = user_create(
        actor=None, username="maryam", password="pass-maryam", role="agent",
        teams=[teams["north"]], language="fa", validate_password_strength=False,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def _merge_url(*contacts) -> str:
    return reverse("web:contact_merge") + "?ids=" + ",".join(c.public_id for c in contacts)


def _checked(page: str, field: str) -> str:
    """The public id whose radio button is checked for ``field``."""
    match = re.search(rf'name="choose_{field}"[^>]*value="(\w+)" checked', page)
    return match.group(1) if match else ""


def test_contact_page_offers_merge_and_the_pick_page_finds_the_other_record(client_for, users):
    """Given two records, the contact page links to Merge…; the pick page's search (htmx) lists
    the other record, not the record itself, with a Compare link."""
    a, b = overlapping_pair(users)
    client = client_for("agent_n")

    detail = client.get(a.get_absolute_url()).content.decode()
    pick = client.get(_merge_url(a))
    found = client.get(
        _merge_url(a) + "&q=0912 123 4567",
        headers={"HX-Request": "true", "HX-Target": "merge-candidates"},
    ).content.decode()

    assert f'href="{_merge_url(a)}"' in detail
    assert pick.status_code == 200
    assert "Merge “علی رضایی” with…" in pick.content.decode()
    assert f"?ids={a.public_id},{b.public_id}" in found
    assert found.count("Compare") == 1
    assert "<html" not in found


def test_compare_preselects_defaults_and_merging_leads_to_the_result_page(client_for, users):
    """Given the compare page, the differing fields have radios preselected per the rules; when
    posted with one choice changed, then B is merged and the result page offers Undo."""
    a, b = overlapping_pair(users)
    client = client_for("agent_n")

    page = client.get(_merge_url(a, b)).content.decode()

    assert _checked(page, "given_name") == a.public_id
    assert _checked(page, "birth_date") == b.public_id
    assert _checked(page, "notes") == b.public_id
    assert 'name="choose_country"' not in page  # both IR: nothing to choose
    assert "ali.home@example.com" in page

    response = client.post(
        reverse("web:contact_merge"),
        {"ids": f"{a.public_id},{b.public_id}", "choose_given_name": b.public_id,
         "choose_birth_date": b.public_id},
    )  # fmt: skip

    merge = Merge.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:merge_detail", args=[merge.public_id])
    assert Contact.objects.get(pk=a.pk).given_name == "Ali"
    assert not Contact.objects.filter(pk=b.pk).exists()
    result = client.get(response.url).content.decode()
    assert 'id="merge-undo"' in result
    assert b.public_id in result
    history = client.get(a.get_absolute_url()).content.decode()
    assert "Merged duplicate records into this one." in history


def test_undo_button_restores_the_merged_record(client_for, users):
    a, b = overlapping_pair(users)
    client = client_for("agent_n")
    before = world_dump([b.pk])
    client.post(reverse("web:contact_merge"), {"ids": f"{a.public_id},{b.public_id}"})
    merge = Merge.objects.get()

    response = client.post(reverse("web:merge_undo", args=[merge.public_id]))

    assert response.status_code == 302
    assert world_dump([b.pk]) == before
    page = client.get(response.url).content.decode()
    assert "Merge undone: the records are back as they were." in page
    assert 'id="merge-undo"' not in page
    again = client.post(reverse("web:merge_undo", args=[merge.public_id]), follow=True)
    assert "This merge was already undone." in again.content.decode()


def test_merging_a_record_with_itself_returns_to_the_pick_page_with_the_reason(client_for, users):
    a, _b = overlapping_pair(users)

    response = client_for("agent_n").get(_merge_url(a, a), follow=True)

    assert response.redirect_chain[-1][0] == _merge_url(a)
    assert f"A record cannot be merged with itself ({a.public_id})." in response.content.decode()


def test_viewer_gets_403_and_another_team_404_and_nothing_changes(client_for, users):
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])
    data = {"ids": f"{a.public_id},{b.public_id}"}

    assert client_for("viewer_n").get(_merge_url(a, b)).status_code == 403
    assert client_for("viewer_n").post(reverse("web:contact_merge"), data).status_code == 403
    assert client_for("agent_s").get(_merge_url(a, b)).status_code == 404
    assert client_for("agent_s").post(reverse("web:contact_merge"), data).status_code == 404
    assert world_dump([a.pk, b.pk]) == before
    assert "Merge…" not in client_for("viewer_n").get(a.get_absolute_url()).content.decode()


def test_persian_compare_page_shows_jalali_dates_and_persian_digits(fa_client, users):
    """Given a Persian-speaking agent, the compare page shows the birth date in Jalali with
    Persian digits and the national ID in Persian digits."""
    a, b = overlapping_pair(users)

    page = fa_client.get(_merge_url(a, b)).content.decode()

    assert "۱ فروردین ۱۳۶۹" in page  # 1990-03-21
    assert "۰۰۱۳۵۴۲۴۱۹" in page
    assert 'lang="fa" dir="rtl"' in page
