"""contact_mark_not_duplicate and the selectors the review queue uses to never propose a pair
again."""

import pytest
from django.core.exceptions import ValidationError

from peyvand.common.errors import NotFound, PermissionDenied
from peyvand.customers.services import ContactInput, contact_create
from peyvand.dedupe.models import NotDuplicate
from peyvand.dedupe.selectors import contact_pair_is_not_duplicate, not_duplicate_pairs
from peyvand.dedupe.services import contact_mark_not_duplicate

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(users):
    make = lambda name: contact_create(actor=users["agent_n"], data=ContactInput(given_name=name))  # noqa: E731
    return make("Ali Rezaei"), make("Ali Rezai"), make("Ali Reza")


def test_a_marked_pair_is_never_proposed_again_whichever_way_round(users, trio):
    """Given B and A marked as different people, then the selector says so for (A, B) and
    (B, A), not for any other pair, and a candidate list loses exactly that pair."""
    a, b, c = trio

    mark = contact_mark_not_duplicate(
        actor=users["agent_n"], a=b.public_id, b=a.public_id, reason="brothers"
    )

    assert (mark.contact_low_id, mark.contact_high_id) == (a.pk, b.pk)
    assert mark.created_by == users["agent_n"] and mark.reason == "brothers"
    assert contact_pair_is_not_duplicate(a=a.pk, b=b.pk) is True
    assert contact_pair_is_not_duplicate(a=b.pk, b=a.pk) is True
    assert contact_pair_is_not_duplicate(a=a.pk, b=c.pk) is False
    candidates = [(a.pk, b.pk), (b.pk, c.pk), (a.pk, c.pk)]
    marked = not_duplicate_pairs(contact_ids=[a.pk, b.pk, c.pk])
    assert [p for p in candidates if tuple(sorted(p)) not in marked] == [
        (b.pk, c.pk),
        (a.pk, c.pk),
    ]


def test_marking_twice_keeps_one_row(users, trio):
    a, b, _c = trio
    first = contact_mark_not_duplicate(actor=users["agent_n"], a=a.public_id, b=b.public_id)

    second = contact_mark_not_duplicate(actor=users["agent_n2"], a=b.public_id, b=a.public_id)

    assert second.pk == first.pk
    assert NotDuplicate.objects.count() == 1


def test_the_same_record_twice_is_refused(users, trio):
    a, _b, _c = trio
    with pytest.raises(ValidationError) as exc:
        contact_mark_not_duplicate(actor=users["agent_n"], a=a.public_id, b=a.public_id)
    assert exc.value.message_dict == {"b": ["Choose two different records."]}
    assert NotDuplicate.objects.count() == 0


def test_viewer_and_other_team_cannot_mark(users, trio):
    a, b, _c = trio
    with pytest.raises(PermissionDenied):
        contact_mark_not_duplicate(actor=users["viewer_n"], a=a.public_id, b=b.public_id)
    with pytest.raises(NotFound):
        contact_mark_not_duplicate(actor=users["agent_s"], a=a.public_id, b=b.public_id)
    assert NotDuplicate.objects.count() == 0
