"""One streaming pass over an import file: the check (dry run) and the import itself.

Rows are read, normalised (in forked worker processes for large files) and handed to
``write.ImportBatch`` in batches of ``BATCH_ROWS``. Each batch commits in ONE transaction
together with the job's progress (rows done, last row number, counts):

* ``run_check`` writes only row errors, counts and a preview — nothing reaches the customer
  tables. Run again after a crash, it starts over.
* ``run_apply`` writes the customer tables. A killed import keeps whole batches — never a
  contact without its emails, phones or history — and running it again continues after the
  last committed row, replaying the rows before it (normalised, not written) so the file's own
  duplicates are still recognised.
"""

import ctypes
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from peyvand.accounts.models import User
from peyvand.accounts.selectors import user_choices
from peyvand.customers.imports.bulk import tune_for_bulk
from peyvand.customers.imports.readers import ImportFileError, open_source
from peyvand.customers.imports.rows import RowContext, RowResult, normalize_row
from peyvand.customers.imports.write import BatchCounts, ImportBatch, PreparedBatch
from peyvand.customers.models import (
    CustomFieldDefinition,
    ImportJob,
    ImportRowError,
    ImportStatus,
)
from peyvand.customers.search_index import FTS_MERGE_DEFAULTS, TABLES, sqlite_fts_merging

BATCH_ROWS = 10_000
# rows a transaction of the writer thread holds before it commits, per database (default: one
# batch), and how long at most it holds SQLite's write lock (see _Writer._write_in_group)
COMMIT_ROWS = {"sqlite": 30_000}
COMMIT_SECONDS = 1.5
CHUNK_ROWS = 2_000
PARALLEL_FROM_ROWS = 50_000
IMPORT_GC_THRESHOLD = (100_000, 50, 1000)
WORKER_NICENESS = 10
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_GC_LOCK = threading.Lock()
_GC_STATE: dict = {"imports": 0, "previous": None}
_WORKER_CONTEXT: dict = {}


class ImportCancelled(Exception):
    pass


class ImportSuperseded(Exception):
    """Another run of the same job (a resume started twice) has written past this one."""


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
        # in the file's column order (PostgreSQL's jsonb keeps keys sorted, not as saved): the
        # first email/phone column gives the primary one, and errors follow the columns
        mapping={header: job.mapping.get(header, "") for header in job.headers},
        definitions=definitions,
        owners=owners,
        default_owner_id=actor.pk,
        default_team_id=first_team.pk if first_team else None,
        owner_teams=owner_teams,
    )


def import_workers(rows_estimate: int) -> int:
    """Processes that normalise rows: 1 for small files, else PEYVAND_IMPORT_WORKERS (default:
    the machine's cores, at most 4) — the parent decides and writes meanwhile."""
    configured = settings.PEYVAND_IMPORT_WORKERS
    if configured:
        return max(1, configured)
    if rows_estimate < PARALLEL_FROM_ROWS:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _normalize_chunk(chunk: list[tuple[int, dict]]) -> tuple[list[RowResult], dict[int, dict]]:
    """A chunk's results, and the raw rows of those with errors (for the error report)."""
    ctx = _WORKER_CONTEXT["ctx"]
    results, raws = [], {}
    for number, raw in chunk:
        result = normalize_row(number, raw, ctx)
        results.append(result)
        if result.errors:
            raws[number] = raw
    return results, raws


def _chunk_results(future) -> Iterator[tuple[RowResult, dict | None]]:
    results, raws = future.result()
    for result in results:
        yield result, raws.get(result.row_number)


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when the import that forked it dies, even by SIGKILL: a killed import
    otherwise left its workers blocked on the task queue for good (~100 MB each).

    On Linux the kernel sends the signal (PR_SET_PDEATHSIG; strictly it follows the parent's
    thread that forked, which here lives until the pool is shut down). A parent that died
    before the request was made is seen by the changed parent pid."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        os._exit(1)


def _remember_context(ctx: RowContext, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    _WORKER_CONTEXT["ctx"] = ctx
    gc.set_threshold(*IMPORT_GC_THRESHOLD)  # a worker lives for one import
    # The writer thread is the import's critical path; the workers only fill the queue ahead
    # of it, and with two cores they took CPU from it (1M rows on SQLite: 84 → 74 s). The
    # web server's own processes keep their priority over them too.
    os.nice(WORKER_NICENESS)


@contextmanager
def lean_gc() -> Iterator[None]:
    """Collect cycles rarely while an import runs.

    An import allocates millions of short-lived containers (rows, records, tuples) and keeps a
    few large ones (the keys seen so far); with the default thresholds the cyclic collector
    ran every 700 allocations and walked the live heap again and again — a third of the time
    of normalising a row, five times the cost of unpickling one (measured in decision 0009).
    The objects alive before the import are frozen out of the collections, and the old
    thresholds come back afterwards."""
    with _GC_LOCK:  # imports running side by side in one process: the last one restores
        if not _GC_STATE["imports"]:
            _GC_STATE["previous"] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*IMPORT_GC_THRESHOLD)
        _GC_STATE["imports"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["imports"] -= 1
            if not _GC_STATE["imports"]:
                gc.set_threshold(*_GC_STATE["previous"])
                gc.unfreeze()


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
        initializer=_remember_context, initargs=(ctx, os.getpid()),
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
                    yield from _chunk_results(pending.popleft())
        if chunk:
            pending.append(pool.submit(_normalize_chunk, chunk))
        while pending:
            yield from _chunk_results(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_check(job: ImportJob, *, on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """The dry run: every row normalised and checked, duplicates decided, nothing written but
    the row errors, the counts and a preview. Starts over when run again."""
    _start_over(job, ImportStatus.CHECKING, preview=[])
    return _run(job, dry_run=True, on_batch=on_batch, done=ImportStatus.CHECKED)


def import_reset_for_apply(job: ImportJob) -> None:
    """Start an import from the first row (a job that was only checked, or not even that)."""
    _start_over(job, ImportStatus.APPLYING)


def _start_over(job: ImportJob, status: str, **fields) -> None:
    """Put ``job`` at the first row of a phase: no row errors, every count at zero."""
    ImportRowError.objects.filter(job=job).delete()
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, phase_started_at=timezone.now(), message="", rows_checked=0,
        last_row_number=0, rows_valid=0, rows_error=0, rows_created=0, rows_updated=0,
        rows_skipped=0, **fields,
    )  # fmt: skip
    job.refresh_from_db()


def run_apply(job: ImportJob, *, on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Write the rows, batch by batch; continues after the last committed batch of an
    interrupted run (``job.last_row_number``)."""
    if job.status != ImportStatus.APPLYING:
        import_reset_for_apply(job)
    else:
        ImportJob.objects.filter(pk=job.pk).update(phase_started_at=timezone.now(), message="")
        job.refresh_from_db()
    job = _run(job, dry_run=False, on_batch=on_batch, done=ImportStatus.DONE)
    if job.status == ImportStatus.DONE:
        _analyze()
    return job


def _run(job: ImportJob, *, dry_run: bool, on_batch, done: str) -> ImportJob:
    try:
        _source, rows = open_source(Path(job.file_path), job.original_name)
    except ImportFileError as exc:
        return _fail(job, str(exc))
    ctx = build_context(job)
    state = ImportBatch.for_job(job, dry_run=dry_run)
    state.snapshot_keys()
    resume_after = job.last_row_number
    workers = import_workers(max(job.rows_estimate, 0))
    batch: list[RowResult] = []
    raws: dict[int, dict] = {}
    writer = _Writer(state, on_batch, threaded=not connection.in_atomic_block)
    try:
        with lean_gc(), writer:
            for result, raw in _results(rows, ctx, workers):
                if result.row_number <= resume_after:
                    state.remember(result)  # handled by the interrupted run
                    continue
                batch.append(result)
                if raw is not None:
                    raws[result.row_number] = raw
                if len(batch) >= BATCH_ROWS:
                    writer.put(batch, raws)
                    batch, raws = [], {}
            if batch:
                writer.put(batch, raws, last=True)
    except ImportFileError as exc:
        return _fail(job, str(exc))
    except (ImportCancelled, ImportSuperseded):
        job.refresh_from_db()
        return job
    fields = {"status": done, "finished_at": timezone.now()}
    if dry_run:
        fields["preview"] = state.preview
    ImportJob.objects.filter(pk=job.pk, cancel_requested=False).update(**fields)
    job.refresh_from_db()  # a check cancelled during its last batch stays cancelled
    return job


class _Writer:
    """Commits batches in a thread of its own while this one reads and normalises the next.

    The database drivers release the GIL while SQLite executes a statement or PostgreSQL
    answers, so the writing overlaps with the Python work of reading and normalising, without
    copying rows between processes. With the key snapshot (large files) this thread also
    decides each batch and lays out its rows before handing it over (``ImportBatch.prepare``);
    the writer only draws ids, writes and commits. At most two batches wait, so memory stays
    flat. An error in the writer (a cancel, a database error) stops the reading at the next
    batch and is raised here. Inside an open transaction (tests) batches are written in this
    thread: another connection could not see that transaction's rows."""

    def __init__(self, state: ImportBatch, on_batch, *, threaded: bool):
        self.state, self.on_batch, self.threaded = state, on_batch, threaded
        # a check writes no customer rows: its progress commits batch by batch
        grouped = not state.dry_run and connection.vendor in COMMIT_ROWS
        self.commit_rows = COMMIT_ROWS[connection.vendor] if grouped else BATCH_ROWS
        self.group: transaction.Atomic | None = None
        self.group_rows, self.group_started = 0, 0.0
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def __enter__(self) -> "_Writer":
        if self.threaded:
            self.thread = threading.Thread(target=self._loop, name="import-writer", daemon=True)
            self.thread.start()
        return self

    def put(self, batch: list[RowResult], raws: dict, *, last: bool = False) -> None:
        if not self.threaded:
            self._write(batch, raws, None, last)
            return
        if self.error is not None:
            raise self.error
        # decided and laid out here, while the writer writes the batch before (its statements
        # leave the GIL free): about a fifth of the writer's time at 1M rows (decision 0010)
        prepared = self.state.prepare(batch, raws) if self.state.pipelined else None
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put((batch, raws, prepared, last), timeout=0.2)
                return
            except queue.Full:
                continue

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.thread is None:
            return
        self.queue.put(None)  # the writer drains what is queued, then stops (or has stopped)
        self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error

    def _loop(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    self._write(*item)
            self._end_group(None)  # what is left of the last group (the file ended early)
        except BaseException as exc:  # handed to the reading thread
            self.error = exc
            while self.queue.get() is not None:  # unblock the reader until it stops
                pass
        finally:
            connections.close_all()  # this thread's own connection

    def _write(self, batch: list[RowResult], raws: dict, prepared: PreparedBatch | None,
               last: bool) -> None:  # fmt: skip
        if not self.threaded:
            _commit(self.state, batch, raws, prepared)
        else:
            self._write_in_group(batch, raws, prepared, last)
        if self.on_batch and not last:
            self.on_batch(self.state.job)

    def _write_in_group(self, batch, raws, prepared, last: bool) -> None:
        """Write a batch in the open transaction, which commits every ``commit_rows`` rows (a
        batch after ``COMMIT_SECONDS``, and at the end of the file).

        SQLite appends every page a transaction dirtied to its WAL when it commits; a batch
        touches pages all over the email, phone, ID and FTS indexes, so committing three
        batches at once wrote those pages a third as often (1M rows: COMMIT 10.7 → 6.6 s and
        the inserts faster too, decision 0010). The time limit keeps the write lock short
        for the web's own saves, which wait for it."""
        if self.group is None:
            self.group = transaction.atomic()
            self.group.__enter__()
            self.group_rows, self.group_started = 0, time.monotonic()
        try:
            _write_batch(self.state, batch, raws, prepared)
        except (ImportCancelled, ImportSuperseded):
            self._end_group(None)  # raised before the batch wrote anything: keep the others
            raise
        except BaseException as exc:
            self._end_group(exc)
            raise
        self.group_rows += len(batch)
        if (last or self.group_rows >= self.commit_rows
                or time.monotonic() - self.group_started >= COMMIT_SECONDS):  # fmt: skip
            self._end_group(None)

    def _end_group(self, error: BaseException | None) -> None:
        """Commit the open transaction, or roll it back when ``error`` stopped it."""
        group, self.group = self.group, None
        if group is not None:
            if error is None:
                group.__exit__(None, None, None)
            else:
                group.__exit__(type(error), error, error.__traceback__)


def _commit(
    state: ImportBatch, batch: list[RowResult], raws: dict, prepared: PreparedBatch | None = None
) -> None:
    """Write one batch in a transaction of its own."""
    with transaction.atomic():
        _write_batch(state, batch, raws, prepared)


def _write_batch(
    state: ImportBatch, batch: list[RowResult], raws: dict, prepared: PreparedBatch | None
) -> None:
    """Write one batch and the job's progress, in the open transaction."""
    job = state.job
    # the job's row stays locked until the batch commits: two runs of one job (a resume
    # pressed twice) take turns, and the one that finds the other ahead of it stops
    cancelled, last_row = (
        ImportJob.objects.select_for_update()
        .values_list("cancel_requested", "last_row_number")
        .get(pk=job.pk)
    )
    if cancelled:
        raise ImportCancelled
    if last_row != job.last_row_number:
        raise ImportSuperseded
    tune_for_bulk()
    counts: BatchCounts = (
        state.apply(prepared) if prepared is not None else state.handle(batch, raws)
    )
    job.rows_checked += len(batch)
    job.last_row_number = batch[-1].row_number
    job.rows_valid += counts.valid
    job.rows_error += counts.error
    job.rows_created += counts.create
    job.rows_updated += counts.update
    job.rows_skipped += counts.skip
    ImportJob.objects.filter(pk=job.pk).update(
        rows_checked=job.rows_checked, last_row_number=job.last_row_number,
        rows_valid=job.rows_valid, rows_error=job.rows_error,
        rows_created=job.rows_created, rows_updated=job.rows_updated,
        rows_skipped=job.rows_skipped,
    )  # fmt: skip


def _fail(job: ImportJob, message: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _analyze() -> None:
    """Merge the trigram indexes' pending lists and refresh the planner statistics after a
    bulk load, so searches stay on their indexes."""
    tables = ["customers_contact", "customers_contactemail", "customers_contactphone",
              "customers_organization"]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for index in ("customers_contact_search_trgm", "customers_organization_search_trgm"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE " + ", ".join(tables))
        elif connection.vendor == "sqlite":
            with transaction.atomic():  # the FTS5 merge options an import set while it wrote
                for table in TABLES:
                    sqlite_fts_merging(cursor, table, FTS_MERGE_DEFAULTS)
            cursor.execute("PRAGMA optimize")
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0] == "wal" and not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")  # what the import left there
