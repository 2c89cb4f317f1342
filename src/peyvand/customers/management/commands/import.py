"""peyvand import contacts|organizations FILE [--mapping NAME|FILE] [--dry-run] [--on-duplicate]"""

import csv
import json
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.common.cli import acting_user, validation_message
from peyvand.customers.models import ImportJob, ImportRowError
from peyvand.customers.selectors.imports import import_errors_csv_rows
from peyvand.customers.services.imports import (
    import_job_configure,
    import_job_create,
    import_job_run_now,
)


class Command(BaseCommand):
    help = (
        "Import contacts or organisations from CSV, XLSX or vCard (in committed batches of "
        "10,000 rows; --resume continues an interrupted import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=["contacts", "organizations"])
        parser.add_argument("file", nargs="?", help="CSV, XLSX or VCF file")
        parser.add_argument(
            "--mapping", help="a saved mapping name, or a JSON file {header: field}"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--on-duplicate", choices=["skip", "update", "create"], default="skip",
            help="what to do with a row whose email/phone/national ID/external ID exists",
        )  # fmt: skip
        parser.add_argument("--save-mapping", default="", help="save the mapping under a name")
        parser.add_argument("--resume", metavar="JOB", help="continue an interrupted import")
        parser.add_argument("--user", help="act as this user (default: PEYVAND_CLI_USER/admin)")
        parser.add_argument("--errors", metavar="CSV", help="write the row errors to this file")

    def handle(self, *args, **options):
        actor = acting_user(options.get("user"))
        entity = options["entity"][:-1]  # contacts -> contact
        started = time.monotonic()
        try:
            if options["resume"]:
                public_id = options["resume"]
            else:
                if not options["file"]:
                    raise CommandError("Give the FILE to import (or --resume JOB).")
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                job = self._create(actor, entity, path, options)
                public_id = job.public_id
                self.stderr.write(f"import {public_id}: {job.file_format} {job.encoding} "
                                  f"separator={job.delimiter!r}")  # fmt: skip
                for header, target in job.mapping.items():
                    self.stderr.write(f"  {header} -> {target or '(ignored)'}")
            job = import_job_run_now(
                actor=actor, public_id=public_id, apply=not options["dry_run"],
                on_progress=lambda j: self._progress(j, started),
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self._report(job, options, started)
        if job.status == "failed":
            raise CommandError(job.message)

    def _create(self, actor, entity, path, options):
        mapping_option = options.get("mapping")
        mapping_name = None
        mapping_file = None
        if mapping_option:
            if Path(mapping_option).is_file():
                mapping_file = json.loads(Path(mapping_option).read_text(encoding="utf-8"))
            else:
                mapping_name = mapping_option
        job = import_job_create(
            actor=actor, entity=entity, source_path=path, original_name=path.name,
            on_duplicate=options["on_duplicate"], mapping_name=mapping_name,
        )  # fmt: skip
        if mapping_file is not None or options["save_mapping"]:
            mapping = {h: (mapping_file or job.mapping).get(h, "") for h in job.headers}
            job = import_job_configure(
                actor=actor, public_id=job.public_id, mapping=mapping,
                on_duplicate=options["on_duplicate"], save_as=options["save_mapping"],
            )  # fmt: skip
        return job

    def _progress(self, job: ImportJob, started: float) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        verb = "imported" if job.status == "applying" else "checked"
        self.stderr.write(
            f"  {verb} {job.rows_checked:,} rows ({job.rows_error:,} with errors), "
            f"{job.rows_checked / elapsed:,.0f} rows/s"
        )

    def _report(self, job: ImportJob, options, started: float) -> None:
        elapsed = time.monotonic() - started
        out = self.stdout
        out.write(f"import {job.public_id}: {job.status}")
        out.write(f"rows checked: {job.rows_checked}  valid: {job.rows_valid}  "
                  f"with errors: {job.rows_error}")  # fmt: skip
        if job.status == "done":
            out.write(f"created: {job.rows_created}  updated: {job.rows_updated}  "
                      f"skipped: {job.rows_skipped}")  # fmt: skip
        elif options["dry_run"]:
            out.write("dry run: nothing was written")
        out.write(f"time: {elapsed:.1f}s")
        errors = ImportRowError.objects.filter(job=job).order_by("row_number", "id")
        for error in errors[:20]:
            column = f" [{error.column}]" if error.column else ""
            out.write(f"  row {error.row_number}{column}: {error.reason}")
        if job.rows_error > 20:
            out.write(f"  … {job.rows_error - 20} more rows with errors")
        if options.get("errors"):
            with open(options["errors"], "w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerows(import_errors_csv_rows(job, machine_headers=True))
            out.write(f"errors written to {options['errors']}")
        sys.stdout.flush()
