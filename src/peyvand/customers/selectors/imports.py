"""Reads on imports: the job (its owner or an admin only), preview rows, the error report."""

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import User
from peyvand.common.bidi import without_isolates
from peyvand.common.cli import csv_safe
from peyvand.common.errors import NotFound
from peyvand.customers.models import ImportJob, ImportMapping, ImportRowError, ImportTouchedRange

# Up to this many ranges the filter is a list of id ranges (index range scans on the
# primary key); beyond it, a correlated lookup in the ranges table.
TOUCHED_RANGES_INLINE = 200


def import_job_get_for_user(*, actor: User, public_id: str) -> ImportJob:
    job = ImportJob.objects.filter(public_id=public_id).select_related("created_by").first()
    if job is None or not (job.created_by_id == actor.pk or can(actor, Capability.JOBS_VIEW_ALL)):
        raise NotFound("No such import.")
    return job


def import_job_list(*, actor: User, limit: int = 20) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("created_by")
    if not can(actor, Capability.JOBS_VIEW_ALL):
        jobs = jobs.filter(created_by=actor)
    return jobs.order_by("-id")[:limit]


def import_mapping_list(*, actor: User, entity: str) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(entity=entity)


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    display_name: str
    primary_phone: str
    primary_email: str
    national_id: str
    birth_date: dt.date | None
    action: str
    same_as_row: int | None = None  # the earlier row of the same file this row repeats
    match: str | None = None  # public id of the existing record this row matches


def import_preview(*, job: ImportJob, limit: int = 20) -> list[PreviewRow]:
    """The first checked rows exactly as they will be stored, with what will happen to each."""
    rows = []
    for item in (job.preview or [])[:limit]:
        birth = item.get("birth_date")
        rows.append(PreviewRow(
            row_number=item["row_number"], display_name=item.get("display_name", ""),
            primary_phone=item.get("primary_phone", ""),
            primary_email=item.get("primary_email", ""),
            national_id=item.get("national_id", ""),
            birth_date=dt.date.fromisoformat(birth) if birth else None,
            action=item.get("action", "create"),
            same_as_row=item.get("same_as_row"), match=item.get("match"),
        ))  # fmt: skip
    return rows


def import_action_counts(*, job: ImportJob) -> dict[str, int]:
    """Rows the import creates, updates and skips (after a dry run: would)."""
    return {"create": job.rows_created, "update": job.rows_updated, "skip": job.rows_skipped}


def import_errors(*, job: ImportJob, limit: int = 200) -> list[ImportRowError]:
    return list(ImportRowError.objects.filter(job=job).order_by("row_number", "id")[:limit])


def import_errors_csv_rows(job: ImportJob, *, machine_headers: bool = False) -> Iterator[list[str]]:
    """The error report: the original row, then the row number, column and reason. The three
    added headers are in the language active now (the reader's; ``row``, ``column``,
    ``reason`` with ``machine_headers``, as the CLI writes them), not when rows are streamed;
    no bidi isolates in the cells (common.bidi)."""
    headers = list(job.headers)
    added = ["row", "column", "reason"]
    if not machine_headers:
        added = [_("Row"), _("Column"), _("Problem")]
    return itertools.chain([[csv_safe(h) for h in [*headers, *added]]], _error_rows(job, headers))


def _error_rows(job: ImportJob, headers: list[str]) -> Iterator[list[str]]:
    errors = ImportRowError.objects.filter(job=job).order_by("row_number", "id")
    for error in errors.iterator(chunk_size=2000):
        raw = error.raw if isinstance(error.raw, dict) else json.loads(error.raw or "{}")
        yield [csv_safe(raw.get(h, "")) for h in headers] + [
            str(error.row_number), csv_safe(error.column),
            csv_safe(without_isolates(error.reason)),
        ]  # fmt: skip


def import_touched_q(*, job_public_id: str) -> Q:
    """The records an import (its public id) created or updated, as a filter on their ids;
    matches nothing for an unknown job or a dry run."""
    ranges = ImportTouchedRange.objects.filter(job__public_id=job_public_id)
    inline = list(ranges.values_list("first_id", "last_id")[: TOUCHED_RANGES_INLINE + 1])
    if len(inline) > TOUCHED_RANGES_INLINE:
        job_ranges = ranges.filter(first_id__lte=OuterRef("pk"), last_id__gte=OuterRef("pk"))
        return Q(Exists(job_ranges))
    condition = Q(pk__in=[])
    for first, last in inline:
        condition |= Q(pk=first) if first == last else Q(pk__range=(first, last))
    return condition
