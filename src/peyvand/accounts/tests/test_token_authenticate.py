"""``token_authenticate``: the token's checks, its per-process cache and how the cache forgets."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from peyvand.accounts.models import ApiToken, User
from peyvand.accounts.services import (
    token_authenticate,
    token_create,
    token_revoke,
    tokens,
    user_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand: ``clock.now += tokens.CACHE_SECONDS``."""

    class Clock:
        now = 1000.0

    moved = Clock()
    monkeypatch.setattr(tokens, "_clock", lambda: moved.now)
    return moved


def test_a_token_authenticates_as_its_user(users):
    issued = token_create(user=users["agent_n"], name="t", scope="read")
    token = token_authenticate(issued.plaintext)
    assert (token.pk, token.user.username, token.scope) == (issued.token.pk, "agent_n", "read")


def test_a_wrong_secret_is_refused_even_when_the_prefix_is_cached(users):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    prefix_part = issued.plaintext.rsplit("_", 1)[0]
    assert token_authenticate(prefix_part + "_" + "x" * 32) is None
    assert token_authenticate(issued.plaintext + "x") is None
    assert token_authenticate("pvd_" + issued.token.prefix) is None


def test_a_cached_token_costs_no_query(users, django_assert_num_queries):
    """Given a token checked a moment ago, when it is checked again, then no query runs."""
    issued = token_create(user=users["agent_n"], name="t")
    token_authenticate(issued.plaintext)
    with django_assert_num_queries(0):
        assert token_authenticate(issued.plaintext).user.username == "agent_n"


def _at(moment: dt.datetime):
    return mock.patch.object(tokens.timezone, "now", return_value=moment)


def test_last_used_is_written_at_most_once_a_minute(users, clock, django_assert_num_queries):
    issued = token_create(user=users["agent_n"], name="t")
    start = timezone.now()
    with _at(start), django_assert_num_queries(2):  # the token, then last_used_at
        token_authenticate(issued.plaintext)
    clock.now += tokens.CACHE_SECONDS  # the cache has expired: the token is read again
    with _at(start + dt.timedelta(seconds=59)), django_assert_num_queries(1):  # no write
        token_authenticate(issued.plaintext)
    later = start + dt.timedelta(seconds=61)
    with _at(later), django_assert_num_queries(1):  # cached token, old last_used_at: a write
        token_authenticate(issued.plaintext)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == later


def test_a_revoke_in_this_process_takes_effect_at_once(users):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    token_revoke(actor=users["agent_n"], token_id=issued.token.pk)
    assert token_authenticate(issued.plaintext) is None


def test_a_deactivation_in_this_process_takes_effect_at_once(users):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    user_update(actor=users["admin"], user=users["agent_n"], is_active=False)
    assert token_authenticate(issued.plaintext) is None


def test_a_deleted_user_s_token_stops_at_once(users):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    User.objects.get(username="agent_n").delete()
    assert token_authenticate(issued.plaintext) is None


def test_a_role_change_is_seen_at_once(users):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext).user.role == "agent"
    user_update(actor=users["admin"], user=users["agent_n"], role="viewer")
    assert token_authenticate(issued.plaintext).user.role == "viewer"


def test_another_process_s_revoke_is_seen_within_the_cache_time(users, clock):
    """Given a cached token, when another process revokes it (a write this process gets no
    signal of), then this process still accepts it until ``CACHE_SECONDS`` have passed and
    refuses it from then on."""
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    ApiToken.objects.filter(pk=issued.token.pk).update(revoked_at=timezone.now())
    clock.now += tokens.CACHE_SECONDS - 0.5
    assert token_authenticate(issued.plaintext) is not None
    clock.now += 0.5
    assert token_authenticate(issued.plaintext) is None


def test_another_process_s_deactivation_is_seen_within_the_cache_time(users, clock):
    issued = token_create(user=users["agent_n"], name="t")
    assert token_authenticate(issued.plaintext) is not None
    User.objects.filter(username="agent_n").update(is_active=False)
    clock.now += tokens.CACHE_SECONDS
    assert token_authenticate(issued.plaintext) is None


def test_each_caller_gets_its_own_copy(users):
    """Given a cached token, when a caller changes the token or user it got, then the next
    caller still gets the stored values."""
    issued = token_create(user=users["agent_n"], name="t", scope="read")
    first = token_authenticate(issued.plaintext)
    first.scope = "write"
    first.user.role = "admin"
    first.user.is_active = False
    second = token_authenticate(issued.plaintext)
    assert (second.scope, second.user.role, second.user.is_active) == ("read", "agent", True)
    assert second.user is not first.user


def test_a_row_read_before_a_revoke_is_not_cached_after_it(users, clock):
    """Given a request that read the token just before a revoke in this process (another
    thread), when it stores what it read, then the cache does not keep the revoked token."""
    issued = token_create(user=users["agent_n"], name="t")
    stale = ApiToken.objects.select_related("user").get(pk=issued.token.pk)
    generation = tokens._generation
    token_revoke(actor=users["agent_n"], token_id=issued.token.pk)
    tokens._remember(stale, generation)
    assert token_authenticate(issued.plaintext) is None
