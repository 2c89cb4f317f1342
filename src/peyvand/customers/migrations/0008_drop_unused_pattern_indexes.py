"""PostgreSQL: drop the ``varchar_pattern_ops`` twins Django adds beside every indexed or unique
CharField of the customer tables. They serve only ``LIKE 'prefix%'`` on that column, which
nothing runs (search goes through the trigram index on ``search_document``), and every insert
paid for them: an import wrote five extra B-trees per contact (decision 0009)."""

from django.db import migrations

TABLES = [
    "customers_contact", "customers_contactemail", "customers_contactphone",
    "customers_organization",
]  # fmt: skip


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname LIKE %s AND indexdef LIKE %s",
            [TABLES, "%\\_like", "%varchar_pattern_ops%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_history_without_copied_indexes")]

    # not recreated when going back: they only ever cost time
    operations = [migrations.RunPython(drop_pattern_indexes, migrations.RunPython.noop)]
