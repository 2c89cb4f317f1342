"""``peyvand duplicates find [--threshold 90]`` and ``peyvand duplicates export FILE``: batch
duplicate detection over the contacts one user may see (the same services as web and API)."""

import argparse
import csv
import itertools
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peyvand.common.cli import acting_user, csv_safe, render_table, validation_message
from peyvand.common.errors import NotFound, PermissionDenied
from peyvand.dedupe.batch.run import DEFAULT_THRESHOLD
from peyvand.dedupe.models_batch import DuplicateRun, DuplicateRunStatus
from peyvand.dedupe.selectors.detection import (
    PAIR_ROW_HEADERS,
    duplicate_pair_rows,
    duplicate_run_get_for_user,
    duplicate_run_latest,
)
from peyvand.dedupe.services.detection import duplicate_run_now
from peyvand.dedupe.thresholds import threshold_parse, threshold_percent

ARGUMENTS = {"threshold": "--threshold", "__all__": ""}
SHOWN_PAIRS = 10


def _threshold(text: str) -> float:
    value = threshold_parse(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (e.g. 90 for 90%)")
    return value


class Command(BaseCommand):
    help = (
        "Find likely duplicate contacts in one batch (splink), or export what a run found. "
        "Acts as --user, else $PEYVAND_CLI_USER, else the first admin; compares only the "
        "contacts that user may see."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="find|export")
        find = actions.add_parser("find", help="compare every contact and store the pairs")
        find.add_argument(
            "--threshold", type=_threshold, default=DEFAULT_THRESHOLD,
            help=(
                "how likely a pair must be to be proposed, in per cent (default "
                f"{threshold_percent(DEFAULT_THRESHOLD)}); a number from 0 to 1, as in "
                "earlier versions, is still read as a probability (0.9 = 90%%)"
            ),
        )  # fmt: skip
        export = actions.add_parser("export", help="write a run's pairs and groups as CSV")
        export.add_argument("file", metavar="FILE")
        export.add_argument("--run", metavar="RUN", help="a run's id (default: the latest)")
        for sub in (find, export):
            sub.add_argument("--user", help="act as this user")

    def handle(self, *args, action, user, **options):
        actor = acting_user(user)
        try:
            if action == "find":
                self._find(actor, options["threshold"])
            else:
                self._export(actor, options["file"], options.get("run"))
        except ValidationError as exc:
            raise CommandError(validation_message(exc, ARGUMENTS)) from exc
        except (NotFound, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc

    def _find(self, actor, threshold: float) -> None:
        started = time.monotonic()
        last = {"stage": None}

        def progress(run: DuplicateRun) -> None:
            if run.stage == "reading":
                self.stderr.write(f"  read {run.contacts_read:,} of {run.contacts_total:,}")
            elif run.stage and run.stage != last["stage"]:
                self.stderr.write(f"  {run.get_stage_display()}… ({run.progress}%)")
            last["stage"] = run.stage

        run = duplicate_run_now(actor=actor, threshold=threshold, on_progress=progress)
        elapsed = time.monotonic() - started
        if run.status != DuplicateRunStatus.DONE:
            raise CommandError(f"run {run.public_id}: {run.status}. {run.message}".strip())
        out = self.stdout
        out.write(f"run {run.public_id}: done in {elapsed:.1f}s")
        out.write(
            f"contacts compared: {run.contacts_read}  duplicate pairs: {run.pairs_count}  "
            f"groups: {run.clusters_count}  threshold: {threshold_percent(run.threshold)}%"
        )
        if run.excluded_count:
            out.write(f"left out, marked not a duplicate: {run.excluded_count}")
        for note in run.notes:
            out.write(f"note: {note}")
        rows = [
            [r.group, r.public_id_a, r.name_a, r.public_id_b, r.name_b, f"{r.probability:.1%}"]
            for r in itertools.islice(duplicate_pair_rows(actor=actor, run=run), SHOWN_PAIRS)
        ]
        if rows:
            headers = ["group", "a", "name a", "b", "name b", "likelihood"]
            out.write(render_table(headers, rows), ending="")
            if run.pairs_count > SHOWN_PAIRS:
                out.write(f"… {run.pairs_count - SHOWN_PAIRS} more pairs")
            out.write(f"Export them all with: peyvand duplicates export FILE --run {run.public_id}")
        else:
            out.write("No likely duplicates. Lower --threshold to see weaker candidates.")

    def _export(self, actor, path: str, public_id: str | None) -> None:
        if public_id:
            run = duplicate_run_get_for_user(actor=actor, public_id=public_id)
            if run.status != DuplicateRunStatus.DONE:
                raise CommandError(f"--run: run {run.public_id} is {run.status}, not done.")
        else:
            run = duplicate_run_latest(actor=actor)
            if run is None:
                raise CommandError("No finished run yet. Start one with: peyvand duplicates find")
        count = 0
        # UTF-8 with a BOM, so Excel reads Persian names; every cell formula-safe.
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(PAIR_ROW_HEADERS)
            for row in duplicate_pair_rows(actor=actor, run=run):
                values = (getattr(row, name) for name in PAIR_ROW_HEADERS)
                writer.writerow([csv_safe(v) if isinstance(v, str) else v for v in values])
                count += 1
        self.stdout.write(f"wrote {count} pairs of run {run.public_id} to {path}")
