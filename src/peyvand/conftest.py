"""Shared fixtures: a team layout and one user per role, as the access-matrix tests need them.

Layout: teams "north" and "south". admin (no team), manager_n / agent_n / viewer_n in north,
agent_s in south, and agent_n2 also in north.
"""

import pytest
from django.test import Client

from peyvand.accounts.access import Capability, can
from peyvand.accounts.services import team_create, token_create, user_create
from peyvand.customers.services import ContactInput, EmailInput, PhoneInput, contact_create


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def teams(db):
    return {
        "north": team_create(actor=None, name="North"),
        "south": team_create(actor=None, name="South"),
    }


def _user(name: str, role: str, teams=(), language: str = "en"):
    return user_create(
        actor=None,
        username=name,
        password="pass-" + name,
        role=role,
        teams=teams,
        language=language,
        validate_password_strength=False,
    )


@pytest.fixture
def users(teams):
    north, south = teams["north"], teams["south"]
    return {
        "admin": _user("admin", "admin"),
        "manager_n": _user("manager_n", "manager", [north]),
        "agent_n": _user("agent_n", "agent", [north]),
        "agent_n2": _user("agent_n2", "agent", [north]),
        "viewer_n": _user("viewer_n", "viewer", [north]),
        "agent_s": _user("agent_s", "agent", [south]),
    }


@pytest.fixture
def north_contact(users):
    return contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="علی",
            family_name="رضایی",
            emails=[EmailInput("ali@example.com")],
            phones=[PhoneInput("09121234567")],
        ),
    )


@pytest.fixture
def south_contact(users):
    return contact_create(
        actor=users["agent_s"],
        data=ContactInput(
            given_name="Sara", family_name="Karimi", phones=[PhoneInput("09351112233")]
        ),
    )


@pytest.fixture
def client_for(users):
    """A logged-in web client for a role name: ``client_for("agent_n")``."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return make


@pytest.fixture
def api_client_for(users):
    """An API client with a Bearer token for a role name and scope."""

    def make(name: str, scope: str = "write") -> Client:
        user = users[name]
        if scope == "write" and not can(user, Capability.RECORD_CHANGE):
            scope = "read"
        issued = token_create(user=user, name="test", scope=scope)
        return Client(headers={"authorization": f"Bearer {issued.plaintext}"})

    return make
