"""merge_undo: the records come back exactly, field by field and row by row; refusals change
nothing."""

import pytest

from peyvand.common.errors import Conflict, NotFound, PermissionDenied
from peyvand.customers.models import Contact
from peyvand.customers.selectors import contact_history, contact_search
from peyvand.customers.services import (
    ContactInput,
    EmailInput,
    contact_create,
    contact_update,
    tag_delete,
)
from peyvand.dedupe.models import Merge
from peyvand.dedupe.services import contact_merge, merge_undo
from peyvand.dedupe.tests.merge_world import overlapping_pair, world_dump

pytestmark = pytest.mark.django_db


def _merge(actor, survivor, *others, choices=None) -> Merge:
    return contact_merge(
        actor=actor,
        survivor_public_id=survivor.public_id,
        other_public_ids=[o.public_id for o in others],
        choices=choices,
    )


def _without_version(dump: dict, *pks: int) -> dict:
    """The dump with the survivors' version and updated_at left out (both move forward)."""
    dump = dict(dump)
    for pk in pks:
        contact = dump[pk]["contact"]
        contact = {k: v for k, v in contact.items() if k not in ("version", "updated_at")}
        dump[pk] = {**dump[pk], "contact": contact}
    return dump


def test_undo_restores_both_records_exactly(users):
    """Given two overlapping records merged with a choice, when the merge is undone, then every
    field of both contacts and every related row (pk, values, timestamps) equals the dump taken
    before the merge; only the survivor's version moved on."""
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])
    merge = _merge(users["agent_n"], a, b, choices={"given_name": b.public_id})

    undone = merge_undo(actor=users["agent_n2"], merge_public_id=merge.public_id)

    after = world_dump([a.pk, b.pk])
    assert _without_version(after, a.pk) == _without_version(before, a.pk)
    assert after[b.pk] == before[b.pk]  # the merged record is byte-for-byte back
    assert after[a.pk]["contact"]["version"] == 3
    assert undone.undone_by == users["agent_n2"]
    assert undone.undone_at is not None
    for query, expected in (("02188776655", [b.pk]), ("ali@example.com", [b.pk, a.pk])):
        assert [c.pk for c in contact_search(actor=users["agent_n"], query=query)] == expected


def test_undo_leaves_a_trace_in_both_histories(users):
    a, b = overlapping_pair(users)
    merge = _merge(users["agent_n"], a, b)

    merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    restored = Contact.objects.get(pk=b.pk)

    def reasons(contact):
        entries = contact_history(actor=users["agent_n"], contact=contact)
        return [(e.kind, e.reason) for e in entries if e.reason]

    assert reasons(restored) == [
        ("created", f"unmerge:{merge.public_id}"),
        ("changed", f"merged-into:{merge.public_id}"),
    ]
    assert reasons(a) == [
        ("changed", f"unmerge:{merge.public_id}"),
        ("changed", f"merge:{merge.public_id}"),
    ]


def test_undoing_twice_is_refused(users):
    a, b = overlapping_pair(users)
    merge = _merge(users["agent_n"], a, b)
    merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)
    before = world_dump([a.pk, b.pk])

    with pytest.raises(Conflict) as exc:
        merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    assert str(exc.value) == "This merge was already undone."
    assert world_dump([a.pk, b.pk]) == before


def test_undo_after_the_survivor_changed_is_refused_and_changes_nothing(users):
    """Given a merge and then an edit of the survivor, when undone, then refused (it would
    overwrite the edit), the merged record stays merged and the edit stays."""
    a, b = overlapping_pair(users)
    merge = _merge(users["agent_n"], a, b)
    contact_update(actor=users["agent_n"], public_id=a.public_id, data=ContactInput(notes="later"))
    before = world_dump([a.pk])

    with pytest.raises(Conflict) as exc:
        merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    assert "changed after this merge" in str(exc.value)
    assert world_dump([a.pk]) == before
    assert not Contact.objects.filter(pk=b.pk).exists()
    assert Merge.objects.get().undone_at is None


def test_undo_refuses_when_a_moved_row_disappeared(users):
    """Given a tag moved by the merge and deleted afterwards, then undo names what is missing."""
    a, b = overlapping_pair(users)
    merge = _merge(users["agent_n"], a, b)
    kish = a.tags.get(name="Kish")
    tag_delete(actor=users["admin"], tag_id=kish.pk)

    with pytest.raises(Conflict) as exc:
        merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    assert "customers.contact_tags" in str(exc.value)
    assert not Contact.objects.filter(pk=b.pk).exists()


def test_stacked_merges_undo_last_first(users):
    """Given B merged into A, then C merged into A, when the first merge is undone first, then it
    is refused; undoing the second then the first restores all three exactly."""
    agent = users["agent_n"]
    a, b = overlapping_pair(users)
    c = contact_create(
        actor=agent, data=ContactInput(given_name="C", emails=[EmailInput("ali@example.com")])
    )
    before = world_dump([a.pk, b.pk, c.pk])
    first = _merge(agent, a, b)
    second = _merge(agent, a, c)

    with pytest.raises(Conflict):
        merge_undo(actor=agent, merge_public_id=first.public_id)
    merge_undo(actor=agent, merge_public_id=second.public_id)
    merge_undo(actor=agent, merge_public_id=first.public_id)

    after = world_dump([a.pk, b.pk, c.pk])
    assert _without_version(after, a.pk) == _without_version(before, a.pk)
    assert after[b.pk] == before[b.pk] and after[c.pk] == before[c.pk]


def test_a_survivor_merged_away_later_must_come_back_first(users):
    """Given C merged into B, then B merged into A, then undoing the first is refused until the
    second is undone."""
    agent = users["agent_n"]
    a = contact_create(actor=agent, data=ContactInput(given_name="A"))
    b = contact_create(
        actor=agent, data=ContactInput(given_name="B", emails=[EmailInput("b@x.ir")])
    )
    c = contact_create(
        actor=agent, data=ContactInput(given_name="C", emails=[EmailInput("c@x.ir")])
    )
    before = world_dump([a.pk, b.pk, c.pk])
    first = _merge(agent, b, c)
    second = _merge(agent, a, b)

    with pytest.raises(Conflict) as exc:
        merge_undo(actor=agent, merge_public_id=first.public_id)
    assert "undo that merge first" in str(exc.value)
    merge_undo(actor=agent, merge_public_id=second.public_id)
    merge_undo(actor=agent, merge_public_id=first.public_id)

    after = world_dump([a.pk, b.pk, c.pk])
    assert _without_version(after, a.pk, b.pk) == _without_version(before, a.pk, b.pk)
    assert after[c.pk] == before[c.pk]


def test_viewer_and_other_team_cannot_undo(users):
    a, b = overlapping_pair(users)
    merge = _merge(users["agent_n"], a, b)
    before = world_dump([a.pk])

    with pytest.raises(PermissionDenied):
        merge_undo(actor=users["viewer_n"], merge_public_id=merge.public_id)
    with pytest.raises(NotFound):
        merge_undo(actor=users["agent_s"], merge_public_id=merge.public_id)

    assert world_dump([a.pk]) == before
    assert Merge.objects.get().undone_at is None


def test_undo_is_refused_to_someone_who_could_not_see_a_merged_record(users, south_contact):
    """Given an admin merged a South record into a North one, when a North agent undoes it,
    then refused: it would re-create a record the agent may not see."""
    north = contact_create(actor=users["agent_n"], data=ContactInput(given_name="North"))
    merge = _merge(users["admin"], north, south_contact)

    with pytest.raises(PermissionDenied):
        merge_undo(actor=users["agent_n"], merge_public_id=merge.public_id)

    assert not Contact.objects.filter(pk=south_contact.pk).exists()
    merge_undo(actor=users["admin"], merge_public_id=merge.public_id)
    assert Contact.objects.filter(pk=south_contact.pk).exists()
