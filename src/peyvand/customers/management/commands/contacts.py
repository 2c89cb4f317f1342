"""``peyvand contacts list|search``: contacts as one user sees them (same rules as web and API)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.common.cli import acting_user, render_csv, render_table, validation_message
from peyvand.common.phones import phone_display
from peyvand.customers.models import LifecycleStage
from peyvand.customers.selectors import ContactFilters, contact_list, contact_search

FORMATS = ("table", "csv", "json")
MAX_LIMIT = 1000
COLUMNS = ("public_id", "name", "phone", "email", "stage", "owner")


class Command(BaseCommand):
    help = (
        "List or search contacts as a user (--user, else $PEYVAND_CLI_USER, else the first "
        "admin); only the contacts that user may see are shown."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|search")
        listing = actions.add_parser("list", help="newest contacts first, optionally filtered")
        search = actions.add_parser("search", help="contacts matching every word of QUERY")
        search.add_argument("query", metavar="QUERY")
        for sub in (listing, search):
            sub.add_argument("--user", help="act as this user")
            sub.add_argument("--limit", type=int, default=20, help="at most this many (20)")
            sub.add_argument(
                "--format",
                dest="output_format",
                default="table",
                help="table (default), csv or json",
            )
        listing.add_argument("--stage", help="lifecycle stage, e.g. customer")
        listing.add_argument("--tag", help="tag name, e.g. VIP")

    def handle(self, *args, action, user, limit, output_format, **options):
        if output_format not in FORMATS:
            raise CommandError(f"--format: “{output_format}” is not one of {', '.join(FORMATS)}.")
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit: {limit} is not between 1 and {MAX_LIMIT}.")
        actor = acting_user(user)
        if action == "search":
            contacts = contact_search(actor=actor, query=options["query"], limit=limit)
        else:
            stage = options.get("stage")
            if stage and stage not in LifecycleStage.values:
                raise CommandError(
                    f"--stage: “{stage}” is not one of {', '.join(LifecycleStage.values)}."
                )
            filters = ContactFilters(lifecycle_stage=stage, tag=options.get("tag"))
            try:
                contacts = list(contact_list(actor=actor, filters=filters)[:limit])
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from exc
        self._render(contacts, output_format)

    def _render(self, contacts, output_format: str) -> None:
        rows = [
            {
                "public_id": c.public_id,
                "name": c.display_name,
                "phone": c.primary_phone,
                "email": c.primary_email,
                "stage": c.lifecycle_stage,
                "owner": c.owner.username if c.owner else "",
            }
            for c in contacts
        ]
        if output_format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif output_format == "csv":
            self.stdout.write(
                render_csv(COLUMNS, ([r[k] for k in COLUMNS] for r in rows)), ending=""
            )
        elif not rows:
            self.stdout.write("No contacts match. Try another query, or --user with wider access.")
        else:
            table_rows = [
                [r["public_id"], r["name"], phone_display(r["phone"]) if r["phone"] else "",
                 r["email"], r["stage"], r["owner"]]
                for r in rows
            ]  # fmt: skip
            self.stdout.write(render_table(COLUMNS, table_rows), ending="")
