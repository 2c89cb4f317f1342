"""The access map: what each role may do, that nobody inactive may do anything, and who sees
which record — owned records by owner and team, "through" records exactly when their contact
is seen."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from peyvand.accounts.access import (
    ROLE_CAPABILITIES,
    Capability,
    can,
    can_see,
    capabilities_of,
    require,
    roles_with,
    visibility_key,
    visibility_of,
    visible_q_for,
)
from peyvand.accounts.models import Role
from peyvand.common.entities import OWNED, EntitySpec, Through, registry
from peyvand.common.errors import NotFound, PermissionDenied
from peyvand.customers.models import Contact, ContactPhone, Organization
from peyvand.customers.selectors.visibility import visible_q

C = Capability


def test_each_role_holds_exactly_its_capabilities():
    """Given the map, each role holds exactly the capabilities of the README's "Who sees
    what": admin everything; manager changes and deletes; agent changes; viewer reads."""
    readers = {C.RECORD_VIEW, C.RECORD_EXPORT}
    writers = readers | {C.RECORD_CHANGE, C.RECORD_IMPORT, C.RECORD_MERGE, C.DUPLICATES_REVIEW}

    expected = {
        Role.ADMIN: frozenset(Capability),
        Role.MANAGER: frozenset(writers | {C.RECORD_DELETE}),
        Role.AGENT: frozenset(writers),
        Role.VIEWER: frozenset(readers),
    }
    assert dict(ROLE_CAPABILITIES) == expected
    assert set(Capability) == {
        C.RECORD_VIEW, C.RECORD_VIEW_ALL, C.RECORD_CHANGE, C.RECORD_DELETE, C.RECORD_ASSIGN_ANY,
        C.RECORD_EXPORT, C.RECORD_IMPORT, C.RECORD_MERGE, C.DUPLICATES_REVIEW, C.JOBS_VIEW_ALL,
        C.SETTINGS_MANAGE, C.TOKENS_MANAGE_ALL,
    }  # fmt: skip


def test_roles_with_lists_the_roles_holding_a_capability():
    assert roles_with(C.RECORD_DELETE) == ["admin", "manager"]
    assert roles_with(C.RECORD_CHANGE) == ["admin", "manager", "agent"]
    assert roles_with(C.RECORD_VIEW) == ["admin", "manager", "agent", "viewer"]
    assert roles_with(C.SETTINGS_MANAGE) == ["admin"]


@pytest.mark.parametrize("name", ["admin", "manager_n", "agent_n", "viewer_n"])
def test_a_deactivated_user_has_no_capability(users, north_contact, name):
    """Given a user of any role who is deactivated, they may do nothing and see nothing."""
    user = users[name]
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert capabilities_of(user) == frozenset()
    assert [c for c in Capability if can(user, c)] == []
    assert list(Contact.objects.filter(visible_q(user))) == []
    assert can_see(user, north_contact) is False
    with pytest.raises(PermissionDenied):
        require(user, C.RECORD_VIEW)


def test_an_anonymous_user_has_no_capability():
    assert capabilities_of(AnonymousUser()) == frozenset()
    assert capabilities_of(None) == frozenset()
    assert can(AnonymousUser(), C.RECORD_VIEW) is False


def test_require_says_what_the_role_cannot_do_in_the_users_language(users):
    """Given a viewer, when a change is required, then PermissionDenied names what the role
    cannot do, in English and in Persian."""
    with pytest.raises(PermissionDenied) as english:
        require(users["viewer_n"], C.RECORD_CHANGE)
    with translation.override("fa"), pytest.raises(PermissionDenied) as persian:
        require(users["viewer_n"], C.RECORD_DELETE)

    assert str(english.value) == "Your role cannot change records."
    assert str(persian.value) == "نقش شما اجازهٔ حذف رکوردها را ندارد."


def test_require_with_a_record_checks_visibility_then_capability(users, north_contact):
    """Given a North record, the owner's team may change it, another team is told it does not
    exist (no leak), and a North viewer is refused on the role."""
    assert require(users["agent_n2"], C.RECORD_CHANGE, north_contact) is None
    assert can(users["agent_n2"], C.RECORD_CHANGE, north_contact) is True

    with pytest.raises(NotFound):
        require(users["agent_s"], C.RECORD_CHANGE, north_contact)
    with pytest.raises(PermissionDenied):
        require(users["viewer_n"], C.RECORD_CHANGE, north_contact)
    assert can(users["agent_s"], C.RECORD_CHANGE, north_contact) is False
    assert can(users["viewer_n"], C.RECORD_VIEW, north_contact) is True


def test_owned_records_are_seen_by_owner_team_and_who_sees_everything(
    users, north_contact, south_contact
):
    """Given a North and a South contact, each user sees exactly those of their teams; the
    rule for one record (``can_see``) agrees with the query (``visible_q_for``)."""
    both = {north_contact.pk, south_contact.pk}
    expected = {
        "admin": both,
        "manager_n": {north_contact.pk},
        "agent_n2": {north_contact.pk},
        "viewer_n": {north_contact.pk},
        "agent_s": {south_contact.pk},
    }
    for name, ids in expected.items():
        user = users[name]
        rows = Contact.objects.filter(visible_q_for(Contact, user))
        seen = set(rows.values_list("pk", flat=True))
        assert seen == ids, name
        assert {c.pk for c in (north_contact, south_contact) if can_see(user, c)} == ids, name


def test_a_record_through_its_contact_is_seen_exactly_when_the_contact_is(
    users, north_contact, south_contact
):
    """Given phones (seen through their contact), each user sees the phones of the contacts
    they see; when the North contact moves to South, its phone moves with it."""
    north_phone = north_contact.phones.get()
    south_phone = south_contact.phones.get()

    def phones(name):
        rows = ContactPhone.objects.filter(visible_q_for(ContactPhone, users[name]))
        return set(rows.values_list("pk", flat=True))

    assert visibility_of(ContactPhone) == Through("contact")
    assert phones("admin") == {north_phone.pk, south_phone.pk}
    assert phones("viewer_n") == {north_phone.pk}
    assert phones("agent_s") == {south_phone.pk}
    assert can_see(users["agent_s"], north_phone) is False

    Contact.objects.filter(pk=north_contact.pk).update(owner=users["agent_s"], team=None)
    north_phone.refresh_from_db()

    assert phones("viewer_n") == set()
    assert phones("agent_s") == {north_phone.pk, south_phone.pk}
    assert can_see(users["agent_s"], north_phone) is True
    assert can_see(users["agent_n"], north_phone) is False


@isolate_apps("peyvand.customers")
def test_a_registered_entity_declares_its_visibility_in_its_spec(users, north_contact):
    """Given a model that declares no visibility of its own but is registered as seen
    through its contact, the access map reads the rule from the registry; a model declaring
    nothing anywhere is refused loudly."""

    class CallNote(models.Model):  # a throwaway "through" entity over the phones' table
        contact = models.ForeignKey(Contact, on_delete=models.DO_NOTHING)

        class Meta:
            app_label = "customers"
            managed = False
            db_table = ContactPhone._meta.db_table

        def __str__(self) -> str:
            return f"note {self.pk}"

    class Unruled(models.Model):
        class Meta:
            app_label = "customers"
            managed = False

        def __str__(self) -> str:
            return "unruled"

    registry.register(EntitySpec(key="call_note", model=CallNote, visibility=Through("contact")))
    try:
        north_note = CallNote.objects.get(contact=north_contact)
        seen_by_n = CallNote.objects.filter(visible_q_for(CallNote, users["agent_n"]))
        seen_by_s = CallNote.objects.filter(visible_q_for(CallNote, users["agent_s"]))

        assert list(seen_by_n.values_list("pk", flat=True)) == [north_note.pk]
        assert list(seen_by_s) == []
        assert can_see(users["agent_n"], north_note) is True
        assert can_see(users["agent_s"], north_note) is False
    finally:
        registry.unregister("call_note")
    with pytest.raises(ImproperlyConfigured, match="Unruled declares no visibility"):
        visibility_of(Unruled)


def test_owned_models_declare_owned_visibility():
    assert visibility_of(Contact) == OWNED
    assert visibility_of(Organization) == OWNED


def test_visibility_key_holds_capabilities_not_roles(users):
    """Given users of each role, the key of the compiled list query says only who they are
    and whether they see anything and everything: a manager and an agent share its form."""
    admin, manager, viewer = users["admin"], users["manager_n"], users["viewer_n"]

    assert visibility_key(admin) == (admin.pk, True, True)
    assert visibility_key(manager) == (manager.pk, True, False)
    assert visibility_key(viewer) == (viewer.pk, True, False)
    viewer.is_active = False
    assert visibility_key(viewer) == (viewer.pk, False, False)
