"""Optimistic concurrency on the contact form: a stale save never overwrites."""

import pytest
from django.urls import reverse

from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db


def test_stale_edit_shows_conflict_and_does_not_overwrite(client_for, users, north_contact):
    """Given two people opened the form at version 1, when the first saves and then the
    second saves, then the second sees the conflict with both values and nothing of theirs is
    written; re-submitting with the new version saves."""
    url = reverse("web:contact_edit", args=[north_contact.public_id])
    first, second = client_for("agent_n"), client_for("agent_n2")
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()

    team = str(north_contact.team_id)
    saved = first.post(
        url, contact_post(given_name="علی", family_name="احمدی", team=team, version="1")
    )
    assert saved.status_code == 302

    stale = second.post(
        url, contact_post(given_name="علی", family_name="کریمی", team=team, version="1")
    )
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed this contact since you opened it." in page
    assert 'id="conflict"' in page
    assert "احمدی" in page  # theirs
    assert "کریمی" in page  # mine
    assert 'name="version" value="2"' in page
    north_contact.refresh_from_db()
    assert (north_contact.family_name, north_contact.version) == ("احمدی", 2)

    resubmit = second.post(
        url, contact_post(given_name="علی", family_name="کریمی", team=team, version="2")
    )
    assert resubmit.status_code == 302
    north_contact.refresh_from_db()
    assert (north_contact.family_name, north_contact.version) == ("کریمی", 3)


def test_conflict_lists_only_fields_that_differ(client_for, north_contact):
    url = reverse("web:contact_edit", args=[north_contact.public_id])
    client = client_for("agent_n")
    common = {
        "emails": "ali@example.com",
        "phones": "09121234567",
        "team": str(north_contact.team_id),
    }
    client.post(
        url,
        contact_post(given_name="علی", family_name="رضایی", notes="theirs", version="1", **common),
    )
    stale = client.post(
        url,
        contact_post(given_name="علی", family_name="رضایی", notes="mine", version="1", **common),
    )
    page = stale.content.decode()
    rows = page.count('class="conflict-row"')
    assert rows == 1
    assert "theirs" in page
    assert "mine" in page
