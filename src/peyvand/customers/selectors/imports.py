"""Reads on imports: the job (its owner or an admin only), preview rows, the error report."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from peyvand.accounts.models import User
from peyvand.common.cli import csv_safe
from peyvand.common.errors import NotFound
from peyvand.customers.models import ImportJob, ImportMapping, ImportRowError


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


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    display_name: str
    primary_phone: str
    primary_email: str
    national_id: str
    birth_date: dt.date | None
    action: str


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
        ))  # fmt: skip
    return rows


def import_action_counts(*, job: ImportJob) -> dict[str, int]:
    """Rows the import creates, updates and skips (after a dry run: would)."""
    return {"create": job.rows_created, "update": job.rows_updated, "skip": job.rows_skipped}


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
