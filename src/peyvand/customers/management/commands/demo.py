"""``peyvand demo [--size N] [--seed S]``: fill the database with realistic demo customers."""

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.accounts.access import Capability, can
from peyvand.common.cli import acting_user, validation_message
from peyvand.common.errors import PermissionDenied
from peyvand.customers.demo import generate_demo_data, load_demo_data


class Command(BaseCommand):
    help = (
        "Create demo teams, users (passwords printed once), custom fields, organisations and "
        "N contacts, about 5% of them near-duplicates. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=200, help="number of contacts (200)")
        parser.add_argument("--seed", type=int, help="random seed (default: a random one)")
        parser.add_argument(
            "--user", help="admin to act as (default: $PEYVAND_CLI_USER, else the first admin)"
        )

    def handle(self, *args, size, seed, user, **options):
        if not 1 <= size <= 100_000:
            raise CommandError(f"--size: {size} is not between 1 and 100000.")
        actor = acting_user(user)
        if not can(actor, Capability.SETTINGS_MANAGE):
            raise CommandError(f"--user: {actor.username} is not an admin; the demo needs one.")
        seed = secrets.randbelow(1_000_000) if seed is None else seed
        data = generate_demo_data(size=size, seed=seed)
        self.stdout.write(f"Creating {size} demo contacts (seed {seed})…")
        try:
            result = load_demo_data(actor=actor, data=data, progress=self._progress)
        except (ValidationError, PermissionDenied) as exc:
            detail = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"The demo data was not saved: {detail}") from exc
        for spec, password in result.users_created:
            self.stdout.write(f"  user {spec.username} ({spec.role}): {password}")
        self.stdout.write(
            f"Demo data: {len(result.teams_created)} new teams, {len(result.users_created)} new "
            f"users, {len(result.custom_fields_created)} new custom fields, "
            f"{result.organizations} organisations, {result.contacts} contacts "
            f"({result.duplicates} near-duplicates) in {result.seconds:.1f} s (seed {seed})."
        )

    def _progress(self, done: int, total: int) -> None:
        if done * 10 // total != (done - 1) * 10 // total:  # crossed a 10% mark
            self.stdout.write(f"  {done * 100 // total}% ({done}/{total})")
