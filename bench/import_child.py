"""One import measurement: ``peyvand import contacts FILE --user USER`` in a fresh process.

Runs the real management command (``import_job_create`` then ``import_job_run_now`` with
``apply=True``) and counts, without changing what it does:

* write transactions — commits of outermost ``atomic`` blocks, plus writes in autocommit mode
  (each is its own transaction), split into those that touch only the job's own row
  (bookkeeping: status and progress) and those that write rows;
* the time of the pass, of its batch transactions and of their parts (preparing a batch and
  its duplicate decision, writing it and its contacts).

The parent measures wall time and peak RSS (``os.wait4``) of this process.

    python -m bench.import_child FILE USER OUT.json [--profile OUT.prof]
"""

import cProfile
import io
import json
import os
import sys
import threading
import time


def main() -> None:
    path, username, out = sys.argv[1:4]
    profile_path = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--profile" else None
    process_started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.backends.signals import connection_created

    import peyvand.customers.imports.pipeline as pipeline_module
    import peyvand.customers.imports.write as write_module
    from peyvand.customers.models import ImportJob

    counts = {"data_commits": 0, "bookkeeping_commits": 0, "autocommit_data_writes": 0,
              "autocommit_bookkeeping_writes": 0, "statements": 0}  # fmt: skip
    # per connection: the import writes from a thread of its own, with its own connection
    transaction_writes: dict[int, dict[str, bool]] = {}
    lock = threading.Lock()
    job_table = ImportJob._meta.db_table

    def writes_of(db) -> dict[str, bool]:
        return transaction_writes.setdefault(id(db), {"data": False, "any": False})

    def classify(sql: str) -> str | None:
        head = sql.lstrip()[:6].upper()
        if head not in {"INSERT", "UPDATE", "DELETE"}:
            return None
        return (
            "bookkeeping"
            if f'"{job_table}"' in sql[:80] or f" {job_table} " in sql[:80]
            else "data"
        )

    statement_seconds: dict[str, float] = {}

    def note_time(label: str, seconds: float) -> None:
        with lock:
            statement_seconds[label] = statement_seconds.get(label, 0.0) + seconds

    def note_write(db, kind: str) -> None:
        with lock:
            if db.in_atomic_block:
                writes = writes_of(db)
                writes["any"] = True
                writes["data"] |= kind == "data"
            else:
                counts[f"autocommit_{kind}_writes"] += 1

    def wrapper(execute, sql, params, many, context):
        with lock:
            counts["statements"] += 1
        kind = classify(sql)
        if kind is not None:
            note_write(context["connection"], kind)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = " ".join(sql.split())[:90] + (" [executemany]" if many else "")
            note_time(label, time.perf_counter() - started)

    # every connection, in every thread: the wrapper on each, commits counted on the class
    def wrap_connection(sender, connection, **kwargs):
        if wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(wrapper)

    connection_created.connect(wrap_connection, weak=False)
    wrap_connection(None, connections["default"])
    wrapper_class = type(connections["default"])
    original_commit = wrapper_class.commit

    def counting_commit(self):
        with lock:
            writes = writes_of(self)
            if writes["any"]:
                counts["data_commits" if writes["data"] else "bookkeeping_commits"] += 1
            writes.update(data=False, any=False)
        started = time.perf_counter()
        try:
            return original_commit(self)
        finally:  # SQLite: the WAL append (and a checkpoint); PostgreSQL: deferred FK checks
            note_time("COMMIT", time.perf_counter() - started)

    wrapper_class.commit = counting_commit  # Atomic.__exit__ of the outermost block calls it

    # bulk_insert goes to the driver directly, past execute_wrapper (PostgreSQL's COPY,
    # SQLite's multi-row INSERTs): note it here.
    original_bulk_insert = write_module.bulk_insert

    def noting_bulk_insert(table, columns, rows):
        started = time.perf_counter()
        written = original_bulk_insert(table, columns, rows)
        if connection.vendor == "postgresql":
            label = f"COPY {table} FROM STDIN"
        else:
            label = f"INSERT INTO {table} VALUES (…), (…) [multi-row]"  # noqa: S608 - a label
        note_time(label, time.perf_counter() - started)
        if written:
            note_write(connections["default"], "data")  # this thread's connection
        return written

    write_module.bulk_insert = noting_bulk_insert

    phases: dict[str, float] = {}

    def timed(module, name, label=None):
        original = getattr(module, name)
        label = label or name

        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label] = phases.get(label, 0.0) + time.perf_counter() - started

        setattr(module, name, run)

    timed(pipeline_module, "run_apply")  # the whole pass
    timed(pipeline_module, "_write_batch")  # a batch in its transaction (the rest: reading…)
    # the parts of a batch: deciding and laying it out (in the reading thread when batches are
    # prepared ahead, see pipeline._Writer) and writing it (in the writer thread)
    for method in ("prepare", "_decide", "apply"):
        timed(write_module.ImportBatch, method)
    # the contacts' own writing step, under the name earlier results used
    timed(write_module.ContactImportBatch, "_create", "_create_contacts")

    stdout, stderr = io.StringIO(), io.StringIO()
    profiler = cProfile.Profile() if profile_path else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    call_command("import", "contacts", path, user=username, stdout=stdout, stderr=stderr)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        profiler.dump_stats(profile_path)
    job = ImportJob.objects.order_by("-id").first()
    result = {
        "seconds": seconds,
        "setup_seconds": started - process_started,
        "phases": phases,
        "counts": counts,
        "write_transactions": counts["data_commits"]
        + counts["bookkeeping_commits"]
        + counts["autocommit_data_writes"]
        + counts["autocommit_bookkeeping_writes"],
        "job": {
            "status": job.status,
            "rows_checked": job.rows_checked,
            "rows_valid": job.rows_valid,
            "rows_error": job.rows_error,
            "rows_created": job.rows_created,
            "rows_updated": job.rows_updated,
            "rows_skipped": job.rows_skipped,
            "message": job.message,
        },
        "slowest_statements": sorted(
            ({"seconds": v, "sql": k} for k, v in statement_seconds.items()),
            key=lambda x: -x["seconds"],
        )[:15],
        "output": stdout.getvalue()[-2000:],
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main()
