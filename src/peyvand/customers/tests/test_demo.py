"""The demo data: the pure generator and ``peyvand demo`` writing it through the services."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peyvand.common.identity import is_valid_iranian_national_id
from peyvand.common.phones import phone_to_e164
from peyvand.customers.demo import generate_demo_data, iranian_national_id
from peyvand.customers.models import Contact, ContactPhone, CustomFieldDefinition, Organization

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def test_national_id_check_digit():
    """0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112, 112 mod 11 = 2, so the check digit is 9."""
    assert iranian_national_id("001234567") == "0012345679"
    assert is_valid_iranian_national_id(iranian_national_id("123456789"))


def test_generator_is_deterministic():
    """The same size and seed give the same data; another seed gives other people."""
    first = generate_demo_data(size=40, seed=1)
    again = generate_demo_data(size=40, seed=1)
    other = generate_demo_data(size=40, seed=2)

    assert first == again
    names = [(p.given_name, p.family_name) for p in first.people]
    assert names != [(p.given_name, p.family_name) for p in other.people]


def test_generator_people_are_realistic():
    """Size is exact, about a quarter are English, 5% are near-duplicates, every phone as typed
    normalises to the E.164 recorded for it, and every national ID has a valid check digit."""
    data = generate_demo_data(size=400, seed=7)

    assert len(data.people) == 400
    assert len(data.duplicates) == 20
    english = sum(p.language == "en" for p in data.people)
    assert 60 <= english <= 140
    for person in data.people:
        for (typed, _kind), e164 in zip(person.phones, person.e164, strict=True):
            assert phone_to_e164(typed, region=person.country) == e164
        if person.national_id:
            assert is_valid_iranian_national_id(person.national_id)
    typed = [number for p in data.people for number, _ in p.phones]
    assert any(n.startswith("+98 ") for n in typed)
    assert any(n.startswith("0098") for n in typed)
    assert any(n.startswith("۰۹") for n in typed)


def test_generator_near_duplicates_vary_names_and_phone_typing():
    """Each duplicate keeps its original's phones (as E.164) but is typed differently; across
    a set there are Arabic-letter, ZWNJ/space and typo variants."""
    data = generate_demo_data(size=400, seed=7)
    by_ref = {p.ref: p for p in data.people}
    kinds = set()

    for dup in data.duplicates:
        original = by_ref[dup.duplicate_of]
        assert original.duplicate_of is None
        assert dup.e164 == original.e164
        assert (dup.given_name, dup.family_name, dup.phones) != (
            original.given_name, original.family_name, original.phones,
        )  # fmt: skip
        name, original_name = (
            dup.given_name + dup.family_name,
            original.given_name + original.family_name,
        )
        if "ي" in name or "ك" in name:
            kinds.add("arabic")
        elif name.replace("\u200c", "").replace(" ", "") == original_name.replace("\u200c", ""):
            kinds.add("spacing" if name != original_name else "phone only")
        else:
            kinds.add("typo or case")
    assert {"arabic", "spacing", "typo or case"} <= kinds


def test_demo_command_creates_the_data_through_the_services(users):
    """Given an admin, when `demo --size 40 --seed 1` runs, then 40 contacts exist with E.164
    phones exactly as the generator meant, the near-duplicates share a phone with their
    original, the custom fields exist, and progress was shown."""
    out = io.StringIO()

    call_command("demo", size=40, seed=1, stdout=out)

    data = generate_demo_data(size=40, seed=1)
    assert Contact.objects.count() == 40
    assert Organization.objects.count() == len(data.organizations)
    stored = list(ContactPhone.objects.values_list("number", flat=True))
    assert all(E164.match(n) for n in stored)
    assert set(stored) == {n for p in data.people for n in p.e164}
    assert len(data.duplicates) == 2
    for dup in data.duplicates:
        assert ContactPhone.objects.filter(number=dup.e164[0]).count() >= 2
    assert all(
        is_valid_iranian_national_id(nid)
        for nid in Contact.objects.exclude(national_id="").values_list("national_id", flat=True)
    )
    assert set(CustomFieldDefinition.objects.values_list("key", flat=True)) == {
        "vip_level", "customer_since", "credit_limit",
    }  # fmt: skip
    assert Contact.objects.filter(owner__username__startswith="tehran_").exists()
    text = out.getvalue()
    assert "  10% (4/40)" in text
    assert "  100% (40/40)" in text
    assert "40 contacts (2 near-duplicates)" in text
    assert "(seed 1)" in text
    assert re.search(r"^  user shiraz_viewer \(viewer\): \S{20}$", text, re.M)


def test_demo_command_twice_reuses_teams_users_and_fields(users):
    """A second run adds contacts but no new teams, users or custom fields."""
    call_command("demo", size=5, seed=3, stdout=io.StringIO())
    out = io.StringIO()

    call_command("demo", size=5, seed=4, stdout=out)

    assert Contact.objects.count() == 10
    assert "0 new teams, 0 new users, 0 new custom fields" in out.getvalue()


def test_demo_command_needs_an_admin(users):
    with pytest.raises(CommandError, match=r"^--user: agent_n is not an admin"):
        call_command("demo", size=5, user="agent_n", stdout=io.StringIO())
    assert not Contact.objects.exists()
