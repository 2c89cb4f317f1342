# ruff: noqa: S608 - table names come from the database's own schema; values are bound
"""The SQLite work of an import's writer, alone: the floor of the write path (decision 0011).

Replays the rows a finished import wrote (a database kept with ``bench.run --keep``) into an
empty copy of its schema, as the writer writes them: batches of 10,000 contacts with their
emails, phones, addresses, memberships and history, the FTS5 index filled per batch (merging at
16/64), a commit every 30,000 contacts — in one thread, with nothing else running::

    python -m bench.replay_writer /tmp/peyvand-bench-…/sqlite/peyvand.sqlite3

Inside an import the same statements share two cores with reading, normalising and deciding;
the difference between the two is what that sharing costs. (History rows are replayed as
rows; the import copies them from the contacts with one INSERT … SELECT per batch.)
"""

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from peyvand.customers.imports.bulk import (
    BULK_CACHE_KB,
    BULK_WAL_CHECKPOINT_PAGES,
    _sqlite_insert,
)
from peyvand.customers.search_index import FTS_MERGE_BULK

# pipeline.BATCH_ROWS and COMMIT_ROWS["sqlite"] (importing pipeline needs Django's settings;
# the tests check that these still match)
BATCH, GROUP = 10_000, 30_000
CHILDREN = {  # table -> column holding the contact's id
    "customers_contact": "id",
    "customers_contactemail": "contact_id",
    "customers_contactphone": "contact_id",
    "customers_address": "contact_id",
    "customers_contactorganization": "contact_id",
    "customers_historicalcontact": "id",
}


def _schema(source: sqlite3.Connection, db: sqlite3.Connection) -> None:
    entries = source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
    ).fetchall()
    for (sql,) in entries:
        db.execute(sql)
    db.execute("DROP TRIGGER IF EXISTS customers_contact_ai")  # the importer fills FTS per batch
    for option, value in FTS_MERGE_BULK.items():
        db.execute(
            "INSERT INTO customers_contact_fts (customers_contact_fts, rank) VALUES (?, ?)",
            (option, value),
        )
    rows = source.execute("SELECT * FROM customers_organization").fetchall()
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO customers_organization VALUES ({marks})", rows)


def _insert(db: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """The importer's own statements (``bulk_insert`` on SQLite)."""
    column_list = ", ".join(f'"{column}"' for column in columns)
    _sqlite_insert(db.cursor(), table, column_list, len(columns), rows)


def replay(database: Path, *, batch: int = BATCH, group: int = GROUP) -> dict:
    """Write ``database``'s imported rows again into a fresh copy of its schema; returns the
    seconds per table, the wall and CPU seconds, the rows written per table and what a
    trigram search finds in the copy (so a run can be checked, not only timed)."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    tables = {}
    for table, key in CHILDREN.items():
        columns = [c[1] for c in source.execute(f"PRAGMA table_info({table})")]
        rows = source.execute(
            f"SELECT * FROM {table} WHERE {key} IS NOT NULL ORDER BY {key}, rowid"
        ).fetchall()
        tables[table] = (columns.index(key), rows, columns)
    contacts = tables["customers_contact"][1]
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "replay.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", f"cache_size=-{BULK_CACHE_KB}",
                       f"wal_autocheckpoint={BULK_WAL_CHECKPOINT_PAGES}"):  # fmt: skip
            db.execute(f"PRAGMA {pragma}")
        _schema(source, db)
        spent = dict.fromkeys([*tables, "customers_contact_fts", "COMMIT"], 0.0)
        position = dict.fromkeys(tables, 0)
        started, cpu = time.perf_counter(), time.process_time()
        db.execute("BEGIN")
        in_group = 0
        for first in range(0, len(contacts), batch):
            last_id = contacts[min(first + batch, len(contacts)) - 1][0]
            for table, (column, rows, names) in tables.items():
                start = end = position[table]
                while end < len(rows) and rows[end][column] <= last_id:
                    end += 1
                clock = time.perf_counter()
                _insert(db, table, names, rows[start:end])
                spent[table] += time.perf_counter() - clock
                position[table] = end
                if table == "customers_contact":
                    clock = time.perf_counter()
                    db.execute(
                        "INSERT INTO customers_contact_fts (rowid, search_document) SELECT id, "
                        "search_document FROM customers_contact WHERE id BETWEEN ? AND ?",
                        (contacts[first][0], last_id),
                    )
                    spent["customers_contact_fts"] += time.perf_counter() - clock
            in_group += batch
            if in_group >= group or first + batch >= len(contacts):
                clock = time.perf_counter()
                db.execute("COMMIT")
                spent["COMMIT"] += time.perf_counter() - clock
                db.execute("BEGIN")
                in_group = 0
        db.execute("COMMIT")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        written = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        # the first contact's first word, searched in the copy's FTS5 index
        document = tables["customers_contact"][2].index("search_document")
        probe = contacts[0][document].split()[0] if contacts else ""
        found = (
            probe
            and db.execute(
                "SELECT count(*) FROM customers_contact_fts WHERE customers_contact_fts MATCH ?",
                (f'"{probe}"',),
            ).fetchone()[0]
        )
        db.close()
    source.close()
    return {"seconds": spent, "wall": wall, "cpu": cpu, "read": {t: len(v[1]) for t, v in
            tables.items()}, "written": written, "probe": probe, "found": found}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="a kept bench database (SQLite)")
    args = parser.parse_args()
    result = replay(args.database)
    read = result["read"]
    print(f"{read['customers_contact']:,} contacts, " + ", ".join(
        f"{count:,} {table.removeprefix('customers_')}"
        for table, count in read.items() if table != "customers_contact"
    ))  # fmt: skip
    print(f"writer alone: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU")
    for name, seconds in result["seconds"].items():
        print(f"  {name:32s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
