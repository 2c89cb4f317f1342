"""Search indexes: SQLite FTS5 (trigram) tables kept by triggers; PostgreSQL pg_trgm GIN indexes.

The SQL lives in ``customers.search_index`` because it also runs after every ``migrate``
(SQLite loses a table's triggers when a migration rebuilds the table).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from peyvand.customers.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


def backwards(apps, schema_editor):
    from peyvand.customers.search_index import drop_search_index

    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
