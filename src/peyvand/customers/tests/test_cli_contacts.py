"""``peyvand contacts list|search``: the same visibility rules as the web and the API."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peyvand.customers.services import ContactInput, PhoneInput, contact_create


def run(*args) -> str:
    out = io.StringIO()
    call_command("contacts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_cli_user(settings):
    settings.PEYVAND_CLI_USER = ""


def test_search_as_south_agent_does_not_show_north_contacts(north_contact, south_contact):
    """Given a north contact named علی, when agent_s searches علی, then nothing is shown;
    agent_n finds it."""
    as_south = run("search", "علی", "--user", "agent_s")
    as_north = run("search", "علی", "--user", "agent_n")

    assert north_contact.public_id not in as_south
    assert as_south == "No contacts match. Try another query, or --user with wider access.\n"
    assert north_contact.public_id in as_north
    assert "علی رضایی" in as_north


def test_list_table_shows_the_columns(north_contact):
    """When agent_n lists contacts, then the table has a header, a rule and the contact row."""
    lines = run("list", "--user", "agent_n").splitlines()

    assert lines[0].split() == ["public_id", "name", "phone", "email", "stage", "owner"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == [
        north_contact.public_id, "علی", "رضایی", "+98", "912", "123", "4567",
        "ali@example.com", "lead", "agent_n",
    ]  # fmt: skip
    assert len(lines) == 3


def test_list_defaults_to_the_env_user_then_the_first_admin(settings, north_contact, south_contact):
    """Without --user the command acts as $PEYVAND_CLI_USER, else as the first active admin."""
    as_admin = json.loads(run("list", "--format", "json"))
    settings.PEYVAND_CLI_USER = "agent_s"  # what PEYVAND_CLI_USER=agent_s in the environment sets
    as_env = json.loads(run("list", "--format", "json"))

    assert [r["public_id"] for r in as_admin] == [south_contact.public_id, north_contact.public_id]
    assert as_env == [
        {
            "public_id": south_contact.public_id,
            "name": "Sara Karimi",
            "phone": "+989351112233",
            "email": "",
            "stage": "lead",
            "owner": "agent_s",
        }
    ]


def test_list_filters_by_stage_and_limit(users):
    for name, stage in (("Ann", "customer"), ("Ben", "lead"), ("Cy", "customer")):
        contact_create(
            actor=users["agent_n"], data=ContactInput(given_name=name, lifecycle_stage=stage)
        )

    rows = json.loads(run("list", "--user", "agent_n", "--stage", "customer", "--format", "json"))
    limited = json.loads(run("list", "--user", "agent_n", "--limit", "1", "--format", "json"))

    assert [r["name"] for r in rows] == ["Cy", "Ann"]
    assert [r["name"] for r in limited] == ["Cy"]


def test_csv_neutralises_formulas(users):
    """Given a contact named =cmd(), when exported as CSV, then the cell starts with a quote."""
    contact = contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="=cmd()", phones=[PhoneInput("09121234567")]),
    )

    out = run("list", "--user", "agent_n", "--format", "csv")

    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["public_id", "name", "phone", "email", "stage", "owner"],
        [contact.public_id, "'=cmd()", "'+989121234567", "", "lead", "agent_n"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--format", "xml"], r"^--format: “xml” is not one of table, csv, json\.$"),
        (["list", "--limit", "0"], r"^--limit: 0 is not between 1 and 1000\.$"),
        (["list", "--stage", "gold"], r"^--stage: “gold” is not one of lead, prospect"),
        (["search", "x", "--user", "ghost"], r"^--user: there is no user “ghost”\.$"),
    ],
)
def test_bad_arguments_are_named(users, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_without_any_admin_the_user_is_required(db):
    with pytest.raises(CommandError, match=r"^There is no active admin to act as\. Pass --user"):
        run("list")
