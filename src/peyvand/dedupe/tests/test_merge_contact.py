"""contact_merge: the default rules, explicit choices, unique collisions, permissions per role."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from peyvand.common.errors import NotFound, PermissionDenied
from peyvand.customers.models import Contact
from peyvand.customers.selectors import contact_history, contact_search
from peyvand.customers.services import ContactInput, EmailInput, PhoneInput, contact_create
from peyvand.dedupe.models import Merge
from peyvand.dedupe.services import contact_merge
from peyvand.dedupe.tests.merge_world import overlapping_pair, world_dump

pytestmark = pytest.mark.django_db


def _merge(actor, survivor, *others, choices=None):
    return contact_merge(
        actor=actor,
        survivor_public_id=survivor.public_id,
        other_public_ids=[o.public_id for o in others],
        choices=choices,
    )


def test_defaults_unite_every_related_row_without_duplicates(users):
    """Given two records of one person, when B is merged into A with no choices, then A keeps its
    own non-empty fields, takes B's where A's are empty, and unites the related rows."""
    a, b = overlapping_pair(users)

    merge = _merge(users["agent_n"], a, b)

    a.refresh_from_db()
    assert not Contact.objects.filter(pk=b.pk).exists()
    assert (a.given_name, a.family_name, a.display_name) == ("علی", "رضایی", "علی رضایی")
    assert (a.national_id, a.birth_date) == ("0013542419", dt.date(1990, 3, 21))
    assert (a.acquisition_source, a.notes, a.version) == ("import", "met at the fair", 2)
    emails = a.emails.order_by("email").values_list("email", "is_primary")
    assert list(emails) == [
        ("a.r@work.ir", False),
        ("ali.home@example.com", False),  # B's primary: A's primary stays primary
        ("ali@example.com", True),
    ]
    assert sorted(a.phones.values_list("number", "is_primary")) == [
        ("+982188776655", False),
        ("+989121234567", True),
    ]
    assert sorted(a.tags.values_list("name", flat=True)) == ["Kish", "VIP", "تهران"]
    addresses = a.addresses.order_by("line").values_list("line", "city", "postal_code")
    assert list(addresses) == [
        ("Kish island", "Kish", ""),
        ("خیابان آزادی ۱۲", "تهران", "1234567890"),  # the same address, completed
    ]
    consents = a.consents.order_by("channel").values_list("channel", "granted", "source")
    assert list(consents) == [
        ("email", True, "form"),  # A's is the more recent
        ("phone", True, "call"),
        ("sms", False, "call"),  # B's is the more recent
    ]
    memberships = a.memberships.order_by("organization__name").values_list(
        "organization__name", "job_title", "role"
    )
    assert list(memberships) == [("Kish Co", "Owner", ""), ("پارس", "Buyer", "lead")]
    values = a.custom_values.order_by("definition__key").values_list(
        "definition__key", "value_text", "value_number"
    )
    assert [(k, t, n if n is None else float(n)) for k, t, n in values] == [
        ("club", "C-1", None),  # A's non-empty value wins
        ("score", "", 7.5),
        ("size", "M", None),
    ]
    assert merge.merged_public_ids == [b.public_id]
    assert merge.survivor_id == a.pk and merge.survivor_version == 2
    assert merge.choices["given_name"] == a.public_id
    assert merge.choices["birth_date"] == b.public_id


def test_explicit_choices_win_even_over_a_non_empty_value(users):
    """Given choices naming B for the given name and A for the notes, when merged, then A takes
    B's given name and keeps its own (empty) notes."""
    a, b = overlapping_pair(users)

    merge = _merge(
        users["agent_n"], a, b, choices={"given_name": b.public_id, "notes": a.public_id}
    )

    a.refresh_from_db()
    assert (a.given_name, a.notes, a.national_id) == ("Ali", "", "0013542419")
    assert merge.choices["given_name"] == b.public_id
    assert merge.choices["notes"] == a.public_id


def test_the_survivor_wins_when_both_values_are_filled_or_both_empty(users):
    """Given both records with a family name and neither with a birth date, then A's stays."""
    agent = users["agent_n"]
    a = contact_create(actor=agent, data=ContactInput(given_name="Sara", family_name="Ahmadi"))
    b = contact_create(actor=agent, data=ContactInput(given_name="Sarah", family_name="Ahmady"))

    _merge(agent, a, b)

    a.refresh_from_db()
    assert (a.given_name, a.family_name, a.birth_date) == ("Sara", "Ahmadi", None)


def test_three_records_share_an_email_and_keep_one_primary(users):
    """Given three records with the same email (and each another primary), when B and C are
    merged into A, then A has each email once and only its own primary."""
    agent = users["agent_n"]
    make = lambda name, own: contact_create(  # noqa: E731
        actor=agent,
        data=ContactInput(
            given_name=name,
            emails=[EmailInput(own, is_primary=True), EmailInput("shared@x.ir")],
            phones=[PhoneInput("09120000001")],
        ),
    )
    a, b, c = make("A", "a@x.ir"), make("B", "b@x.ir"), make("C", "c@x.ir")

    _merge(agent, a, b, c)

    emails = a.emails.order_by("email").values_list("email", "is_primary")
    assert list(emails) == [
        ("a@x.ir", True),
        ("b@x.ir", False),
        ("c@x.ir", False),
        ("shared@x.ir", False),
    ]
    assert list(a.phones.values_list("number", flat=True)) == ["+989120000001"]
    assert Contact.objects.count() == 1


def test_survivor_without_email_takes_the_first_merged_primary(users):
    """Given A has no email, when B and C (each with a primary) merge into A, B's stays primary."""
    agent = users["agent_n"]
    a = contact_create(actor=agent, data=ContactInput(given_name="A"))
    b = contact_create(
        actor=agent, data=ContactInput(given_name="B", emails=[EmailInput("b@x.ir")])
    )
    c = contact_create(
        actor=agent, data=ContactInput(given_name="C", emails=[EmailInput("c@x.ir")])
    )

    _merge(agent, a, b, c)

    assert list(a.emails.order_by("email").values_list("email", "is_primary")) == [
        ("b@x.ir", True),
        ("c@x.ir", False),
    ]


def test_merge_shows_in_the_survivors_history_and_search(users):
    """When B is merged into A, then A's history names the merge with the fields taken from B,
    and searching B's phone or email finds A."""
    a, b = overlapping_pair(users)

    merge = _merge(users["agent_n"], a, b)

    entry = contact_history(actor=users["agent_n"], contact=a)[0]
    assert entry.reason == f"merge:{merge.public_id}"
    assert entry.user == "agent_n"
    assert {c.field for c in entry.changes} == {
        "national_id",
        "birth_date",
        "acquisition_source",
        "notes",
    }
    for query in ("02188776655", "ali.home@example.com", "0013542419"):
        assert [c.pk for c in contact_search(actor=users["agent_n"], query=query)] == [a.pk]


@pytest.mark.parametrize(
    ("others", "message"),
    [
        ("self", "A record cannot be merged with itself"),
        ("twice", "Each record can be listed once"),
        ("none", "Name at least one other record"),
    ],
)
def test_self_repeated_or_missing_others_are_refused(users, others, message):
    """Given a merge with itself, a record listed twice or nobody, then a clear ValidationError
    and nothing changes."""
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])
    ids = {"self": [a.public_id], "twice": [b.public_id, b.public_id], "none": []}[others]

    with pytest.raises(ValidationError) as exc:
        contact_merge(actor=users["agent_n"], survivor_public_id=a.public_id, other_public_ids=ids)

    assert list(exc.value.message_dict) == ["others"]
    assert exc.value.message_dict["others"][0].startswith(message)
    assert world_dump([a.pk, b.pk]) == before
    assert Merge.objects.count() == 0


def test_unknown_field_or_record_in_choices_is_refused(users):
    """Given choices naming an unknown field and a record outside the merge, then both are named
    in the ValidationError and nothing changes."""
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])

    with pytest.raises(ValidationError) as exc:
        _merge(users["agent_n"], a, b, choices={"colour": a.public_id, "notes": "0" * 16})

    assert exc.value.message_dict == {
        "choices.colour": ["“colour” is not a field that can be chosen."],
        "choices.notes": ["0000000000000000 is not one of the records being merged."],
    }
    assert world_dump([a.pk, b.pk]) == before


def test_a_choice_that_would_hide_the_record_from_the_actor_is_refused(users, teams):
    """Given A owned by agent_n without a team and B of agent_n2 in North, when agent_n takes
    B's owner but A's (empty) team, then the merged record would be invisible: refused."""
    a = contact_create(actor=users["agent_n"], data=ContactInput(given_name="A", team=None))
    b = contact_create(actor=users["agent_n2"], data=ContactInput(given_name="B"))
    before = world_dump([a.pk, b.pk])

    with pytest.raises(ValidationError) as exc:
        _merge(users["agent_n"], a, b, choices={"owner": b.public_id, "team": a.public_id})

    assert list(exc.value.message_dict) == ["choices.team"]
    assert world_dump([a.pk, b.pk]) == before


@pytest.mark.parametrize("role", ["admin", "manager_n", "agent_n", "agent_n2"])
def test_writers_who_see_both_records_may_merge(users, role):
    a, b = overlapping_pair(users)

    merge = _merge(users[role], a, b)

    assert merge.created_by == users[role]
    assert list(Contact.objects.values_list("pk", flat=True)) == [a.pk]


def test_viewer_is_denied_and_nothing_changes(users):
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])

    with pytest.raises(PermissionDenied):
        _merge(users["viewer_n"], a, b)

    assert world_dump([a.pk, b.pk]) == before
    assert Merge.objects.count() == 0


@pytest.mark.parametrize("invisible", ["survivor", "other"])
def test_a_record_the_agent_cannot_see_is_not_found_and_nothing_changes(
    users, south_contact, invisible
):
    """Given agent_n and a South record, when either side of the merge is the South record,
    then NotFound (no leak) and neither record changes."""
    north = contact_create(actor=users["agent_n"], data=ContactInput(given_name="North"))
    before = world_dump([north.pk, south_contact.pk])
    survivor, other = (south_contact, north) if invisible == "survivor" else (north, south_contact)

    with pytest.raises(NotFound):
        _merge(users["agent_n"], survivor, other)

    assert world_dump([north.pk, south_contact.pk]) == before
    assert Merge.objects.count() == 0


def test_admin_merges_across_teams(users, south_contact):
    north = contact_create(actor=users["agent_n"], data=ContactInput(given_name="North"))

    _merge(users["admin"], north, south_contact)

    assert sorted(north.phones.values_list("number", flat=True)) == ["+989351112233"]
