"""The entity registry: a record type that registers only its model is listed, searched,
exported and access-checked by the shared code, and rows reached through a contact follow it
through a merge — with no code of their own beyond the model and its registration."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction

from peyvand.accounts.access import Capability, can_see, require
from peyvand.common.entities import EntitySpec, Through, UnknownEntity, registry
from peyvand.common.errors import NotFound, PermissionDenied, StaleVersion
from peyvand.common.records import OwnedRecord
from peyvand.customers.models import Contact
from peyvand.customers.selectors.filters import RecordFilters
from peyvand.customers.selectors.records import (
    record_export_rows,
    record_get_for_user,
    record_list,
    record_search,
)
from peyvand.customers.services import ContactInput, EmailInput, contact_create
from peyvand.customers.services.records import record_delete, record_get_for_update

APP = "customers"


def _throwaway_models():
    class Voucher(OwnedRecord):
        """An owned record of a later feature (say, a gift voucher)."""

        code = models.CharField(max_length=20)
        note = models.TextField(blank=True)

        class Meta(OwnedRecord.Meta):
            app_label = APP

        def __str__(self) -> str:
            return self.code

    class CallNote(models.Model):
        """A record seen through its contact (say, a logged call)."""

        contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
        summary = models.CharField(max_length=100)

        visibility = Through("contact")

        class Meta:
            app_label = APP

        def __str__(self) -> str:
            return self.summary

    return Voucher, CallNote


@pytest.fixture
def throwaway(transactional_db):
    """Create the test-only tables and register the owned one; undo all of it afterwards."""
    created = _throwaway_models()
    with connection.schema_editor() as editor:
        for model in created:
            editor.create_model(model)
    registry.register(EntitySpec(key="voucher", model=created[0]))
    registry.register(EntitySpec(key="callnote", model=created[1]))
    yield created
    registry.unregister("voucher")
    registry.unregister("callnote")
    with connection.schema_editor() as editor:
        for model in reversed(created):
            editor.delete_model(model)
    for name in ("voucher", "callnote"):
        apps.all_models[APP].pop(name, None)
    apps.clear_cache()


def _voucher(model, *, code, owner, team=None, note=""):
    return model.objects.create(code=code, owner=owner, team=team, note=note, created_by=owner)


def test_the_shipped_record_types_are_registered():
    """Given the installed apps, then contacts and organisations are in the registry, found by
    key and by model, and an unknown key is an error rather than a silent default."""
    assert registry.names() == ["contact", "organization"]
    assert registry.for_model(Contact).key == "contact"
    with pytest.raises(UnknownEntity):
        registry.get("deal")


def test_an_owned_model_is_listed_searched_and_exported_within_visibility(throwaway, users):
    """Given vouchers of two teams, when an agent of one team lists, searches and exports them
    through the registry, then only their team's vouchers appear, in every one of the three."""
    Voucher, _ = throwaway
    north, south = users["agent_n"], users["agent_s"]
    mine = _voucher(Voucher, code="NOWRUZ-1405", owner=north, team=north.teams.first(),
                    note="هدیه نوروزی")  # fmt: skip
    _voucher(Voucher, code="NOWRUZ-1406", owner=south, team=south.teams.first())
    _voucher(Voucher, code="YALDA", owner=north)

    listed = list(record_list(actor=north, entity="voucher"))
    found = record_search(actor=north, entity="voucher", query="nowruz")
    visible = record_list(actor=north, entity="voucher")
    rows = list(record_export_rows(entity="voucher", records=visible))

    assert [v.code for v in listed] == ["YALDA", "NOWRUZ-1405"]
    assert [v.code for v in found] == ["NOWRUZ-1405"]
    assert [v.code for v in record_search(actor=north, entity="voucher", query="نوروزی")] == [
        "NOWRUZ-1405"
    ]
    header, *body = rows
    assert header == ["public_id", "code", "note", "created_at", "updated_at", "owner", "team"]
    assert [(r[1], r[5], r[6]) for r in body] == [
        ("YALDA", "agent_n", ""),
        ("NOWRUZ-1405", "agent_n", str(mine.team)),
    ]
    filtered = record_list(actor=north, entity="voucher", filters=RecordFilters(team=mine.team_id))
    assert [v.code for v in filtered] == ["NOWRUZ-1405"]


def test_an_owned_model_is_access_checked_by_the_shared_services(throwaway, users):
    """Given a voucher of the north team, then the south agent cannot see, change or delete it
    (NotFound: no leak), a viewer of the north team sees it but cannot change it, a stale
    version is refused, and a manager deletes it."""
    Voucher, _ = throwaway
    north = users["agent_n"]
    voucher = _voucher(Voucher, code="A1", owner=north, team=north.teams.first())

    with pytest.raises(NotFound):
        record_get_for_user(actor=users["agent_s"], entity="voucher", public_id=voucher.public_id)
    with pytest.raises(NotFound):
        record_delete(actor=users["agent_s"], model=Voucher, public_id=voucher.public_id)
    assert (
        record_get_for_user(actor=users["viewer_n"], entity="voucher", public_id=voucher.public_id)
        == voucher
    )
    with pytest.raises(PermissionDenied), transaction.atomic():
        record_get_for_update(actor=users["viewer_n"], model=Voucher, public_id=voucher.public_id)
    with pytest.raises(StaleVersion), transaction.atomic():
        record_get_for_update(
            actor=north, model=Voucher, public_id=voucher.public_id, expected_version=7
        )
    with pytest.raises(PermissionDenied):
        record_delete(actor=north, model=Voucher, public_id=voucher.public_id)
    assert Voucher.objects.filter(pk=voucher.pk).exists()

    record_delete(actor=users["manager_n"], model=Voucher, public_id=voucher.public_id)

    assert not Voucher.objects.filter(pk=voucher.pk).exists()


def test_rows_reached_through_a_contact_follow_it_through_a_merge_and_its_undo(throwaway, users):
    """Given call notes on two duplicate contacts, when they are merged, then every note is the
    survivor's; when the merge is undone, each note is back on its own contact."""
    from peyvand.dedupe.services import contact_merge, merge_undo

    _, CallNote = throwaway
    agent = users["agent_n"]
    a = contact_create(actor=agent, data=ContactInput(given_name="Ali",
                                                      emails=[EmailInput("a@x.ir")]))  # fmt: skip
    b = contact_create(actor=agent, data=ContactInput(given_name="Ali R",
                                                      emails=[EmailInput("a@x.ir")]))  # fmt: skip
    on_a = CallNote.objects.create(contact=a, summary="asked for a quote")
    on_b = CallNote.objects.create(contact=b, summary="prefers SMS")

    merge = contact_merge(
        actor=agent, survivor_public_id=a.public_id, other_public_ids=[b.public_id]
    )

    assert sorted(CallNote.objects.values_list("contact_id", "summary")) == [
        (a.pk, "asked for a quote"),
        (a.pk, "prefers SMS"),
    ]
    merge_undo(actor=agent, merge_public_id=merge.public_id)
    assert CallNote.objects.get(pk=on_a.pk).contact_id == a.pk
    assert CallNote.objects.get(pk=on_b.pk).contact_id == b.pk


def test_a_record_seen_through_its_contact_is_visible_exactly_when_the_contact_is(
    throwaway, users, north_contact, south_contact
):
    """Given call notes on a north and a south contact, then each agent lists and searches only
    the notes of contacts they see, the admin all of them, and a note of an invisible contact
    is NotFound to the shared fetch."""
    _, CallNote = throwaway
    north_note = CallNote.objects.create(contact=north_contact, summary="wants a catalogue")
    CallNote.objects.create(contact=south_contact, summary="wants a discount")

    def listed(user):
        return [n.summary for n in record_list(actor=users[user], entity="callnote")]

    assert listed("agent_n") == ["wants a catalogue"]
    assert listed("viewer_n") == ["wants a catalogue"]
    assert listed("agent_s") == ["wants a discount"]
    assert listed("admin") == ["wants a discount", "wants a catalogue"]
    assert [n.summary for n in record_search(actor=users["agent_s"], entity="callnote",
                                             query="wants")] == ["wants a discount"]  # fmt: skip
    assert can_see(users["agent_n"], north_note)
    assert not can_see(users["agent_s"], north_note)
    with pytest.raises(NotFound):
        require(users["agent_s"], Capability.RECORD_VIEW, north_note)


def test_the_export_command_exports_a_registered_type_it_has_never_heard_of(
    throwaway, users, tmp_path
):
    """Given vouchers of two teams, when the north agent runs ``peyvand export vouchers``,
    then the CSV holds only the north voucher, with the shared columns; an unknown type and a
    filter the type does not have are refused by name."""
    Voucher, _ = throwaway
    north, south = users["agent_n"], users["agent_s"]
    _voucher(Voucher, code="NORTH-1", owner=north, team=north.teams.first())
    _voucher(Voucher, code="SOUTH-1", owner=south, team=south.teams.first())
    out = tmp_path / "vouchers.csv"

    call_command("export", "vouchers", "--user", "agent_n", "-o", str(out))

    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "public_id,code,note,created_at,updated_at,owner,team"
    assert [line.split(",")[1] for line in lines[1:]] == ["NORTH-1"]
    with pytest.raises(CommandError, match="deals: export one of contacts, organizations"):
        call_command("export", "deals", "--user", "agent_n")
    with pytest.raises(CommandError, match="--filter industry: unknown filter"):
        call_command("export", "vouchers", "--filter", "industry=x", "--user", "agent_n")
