"""Groups of duplicate pairs never hold two contacts marked "not a duplicate": in a detection
run (``dedupe.batch.run.group_pairs``) and in the review queue's bulk merge."""

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.batch.features import ContactRecord, features_table
from peyvand.dedupe.batch.run import detect_duplicates, group_pairs
from peyvand.dedupe.models import DuplicatePair, DuplicateRun, Merge
from peyvand.dedupe.selectors.detection import not_duplicate_marks_within
from peyvand.dedupe.services.not_duplicate import contact_mark_not_duplicate
from peyvand.dedupe.services.review import duplicate_pairs_merge_above
from peyvand.dedupe.tests.batch_world import generate_world, to_record

A, B, C, D = 1, 2, 3, 4


def test_without_marks_groups_are_connected_components():
    assert group_pairs([(5, 9, 0.9), (2, 9, 0.8), (7, 8, 0.95), (2, 5, 0.7)]) == {
        2: [2, 5, 9],
        7: [7, 8],
    }


def test_a_marked_pair_is_never_in_one_group_the_likelier_link_wins():
    """Given A–B marked, A–C at 0.99 and B–C at 0.98, then A and C are a group and B is in
    none (it joins neither: C is already with A)."""
    groups = group_pairs([(B, C, 0.98), (A, C, 0.99)], cannot_link=[(A, B)])

    assert groups == {A: [A, C]}


def test_a_mark_keeps_two_groups_apart_through_any_of_their_members():
    """Given A–B and C–D at 0.99, B–C at 0.9 and a mark between A and D, then the link B–C does
    not join the two groups (it would put A and D together)."""
    groups = group_pairs([(A, B, 0.99), (C, D, 0.99), (B, C, 0.9)], cannot_link=[(D, A)])

    assert groups == {A: [A, B], C: [C, D]}


ALI = [
    ContactRecord(id=9001, given_name="علی", family_name="رضائی", phones=["+989121234567"]),
    ContactRecord(id=9002, given_name="علي", family_name="رضايي", phones=["+989121234567"]),
    ContactRecord(id=9003, given_name="Ali", family_name="Rezaei", phones=["+989121234567"]),
]


def test_detection_keeps_contacts_marked_apart_out_of_one_cluster():
    """Given three records of «علی رضائی» sharing a phone among 300 other contacts, and
    9001–9002 marked "not a duplicate", when detection runs, then that pair is dropped and
    9001 and 9002 are not in one cluster, though both are paired with 9003."""
    people, _truth = generate_world(seed=7)
    records = [to_record(person, index) for index, person in enumerate(people)]
    marked = {(9001, 9002)}

    result = detect_duplicates(
        features_table(records + ALI),
        threshold=0.5,
        exclude=lambda pairs: {p for p in pairs if p in marked},
        marks_within=lambda groups: {p for p in marked if any(set(p) <= set(g) for g in groups)},
    )

    ali = {(p.a, p.b): p for p in result.pairs if p.a >= 9001}
    assert set(ali) == {(9001, 9003), (9002, 9003)}
    assert [m for m in result.clusters.values() if 9003 in m] in ([[9001, 9003]], [[9002, 9003]])
    assert not any({9001, 9002} <= set(m) for m in result.clusters.values())
    assert result.excluded == 1


@pytest.fixture
def triangle(users):
    """Three saved contacts and a finished run of the agent proposing every two of them in
    one cluster (as a run made before any mark would)."""
    agent = users["agent_n"]
    people = [
        contact_create(
            actor=agent,
            data=ContactInput(given_name=name, family_name="رضایی", phones=[PhoneInput(phone)]),
        )
        for name, phone in (("علی", "09121234567"), ("علی", "09121234568"), ("Ali", "09121234567"))
    ]
    a, b, c = (p.pk for p in people)
    run = DuplicateRun.objects.create(threshold=0.5, status="done", created_by=agent)
    for low, high, probability in ((a, c, 0.99), (b, c, 0.98), (a, b, 0.97)):
        DuplicatePair.objects.create(
            run=run, contact_a_id=low, contact_b_id=high, probability=probability,
            match_weight=9.0, cluster_id=a,
        )  # fmt: skip
    return run, people


@pytest.mark.django_db
def test_bulk_merge_does_not_merge_two_contacts_marked_not_a_duplicate(users, triangle):
    """Given a group of three where A–B is then marked "not a duplicate", when the agent
    merges in bulk above 0.9, then only A and C (the likeliest pair) are merged, in one merge,
    and B is left as it was."""
    run, (a, b, _c) = triangle
    agent = users["agent_n"]
    contact_mark_not_duplicate(actor=agent, a=a.public_id, b=b.public_id, reason="review")

    result = duplicate_pairs_merge_above(actor=agent, run_public_id=run.public_id, threshold=0.9)

    assert (result.groups_merged, result.records_merged, result.failures) == (1, 1, [])
    assert set(Contact.objects.values_list("pk", flat=True)) == {a.pk, b.pk}
    merge = Merge.objects.get()
    assert merge.survivor_id == a.pk
    assert Contact.objects.get(pk=b.pk).version == b.version


@pytest.mark.django_db
def test_marks_within_groups_finds_only_marks_inside_one_group(users, triangle):
    _run, (a, b, c) = triangle
    agent = users["agent_n"]
    contact_mark_not_duplicate(actor=agent, a=a.public_id, b=b.public_id, reason="review")
    contact_mark_not_duplicate(actor=agent, a=a.public_id, b=c.public_id, reason="review")
    low = lambda x, y: (min(x.pk, y.pk), max(x.pk, y.pk))  # noqa: E731

    assert not_duplicate_marks_within([[a.pk, b.pk], [c.pk]]) == {low(a, b)}
    assert not_duplicate_marks_within([[a.pk, b.pk, c.pk]]) == {low(a, b), low(a, c)}
