"""Fast bulk writes: PostgreSQL COPY, SQLite executemany in one statement per batch."""

from collections.abc import Iterable, Sequence

from django.db import connection


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
