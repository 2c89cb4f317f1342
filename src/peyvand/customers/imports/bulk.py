"""Fast bulk writes: PostgreSQL COPY, SQLite multi-row INSERTs of thousands of rows each."""

import functools
import sqlite3
from collections.abc import Iterable, Sequence

from django.db import connection

# SQLite's default limit on bound values per statement (SQLITE_MAX_VARIABLE_NUMBER, 3.32+)
SQLITE_STATEMENT_PARAMS = 32_766
BULK_CACHE_KB = 128 * 1024  # SQLite page cache of an importing connection
BULK_WAL_CHECKPOINT_PAGES = 50_000  # SQLite: fold the WAL back every ~200 MB while importing
BULK_WORK_MEM_MB = 128  # PostgreSQL work_mem of an import's transactions
BULK_GIN_PENDING_MB = 64  # PostgreSQL trigram index pending list while an import writes


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` into ``table``; returns the number of rows written.

    Django's ``bulk_create`` stops at 999 bound parameters per statement on SQLite (about a
    hundred rows per INSERT for a wide table) and builds a model instance per row; these
    statements take up to 32,766 values each and plain tuples. Both go past Django's cursor,
    so its ``execute_wrapper`` hooks do not see them.
    """
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            count = 0
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        return _sqlite_insert(cursor.cursor, table, column_list, len(columns), rows)


def _sqlite_insert(
    cursor: sqlite3.Cursor, table: str, column_list: str, width: int, rows: Iterable[Sequence]
) -> int:
    """Insert ``rows`` with multi-row ``INSERT … VALUES (…), (…)`` statements.

    ``executemany`` steps SQLite once per row and lets go of the GIL around every step; with
    another thread of the import busy in Python (reading, deciding the next batch), each row
    then waited to get the GIL back: 200,000 rows took 536 s instead of 1.5 s beside a thread
    that never blocks (decision 0011). One statement per ``SQLITE_STATEMENT_PARAMS`` values
    takes the GIL back once per thousand rows or so, and is as fast alone.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    start, left = 0, len(rows)
    most = 1 << ((SQLITE_STATEMENT_PARAMS // width).bit_length() - 1)
    while left:
        # a power of two rows per statement: sqlite3 keeps each statement it compiled (3 MB
        # for 1,638 rows of 20 columns), and a batch's remainder of any size would add another
        count = most if left >= most else 1 << (left.bit_length() - 1)
        part = rows[start : start + count]
        # sqlite3's own execute, past Django's cursor (as COPY is on PostgreSQL): that one
        # rewrites every "%s" of the statement to "?" on each call, 3 ms for 32,000 of them
        sqlite3.Cursor.execute(
            cursor,
            _values_statement(table, column_list, width, count),
            [value for row in part for value in row],
        )
        start, left = start + count, left - count
    return len(rows)


@functools.lru_cache(maxsize=256)
def _values_statement(table: str, column_list: str, width: int, count: int) -> str:
    # the same string object for each size keeps the lookup in sqlite3's statement cache cheap
    one = "(" + ", ".join(["?"] * width) + ")"
    return f"INSERT INTO {table} ({column_list}) VALUES " + ", ".join([one] * count)


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
