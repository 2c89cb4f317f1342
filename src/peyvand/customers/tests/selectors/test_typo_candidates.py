"""What the typo search looks up once the exact search found nothing, and how PostgreSQL is
asked for it (each word one index condition, planner settings for that query alone)."""

import pytest
from django.db import connection, transaction

from peyvand.customers.selectors import contact_search
from peyvand.customers.selectors.search import _pg_any_of, search_candidates, typo_groups
from peyvand.customers.services import ContactInput, contact_create


def test_a_word_without_close_spellings_leaves_nothing_to_look_up():
    assert typo_groups(["sara", "zzzz"], {"sara": [], "zzzz": []}) is None
    assert typo_groups(["sara"], {"sara": ["sara"]}) is None


def test_the_only_corrected_word_is_not_looked_up_as_typed():
    """With every other word as typed, the typed spelling was the exact search."""
    groups = typo_groups(["منیا", "نجفی"], {"منیا": ["مینا"], "نجفی": []})
    assert groups == [["مینا"], ["نجفی"]]


def test_two_corrected_words_keep_their_typed_spellings():
    """A record may hold one word as typed and the other corrected."""
    groups = typo_groups(["sraa", "conor"], {"sraa": ["sara"], "conor": ["connor"]})
    assert groups == [["sraa", "sara"], ["conor", "connor"]]


def test_an_alternative_holding_another_is_left_out():
    """Every record holding «محمدی» holds «محمد»: looking up both reads more for nothing."""
    groups = typo_groups(["محدم", "کریمی"], {"محدم": ["محمد", "محمدی"], "کریمی": ["کریم"]})
    assert groups == [["محدم", "محمد"], ["کریم"]]


def test_pg_alternatives_are_plain_text_and_short_ones_start_a_word():
    assert _pg_any_of(["sara", "o_k", "c++", "co", "sara"]) == r"sara|o\_k|c\+\+|(^| )co"


@pytest.fixture
def connors(users):
    agent = users["agent_n"]
    make = lambda given, family: contact_create(  # noqa: E731
        actor=agent, data=ContactInput(given_name=given, family_name=family)
    )
    return {
        "sara": make("Sara", "Connor"),
        "typed": make("Sraa", "Connor"),  # a name stored with the typo the query has
        "john": make("John", "Connor"),
        "mina": make("Mina", "Najafi"),
        "minoo": make("Minoo", "Najafi"),
    }


@pytest.mark.django_db
def test_two_words_with_typos_find_the_typed_and_the_corrected_spelling(connors, users):
    found = contact_search(actor=users["agent_n"], query="Sraa Conor")
    assert sorted(c.pk for c in found) == sorted([connors["sara"].pk, connors["typed"].pk])


@pytest.mark.django_db
def test_candidates_for_words_with_alternatives_beside_a_short_word_start(connors, users):
    """Several alternatives of a word, next to another word, are one index condition on
    PostgreSQL; a one- or two-letter word there matches the start of a word."""
    from peyvand.customers.models import Contact

    agent = users["agent_n"]
    found = search_candidates(Contact, agent, [["sara", "sraa"], ["co"]])
    assert sorted(pk for pk, _name in found) == sorted([connors["sara"].pk, connors["typed"].pk])
    assert search_candidates(Contact, agent, [["sara", "sraa"], ["on"]]) == []
    assert search_candidates(Contact, users["agent_s"], [["sara", "sraa"], ["co"]]) == []


@pytest.mark.django_db
def test_a_typo_in_the_first_name_next_to_a_family_name(connors, users):
    found = contact_search(actor=users["agent_n"], query="Mnia Najafi")
    assert found == [connors["mina"]]


def _planner_settings() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        seqscan = cursor.fetchone()[0]
        cursor.execute("SHOW enable_indexscan")
        return [seqscan, cursor.fetchone()[0]]


@pytest.mark.django_db
def test_planner_settings_do_not_outlive_the_search_in_a_transaction(connors, users):
    """Inside the caller's transaction the search's planner settings are undone with its
    savepoint; the transaction's own work is kept."""
    with transaction.atomic():
        contact_create(actor=users["agent_n"], data=ContactInput(given_name="Zhila"))
        assert contact_search(actor=users["agent_n"], query="Mnia Najafi") == [connors["mina"]]
        if connection.vendor == "postgresql":
            assert _planner_settings() == ["on", "on"]
    assert contact_search(actor=users["agent_n"], query="Zhila", typos=False)[0].given_name == (
        "Zhila"
    )


@pytest.mark.django_db(transaction=True)
def test_planner_settings_end_with_the_search_outside_a_transaction(connors, users):
    """In autocommit the settings and the query go in one message, one implicit transaction."""
    assert not connection.in_atomic_block
    assert contact_search(actor=users["agent_n"], query="Mnia Najafi") == [connors["mina"]]
    found = contact_search(actor=users["agent_n"], query="mi", typos=False)
    assert found == [connors["mina"], connors["minoo"]]  # word starts both; shorter name first
    if connection.vendor == "postgresql":
        assert _planner_settings() == ["on", "on"]


@pytest.mark.django_db(transaction=True)
def test_planner_settings_in_a_transaction_of_their_own_with_server_side_binding(
    connors, users, monkeypatch
):
    """Server-side binding takes one statement a message: the settings and the query then run
    in a transaction of their own, and end with it."""
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "server_side_binding", True)
    assert contact_search(actor=users["agent_n"], query="Mnia Najafi") == [connors["mina"]]
    if connection.vendor == "postgresql":
        assert _planner_settings() == ["on", "on"]
