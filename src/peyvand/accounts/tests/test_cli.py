"""The account commands: ``peyvand createuser``, ``peyvand token`` and ``peyvand bootstrap``."""

import io
import re
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from peyvand.accounts.models import ApiToken, Team, User
from peyvand.accounts.services import token_authenticate
from peyvand.customers.models import Contact


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# --- createuser --------------------------------------------------------------------------------
def test_createuser_with_role_teams_and_generated_password(teams):
    """Given team North exists, when an operator creates a manager in North and a new team,
    then the user has that role, language and both teams, and the printed password works."""
    out, _ = run(
        "createuser", "bob", "--role", "manager", "--team", "North", "--team", "Support",
        "--language", "en", "--email", "Bob@Example.com", "--first-name", "Bob",
    )  # fmt: skip

    bob = User.objects.get(username="bob")
    assert bob.role == "manager"
    assert bob.language == "en"
    assert (bob.calendar, bob.calendar_in_use) == ("auto", "gregorian")
    assert bob.email == "bob@example.com"
    assert bob.first_name == "Bob"
    assert sorted(t.name for t in bob.teams.all()) == ["North", "Support"]
    assert Team.objects.filter(name="North").count() == 1
    password = re.search(r"^Login: bob / (\S+)$", out, re.M).group(1)
    assert len(password) == 20
    assert bob.check_password(password)


def test_createuser_with_given_password_does_not_echo_it(db):
    """Given --password, when the user is created, then the password is set and not printed."""
    out, _ = run("createuser", "carol", "--role", "viewer", "--password", "a-long-passphrase-42")

    assert User.objects.get(username="carol").check_password("a-long-passphrase-42")
    assert "a-long-passphrase-42" not in out
    assert "Login:" not in out


def test_createuser_rejects_an_unknown_role(db):
    """When the role is not one of the four, then the error names --role and nothing is made."""
    with pytest.raises(CommandError, match=r"--role: “boss” is not one of admin, manager"):
        run("createuser", "dave", "--role", "boss", "--team", "Ghost")

    assert not User.objects.filter(username="dave").exists()
    assert not Team.objects.filter(name="Ghost").exists()


def test_createuser_rejects_a_weak_password(db):
    """When --password is too weak, then the error names --password."""
    with pytest.raises(CommandError, match=r"^--password: This password is too short"):
        run("createuser", "erin", "--role", "agent", "--password", "abc")

    assert not User.objects.filter(username="erin").exists()


def test_createuser_taken_username_creates_no_team(users):
    """Given user admin exists, when creating it again with a new team, then the error names
    USERNAME and the team is not left behind."""
    with pytest.raises(CommandError, match=r"^USERNAME: A user with that username"):
        run("createuser", "admin", "--role", "agent", "--team", "Orphans")

    assert not Team.objects.filter(name="Orphans").exists()
    assert User.objects.filter(username="admin").count() == 1


def test_createuser_rejects_an_unknown_language(db):
    with pytest.raises(CommandError, match=r"^--language: “de” is not one of fa, en\.$"):
        run("createuser", "fritz", "--role", "agent", "--language", "de")


# --- token -------------------------------------------------------------------------------------
def test_token_create_prints_only_a_working_token_that_is_stored_hashed(users):
    """When a token is created, then stdout is just the token, it authenticates as the user
    with the scope asked for, and no column of its row holds the secret."""
    out, err = run("token", "create", "--user", "agent_n", "--scope", "write", "--name", "ci")

    plaintext = out.strip()
    assert out == plaintext + "\n"
    assert re.fullmatch(r"pvd_[0-9a-f]{12}_[A-Za-z0-9_-]{32}", plaintext)
    token = token_authenticate(plaintext)
    assert token is not None
    assert token.user == users["agent_n"]
    assert (token.scope, token.name) == ("write", "ci")
    secret = plaintext.split("_", 2)[2]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    assert plaintext not in str(model_to_dict(token))
    assert "shown only now" in err


def test_token_create_write_scope_for_a_viewer_is_refused(users):
    """Given a viewer, when asking for a write token, then the error names --scope, no token."""
    with pytest.raises(CommandError, match=r"^--scope: "):
        run("token", "create", "--user", "viewer_n", "--scope", "write")

    assert not ApiToken.objects.exists()


def test_token_create_rejects_unknown_scope_and_user(users):
    with pytest.raises(CommandError, match=r"^--scope: “admin” is not one of read, write\.$"):
        run("token", "create", "--user", "agent_n", "--scope", "admin")
    with pytest.raises(CommandError, match=r"^--user: there is no user “nobody”\.$"):
        run("token", "create", "--user", "nobody")


def test_token_list_and_revoke(users):
    """Given a token, when it is revoked, then it no longer authenticates and lists as revoked."""
    plaintext = run("token", "create", "--user", "agent_n")[0].strip()
    token_id = token_authenticate(plaintext).pk

    listing = run("token", "list", "--user", "agent_n")[0]
    assert re.search(rf"^{token_id}\s+cli\s+read\s+pvd_\w+_….*\bactive$", listing, re.M)

    out, _ = run("token", "revoke", "--user", "agent_n", str(token_id))

    assert out == f"Revoked token {token_id} (cli) of agent_n.\n"
    assert token_authenticate(plaintext) is None
    assert re.search(
        rf"^{token_id}\s.*\brevoked$", run("token", "list", "--user", "agent_n")[0], re.M
    )


def test_token_revoke_someone_elses_token_is_refused(users):
    """Given agent_n's token, when agent_s revokes it, then it is refused and still works."""
    plaintext = run("token", "create", "--user", "agent_n")[0].strip()
    token_id = token_authenticate(plaintext).pk

    with pytest.raises(CommandError, match=rf"^ID: agent_s has no token {token_id}\.$"):
        run("token", "revoke", "--user", "agent_s", str(token_id))

    assert token_authenticate(plaintext) is not None


def test_token_list_when_there_are_none(users):
    assert run("token", "list", "--user", "agent_s")[0] == (
        "agent_s has no tokens. Create one: peyvand token create\n"
    )


# --- bootstrap ---------------------------------------------------------------------------------
LOGIN = re.compile(r"^Login: admin / (\S+)$", re.M)


def test_bootstrap_creates_admin_and_demo_once(db, settings, tmp_path):
    """Given an empty database, when bootstrap runs twice, then the first run creates one admin
    (password in a 600 file) and the demo data, and the second prints the same login and adds
    nothing."""
    settings.DATA_DIR = tmp_path

    first, _ = run("bootstrap", "--demo-size", "10")

    password = LOGIN.search(first).group(1)
    admin = User.objects.get(username="admin")
    assert admin.role == "admin"
    assert admin.check_password(password)
    login_file = tmp_path / "admin-login.txt"
    assert login_file.read_text() == f"admin\n{password}\n"
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert Contact.objects.count() == 10
    assert first.splitlines()[-1] == f"Login: admin / {password}"  # not buried by the demo
    users_after_first = User.objects.count()

    second, _ = run("bootstrap", "--demo-size", "10")

    assert second == (
        f"Login: admin / {password}\nDemo data: skipped (the database already has contacts).\n"
    )
    assert User.objects.filter(role="admin").count() == 1
    assert User.objects.count() == users_after_first
    assert Contact.objects.count() == 10


def test_bootstrap_after_the_password_changed(db, settings, tmp_path):
    """Given the admin changed their password, when bootstrap runs, then it says so."""
    settings.DATA_DIR = tmp_path
    run("bootstrap", "--no-demo")
    admin = User.objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()

    out, _ = run("bootstrap", "--no-demo")

    assert out == "Login: admin / (password changed since first run)\n"
    assert not Contact.objects.exists()


def test_bootstrap_with_an_admin_made_elsewhere(users, settings, tmp_path):
    """Given an admin created without bootstrap (no login file), then no second admin is made."""
    settings.DATA_DIR = tmp_path

    out, _ = run("bootstrap", "--no-demo")

    assert out.startswith("Login: admin / (password not stored here;")
    assert User.objects.filter(role="admin").count() == 1
    assert not (tmp_path / "admin-login.txt").exists()
