"""Fast bulk writes: PostgreSQL COPY, SQLite executemany in one statement per batch."""

from collections.abc import Iterable, Sequence

from django.db import connection

BULK_CACHE_KB = 128 * 1024  # SQLite page cache of an importing connection
BULK_WAL_CHECKPOINT_PAGES = 50_000  # SQLite: fold the WAL back every ~200 MB while importing
BULK_WORK_MEM_MB = 128  # PostgreSQL work_mem of an import's transactions
BULK_GIN_PENDING_MB = 64  # PostgreSQL trigram index pending list while an import writes


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written.

    Django's ``bulk_create`` is limited to SQLite's 999 bound parameters per statement (about a
    hundred rows per INSERT for a wide table); ``executemany`` of one prepared statement and
    PostgreSQL's ``COPY`` have no such limit and skip model instantiation.
    """
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(
                    f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", batch
                )
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", batch
            )
            count += len(batch)
    return count


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def tune_for_bulk() -> None:
    """Give this connection the memory a bulk load wants (call inside the transaction).

    SQLite's default page cache is 2 MB: at a million rows every index insert (random public
    ids, emails, phones) and the FTS index read pages back from the OS cache. PostgreSQL's
    default ``work_mem`` (4 MB) sends the set-based joins of the apply to disk.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KB}")
            # a batch dirties pages all over the email, phone and ID indexes; copying the WAL
            # back every 4 MB (the default) wrote each such page once per batch
            cursor.execute(f"PRAGMA wal_autocheckpoint = {BULK_WAL_CHECKPOINT_PAGES}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{BULK_WORK_MEM_MB}MB'")
            # new trigram entries wait in the GIN pending list and are merged in bulk, not
            # every 4 MB of rows; the import merges what is left when it ends
            cursor.execute(f"SET LOCAL gin_pending_list_limit = '{BULK_GIN_PENDING_MB}MB'")
