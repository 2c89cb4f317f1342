"""Search matches within one word, or at the start of words typed together, never across two
words (issue 14: «کتای» found «شرکت ایده‌پردازان» through «شرکت|ایده»). Runs on whichever
database the suite runs on (SQLite FTS5 or PostgreSQL pg_trgm)."""

import pytest

from peyvand.customers.services import (
    ContactInput,
    OrganizationInput,
    contact_create,
    organization_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users):
    agent = users["agent_n"]
    return {
        "idea": organization_create(actor=agent, data=OrganizationInput(name="شرکت ایده‌پردازان")),
        "makers": organization_create(actor=agent, data=OrganizationInput(name="Idea Makers Co")),
        "ali": contact_create(
            actor=agent,
            data=ContactInput(given_name="علی رضا", family_name="محمدی"),
        ),
    }


def _found(client, query: str, records: dict) -> set[str]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name, record in records.items() if record.get_absolute_url() in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("کتای", set()),  # شرکت|ایده: across two words
        ("رکت یده", {"idea"}),  # two word fragments, each within its word
        ("ایده", {"idea"}),
        ("دهپرداز", {"idea"}),  # inside «ایده‌پردازان» (ZWNJ joins one word)
        ("ایدهپردازان", {"idea"}),
        ("شرکتایده", {"idea"}),  # words typed together from the first word
        ("eamak", set()),  # Idea|Makers
        ("akers", {"makers"}),
        ("ideamakers", {"makers"}),
        ("makersco", {"makers"}),  # from the second word on
        ("یرضا", set()),  # علی|رضا
        ("علیرضا", {"ali"}),
        ("رضامحمدی", {"ali"}),
        ("ضامح", set()),  # رضا|محمدی
        ("محمد", {"ali"}),
    ],
)
def test_search_page_matches_within_words(client, users, records, query, expected):
    """Given an organisation «شرکت ایده‌پردازان», one «Idea Makers Co» and a contact «علی رضا
    محمدی», when the user searches the search page, then a query matches inside a word or at
    the start of words typed together, and never a fragment spanning two words."""
    client.force_login(users["agent_n"])
    assert _found(client, query, records) == expected


def test_api_search_does_not_match_across_words(api_client_for, records):
    """Given the same records, when the API searches organisations for «کتای» and «ایده»,
    then only the whole-word fragment finds «شرکت ایده‌پردازان»."""
    client = api_client_for("agent_n", "read")
    miss = client.get("/api/v1/organizations/search", {"q": "کتای"})
    hit = client.get("/api/v1/organizations/search", {"q": "ایده"})
    assert (miss.status_code, miss.json()) == (200, [])
    assert [o["id"] for o in hit.json()] == [records["idea"].public_id]


def test_renamed_organisation_is_found_by_its_new_words_only(client, users, records):
    """Given «شرکت ایده‌پردازان» renamed «ایده نو», when searching, then «ایدهنو» finds it and
    the old words and a fragment across the new ones («هنو») do not."""
    from peyvand.customers.services import organization_update

    organization_update(
        actor=users["agent_n"],
        public_id=records["idea"].public_id,
        data=OrganizationInput(name="ایده نو"),
    )
    client.force_login(users["agent_n"])
    assert _found(client, "ایدهنو", records) == {"idea"}
    assert _found(client, "هنو", records) == set()
    assert _found(client, "شرکت", records) == set()
