"""An old link to a contact that was merged into another leads to the record that stayed."""

import pytest
from django.urls import reverse

from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.services import contact_merge, merge_undo

pytestmark = pytest.mark.django_db


def _person(actor, given, phone):
    data = ContactInput(given_name=given, family_name="رضایی", phones=[PhoneInput(phone)])
    return contact_create(actor=actor, data=data)


@pytest.fixture
def merged(users):
    """«علی» (kept) and «علي» merged into it, both North."""
    agent = users["agent_n"]
    kept, gone = _person(agent, "علی", "09121234567"), _person(agent, "Ali", "09121234568")
    merge = contact_merge(actor=agent, survivor_public_id=kept.public_id,
                          other_public_ids=[gone.public_id])  # fmt: skip
    return kept, gone, merge


def test_a_merged_away_contact_redirects_to_the_survivor_with_a_message(client_for, merged):
    """Given B merged into A, when an agent opens B's old address, then they land on A's page,
    which says B was merged into it."""
    kept, gone, _merge = merged
    client = client_for("agent_n")

    response = client.get(reverse("web:contact_detail", args=[gone.public_id]))

    assert response.status_code == 302
    assert response.url == kept.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "That contact was merged into “علی رضایی”; this is the record that stayed." in page


def test_the_message_is_in_persian_for_a_persian_user(fa_client, merged):
    _kept, gone, _merge = merged
    response = fa_client.get(reverse("web:contact_detail", args=[gone.public_id]), follow=True)
    assert "آن مخاطب در «⁨علی رضایی⁩» ادغام شد؛ این رکوردی است که ماند." in (
        response.content.decode()
    )


def test_a_chain_of_merges_leads_to_the_last_survivor(client_for, users, merged):
    """Given B merged into A, then A merged into C, when B's old address is opened, then it
    leads to C."""
    kept, gone, _merge = merged
    agent = users["agent_n"]
    last = _person(agent, "Ali R", "09121234569")
    contact_merge(actor=agent, survivor_public_id=last.public_id,
                  other_public_ids=[kept.public_id])  # fmt: skip

    response = client_for("agent_n").get(reverse("web:contact_detail", args=[gone.public_id]))

    assert response.url == last.get_absolute_url()


def test_someone_who_cannot_see_the_survivor_gets_404(client_for, merged):
    """Given the survivor is North's, then a South agent gets 404 for B and learns nothing."""
    _kept, gone, _merge = merged
    response = client_for("agent_s").get(reverse("web:contact_detail", args=[gone.public_id]))
    assert response.status_code == 404


def test_after_undo_the_old_address_is_the_contact_again(client_for, users, merged):
    _kept, gone, merge = merged
    merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)
    response = client_for("agent_n").get(reverse("web:contact_detail", args=[gone.public_id]))
    assert response.status_code == 200


def test_an_unknown_address_is_still_404(client_for, merged):
    response = client_for("agent_n").get(reverse("web:contact_detail", args=["0000000000000000"]))
    assert response.status_code == 404
