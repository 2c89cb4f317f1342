import pytest
from django.core.exceptions import ValidationError

from peyvand.common.errors import NotFound, PermissionDenied, StaleVersion
from peyvand.customers.models import Contact
from peyvand.customers.services import (
    ContactInput,
    CustomFieldInput,
    PhoneInput,
    contact_create,
    contact_update,
    custom_field_create,
)

pytestmark = pytest.mark.django_db


def test_stale_version_is_refused_and_nothing_changes(users, north_contact):
    contact_update(
        actor=users["agent_n"], public_id=north_contact.public_id,
        data=ContactInput(notes="first"), expected_version=1,
    )  # fmt: skip
    with pytest.raises(StaleVersion) as exc:
        contact_update(
            actor=users["agent_n2"], public_id=north_contact.public_id,
            data=ContactInput(notes="second"), expected_version=1,
        )  # fmt: skip
    assert exc.value.current_version == 2
    north_contact.refresh_from_db()
    assert (north_contact.notes, north_contact.version) == ("first", 2)


def test_other_team_gets_not_found_viewer_gets_denied(users, north_contact):
    with pytest.raises(NotFound):
        contact_update(
            actor=users["agent_s"], public_id=north_contact.public_id, data=ContactInput(notes="x")
        )
    with pytest.raises(PermissionDenied):
        contact_update(
            actor=users["viewer_n"], public_id=north_contact.public_id, data=ContactInput(notes="x")
        )
    north_contact.refresh_from_db()
    assert north_contact.notes == "" and north_contact.version == 1


def test_invalid_update_changes_nothing(users, north_contact):
    with pytest.raises(ValidationError):
        contact_update(
            actor=users["agent_n"], public_id=north_contact.public_id,
            data=ContactInput(given_name="Changed", phones=[PhoneInput("bad")]),
        )  # fmt: skip
    north_contact.refresh_from_db()
    assert north_contact.given_name == "علی"
    assert [p.number for p in north_contact.phones.all()] == ["+989121234567"]


def test_unique_custom_field(users):
    custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(
            entity="contact", key="club", label="Club no", field_type="text", unique=True
        ),
    )
    agent = users["agent_n"]
    first = contact_create(
        actor=agent, data=ContactInput(given_name="A", custom_fields={"club": "X1"})
    )
    with pytest.raises(ValidationError) as exc:
        contact_create(actor=agent, data=ContactInput(given_name="B", custom_fields={"club": "x1"}))
    assert list(exc.value.message_dict) == ["custom_fields.club"]
    # the record itself may keep its own value
    contact_update(
        actor=agent, public_id=first.public_id, data=ContactInput(custom_fields={"club": "X1"})
    )
    assert Contact.objects.count() == 1


def test_generated_display_name_follows_a_rename_but_a_chosen_one_stays(users, north_contact):
    agent = users["agent_n"]
    contact = contact_update(
        actor=agent, public_id=north_contact.public_id,
        data=ContactInput(family_name="رضایی‌نژاد"),
    )  # fmt: skip
    assert contact.display_name == "علی رضایی‌نژاد"
    contact = contact_update(
        actor=agent, public_id=north_contact.public_id, data=ContactInput(display_name="Dr. Ali")
    )
    contact = contact_update(
        actor=agent, public_id=north_contact.public_id, data=ContactInput(given_name="علیرضا")
    )
    assert contact.display_name == "Dr. Ali"
