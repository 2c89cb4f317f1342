"""Search indexes: SQLite FTS5 (trigram) tables kept by triggers; PostgreSQL pg_trgm GIN indexes."""

from django.db import migrations

TABLES = ["customers_contact", "customers_organization"]


def _sqlite_sql(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"search_document, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_document) "
        f"VALUES ('delete', old.id, old.search_document); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_au AFTER UPDATE OF search_document ON {table} "
        f"BEGIN INSERT INTO {fts}({fts}, rowid, search_document) "
        f"VALUES ('delete', old.id, old.search_document); "
        f"INSERT INTO {fts}(rowid, search_document) VALUES (new.id, new.search_document); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _postgres_sql(table: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
        f"USING gin (search_document gin_trgm_ops)",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements.append("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in TABLES:
            statements += _postgres_sql(table)
    elif vendor == "sqlite":
        for table in TABLES:
            statements += _sqlite_sql(table)
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
        elif vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
