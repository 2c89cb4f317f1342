"""Reads on imports: the job (its owner or an admin only), preview rows, the error report."""

import json
from collections.abc import Iterator

from django.db.models import QuerySet

from peyvand.accounts.models import User
from peyvand.common.cli import csv_safe
from peyvand.common.errors import NotFound
from peyvand.customers.models import ImportJob, ImportMapping, ImportRowError, ImportStagedRow


def import_job_get_for_user(*, actor: User, public_id: str) -> ImportJob:
    job = ImportJob.objects.filter(public_id=public_id).select_related("created_by").first()
    if job is None or (job.created_by_id != actor.pk and not actor.is_admin):
        raise NotFound("No such import.")
    return job


def import_job_list(*, actor: User, limit: int = 20) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("created_by")
    if not actor.is_admin:
        jobs = jobs.filter(created_by=actor)
    return jobs.order_by("-id")[:limit]


def import_mapping_list(*, actor: User, entity: str) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(entity=entity)


def import_preview(*, job: ImportJob, limit: int = 20) -> list[ImportStagedRow]:
    """The first checked rows exactly as they will be stored."""
    return list(ImportStagedRow.objects.filter(job=job).order_by("row_number")[:limit])


def import_action_counts(*, job: ImportJob) -> dict[str, int]:
    from django.db.models import Count

    rows = ImportStagedRow.objects.filter(job=job).values("action").annotate(n=Count("id"))
    counts = {"create": 0, "update": 0, "skip": 0}
    counts.update({row["action"]: row["n"] for row in rows})
    return counts


def import_errors(*, job: ImportJob, limit: int = 200) -> list[ImportRowError]:
    return list(ImportRowError.objects.filter(job=job).order_by("row_number", "id")[:limit])


def import_errors_csv_rows(job: ImportJob) -> Iterator[list[str]]:
    """The error report: the original row, then the row number, column and reason."""
    headers = list(job.headers)
    yield [csv_safe(h) for h in [*headers, "row", "column", "reason"]]
    errors = ImportRowError.objects.filter(job=job).order_by("row_number", "id")
    for error in errors.iterator(chunk_size=2000):
        raw = error.raw if isinstance(error.raw, dict) else json.loads(error.raw or "{}")
        yield [csv_safe(raw.get(h, "")) for h in headers] + [
            str(error.row_number), csv_safe(error.column), csv_safe(error.reason),
        ]  # fmt: skip
