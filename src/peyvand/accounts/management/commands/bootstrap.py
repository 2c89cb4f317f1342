"""``peyvand bootstrap``: what ``make run`` does before serving. Safe to run again and again.

1. Without an admin, create ``admin`` with a random password, keep the password in
   ``DATA_DIR/admin-login.txt`` (mode 600) and print ``Login: admin / <password>``. On later runs
   print the same line again, as long as that password still works.
2. With no contacts at all, load the demo data (``peyvand demo``) unless ``--no-demo``.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import Role
from peyvand.accounts.services import user_create
from peyvand.common.cli import (
    contacts_exist,
    first_active_admin,
    generate_password,
    user_by_username,
)

ADMIN_USERNAME = "admin"
LOGIN_FILE = "admin-login.txt"


def _login_file() -> Path:
    return Path(settings.DATA_DIR) / LOGIN_FILE


def _write_login_file(path: Path, username: str, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"{username}\n{password}\n")
    path.chmod(0o600)  # an existing file keeps its old mode through O_CREAT


def _read_login_file(path: Path) -> tuple[str, str] | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if len(lines) < 2 or not lines[0].strip() or not lines[1]:
        return None
    return lines[0].strip(), lines[1]


class Command(BaseCommand):
    help = "Create the first admin (printing its login) and demo data on an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument(
            "--demo-size", type=int, default=200, help="contacts in the demo data (200)"
        )

    def handle(self, *args, no_demo, demo_size, **options):
        admin_username, login_line = self._ensure_admin()
        self.stdout.write(login_line)
        if no_demo:
            return
        if contacts_exist():
            self.stdout.write("Demo data: skipped (the database already has contacts).")
            return
        call_command(
            "demo", size=demo_size, user=admin_username, stdout=self.stdout, stderr=self.stderr
        )
        self.stdout.write(login_line)  # again, so the demo output does not bury it

    def _ensure_admin(self) -> tuple[str, str]:
        """Return the admin to act as and the ``Login: …`` line to show for them."""
        path = _login_file()
        admin = first_active_admin()
        if admin is None:
            if user_by_username(ADMIN_USERNAME) is not None:
                raise CommandError(
                    f"There is no active admin, but the username “{ADMIN_USERNAME}” is taken. "
                    "Create one with: peyvand createuser NAME --role admin"
                )
            password = generate_password()
            with transaction.atomic():  # no admin without the file that tells its password
                admin = user_create(
                    actor=None, username=ADMIN_USERNAME, password=password, role=Role.ADMIN
                )
                _write_login_file(path, admin.username, password)
            return admin.username, f"Login: {admin.username} / {password}"
        stored = _read_login_file(path)
        if stored is not None:
            user = user_by_username(stored[0])
            if user is not None and can(user, Capability.SETTINGS_MANAGE):
                if user.check_password(stored[1]):
                    return user.username, f"Login: {user.username} / {stored[1]}"
                return user.username, f"Login: {user.username} / (password changed since first run)"
        return admin.username, (
            f"Login: {admin.username} / (password not stored here; "
            f"reset it with: peyvand changepassword {admin.username})"
        )
