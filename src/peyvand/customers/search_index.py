"""The database side of search: FTS5 tables and triggers (SQLite), pg_trgm indexes (PostgreSQL).

SQLite drops a table's triggers whenever a migration rebuilds the table (Django's
``_remake_table``, e.g. when a column is added), so ``ensure_search_index`` runs after every
``migrate`` (``CustomersConfig.ready``): it recreates missing triggers and rebuilds the FTS index
from the content table when they had gone missing.
"""

TABLES = ["customers_contact", "customers_organization"]


def _sqlite_triggers(table: str) -> dict[str, str]:
    fts = f"{table}_fts"
    return {
        f"{table}_ai": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END"
        ),
        f"{table}_ad": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_document) "
            f"VALUES ('delete', old.id, old.search_document); END"
        ),
        f"{table}_au": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_au AFTER UPDATE OF search_document ON {table} "
            f"BEGIN INSERT INTO {fts}({fts}, rowid, search_document) "
            f"VALUES ('delete', old.id, old.search_document); "
            f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END"
        ),
    }


def sqlite_insert_trigger(table: str) -> str:
    """The statement that (re)creates ``table``'s FTS insert trigger (the importer drops it
    while it fills the FTS index in bulk, and puts it back in the same transaction)."""
    return _sqlite_triggers(table)[f"{table}_ai"]


# FTS5 merges its index segments as it goes: by default whenever a level holds 4 of them, and
# it stops to merge everything at 16. A bulk load writes one segment per transaction and so
# merged the same postings again and again: at 1M contacts in batches of 10,000 the trigram
# index took 13.6 s with the defaults, 9.8 s with (16, 64), and a search on it 0.5 instead of
# 0.3 ms at p95 (decision 0010). An import sets these while it writes and puts the defaults
# back when it ends; later writes merge what it left.
FTS_MERGE_DEFAULTS = {"automerge": 4, "crisismerge": 16}
FTS_MERGE_BULK = {"automerge": 16, "crisismerge": 64}


def sqlite_fts_merging(cursor, table: str, settings: dict[str, int]) -> None:
    """Set the segment-merge options of ``table``'s FTS5 index (stored in the index itself)."""
    fts = f"{table}_fts"
    for option, value in settings.items():
        cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES (%s, %s)", [option, value])


def ensure_search_index(connection) -> None:
    """Create whatever part of the search index is missing (idempotent, cheap when complete)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table in TABLES:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
                    f"USING gin (search_document gin_trgm_ops)"
                )
            return
        if connection.vendor != "sqlite":
            return
        existing_tables = set(connection.introspection.table_names(cursor))
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        existing_triggers = {row[0] for row in cursor.fetchall()}
        for table in TABLES:
            if table not in existing_tables:
                continue
            fts = f"{table}_fts"
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_document, "
                f"content='{table}', content_rowid='id', tokenize='trigram')"
            )
            triggers = _sqlite_triggers(table)
            missing = [name for name in triggers if name not in existing_triggers]
            for name in missing:
                cursor.execute(triggers[name])
            if missing:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_search_index(connection) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
            elif connection.vendor == "sqlite":
                for name in _sqlite_triggers(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")
