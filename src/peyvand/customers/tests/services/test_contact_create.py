import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from peyvand.common.errors import PermissionDenied
from peyvand.customers.models import Contact, ContactConsent
from peyvand.customers.services import (
    AddressInput,
    ConsentInput,
    ContactInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)

pytestmark = pytest.mark.django_db


def test_defaults_owner_and_team_to_the_actor(users, teams):
    contact = contact_create(actor=users["agent_n"], data=ContactInput(given_name="A"))
    assert contact.owner == users["agent_n"]
    assert contact.team == teams["north"]
    assert contact.created_by == users["agent_n"]
    assert contact.version == 1


def test_viewer_cannot_create(users):
    with pytest.raises(PermissionDenied):
        contact_create(actor=users["viewer_n"], data=ContactInput(given_name="A"))
    assert Contact.objects.count() == 0


def test_agent_cannot_assign_to_another_team_or_outsider(users, teams):
    with pytest.raises(ValidationError) as exc:
        contact_create(
            actor=users["agent_n"],
            data=ContactInput(given_name="A", team=teams["south"].pk, owner="agent_s"),
        )
    assert set(exc.value.message_dict) == {"team", "owner"}
    assert Contact.objects.count() == 0


def test_agent_may_hand_over_to_a_teammate(users, teams):
    contact = contact_create(
        actor=users["agent_n"], data=ContactInput(given_name="A", owner="agent_n2")
    )
    assert contact.owner == users["agent_n2"]


def test_full_record_is_stored(users):
    org = organization_create(actor=users["agent_n"], data=OrganizationInput(name="شرکت نمونه"))
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="مريم",
            family_name="احمدی",
            emails=[EmailInput("m@x.ir", kind="work"), EmailInput("M@x.ir")],
            phones=[
                PhoneInput("021 8888 7777", kind="work"),
                PhoneInput("09351112233", is_primary=True),
            ],
            addresses=[AddressInput(line="خیابان ولیعصر، پلاک ۱", city="تهران")],
            birth_date=dt.date(1990, 1, 2),
            consents=[ConsentInput("sms", True, source="web form")],
            organizations=[MembershipInput(org.public_id, job_title="مدیر فروش")],
            tags=["VIP", "vip", "مشتری ويژه"],
            custom_fields={},
        ),
    )
    assert contact.display_name == "مریم احمدی"
    assert [e.email for e in contact.emails.all()] == ["m@x.ir"]  # duplicates collapse
    assert contact.primary_phone == "+989351112233"
    assert contact.addresses.get().city == "تهران"
    consent = ContactConsent.objects.get(contact=contact)
    assert (consent.channel, consent.granted, consent.source) == ("sms", True, "web form")
    assert contact.memberships.get().job_title == "مدیر فروش"
    assert sorted(t.name for t in contact.tags.all()) == ["VIP", "مشتری ویژه"]
    assert "شرکت نمونه" in contact.search_document


def test_needs_a_name_and_a_past_birth_date(users):
    with pytest.raises(ValidationError) as exc:
        contact_create(actor=users["agent_n"], data=ContactInput(birth_date=dt.date(2999, 1, 1)))
    assert set(exc.value.message_dict) == {"display_name", "birth_date"}


def test_organisation_the_actor_cannot_see_is_refused(users):
    south_org = organization_create(actor=users["agent_s"], data=OrganizationInput(name="S"))
    with pytest.raises(ValidationError) as exc:
        contact_create(
            actor=users["agent_n"],
            data=ContactInput(given_name="A", organizations=[MembershipInput(south_org.public_id)]),
        )
    assert list(exc.value.message_dict) == ["organizations.0"]
