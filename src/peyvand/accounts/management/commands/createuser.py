"""``peyvand createuser NAME --role ROLE [--team T ...]``: add a user from the command line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peyvand.accounts.models import Language, Role
from peyvand.accounts.services import team_create, user_create
from peyvand.common.cli import generate_password, team_by_name, validation_message

_ARGUMENTS = {
    "username": "USERNAME",
    "role": "--role",
    "email": "--email",
    "first_name": "--first-name",
    "last_name": "--last-name",
    "language": "--language",
    "name": "--team",
    "__all__": "--password",
}


class Command(BaseCommand):
    help = (
        "Create a user with a role and teams (missing teams are created). Without --password a "
        "strong random password is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="login name")
        parser.add_argument("--role", required=True, help="admin, manager, agent or viewer")
        parser.add_argument(
            "--team", action="append", default=[], dest="teams", metavar="NAME",
            help="team to join (repeat for several; created if missing)",
        )  # fmt: skip
        parser.add_argument("--language", default=Language.FA, help="fa (default) or en")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="checked against the password rules")

    def handle(self, *args, username, role, teams, language, email, first_name, last_name,
               password, **options):  # fmt: skip
        if role not in Role.values:
            raise CommandError(f"--role: “{role}” is not one of {', '.join(Role.values)}.")
        if language not in Language.values:
            raise CommandError(
                f"--language: “{language}” is not one of {', '.join(Language.values)}."
            )
        if any(not name.strip() for name in teams):
            raise CommandError("--team: a team name cannot be empty.")
        generated = password is None
        if generated:
            password = generate_password()
        try:
            with transaction.atomic():
                team_objects = [
                    team_by_name(name) or team_create(actor=None, name=name) for name in teams
                ]
                user = user_create(
                    actor=None,
                    username=username,
                    password=password,
                    role=role,
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    language=language,
                    teams=team_objects,
                )
        except ValidationError as exc:
            raise CommandError(validation_message(exc, _ARGUMENTS)) from exc
        team_names = ", ".join(t.name for t in team_objects) or "none"
        self.stdout.write(f"Created {user.role} “{user.username}” (teams: {team_names}).")
        if generated:
            self.stdout.write(f"Login: {user.username} / {password}")
