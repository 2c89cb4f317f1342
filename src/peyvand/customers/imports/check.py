"""Phase 1 of an import: read, normalise and validate every row into the staging tables.

Commits every ``BATCH_ROWS`` rows together with the job's progress, so a crash loses at most
one batch and ``import_check`` continues after the last committed row when run again.
"""

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.db import connection, connections, transaction
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.accounts.selectors import user_choices
from peyvand.common.models import new_public_ids
from peyvand.common.typos import typo_words
from peyvand.customers.imports.bulk import bulk_insert, execute, tune_for_bulk
from peyvand.customers.imports.readers import ImportFileError, open_source
from peyvand.customers.imports.rows import RowContext, RowResult, normalize_row
from peyvand.customers.models import (
    CustomFieldDefinition,
    ImportJob,
    ImportRowError,
    ImportStagedRow,
    ImportStagedValue,
    ImportStatus,
)
from peyvand.customers.services.search_words import search_words_add

BATCH_ROWS = 10_000
CHUNK_ROWS = 2_000
PARALLEL_FROM_ROWS = 50_000
_WORKER_CONTEXT: dict = {}
STAGED_COLUMNS = [
    "job_id", "row_number", "action", "public_id", "given_name", "family_name", "display_name",
    "national_id", "birth_date", "lifecycle_stage", "acquisition_source", "country", "notes",
    "owner_id", "team_id", "external_id", "primary_email", "primary_phone", "organization",
    "job_title", "address", "city", "province", "postal_code", "search_document", "website",
    "industry", "duplicate_of_row",
]  # fmt: skip
VALUE_COLUMNS = ["job_id", "row_number", "public_id", "kind", "position", "value",
                 "definition_id", "columns"]  # fmt: skip
ERROR_COLUMNS = ["job_id", "row_number", "column", "value", "reason", "raw"]
IDENTITY_KEYS = ("primary_email", "primary_phone", "national_id", "external_id")


class ImportCancelled(Exception):
    pass


def build_context(job: ImportJob) -> RowContext:
    actor: User = job.created_by
    definitions = {
        d.key: d for d in CustomFieldDefinition.objects.filter(entity=job.entity, is_active=True)
    }
    owners = {u.username: u.pk for u in user_choices(actor=actor)}
    first_team = actor.teams.order_by("name").first()
    owner_teams = {}
    if owners:
        for user in User.objects.filter(pk__in=owners.values()).prefetch_related("teams"):
            teams = sorted(user.teams.all(), key=lambda t: t.name)
            if first_team is not None and any(t.pk == first_team.pk for t in teams):
                owner_teams[user.pk] = first_team.pk
            else:
                owner_teams[user.pk] = teams[0].pk if teams else None
    return RowContext(
        entity=job.entity,
        mapping=job.mapping,
        definitions=definitions,
        owners=owners,
        default_owner_id=actor.pk,
        default_team_id=first_team.pk if first_team else None,
        owner_teams=owner_teams,
    )


def _staged_row(job_id: int, record: dict, duplicate_of: int | None) -> tuple:
    name = record.get("display_name") or record.get("name", "")
    return (
        job_id, record["row_number"], "create", record["public_id"],
        record.get("given_name", ""), record.get("family_name", ""), name,
        record["national_id"], record["birth_date"], record["lifecycle_stage"],
        record["acquisition_source"], record["country"], record["notes"], record["owner_id"],
        record["team_id"], record["external_id"], record["primary_email"],
        record["primary_phone"], record["organization"], record["job_title"], record["address"],
        record["city"], record["province"], record["postal_code"], record["search_document"],
        record["website"], record["industry"], duplicate_of,
    )  # fmt: skip


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _flush(job: ImportJob, results: list[RowResult], raws: dict, seen: dict, stats: dict) -> None:
    staged, values, errors = [], [], []
    public_ids = iter(new_public_ids(len(results)))
    for result in results:
        if result.errors:
            raw = raws.get(result.row_number, {})
            errors += [
                (job.pk, result.row_number, column, value, reason, _json(raw))
                for column, value, reason in result.errors
            ]
            stats["error"] += 1
            continue
        record = result.record
        record["public_id"] = next(public_ids)
        duplicate_of = None
        for key in IDENTITY_KEYS:
            value = record.get(key)
            if value:
                first = seen.setdefault(f"{key}:{value}", record["row_number"])
                if first != record["row_number"] and duplicate_of is None:
                    duplicate_of = first
        staged.append(_staged_row(job.pk, record, duplicate_of))
        values += [
            (job.pk, record["row_number"], record["public_id"], kind, position, value,
             definition_id, _json(columns))
            for kind, position, value, definition_id, columns in result.values
        ]  # fmt: skip
        stats["valid"] += 1
    new_words = set()
    for result in results:
        if result.record is not None:
            new_words |= typo_words(result.record["name_key"])
    new_words -= stats["words"]
    stats["words"] |= new_words
    search_words_add(new_words)  # an index of names, not customer data (see common.typos)
    bulk_insert(ImportStagedRow._meta.db_table, STAGED_COLUMNS, staged)
    bulk_insert(ImportStagedValue._meta.db_table, VALUE_COLUMNS, values)
    bulk_insert(ImportRowError._meta.db_table, ERROR_COLUMNS, errors)


def _rebuild_seen(job: ImportJob) -> dict[str, int]:
    seen: dict[str, int] = {}
    rows = ImportStagedRow.objects.filter(job=job).order_by("row_number")
    for row in rows.values_list("row_number", *IDENTITY_KEYS).iterator(chunk_size=10_000):
        number, *keys = row
        for name, value in zip(IDENTITY_KEYS, keys, strict=True):
            if value:
                seen.setdefault(f"{name}:{value}", number)
    return seen


def import_workers(rows_estimate: int) -> int:
    """Processes that normalise rows: 1 for small files, else PEYVAND_IMPORT_WORKERS (default:
    the machine's cores, at most 4) — the parent reads, stages and commits meanwhile."""
    configured = os.environ.get("PEYVAND_IMPORT_WORKERS")
    if configured:
        return max(1, int(configured))
    if rows_estimate < PARALLEL_FROM_ROWS:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _normalize_chunk(chunk: list[tuple[int, dict]]) -> list[tuple[RowResult, dict | None]]:
    ctx = _WORKER_CONTEXT["ctx"]
    results = []
    for number, raw in chunk:
        result = normalize_row(number, raw, ctx)
        results.append((result, raw if result.errors else None))
    return results


def _remember_context(ctx: RowContext) -> None:
    _WORKER_CONTEXT["ctx"] = ctx


def _results(rows, ctx: RowContext, workers: int) -> Iterator[tuple[RowResult, dict | None]]:
    """Normalised rows in file order; with several workers, chunks run in forked processes
    (at most a few chunks in flight, so memory stays flat on any file size)."""
    if workers <= 1 or connection.in_atomic_block:
        for number, raw in rows:
            result = normalize_row(number, raw, ctx)
            yield result, raw if result.errors else None
        return
    connections.close_all()  # a forked child must not share the parent's database socket
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"),
        initializer=_remember_context, initargs=(ctx,),
    )  # fmt: skip
    pending: deque = deque()
    try:
        chunk: list[tuple[int, dict]] = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK_ROWS:
                pending.append(pool.submit(_normalize_chunk, chunk))
                chunk = []
                while len(pending) > workers * 2:
                    yield from pending.popleft().result()
        if chunk:
            pending.append(pool.submit(_normalize_chunk, chunk))
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_check(job: ImportJob, *, on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Check the whole file (or continue a check a crash interrupted)."""
    path = Path(job.file_path)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, phase_started_at=timezone.now(), message=""
    )
    job.refresh_from_db()
    try:
        _source, rows = open_source(path, job.original_name)
    except ImportFileError as exc:
        return _fail(job, str(exc))
    ctx = build_context(job)
    resume_after = job.last_row_number
    seen = _rebuild_seen(job) if resume_after else {}
    stats = {"valid": job.rows_valid, "error": job.rows_error, "words": set()}
    batch: list[RowResult] = []
    raws: dict[int, dict] = {}
    checked = job.rows_checked
    pending_rows = ((n, raw) for n, raw in rows if n > resume_after)
    workers = import_workers(max(job.rows_estimate - job.rows_checked, 0))
    try:
        for result, raw in _results(pending_rows, ctx, workers):
            batch.append(result)
            if raw is not None:
                raws[result.row_number] = raw
            checked += 1
            if len(batch) >= BATCH_ROWS:
                _commit_batch(job, batch, raws, seen, stats, checked, result.row_number)
                batch, raws = [], {}
                if on_batch:
                    on_batch(job)
        if batch:
            _commit_batch(job, batch, raws, seen, stats, checked, batch[-1].row_number)
    except ImportFileError as exc:
        return _fail(job, str(exc))
    except ImportCancelled:
        return job
    _decide_actions(job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKED)
    job.refresh_from_db()
    return job


def _commit_batch(job, batch, raws, seen, stats, checked, last_row) -> None:
    if ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise ImportCancelled
    with transaction.atomic():
        tune_for_bulk()
        _flush(job, batch, raws, seen, stats)
        ImportJob.objects.filter(pk=job.pk).update(
            rows_checked=checked,
            last_row_number=last_row,
            rows_valid=stats["valid"],
            rows_error=stats["error"],
        )
    job.rows_checked, job.last_row_number = checked, last_row
    job.rows_valid, job.rows_error = stats["valid"], stats["error"]


def _fail(job: ImportJob, message: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _decide_actions(job: ImportJob) -> None:
    """Match staged rows to existing customers by identity key and apply the duplicate policy."""
    staged = ImportStagedRow._meta.db_table
    if job.entity == "contact":
        lookups = [
            ("primary_email", "SELECT MIN(contact_id) FROM customers_contactemail t "
                              "WHERE t.email = {s}.primary_email"),
            ("primary_phone", "SELECT MIN(contact_id) FROM customers_contactphone t "
                              "WHERE t.number = {s}.primary_phone"),
            ("national_id", "SELECT MIN(id) FROM customers_contact t "
                            "WHERE t.national_id = {s}.national_id"),
            ("external_id", "SELECT MIN(id) FROM customers_contact t "
                            "WHERE t.external_id = {s}.external_id"),
        ]  # fmt: skip
    else:
        lookups = [
            ("primary_email", "SELECT MIN(id) FROM customers_organization t "
                              "WHERE t.email = {s}.primary_email"),
            ("primary_phone", "SELECT MIN(id) FROM customers_organization t "
                              "WHERE t.phone = {s}.primary_phone"),
            ("national_id", "SELECT MIN(id) FROM customers_organization t "
                            "WHERE t.national_id = {s}.national_id"),
            ("external_id", "SELECT MIN(id) FROM customers_organization t "
                            "WHERE t.external_id = {s}.external_id"),
        ]  # fmt: skip
    matches = ", ".join(
        f"CASE WHEN {column} <> '' THEN ({subquery.format(s=staged)}) END"
        for column, subquery in lookups
    )
    policy = {
        "skip": "CASE WHEN match_id IS NOT NULL OR duplicate_of_row IS NOT NULL THEN 'skip' "
                "ELSE 'create' END",
        "update": "CASE WHEN match_id IS NOT NULL THEN 'update' "
                  "WHEN duplicate_of_row IS NOT NULL THEN 'skip' ELSE 'create' END",
    }.get(job.on_duplicate, "'create'")  # fmt: skip
    with transaction.atomic():
        tune_for_bulk()
        # one pass for the match (first identity key that finds a record), one for the few
        # rows whose action is not the default: each UPDATE pass rewrites every row it touches
        execute(f"UPDATE {staged} SET match_id = COALESCE({matches}) WHERE job_id = %s",
                [job.pk])  # fmt: skip
        execute(
            f"UPDATE {staged} SET action = {policy} WHERE job_id = %s AND (action <> 'create' "
            "OR match_id IS NOT NULL OR duplicate_of_row IS NOT NULL)",
            [job.pk],
        )
