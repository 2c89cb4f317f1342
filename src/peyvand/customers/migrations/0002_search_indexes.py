"""Search indexes: SQLite FTS5 (trigram) tables kept by triggers; PostgreSQL pg_trgm GIN indexes.

``customers.search_index`` keeps the same SQL for its check after every ``migrate`` (SQLite
loses a table's triggers when a migration rebuilds the table). This migration keeps its own
copy, as it was written: a later change to the live module must not change what it did.
"""

from django.db import migrations

TABLES = ["customers_contact", "customers_organization"]


def _sqlite_triggers(table):
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


def forwards(apps, schema_editor):
    connection = schema_editor.connection
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


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
            elif connection.vendor == "sqlite":
                for name in _sqlite_triggers(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
