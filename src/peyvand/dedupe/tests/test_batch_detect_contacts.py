"""Detection over the contact table (``dedupe.selectors.detection.contact_duplicates_detect``):
contacts saved through the services, "not a duplicate" marks, who sees what. Writes nothing,
so it runs without the run/pair tables."""

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.selectors import detection
from peyvand.dedupe.selectors.detection import (
    EXCLUSION_CHUNK,
    contact_duplicates_detect,
    not_duplicate_exclusions,
)
from peyvand.dedupe.services.not_duplicate import contact_mark_not_duplicate
from peyvand.dedupe.tests.batch_world import create_world, generate_world, precision_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    people, truth = generate_world(seed=11)
    ids = create_world(users["admin"], people)
    return ids, {(ids[a], ids[b]) for a, b in truth}


def _found(result) -> set[tuple[int, int]]:
    return {(p.a, p.b) for p in result.pairs}


def test_saved_contacts_with_planted_duplicates_are_found(users, world):
    """Given 300 contacts saved through contact_create, 30 of them planted duplicates, when
    an admin runs detection at 0.9, then precision and recall are both at least 0.9."""
    _ids, truth = world
    reads = []

    result = contact_duplicates_detect(actor=users["admin"], threshold=0.9, on_read=reads.append)

    precision, recall = precision_recall(_found(result), truth)
    assert (precision >= 0.9, recall >= 0.9) == (True, True), (precision, recall)
    assert result.contacts == 300
    assert reads == [300]


def test_a_pair_marked_not_a_duplicate_is_never_proposed_again(users, world):
    """Given a run that pairs two contacts, when someone marks them "not a duplicate", then
    the next run does not propose them, says one pair was left out, and nothing else
    changes."""
    admin = users["admin"]
    first = contact_duplicates_detect(actor=admin, threshold=0.9)
    pair = first.pairs[0]
    a, b = Contact.objects.filter(pk__in=[pair.a, pair.b]).order_by("pk")
    contact_mark_not_duplicate(actor=admin, a=b.public_id, b=a.public_id)

    second = contact_duplicates_detect(actor=admin, threshold=0.9)

    assert (pair.a, pair.b) not in _found(second)
    assert _found(second) == _found(first) - {(pair.a, pair.b)}
    assert (first.excluded, second.excluded) == (0, 1)


@pytest.mark.parametrize("marks_in_memory", [100_000, 1], ids=["all_marks_read", "by_chunk"])
def test_not_duplicate_exclusions_finds_marks_across_chunks(users, monkeypatch, marks_in_memory):
    """Given more candidate pairs than one lookup takes, with marks in the first and the last
    chunk, then both marks are found and nothing else, whether all marks are read at once
    (few of them) or chunk by chunk."""
    monkeypatch.setattr(detection, "MARKS_IN_MEMORY", marks_in_memory)
    agent = users["agent_n"]
    contacts = [
        contact_create(actor=agent, data=ContactInput(given_name=f"C{i}")) for i in range(4)
    ]
    p = [c.pk for c in contacts]
    contact_mark_not_duplicate(actor=agent, a=contacts[0].public_id, b=contacts[1].public_id)
    contact_mark_not_duplicate(actor=agent, a=contacts[3].public_id, b=contacts[2].public_id)
    filler = [(10_000 + i, 20_000 + i) for i in range(EXCLUSION_CHUNK)]
    pairs = [(p[0], p[1]), *filler, (p[2], p[3]), (p[0], p[3])]

    assert not_duplicate_exclusions(pairs) == {(p[0], p[1]), (p[2], p[3])}


def test_a_run_compares_only_the_contacts_its_user_may_see(users):
    """Given the same person twice in the north team and twice in the south team, when a
    north agent runs detection, then only the north pair is found; an admin finds both."""
    north, south = users["agent_n"], users["agent_s"]

    def person(actor, given, phone):
        return contact_create(
            actor=actor,
            data=ContactInput(given_name=given, family_name="کریمی", phones=[PhoneInput(phone)]),
        ).pk

    n1, n2 = person(north, "سارا", "09121110000"), person(north, "سارا", "+989121110000")
    s1, s2 = person(south, "مینا", "09352220000"), person(south, "مينا", "09352220000")

    assert _found(contact_duplicates_detect(actor=north, threshold=0.5)) == {(n1, n2)}
    admin_pairs = _found(contact_duplicates_detect(actor=users["admin"], threshold=0.5))
    assert admin_pairs == {(n1, n2), (s1, s2)}
