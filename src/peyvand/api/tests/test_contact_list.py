"""``GET /api/v1/contacts``: the list's fast path (cached token, compiled page statement) shows
exactly what the visibility rules allow, and a revoke, deactivation or role change shows at once.
"""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from peyvand.accounts.models import Team
from peyvand.accounts.services import token_create, token_revoke, user_update
from peyvand.api.serializers import json_datetime
from peyvand.customers.models import Contact
from peyvand.customers.selectors import ContactFilters
from peyvand.customers.selectors.contacts import (
    contact_list,
    contact_summary_page,
    contact_summary_rows,
)
from peyvand.customers.selectors.visibility import visible_q
from peyvand.customers.services import (
    ContactInput,
    EmailInput,
    PhoneInput,
    contact_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(users, teams):
    """Three contacts each for agent_n (North), agent_s (South) and admin (no team)."""
    made = {}
    for owner in ("agent_n", "agent_s", "admin"):
        for i in range(3):
            made[f"{owner}-{i}"] = contact_create(
                actor=users[owner],
                data=ContactInput(
                    given_name=f"{owner} {i}",
                    tags=["vip", f"t{i}"] if i else [],
                    emails=[EmailInput(f"{owner}{i}@example.com")] if i != 1 else [],
                    phones=[PhoneInput(f"0912000{i:04d}")],
                ),
            )
    return made


def _client(user, scope="read") -> Client:
    issued = token_create(user=user, name="list", scope=scope)
    return Client(headers={"authorization": f"Bearer {issued.plaintext}"})


def _walk(client: Client, limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        url = f"/api/v1/contacts?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


@pytest.mark.parametrize("role", ["admin", "manager_n", "agent_n", "viewer_n", "agent_s"])
@pytest.mark.parametrize("limit", [2, 50])
def test_each_role_lists_exactly_the_contacts_it_may_see(role, limit, users, contacts):
    """Given contacts in North, South and no team, when a role walks the list page by page,
    then it gets every contact ``visible_q`` allows, newest first, each once, and no other."""
    user = users[role]
    expected = list(
        Contact.objects.filter(visible_q(user)).order_by("-id").values_list("public_id", flat=True)
    )
    seen = [item["id"] for item in _walk(_client(user), limit)]
    assert seen == expected
    assert len(expected) == {"admin": 9, "agent_s": 3}.get(role, 3)


@pytest.mark.parametrize("role", ["admin", "agent_n", "agent_s"])
def test_the_compiled_page_equals_the_queryset_it_was_compiled_from(role, users, contacts):
    """Given any cursor and page size, the compiled statement returns the same rows, with the
    same converted values, as the ORM queryset of the filtered path."""
    user = users[role]
    ids = sorted(Contact.objects.values_list("id", flat=True))
    for before in [None, ids[-1], ids[4], ids[0], ids[0] - 1]:
        for count in (1, 3, 51):
            qs = contact_summary_rows(contact_list(actor=user))
            if before is not None:
                qs = qs.filter(pk__lt=before)
            expected = list(qs.order_by("-pk")[:count])
            for _ in range(2):  # compiled, then reused
                page = contact_summary_page(
                    actor=user, filters=ContactFilters(), before=before, count=count
                )
                assert page == expected


def test_a_deactivated_actor_s_page_is_empty(users, contacts):
    """The selector itself refuses an inactive actor, whatever the caller checked before."""
    admin = users["admin"]
    assert len(contact_summary_page(actor=admin, count=50)) == 9
    admin.is_active = False
    assert contact_summary_page(actor=admin, count=50) == []
    assert contact_summary_page(actor=admin, before=10**9, count=50) == []


def test_a_warm_list_page_costs_one_query(users, contacts, django_assert_num_queries):
    """Given a token and a page shape used once, when the page is asked for again, then the
    token check and the statement are cached and only the page query runs."""
    client = _client(users["agent_n"])
    first = client.get("/api/v1/contacts?limit=2").json()
    client.get(f"/api/v1/contacts?limit=2&cursor={first['next_cursor']}")
    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/contacts?limit=2&cursor={first['next_cursor']}")
    assert [item["display_name"] for item in response.json()["items"]] == ["agent_n 0"]


def test_a_revoked_token_stops_listing_at_once(users, contacts):
    issued = token_create(user=users["agent_n"], name="list", scope="read")
    client = Client(headers={"authorization": f"Bearer {issued.plaintext}"})
    assert client.get("/api/v1/contacts").status_code == 200
    token_revoke(actor=users["agent_n"], token_id=issued.token.pk)
    response = client.get("/api/v1/contacts")
    assert response.status_code == 401
    assert "items" not in response.json()


def test_a_deactivated_user_stops_listing_at_once(users, contacts):
    client = _client(users["agent_n"])
    assert client.get("/api/v1/contacts").status_code == 200
    user_update(actor=users["admin"], user=users["agent_n"], is_active=False)
    response = client.get("/api/v1/contacts")
    assert response.status_code == 401
    assert "items" not in response.json()


def test_a_role_change_narrows_the_list_at_once(users, contacts):
    """Given an admin who listed every contact, when the admin becomes an agent without a
    team, then the next page holds only the contacts they own."""
    admin = users["admin"]
    client = _client(admin)
    assert len(client.get("/api/v1/contacts").json()["items"]) == 9
    user_update(actor=None, user=admin, role="agent")
    items = client.get("/api/v1/contacts").json()["items"]
    assert [item["display_name"] for item in items] == ["admin 2", "admin 1", "admin 0"]


def test_leaving_a_team_narrows_the_list_at_once(users, contacts):
    """Given manager_n who sees North's contacts, when they leave North, then the next page
    holds none of them (team membership is read when the page query runs)."""
    manager = users["manager_n"]
    client = _client(manager)
    assert len(client.get("/api/v1/contacts").json()["items"]) == 3
    manager.teams.remove(Team.objects.get(name="North"))
    assert client.get("/api/v1/contacts").json()["items"] == []


def test_list_timestamps_are_written_as_the_json_encoder_writes_them():
    """``json_datetime`` gives exactly the encoder's text: milliseconds, ``Z`` for UTC."""
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    for value in (
        dt.datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 24, 1, 2, 3, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 24, 1, 2, 3, 1000, tzinfo=tehran),
        dt.datetime(2026, 11, 24, 1, 2, 3, tzinfo=tehran),
    ):
        assert json_datetime(value) == json.loads(json.dumps(value, cls=DjangoJSONEncoder))
