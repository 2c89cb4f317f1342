"""peyvand export contacts|organizations --format csv|xlsx|vcf [--layout machine|readable]
[--filter KEY=VALUE ...]

``--layout machine`` (the default, for scripts): the importer's English column names, stored
codes and ISO dates. ``readable``: headers and values in the acting user's language, dates in
their calendar, a right-to-left sheet in Persian."""

import dataclasses
import sys
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from peyvand.accounts.access import Capability, can
from peyvand.common.cli import acting_user, validation_message
from peyvand.common.entities import registry
from peyvand.common.jalali import parse_date
from peyvand.customers import exports
from peyvand.customers.selectors.filters import RecordFilters
from peyvand.customers.selectors.records import record_export_rows, record_list

_NOT_FILTERS = {"custom"}  # given as cf_<key>=VALUE
_DATES = {"created_after", "created_before"}


def parse_filters(entity: str, items: list[str]):
    """The record type's list filters from KEY=VALUE items (unknown keys are refused)."""
    filters_class = registry.get(entity).filters or RecordFilters
    known = sorted(f.name for f in dataclasses.fields(filters_class) if f.name not in _NOT_FILTERS)
    values, custom = {}, {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise CommandError(f"--filter {item}: write it as KEY=VALUE.")
        if key.startswith("cf_"):
            custom[key[3:]] = value
        elif key in known:
            values[key] = value
        else:
            raise CommandError(
                f"--filter {key}: unknown filter; use one of {', '.join(known)} "
                "or cf_<custom field key>."
            )
    for key in sorted(_DATES.intersection(values)):
        try:
            values[key] = parse_date(values[key])
        except ValidationError as exc:
            raise CommandError(f"--filter {key}: {exc.messages[0]}") from exc
    if "team" in values:
        if not values["team"].isdigit():
            raise CommandError("--filter team: give the team's number (see the web settings).")
        values["team"] = int(values["team"])
    return filters_class(custom=custom, **values)


def _entity(name: str) -> str:
    """A registered record type from its key, singular or plural ("contacts")."""
    for key in (name, name.removesuffix("s")):
        if key in registry:
            return key
    raise CommandError(f"{name}: export one of {', '.join(k + 's' for k in registry.names())}.")


class Command(BaseCommand):
    help = "Export the contacts or organisations you can see (optionally filtered)."

    def add_arguments(self, parser):
        parser.add_argument("entity", help="what to export: contacts, organizations, …")
        parser.add_argument("--format", choices=["csv", "xlsx", "vcf"], default="csv")
        parser.add_argument(
            "--layout",
            choices=["machine", "readable"],
            default="machine",
            help="machine: English column names, codes, ISO dates (default); readable: in "
            "your language and calendar",
        )
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--user", help="act as this user (default: PEYVAND_CLI_USER/admin)")

    def handle(self, *args, **options):
        actor = acting_user(options.get("user"))
        if not can(actor, Capability.RECORD_EXPORT):
            raise CommandError(f"--user: {actor.username} may not export records.")
        entity = _entity(options["entity"])
        fmt = options["format"]
        if fmt not in registry.get(entity).export_formats:
            raise CommandError("--format vcf: vCards are for contacts.")
        filters = parse_filters(entity, options["filter"])
        readable = options["layout"] == "readable"
        calendar = actor.calendar_in_use if readable else None
        with translation.override(actor.language) if readable else nullcontext():
            self._write(actor, entity, fmt, filters, calendar, options)

    def _write(self, actor, entity, fmt, filters, calendar, options):
        try:
            records = record_list(actor=actor, entity=entity, filters=filters)
            rows = record_export_rows(entity=entity, records=records, calendar=calendar)
            if fmt == "csv":
                chunks = exports.csv_chunks(rows)
            elif fmt == "xlsx":
                right_to_left = calendar is not None and actor.language == "fa"
                chunks = iter(
                    [exports.xlsx_bytes(rows, title=options["entity"], right_to_left=right_to_left)]
                )
            else:
                chunks = registry.get(entity).export_vcard(records)
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
