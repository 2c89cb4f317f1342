"""Search runs on whichever database the suite runs on (SQLite FTS5 or PostgreSQL pg_trgm)."""

import pytest

from peyvand.customers.selectors import contact_search
from peyvand.customers.services import ContactInput, EmailInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users):
    agent = users["agent_n"]
    make = lambda **kw: contact_create(actor=agent, data=ContactInput(**kw))  # noqa: E731
    return {
        "ali": make(given_name="علی", family_name="رضایی", phones=[PhoneInput("09121234567")]),
        "alireza": make(given_name="علی‌رضا", family_name="کاظمی"),
        "sara": make(given_name="Sara", family_name="Connor", emails=[EmailInput("sara@sky.net")]),
        "kaveh": make(given_name="كاوه", family_name="يزدي", national_id="0013542419"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("علي", {"ali", "alireza"}),
        ("رضايي", {"ali"}),
        ("رضا", {"ali", "alireza"}),
        ("علیرضا", {"alireza", "ali"}),  # compact "علیرضایی" holds it too
        ("علی رضا", {"alireza", "ali"}),
        ("کاوه یزدی", {"kaveh"}),
        ("SARA", {"sara"}),
        ("conn", {"sara"}),
        ("sky.net", {"sara"}),
        ("۰۹۱۲۱۲۳", {"ali"}),
        ("+98 912 123 4567", {"ali"}),
        ("00989121234567", {"ali"}),
        ("0013542419", {"kaveh"}),
        ("zz", set()),
        ("", set()),
    ],
)
def test_finds_by_any_part_in_any_variant(people, users, query, expected):
    found = contact_search(actor=users["agent_n"], query=query)
    assert {name for name, c in people.items() if c in found} == expected


def test_results_respect_visibility(people, users):
    assert contact_search(actor=users["agent_s"], query="علی") == []
    assert len(contact_search(actor=users["admin"], query="علی")) == 2


def test_results_are_capped(users):
    agent = users["agent_n"]
    for i in range(60):
        contact_create(actor=agent, data=ContactInput(given_name=f"Same{i}"))
    assert len(contact_search(actor=agent, query="same", limit=500)) == 50


def test_exact_name_ranks_first(people, users):
    found = contact_search(actor=users["agent_n"], query="علی رضایی")
    assert found[0] == people["ali"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("رضاعی", "ali"),  # ی typed as ع
        ("کاظمي", "alireza"),
        ("Conor", "sara"),  # a dropped letter
        ("Sraa Connor", "sara"),  # swapped letters
        ("یزدی کاوح", "kaveh"),  # a typo in one of two words
    ],
)
def test_typo_tolerant_names(people, users, query, expected):
    found = contact_search(actor=users["agent_n"], query=query)
    assert found and found[0] == people[expected], [c.display_name for c in found]


def test_typos_respect_visibility(people, users):
    assert contact_search(actor=users["agent_s"], query="رضاعی") == []


def test_exact_matches_come_before_typo_matches(people, users):
    found = contact_search(actor=users["agent_n"], query="کاظمی")
    assert found[0] == people["alireza"]
    assert contact_search(actor=users["agent_n"], query="کاظمی", typos=False) == [people["alireza"]]


def test_one_matching_word_does_not_make_a_typo_match(people, users):
    """«علی کریمی» must not bring up «علی رضایی»: every word has to be close."""
    found = contact_search(actor=users["agent_n"], query="علی کریمی")
    assert people["ali"] not in found


def test_renamed_contact_is_found_with_a_typo_in_the_new_name(people, users):
    """The services add a saved name's words to the typo vocabulary."""
    from peyvand.customers.services import contact_update

    agent = users["agent_n"]
    contact_update(
        actor=agent, public_id=people["sara"].public_id,
        data=ContactInput(given_name="Sarah", family_name="Hosseinzadeh"),
    )  # fmt: skip
    found = contact_search(actor=agent, query="Hoseinzadeh")
    assert [c.public_id for c in found] == [people["sara"].public_id]


def test_common_word_is_ranked_within_the_newest_candidates(users, monkeypatch):
    """With more matches than the candidate cap, whole-word matches among the candidates win."""
    from django.db import connection

    from peyvand.customers.selectors import search

    monkeypatch.setattr(search, "CANDIDATES", 3)
    agent = users["agent_n"]
    for family in ("Alipour", "Aliabadi", "Ali", "Alizadeh"):
        contact_create(actor=agent, data=ContactInput(given_name="Nima", family_name=family))
    found = [c.family_name for c in contact_search(actor=agent, query="ali", typos=False)]
    assert len(found) == 3 and found[0] == "Ali"
    if connection.vendor == "sqlite":  # FTS5 yields newest first; a GIN bitmap in table order
        assert found == ["Ali", "Alizadeh", "Aliabadi"]


def test_short_queries_on_sqlite_look_at_the_newest_records(users, monkeypatch):
    """One or two letters cannot use the trigram index; SQLite bounds that scan to the newest
    records, PostgreSQL serves word starts from its index. Three letters find everything."""
    from django.db import connection

    from peyvand.customers.selectors import search

    monkeypatch.setattr(search, "SHORT_QUERY_WINDOW", 2)
    agent = users["agent_n"]
    old = contact_create(actor=agent, data=ContactInput(given_name="Zhila", family_name="Old"))
    for name in ("Neda", "Mina"):
        contact_create(actor=agent, data=ContactInput(given_name=name))
    found = contact_search(actor=agent, query="zh", typos=False)
    assert found == ([] if connection.vendor == "sqlite" else [old])
    assert contact_search(actor=agent, query="zhi", typos=False) == [old]


@pytest.fixture
def fresh_trigram_sample(monkeypatch):
    """Each test samples its own documents (the sample is otherwise kept for minutes)."""
    from peyvand.customers.selectors import search

    monkeypatch.setattr(search, "_samples", {})


def test_whole_email_is_found_when_its_domain_is_in_every_document(users, fresh_trigram_sample):
    """The index looks up the email's rare trigrams, not «@example.com»; the row is then
    checked for the whole address, so a record with the same domain is not a match."""
    agent = users["agent_n"]
    for i in range(12):
        contact_create(
            actor=agent,
            data=ContactInput(given_name=f"Person{i}", emails=[EmailInput(f"p{i}@example.com")]),
        )
    wanted = contact_create(
        actor=agent,
        data=ContactInput(given_name="Nima", emails=[EmailInput("nima.saberi77@example.com")]),
    )
    assert contact_search(actor=agent, query="nima.saberi77@example.com") == [wanted]
    assert contact_search(actor=agent, query="NIMA.SABERI77@EXAMPLE.COM") == [wanted]
    assert contact_search(actor=agent, query="saberi77") == [wanted]
    assert contact_search(actor=agent, query="nima.saberi78@example.com", typos=False) == []


def test_candidates_are_checked_for_the_whole_token(users, monkeypatch, fresh_trigram_sample):
    """A record holding the looked-up trigrams but not the token itself is not a match."""
    from peyvand.customers.selectors import search

    agent = users["agent_n"]
    wanted = contact_create(actor=agent, data=ContactInput(given_name="Saberi", family_name="Nim"))
    decoy = contact_create(actor=agent, data=ContactInput(given_name="Sabet", family_name="Rio"))
    monkeypatch.setattr(search, "lookup_trigrams", lambda token, *a, **kw: ["sab"])
    found = contact_search(actor=agent, query="saberi", typos=False)
    assert found == [wanted] and decoy not in found


def test_two_letters_after_a_word_match_word_starts(people, users):
    """A one- or two-letter word next to a longer one matches the start of a word on both
    engines: the family name typed first finds the given name («رضایی عل» → «علی رضایی»)."""
    agent = users["agent_n"]
    assert contact_search(actor=agent, query="رضایی عل", typos=False) == [people["ali"]]
    assert contact_search(actor=agent, query="sara co", typos=False) == [people["sara"]]
    assert contact_search(actor=agent, query="sara on", typos=False) == []


def test_short_query_takes_the_newest_matches_on_both_engines(users, monkeypatch):
    """With more matches than the cap, a query of short words keeps the newest ones."""
    from peyvand.customers.selectors import search

    monkeypatch.setattr(search, "CANDIDATES", 2)
    agent = users["agent_n"]
    made = [
        contact_create(actor=agent, data=ContactInput(given_name="Mina", family_name=family))
        for family in ("Ahmadi", "Bahrami", "Karimi")
    ]
    found = contact_search(actor=agent, query="mi", typos=False)
    assert found == [made[2], made[1]]


def test_phone_fragment_with_a_common_prefix(users, fresh_trigram_sample):
    """«091…» is in every Tehran mobile; the rarer digits find the number."""
    agent = users["agent_n"]
    for i in range(12):
        contact_create(
            actor=agent,
            data=ContactInput(given_name=f"P{i}", phones=[PhoneInput(f"0912{i:03d}0000")]),
        )
    wanted = contact_create(
        actor=agent, data=ContactInput(given_name="Leila", phones=[PhoneInput("09127654321")])
    )
    assert contact_search(actor=agent, query="۰۹۱۲۷۶۵") == [wanted]
    assert contact_search(actor=agent, query="7654321") == [wanted]


def test_a_stale_trigram_sample_changes_nothing_but_speed(users, monkeypatch):
    """The sample only chooses what the index looks up; the answer is the same."""
    from collections import Counter

    from peyvand.customers.selectors import search

    agent = users["agent_n"]
    wanted = contact_create(
        actor=agent,
        data=ContactInput(given_name="Nima", emails=[EmailInput("nima.saberi77@example.com")]),
    )
    for counts in (Counter(), Counter({"nim": 1000, "ima": 1000, "ma.": 1000, "a.s": 1000})):
        monkeypatch.setattr(search, "_trigram_sample", lambda model, c=counts: (1000, c))
        assert contact_search(actor=agent, query="nima.saberi77@example.com") == [wanted]
