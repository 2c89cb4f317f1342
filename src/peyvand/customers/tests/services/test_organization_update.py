import pytest

from peyvand.common.errors import PermissionDenied
from peyvand.customers.models import Organization
from peyvand.customers.selectors import contact_search
from peyvand.customers.services import (
    ContactInput,
    MembershipInput,
    OrganizationInput,
    contact_create,
    organization_create,
    organization_delete,
    organization_update,
)

pytestmark = pytest.mark.django_db


def test_rename_reaches_members_search(users):
    agent = users["agent_n"]
    org = organization_create(actor=agent, data=OrganizationInput(name="پارس", phone="02188887777"))
    assert org.phone == "+982188887777"
    contact = contact_create(
        actor=agent,
        data=ContactInput(given_name="Z", organizations=[MembershipInput(org.public_id)]),
    )
    organization_update(actor=agent, public_id=org.public_id, data=OrganizationInput(name="کاسپین"))
    assert [c.pk for c in contact_search(actor=agent, query="کاسپین")] == [contact.pk]
    assert contact_search(actor=agent, query="پارس") == []


def test_agent_cannot_delete(users):
    org = organization_create(actor=users["agent_n"], data=OrganizationInput(name="X"))
    with pytest.raises(PermissionDenied):
        organization_delete(actor=users["agent_n"], public_id=org.public_id)
    organization_delete(actor=users["manager_n"], public_id=org.public_id)
    assert not Organization.objects.exists()
