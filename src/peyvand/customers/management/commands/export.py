"""peyvand export contacts|organizations --format csv|xlsx|vcf [--filter KEY=VALUE ...]"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.common.cli import acting_user, validation_message
from peyvand.common.jalali import parse_date
from peyvand.customers import exports
from peyvand.customers.selectors import (
    ContactFilters,
    OrganizationFilters,
    contact_list,
    organization_list,
)

FILTER_KEYS = {"owner", "team", "tag", "lifecycle_stage", "industry", "created_after",
               "created_before", "organization"}  # fmt: skip


def parse_filters(entity: str, items: list[str]):
    values, custom = {}, {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise CommandError(f"--filter {item}: write it as KEY=VALUE.")
        if key.startswith("cf_"):
            custom[key[3:]] = value
        elif key in FILTER_KEYS:
            values[key] = value
        else:
            raise CommandError(
                f"--filter {key}: unknown filter; use one of {', '.join(sorted(FILTER_KEYS))} "
                "or cf_<custom field key>."
            )
    for key in ("created_after", "created_before"):
        if key in values:
            try:
                values[key] = parse_date(values[key])
            except ValidationError as exc:
                raise CommandError(f"--filter {key}: {exc.messages[0]}") from exc
    if "team" in values:
        if not values["team"].isdigit():
            raise CommandError("--filter team: give the team's number (see the web settings).")
        values["team"] = int(values["team"])
    if entity == "contact":
        values.pop("industry", None)
        return ContactFilters(custom=custom, **values)
    values.pop("lifecycle_stage", None)
    values.pop("organization", None)
    return OrganizationFilters(custom=custom, **values)


class Command(BaseCommand):
    help = "Export the contacts or organisations you can see (optionally filtered)."

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=["contacts", "organizations"])
        parser.add_argument("--format", choices=["csv", "xlsx", "vcf"], default="csv")
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--user", help="act as this user (default: PEYVAND_CLI_USER/admin)")

    def handle(self, *args, **options):
        actor = acting_user(options.get("user"))
        entity = options["entity"][:-1]
        fmt = options["format"]
        if fmt == "vcf" and entity != "contact":
            raise CommandError("--format vcf: vCards are for contacts.")
        filters = parse_filters(entity, options["filter"])
        try:
            if entity == "contact":
                records = contact_list(actor=actor, filters=filters)
                rows = exports.contact_rows(records)
            else:
                records = organization_list(actor=actor, filters=filters)
                rows = exports.organization_rows(records)
            if fmt == "csv":
                chunks = exports.csv_chunks(rows)
            elif fmt == "xlsx":
                chunks = iter([exports.xlsx_bytes(rows, title=options["entity"])])
            else:
                chunks = exports.vcard_chunks(records)
            if options["output"]:
                with open(Path(options["output"]), "wb") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
            else:
                for chunk in chunks:
                    sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
